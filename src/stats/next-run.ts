/**
 * A prediction interval for the median another run would report, from the spread between the
 * worker processes of this one. Each worker's median stands for one process (its page
 * placements, its kernel stack, the host's state while it ran); a run's median is close to the
 * mean of its workers' medians, so two runs of W workers differ by about sqrt(2 / W) times the
 * standard deviation s of worker medians. With W a handful, s is itself uncertain: Student's t
 * with W - 1 degrees of freedom. The interval is centred on this run's median:
 *   median +- t(0.975, W - 1) * s * sqrt(2 / W)
 * The bootstrap interval (summary.ts) says where this run's median is; this one says where the
 * next run's will be, which is what a reader comparing runs, or CI gating on them, needs.
 */
import { sampleStandardDeviation } from 'simple-statistics';
import { medianInPlace } from './bootstrap.js';
import { t975 } from './fit.js';
import { groupIndices } from './grouped.js';

export const NEXT_RUN_METHOD = "median +- t(0.975, W-1) x sd(worker medians) x sqrt(2/W): where another run's median should fall";

export interface NextRunInterval {
  low: number;
  high: number;
  method: string;
}

export function nextRunInterval(samples: readonly number[], groups: readonly number[] | undefined, level = 0.95): NextRunInterval | null {
  if (level !== 0.95) throw new RangeError('the next-run interval is computed at 95% only');
  const index = groupIndices(groups, samples.length);
  if (index.length < 2) return null;
  const medianOf = (idx: readonly number[]) => medianInPlace(Float64Array.from(idx, (i) => samples[i]), idx.length);
  const medians = index.map(medianOf);
  const all = medianOf(samples.map((_, i) => i));
  const half = t975(index.length - 1) * sampleStandardDeviation(medians) * Math.sqrt(2 / index.length);
  return { low: all - half, high: all + half, method: NEXT_RUN_METHOD };
}
