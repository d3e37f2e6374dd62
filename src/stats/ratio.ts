import { quantileSorted } from 'simple-statistics';
import type { Rng } from './prng.js';

export const RATIO_CI_METHOD = 'percentile bootstrap of median(a) / median(b), a and b resampled independently';

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

/**
 * median(a) / median(b) with a percentile bootstrap interval. The two samples come from
 * different batches (a proposal's copy deltas, a clone variant's batch means) with no pairing
 * between them, so each resample draws from a and from b independently.
 */
export function bootstrapMedianRatio(
  a: readonly number[],
  b: readonly number[],
  rng: Rng,
  { resamples = 2000, level = 0.95 }: { resamples?: number; level?: number } = {},
): RatioEstimate {
  if (a.length === 0 || b.length === 0) throw new RangeError('ratio of an empty sample');
  const estimate = medianOf(Float64Array.from(a)) / medianOf(Float64Array.from(b));
  const ratios: number[] = new Array(resamples);
  const ba = new Float64Array(a.length);
  const bb = new Float64Array(b.length);
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < a.length; i++) ba[i] = a[Math.floor(rng() * a.length)];
    for (let i = 0; i < b.length; i++) bb[i] = b[Math.floor(rng() * b.length)];
    ratios[r] = medianOf(ba) / medianOf(bb);
  }
  ratios.sort((x, y) => x - y);
  const alpha = (1 - level) / 2;
  return { estimate, ciLow: quantileSorted(ratios, alpha), ciHigh: quantileSorted(ratios, 1 - alpha) };
}
