import { quantileSorted } from 'simple-statistics';
import { groupIndices, resampleGrouped } from './grouped.js';
import type { Rng } from './prng.js';

export const RATIO_CI_METHOD =
  'percentile bootstrap of median(a) / median(b), a and b resampled independently (worker processes first, then rounds, where grouped)';

export interface RatioEstimate {
  estimate: number;
  ciLow: number;
  ciHigh: number;
}

function medianOf(buf: Float64Array): number {
  buf.sort();
  const h = buf.length >> 1;
  return buf.length % 2 ? buf[h] : (buf[h - 1] + buf[h]) / 2;
}

function resampledMedian(values: readonly number[], index: readonly number[][], rng: Rng, picks: number[]): number {
  const k = resampleGrouped(index, rng, picks);
  const buf = new Float64Array(k);
  for (let i = 0; i < k; i++) buf[i] = values[picks[i]];
  return medianOf(buf);
}

/**
 * median(a) / median(b) with a percentile bootstrap interval. The two samples come from
 * different batches (a proposal's copy deltas, a clone variant's batch means) with no pairing
 * between them, so each resample draws from a and from b independently.
 */
export function bootstrapMedianRatio(
  a: readonly number[],
  b: readonly number[],
  rng: Rng,
  {
    resamples = 2000,
    level = 0.95,
    groupsA,
    groupsB,
  }: { resamples?: number; level?: number; groupsA?: readonly number[]; groupsB?: readonly number[] } = {},
): RatioEstimate {
  if (a.length === 0 || b.length === 0) throw new RangeError('ratio of an empty sample');
  const estimate = medianOf(Float64Array.from(a)) / medianOf(Float64Array.from(b));
  const ratios: number[] = new Array(resamples);
  const ia = groupIndices(groupsA, a.length);
  const ib = groupIndices(groupsB, b.length);
  const pa: number[] = new Array(a.length * 2);
  const pb: number[] = new Array(b.length * 2);
  for (let r = 0; r < resamples; r++) ratios[r] = resampledMedian(a, ia, rng, pa) / resampledMedian(b, ib, rng, pb);
  ratios.sort((x, y) => x - y);
  const alpha = (1 - level) / 2;
  return { estimate, ciLow: quantileSorted(ratios, alpha), ciHigh: quantileSorted(ratios, 1 - alpha) };
}
