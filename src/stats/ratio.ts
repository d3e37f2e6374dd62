import { percentileInterval } from './bootstrap.js';

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
