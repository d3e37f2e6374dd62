/**
 * Executes one proposal's copy plan as real kernel copies: the request is encoded for the host,
 * materialised at the variant's placement (src/encode/placement.ts), and each copy read becomes
 * a clone3 probe (flag bit 63) whose set_tid points at the read's bytes in that memory. One
 * iteration = the whole plan in order; the paired baseline = the same number of probes with
 * set_tid = 0, interleaved in ABBA blocks in C (cb_run_probe_seq_pair), so the delta per
 * iteration is the plan's copy cost with the struct copies and syscall entries of the probes
 * themselves cancelled. Where the probe structs sit follows the placement: `co-located` puts
 * them in the image's own page (the image reserves room for them), as a caller's clone_args
 * and arrays share its stack; the others keep them in pages of their own.
 */
import { encode, planTotals } from '../../encode/encode.js';
import { materialise, type NativeImage } from '../../encode/materialise.js';
import { extraPages, type Placement } from '../../encode/placement.js';
import { EncodeRefusal, type UserImage } from '../../encode/types.js';
import type { Harness, NativePages } from '../../native/harness.js';
import { hostTarget, proposalById, resolveProposal } from '../../registry.js';
import type { CopyPlanRecord, SkipRecord, VariantSpec } from '../../results/schema.js';
import type { Rng } from '../../stats/prng.js';
import type { Executor } from '../executors.js';
import { interleavedBatch } from '../interleaved.js';
import { PID_BYTES, probeSteps, type ProbeSteps } from './probe-steps.js';
import { requestForLevels } from './request-shapes.js';
import { EINVAL } from '../../native/errno.js';

type CopyPlanSpec = Extract<VariantSpec, { kind: 'copy-plan' }>;

const PAGE = 4096;
/** clone3 probe struct size (struct clone_args VER2) and the room each one gets. */
const PROBE_STRUCT_SIZE = 88;
const PROBE_STRIDE = 88;
/** As the copy suite: images and probe structs in PLACEMENTS copies, used batch by batch in
 * turn, so the median averages over where pages land instead of depending on one placement. */
export const PLAN_PLACEMENTS = 8;
/** Probe calls per ABBA block (as PAIR_BLOCK_CALLS in executors.ts): a block is ~50 probes. */
const BLOCK_PROBES = 50;

/** A variant the runner records without measuring, with the reason. */
export interface Unmeasured {
  unmeasured: SkipRecord;
  copyPlan?: CopyPlanRecord;
}

export interface CopyPlanExecutor extends Executor {
  copyPlan: CopyPlanRecord;
  /** The materialised images, one per placement (kept for the suite; freed by dispose, with
   * the probe structs). */
  readonly images: readonly NativeImage[];
  dispose(): void;
}

export interface CopyPlanOptions {
  /** Chooses the varied offsets of the placements (the run's seeded stream). */
  rng: Rng;
  /** How an image gets into native memory (tests pass one that truncates a segment). */
  materialise?: (img: UserImage, placement: Placement, reserve: number) => NativeImage;
}

export function copyPlanRecord(img: UserImage, steps: ProbeSteps, placement: Placement, pageTouches: number): CopyPlanRecord {
  const t = planTotals(img);
  const notes = steps.notExecuted.map((n) => `read ${n.read} not executed: ${n.why}`);
  if (steps.splitReads) notes.push(`${steps.splitReads} read(s) longer than 128 bytes executed as 128-byte probes: each extra piece adds one per-call cost`);
  if (steps.probeBytes !== t.bytes) notes.push(`probes copy ${steps.probeBytes} bytes for the plan's ${t.bytes}: set_tid copies whole 4-byte pids`);
  if (t.syscalls > 1) notes.push(`${t.syscalls} system calls per clone: only the copies are measured here, not the other calls' entry and work`);
  return {
    placement,
    probeSizes: steps.steps.map((st) => st.count * PID_BYTES),
    pageTouches,
    copies: t.copies,
    bytes: t.bytes,
    zeroChecked: t.zeroChecked,
    syscalls: t.syscalls,
    probes: steps.steps.length,
    probeBytes: steps.probeBytes,
    splitReads: steps.splitReads,
    reads: img.plan.map((r, i) => ({ ...r, probes: steps.steps.filter((s) => s.read === i).length })),
    notes,
  };
}

