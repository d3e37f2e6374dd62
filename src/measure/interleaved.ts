import { MAX_PAIRS, type PairBatchResult } from '../native/harness.js';
import { median } from '../stats/summary.js';
import type { ExecutedBatch } from './executors.js';
import { EINVAL } from '../native/errno.js';

/** An even number of block pairs, at most MAX_PAIRS: as many A-first as B-first, so ABBA
 * cancels a linear drift inside the batch. */
export function pairsFor(iters: number, block: number): number {
  const pairs = Math.max(1, Math.round(iters / (2 * block)));
  return Math.min(MAX_PAIRS, pairs > 1 ? pairs + (pairs % 2) : pairs);
}

/**
 * One interleaved A/B batch of about `iters` calls of each side, in blocks of at most
 * `blockCalls` (more when the batch would need more than MAX_PAIRS pairs): `run(block, pairs)`
 * executes it in C; the batch's delta is the median over its block pairs of (A - B) ns per
 * call, and the baseline is B's mean ns per call. Shared by the clone3 probe pairs and the
 * copy-plan sequences.
 */
export function interleavedBatch(iters: number, blockCalls: number, run: (block: number, pairs: number) => PairBatchResult): ExecutedBatch {
  const block = Math.max(Math.min(blockCalls, iters), Math.ceil(iters / (2 * MAX_PAIRS)));
  const pairs = pairsFor(iters, block);
  const r = run(block, pairs);
  const calls = block * pairs;
  return {
    ns: r.nsA,
    ret: r.ret,
    done: r.ret === -EINVAL ? calls : 0,
    pair: { deltaNs: median(r.pairDeltas), baselineNsPerIter: r.nsB / calls },
  };
}
