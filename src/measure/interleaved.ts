import type { PairBatchResult } from '../native/harness.js';
import { median } from '../stats/summary.js';
import type { ExecutedBatch } from './executors.js';
import { EINVAL } from '../native/errno.js';

/**
 * One interleaved A/B batch of about `iters` calls of each side, in blocks of at most
 * `blockCalls`: `run(block, pairs)` executes it in C; the batch's delta is the median over its
 * block pairs. Shared by the clone3 probe pairs and the copy-plan sequences.
 */
export function interleavedBatch(iters: number, blockCalls: number, run: (block: number, pairs: number) => PairBatchResult): ExecutedBatch {
  const block = Math.min(blockCalls, iters);
  const pairs = Math.max(1, Math.round(iters / (2 * block)));
  const r = run(block, pairs);
  const calls = block * pairs;
  return {
    ns: r.nsA,
    ret: r.ret,
    done: r.ret === -EINVAL ? calls : 0,
    pair: { deltaNs: median(r.pairDeltas), baselineNsPerIter: r.nsB / calls },
  };
}
