import { MIN_SLACK } from '../encode/placement.js';
import { selfMemory } from '../env/environment.js';
import { CLONE_ARGS_SIZE_VER2, type BatchResult, type Harness, type NativePages } from '../native/harness.js';
import { guardPage } from '../native/libc.js';
import type { Rng } from '../stats/prng.js';
import type { CloneHelper } from '../native/helper.js';
import type { PidnsDriver } from '../native/pidns.js';
import type { CopyPlanRecord, PidChoiceRecord, VariantResult } from '../results/schema.js';
import { makeCopyPlanExecutor, type Unmeasured } from './copy-plan/executor.js';
import { makeEncodeExecutor } from './encode-executor.js';
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

/** Calls per block of an interleaved A/B batch: at a few hundred nanoseconds a probe, tens of
 * microseconds, short next to a VM's fast/slow phases and to the scheduler tick, long next to
 * the 2 clock reads per block. */
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
  /** The seeded stream placements are drawn from (per variant and worker). */
  rng: Rng;
}

/**
 * Probe memory. Where the bytes a probe copies sit can change what the copy costs
 * (src/encode/placement.ts), so every set_tid probe declares a placement, and:
 * - a probe and its baseline share one page when both structs fit in half of it, so the struct
 *   copy of both pays the same page walk and only the difference between them remains;
 * - each probe gets PLACEMENTS copies of its memory at offsets drawn from the run's seeded
 *   stream (each worker process its own), used in turn batch by batch, so a median averages
 *   over placements instead of depending on the one it happened to get.
 * set_tid per placement: `co-located` right after the probe struct on its page (a caller's
 * clone_args and pid array side by side); `scattered` on a page of its own at a varied offset
 * clear of the end; `page-end` ending exactly at a PROT_NONE page.
 */
export const PLACEMENTS = 8;
const HALF = PAGE / 2;
/** Room a probe struct takes with a co-located set_tid of up to 32 pids after it. */
const STRUCT_ROOM = CLONE_ARGS_SIZE_VER2 + 128;
/** Struct offsets are multiples of this (the kernel's copy starts cache-line aligned). */
const STRUCT_ALIGN = 64;

type Clone3ProbeSpec = Extract<VariantSpec, { kind: 'clone3-probe' }>;

export class ProbeMemoryPool {
  constructor(
    private readonly harness: Harness,
    private readonly rng: Rng,
  ) {}

  private offsetBelow(room: number, align: number): number {
    return room > 0 ? Math.floor((this.rng() * room) / align) * align : 0;
  }

  /** Where the set_tid array of a probe whose struct is at `at` goes. */
  private setTid(at: NativePages, spec: Clone3ProbeSpec): NativePages | null {
    const bytes = spec.setTidCount * 4;
    if (bytes === 0) return null;
    switch (spec.placement ?? 'scattered') {
      case 'co-located':
        return this.harness.offset(at, CLONE_ARGS_SIZE_VER2);
      case 'scattered': {
        // Three present pages; the array on the middle one.
        const pages = this.harness.allocPages(3 * PAGE);
        return this.harness.offset(pages, PAGE + this.offsetBelow(PAGE - bytes - MIN_SLACK, 4));
      }
      case 'page-end': {
        const pages = this.harness.allocPages(2 * PAGE);
        guardPage(this.harness.addressOf(pages) + BigInt(PAGE));
        return this.harness.offset(pages, PAGE - bytes);
      }
    }
  }

  /** Writes a probe struct at `at`, zeroing `room` bytes (the zero tail sizes above 88 need). */
  private write(at: NativePages, room: number, spec: Clone3ProbeSpec): NativePages {
    this.harness.writeProbeArgs(at, room, this.setTid(at, spec), spec.setTidCount);
    return at;
  }

  /** A struct on a page of its own: at a varied offset when it is small, else at the start. */
  private alone(spec: Clone3ProbeSpec): NativePages {
    const size = Math.max(spec.structSize, STRUCT_ROOM);
    const pages = this.harness.allocPages(Math.ceil(size / PAGE) * PAGE);
    const at = this.harness.offset(pages, this.offsetBelow(PAGE - size, STRUCT_ALIGN));
    return this.write(at, Math.max(spec.structSize, CLONE_ARGS_SIZE_VER2), spec);
  }

  /** One struct per placement copy. */
  single(spec: Clone3ProbeSpec): NativePages[] {
    return Array.from({ length: PLACEMENTS }, () => this.alone(spec));
  }

  /** A probe and its baseline per placement copy, on one page when each fits in a half: each
   * struct (with its zero tail, or its co-located set_tid) stays inside its own half, so
   * writing one never puts a non-zero byte into the other's tail (clone3 would answer E2BIG). */
  paired(probe: Clone3ProbeSpec, baseline: Clone3ProbeSpec): Array<[NativePages, NativePages]> {
    const room = (s: Clone3ProbeSpec) => Math.max(s.structSize, STRUCT_ROOM);
    const share = room(probe) <= HALF && room(baseline) <= HALF;
    return Array.from({ length: PLACEMENTS }, () => {
      if (!share) return [this.alone(probe), this.alone(baseline)];
      const page = this.harness.allocPages(PAGE);
      const a = this.harness.offset(page, this.offsetBelow(HALF - room(probe), STRUCT_ALIGN));
      const b = this.harness.offset(page, HALF + this.offsetBelow(HALF - room(baseline), STRUCT_ALIGN));
      return [this.write(a, Math.max(probe.structSize, CLONE_ARGS_SIZE_VER2), probe), this.write(b, Math.max(baseline.structSize, CLONE_ARGS_SIZE_VER2), baseline)];
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
        // taken within a block pair (tens of microseconds), so slow drift and phase flips cancel.
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
      return makeCopyPlanExecutor(spec, harness, { rng: ctx.rng });
    case 'encode':
      return makeEncodeExecutor(spec, { rng: ctx.rng });
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
