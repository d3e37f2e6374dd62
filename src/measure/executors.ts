import { selfMemory } from '../env/environment.js';
import type { BatchResult, Harness, NativePages } from '../native/harness.js';
import type { CloneHelper } from '../native/helper.js';
import type { VariantSpec } from './types.js';

const EINVAL = 22;

/** Runs batches of one variant. `expectedRet` is what a working probe returns: anything else
 * (ENOSYS under seccomp, EPERM without privilege, ...) turns the variant into a skip. */
export interface Executor {
  expectedRet: number;
  batch(iters: number): Promise<ExecutedBatch>;
  parent(): Promise<{ where: 'node' | 'helper'; pid: number; rssKiB: number; vmaCount: number } | null>;
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

function median(values: Float64Array): number {
  const s = Float64Array.from(values).sort();
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
}

export interface ExecutorContext {
  harness: Harness;
  /** Started lazily by the runner for helper variants; null if it could not start. */
  helper: () => Promise<CloneHelper>;
  /** Per-batch time limit for the helper, beyond which it is killed. */
  helperTimeoutMs: number;
}

/** Page-aligned probe memory (so no struct or set_tid array straddles a page or sits at a
 * different cache-line offset from run to run): one page per struct, one shared page for the
 * set_tid array the probes point at. */
export class ProbeMemoryPool {
  private setTid: NativePages | null = null;
  constructor(private readonly harness: Harness) {}

  setTidPage(): NativePages {
    // Zero pids: the values never matter, the kernel fails on flag bit 63 before reading them.
    this.setTid ??= this.harness.allocPages(PAGE);
    return this.setTid;
  }

  probeStruct(setTidCount: number): NativePages {
    const page = this.harness.allocPages(PAGE);
    this.harness.writeProbeArgs(page, PAGE, setTidCount > 0 ? this.setTidPage() : null, setTidCount);
    return page;
  }
}

export function makeExecutor(spec: VariantSpec, ctx: ExecutorContext, memory: ProbeMemoryPool, baseline?: VariantSpec): Executor {
  const { harness } = ctx;
  switch (spec.kind) {
    case 'empty':
    case 'getppid':
      return {
        expectedRet: 0,
        batch: async (iters) => harness.probeBatch(spec.kind, null, 0, iters),
        parent: async () => null,
      };
    case 'clone3-probe': {
      // The struct sits at the start of its own zeroed page (sizes above 88 need a zero tail).
      const args = memory.probeStruct(spec.setTidCount);
      if (baseline?.kind === 'clone3-probe') {
        // Probe and baseline interleaved in blocks inside one batch: their difference is
        // taken within ~100 us, so the VM's slow drift and phase flips cancel.
        const base = memory.probeStruct(baseline.setTidCount);
        return {
          expectedRet: -EINVAL,
          batch: async (iters) => {
            const block = Math.min(PAIR_BLOCK_CALLS, iters);
            const pairs = Math.max(1, Math.round(iters / (2 * block)));
            const r = harness.probePairBatch(args, spec.structSize, base, baseline.structSize, block, pairs);
            const calls = block * pairs;
            return {
              ns: r.nsA,
              ret: r.ret,
              done: r.ret === -EINVAL ? calls : 0,
              pair: { deltaNs: median(r.pairDeltas), baselineNsPerIter: r.nsB / calls },
            };
          },
          parent: async () => null,
        };
      }
      return {
        expectedRet: -EINVAL,
        batch: async (iters) => harness.probeBatch('clone3', args, spec.structSize, iters),
        parent: async () => null,
      };
    }
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
