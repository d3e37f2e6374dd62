import { linearRegression, median, quantileSorted } from 'simple-statistics';
import type { Rng } from './prng.js';

export interface Estimate {
  estimate: number;
  ciLow: number;
  ciHigh: number;
}

export interface LineFit {
  /** y = intercept + slope * x, least squares over the per-x medians. */
  intercept: Estimate;
  slope: Estimate;
  ciLevel: number;
  ciMethod: string;
  resamples: number;
  /** Rounds used (the shortest series when a run was interrupted). */
  rounds: number;
}

export const FIT_CI_METHOD =
  'least squares on per-point medians; percentile bootstrap over rounds (each round resampled whole, keeping the pairing across points)';

/** Ordinary least squares on (x, y) points. */
export function leastSquares(xs: readonly number[], ys: readonly number[]): { intercept: number; slope: number } {
  if (xs.length !== ys.length || xs.length < 2) throw new RangeError('least squares needs at least 2 points of (x, y)');
  if (new Set(xs).size < 2) throw new RangeError('least squares needs at least 2 distinct x');
  const { m, b } = linearRegression(xs.map((x, i) => [x, ys[i]]));
  return { intercept: b, slope: m };
}

/**
 * Fits y = a + b x where each x has one series of per-round observations (series[j][r] is the
 * observation at xs[j] in round r). The point estimate fits the medians; the interval comes
 * from resampling whole rounds, which keeps the correlation between points of the same round
 * (drift hits them alike) in the interval.
 */
export function fitLineOverRounds(
  xs: readonly number[],
  series: readonly (readonly number[])[],
  rng: Rng,
  { resamples = 1000, level = 0.95 }: { resamples?: number; level?: number } = {},
): LineFit {
  if (xs.length !== series.length) throw new RangeError('one series per x');
  const rounds = Math.min(...series.map((s) => s.length));
  if (rounds < 1) throw new RangeError('fit needs at least one round');
  const point = leastSquares(xs, series.map((s) => median(s.slice(0, rounds))));
  const intercepts: number[] = [];
  const slopes: number[] = [];
  const idx = new Array<number>(rounds);
  const tmp = new Float64Array(rounds);
  for (let b = 0; b < resamples; b++) {
    for (let r = 0; r < rounds; r++) idx[r] = Math.floor(rng() * rounds);
    const ys = series.map((s) => {
      for (let r = 0; r < rounds; r++) tmp[r] = s[idx[r]];
      tmp.sort();
      return rounds % 2 ? tmp[rounds >> 1] : (tmp[rounds / 2 - 1] + tmp[rounds / 2]) / 2;
    });
    const f = leastSquares(xs, ys);
    intercepts.push(f.intercept);
    slopes.push(f.slope);
  }
  intercepts.sort((p, q) => p - q);
  slopes.sort((p, q) => p - q);
  const alpha = (1 - level) / 2;
  const est = (value: number, dist: number[]): Estimate => ({
    estimate: value,
    ciLow: quantileSorted(dist, alpha),
    ciHigh: quantileSorted(dist, 1 - alpha),
  });
  return {
    intercept: est(point.intercept, intercepts),
    slope: est(point.slope, slopes),
    ciLevel: level,
    ciMethod: FIT_CI_METHOD,
    resamples,
    rounds,
  };
}