/** Encodes the spec's request; a refusal or an empty plan comes back as Unmeasured. */
export function encodePlan(spec: CopyPlanSpec): { img: UserImage; steps: ProbeSteps; record: CopyPlanRecord } | Unmeasured {
  // pageTouches is filled in once the probes have addresses (makeCopyPlanExecutor).
  const host = hostTarget();
  if (spec.target !== host.id)
    return { unmeasured: { errno: 0, code: 'NOT_HOST', meaning: `images for ${spec.target} cannot be materialised on a ${host.id} host`, detail: 'not measured' } };
  let img: UserImage;
  try {
    img = encode(requestForLevels(spec.levels), host, resolveProposal(proposalById(spec.proposal)));
  } catch (e) {
    if (!(e instanceof EncodeRefusal)) throw e;
    return { unmeasured: { errno: 0, code: 'REFUSED', meaning: e.message, detail: `encoder limit: ${e.limit}` } };
  }
  const steps = probeSteps(img);
  const record = copyPlanRecord(img, steps, spec.placement, 0);
  if (steps.steps.length === 0)
    return {
      unmeasured: { errno: 0, code: 'EMPTY_PLAN', meaning: 'the kernel side reads no user memory for this request: copy cost 0 by construction', detail: 'not measured' },
      copyPlan: record,
    };
  return { img, steps, record };
}

export function makeCopyPlanExecutor(spec: CopyPlanSpec, harness: Harness, options: CopyPlanOptions): CopyPlanExecutor | Unmeasured {
  const encoded = encodePlan(spec);
  if ('unmeasured' in encoded) return encoded;
  const { img, steps, record } = encoded;
  const n = steps.steps.length;
  const placement = spec.placement;
  const host = hostTarget();
  const place =
    options.materialise ??
    ((i: UserImage, p: Placement, reserve: number) => materialise(i, host, { placement: p, rng: options.rng, reserve }));
  // Co-located: the plan's probe structs (A) and the baseline's (B) in the image's reserved
  // area, beside the segments. Otherwise in pages of their own: A in the first half of a
  // region, B in the second, on one page while they fit (as ProbeMemoryPool.paired).
  const reserve = placement === 'co-located' ? 2 * n * PROBE_STRIDE : 0;
  const regionPages = placement === 'co-located' ? 0 : Math.max(1, Math.ceil((2 * n * PROBE_STRIDE) / PAGE));
  const half = (regionPages * PAGE) / 2;
  const images: NativeImage[] = [];
  const tables: Array<{ a: BigUint64Array; b: BigUint64Array }> = [];
  const probeBytes = PLAN_PLACEMENTS * regionPages * PAGE;
  const pages = probeBytes ? harness.allocPages(probeBytes) : null;
  let freed = false;
  const free = () => {
    for (const im of images) im.dispose();
    if (!freed && pages) harness.freePages(pages, probeBytes);
    freed = true;
  };
  let touches = 0;
  try {
    for (let p = 0; p < PLAN_PLACEMENTS; p++) {
      const image = place(img, placement, reserve);
      images.push(image);
      const slot = (i: number): { ptr: NativePages; address: bigint } => {
        if (image.reserved !== null) {
          const address = image.reserved + BigInt(i * PROBE_STRIDE);
          return { ptr: harness.pointer(address), address };
        }
        const region = p * regionPages * PAGE;
        const ptr = harness.offset(pages!, region + (i < n ? i * PROBE_STRIDE : half + (i - n) * PROBE_STRIDE));
        return { ptr, address: harness.addressOf(ptr) };
      };
      const a = new BigUint64Array(n);
      const b = new BigUint64Array(n);
      steps.steps.forEach((s, i) => {
        const probe = slot(i);
        const base = slot(n + i);
        const from = image.address(s.segment) + BigInt(s.offset);
        harness.writeProbeArgs(probe.ptr, PROBE_STRIDE, harness.pointer(from), s.count);
        harness.writeProbeArgs(base.ptr, PROBE_STRIDE, null, 0);
        a[i] = probe.address;
        b[i] = base.address;
        touches += extraPages(from, s.count * PID_BYTES, a[i], PROBE_STRUCT_SIZE, PAGE);
      });
      tables.push({ a, b });
    }
  } catch (e) {
    free();
    throw e;
  }
  record.pageTouches = touches / PLAN_PLACEMENTS;
  const blockIters = Math.max(1, Math.round(BLOCK_PROBES / n));
  let batchNo = 0;
  return {
    expectedRet: -EINVAL,
    copyPlan: record,
    images,
    async batch(iters) {
      if (freed) throw new Error('copy-plan executor used after dispose()');
      const { a, b } = tables[batchNo++ % PLAN_PLACEMENTS];
      return interleavedBatch(iters, blockIters, (block, pairs) => harness.probeSeqPairBatch(a, b, PROBE_STRUCT_SIZE, block, pairs));
    },
    parent: async () => null,
    /** Frees the images and the probe structs; idempotent. */
    dispose: free,
  };
}
