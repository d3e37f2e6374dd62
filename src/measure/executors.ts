import { selfMemory } from '../env/environment.js';
import type { BatchResult, Harness, NativePages } from '../native/harness.js';
import type { CloneHelper } from '../native/helper.js';
import type { PidnsDriver } from '../native/pidns.js';
import type { CopyPlanRecord, PidChoiceRecord, VariantResult } from '../results/schema.js';
import { makeCopyPlanExecutor, type Unmeasured } from './copy-plan/executor.js';
import { makePidsExecutor } from './pids/executor.js';
import { interleavedBatch } from './interleaved.js';
import type { VariantSpec } from './types.js';
import { EINVAL } from '../native/errno.js';

export type { Unmeasured };

/** Runs batches of one variant. `expectedRet` is what a working probe returns: anything else
 * (ENOSYS under seccomp, EPERM without privilege, ...) turns the variant into a skip. */
export interface Executor {
  expectedRet: number;
  batch(iters: number): Promise<ExecutedBatch>;
  parent(): Promise<VariantResult['parent']>;
  /** Copy-plan executors: what the plan is and the probes it became (goes into the results). */
  copyPlan?: CopyPlanRecord;
  /** pids executors: the namespaces used and whether the children got the pids chosen. */
  pidChoice?(): PidChoiceRecord | null;
  /** Frees native memory the executor holds for the run (copy-plan images); idempotent. */
  dispose?(): void;
}

/** A batch; interleaved probes also carry their in-batch paired delta. */
export interface ExecutedBatch extends BatchResult {
  pair?: {
    /** Median over the batch's block pairs of (probe - baseline) ns per call. */
    deltaNs: number;
    /** The baseline's mean ns per call within the same batch. */
    baselineNsPerIter: number;
  };
}

/** Calls per block of an interleaved A/B batch: ~50 us here, short next to the VM's
 * fast/slow phases and to the scheduler tick, long next to the 2 clock reads per block. */
export const PAIR_BLOCK_CALLS = 50;
const PAGE = 4096;

export interface ExecutorContext {
  harness: Harness;
  /** Started lazily by the runner for helper variants; null if it could not start. */
  helper: () => Promise<CloneHelper>;
  /** build/pidns, started lazily as the helper. */
  pidns: () => Promise<PidnsDriver>;
  /** Per-batch time limit for the helper and pidns, beyond which the process is killed. */
  helperTimeoutMs: number;
}

/**
 * Page-aligned probe memory. Where a page lands physically moves a copy's cost by several ns
 * (with PTI and no PCID every kernel entry flushes the TLB, so each user page a copy touches
 * costs a page walk whose cost depends on the placement), so:
 * - a probe and its baseline share one page when both fit in half of it, so the struct copy
 *   of both pays the same walk and only the difference between them remains in the delta;
 * - each probe gets PLACEMENTS pages, used in turn batch by batch, so a run's median averages
 *   over placements instead of depending on the one it happened to get.
 */
export const PLACEMENTS = 8;
const HALF = PAGE / 2;
/** Where a set_tid array on the struct's page goes: past any struct of up to 1 KiB. */
const SET_TID_ON_STRUCT_PAGE = 1024;

type Clone3ProbeSpec = Extract<VariantSpec, { kind: 'clone3-probe' }>;

export class ProbeMemoryPool {
  private setTid: NativePages[] = [];
  constructor(private readonly harness: Harness) {}

  private setTidPage(placement: number): NativePages {
    // Zero pids: the values never matter, the kernel fails on flag bit 63 before reading them.
    while (this.setTid.length < PLACEMENTS) this.setTid.push(this.harness.allocPages(PAGE));
    return this.setTid[placement];
  }

