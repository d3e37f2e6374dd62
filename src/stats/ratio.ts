import { bootstrapMedians, percentileInterval } from './bootstrap.js';
import type { Rng } from './prng.js';
import { median } from './summary.js';

export const RATIO_CI_METHOD =
  'percentile bootstrap of median(a) / median(b), a and b resampled independently (worker processes first, then rounds, where grouped)';

export interface RatioEstimate {
  estimate: number;
  ciLow: number;
  ciHigh: number;
}

/** median(a) / median(b) and the interval of the ratio of two independent bootstrap
 * distributions of those medians (from bootstrapMedians, paired element by element). */
export function ratioOfMedians(estimate: number, a: Float64Array, b: Float64Array, level = 0.95): RatioEstimate {
  if (a.length !== b.length) throw new RangeError('bootstrap distributions of different sizes');
  const ratios = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) ratios[i] = a[i] / b[i];
  const [ciLow, ciHigh] = percentileInterval(ratios, level);
  return { estimate, ciLow, ciHigh };
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
  const estimate = median(a) / median(b);
  return ratioOfMedians(estimate, bootstrapMedians(a, rng, resamples, groupsA), bootstrapMedians(b, rng, resamples, groupsB), level);
}