  /** Writes a probe struct at `at`, zeroing `room` bytes (the zero tail sizes above 88 need). */
  private write(at: NativePages, room: number, spec: Clone3ProbeSpec, placement: number): NativePages {
    const setTid =
      spec.setTidCount === 0 ? null : spec.setTidOnStructPage ? this.harness.offset(at, SET_TID_ON_STRUCT_PAGE) : this.setTidPage(placement);
    this.harness.writeProbeArgs(at, room, setTid, spec.setTidCount);
    return at;
  }

  /** One struct per placement, each at the start of its own zeroed page. */
  single(spec: Clone3ProbeSpec): NativePages[] {
    return Array.from({ length: PLACEMENTS }, (_, i) => this.write(this.harness.allocPages(PAGE), PAGE, spec, i));
  }

  /** A probe and its baseline per placement, on one page when both fit in a half. */
  paired(probe: Clone3ProbeSpec, baseline: Clone3ProbeSpec): Array<[NativePages, NativePages]> {
    const share = probe.structSize <= HALF && baseline.structSize <= HALF;
    return Array.from({ length: PLACEMENTS }, (_, i) => {
      if (!share) return [this.write(this.harness.allocPages(PAGE), PAGE, probe, i), this.write(this.harness.allocPages(PAGE), PAGE, baseline, i)];
      const page = this.harness.allocPages(PAGE);
      return [this.write(page, HALF, probe, i), this.write(this.harness.offset(page, HALF), HALF, baseline, i)];
    });
  }
}

/** An executor, or the reason a variant is recorded without being measured (a request the
 * interface refuses, a plan with no reads). */
export function makeExecutor(spec: VariantSpec, ctx: ExecutorContext, memory: ProbeMemoryPool, baseline?: VariantSpec): Executor | Unmeasured {
  const { harness } = ctx;
  switch (spec.kind) {
    case 'empty':
    case 'getppid':
    case 'getppid-raw':
      return {
        expectedRet: 0,
        batch: async (iters) => harness.probeBatch(spec.kind, null, 0, iters),
        parent: async () => null,
      };
    case 'clone3-probe': {
      // Batch n uses placement n % PLACEMENTS.
      let batchNo = 0;
      if (baseline?.kind === 'clone3-probe') {
        // Probe and baseline interleaved in blocks inside one batch: their difference is
        // taken within ~100 us, so the VM's slow drift and phase flips cancel.
        const pairs = memory.paired(spec, baseline);
        return {
          expectedRet: -EINVAL,
          batch: async (iters) => {
            const [probe, base] = pairs[batchNo++ % PLACEMENTS];
            return interleavedBatch(iters, PAIR_BLOCK_CALLS, (block, blockPairs) =>
              harness.probePairBatch(probe, spec.structSize, base, baseline.structSize, block, blockPairs),
            );
          },
          parent: async () => null,
        };
      }
      const args = memory.single(spec);
      return {
        expectedRet: -EINVAL,
        batch: async (iters) => harness.probeBatch('clone3', args[batchNo++ % PLACEMENTS], spec.structSize, iters),
        parent: async () => null,
      };
    }
    case 'pids':
      return makePidsExecutor(spec, { pidns: ctx.pidns, timeoutMs: ctx.helperTimeoutMs }, baseline);
    case 'copy-plan':
      // Its baseline (the same number of set_tid = 0 probes) is built in, not a variant.
      return makeCopyPlanExecutor(spec, harness);
    case 'clone':
      if (spec.where === 'node')
        return {
          expectedRet: 0,
          batch: async (iters) => harness.cloneBatch(spec.shape, spec.via, iters),
          parent: async () => ({ where: 'node', pid: process.pid, ...selfMemory() }),
        };
      return {
        expectedRet: 0,
        batch: async (iters) => (await ctx.helper()).cloneBatch(spec.shape, spec.via, iters, ctx.helperTimeoutMs),
        parent: async () => {
          const h = await ctx.helper();
          const s = await h.status();
          return { where: 'helper', pid: s.pid, rssKiB: s.rssKiB, vmaCount: s.vmaCount };
        },
      };
  }
}
