import { median } from 'simple-statistics';
import { percentileInterval } from './bootstrap.js';
import { groupIndices, resampleGrouped } from './grouped.js';
import type { Rng } from './prng.js';
import type { RoundSeries } from './summary.js';

export interface Estimate {
  estimate: number;
  ciLow: number;
  ciHigh: number;
}

export const FIT_CI_METHOD =
  'least squares on per-point medians; percentile bootstrap over worker processes, then rounds within each (a round resampled whole, keeping the pairing across points)';

/**
 * Ordinary least squares y ~ X b by the normal equations (X'X) b = X'y, solved by Gaussian
 * elimination with partial pivoting. The models here have two or three terms and a dozen
 * points, so the normal equations are well within double precision; a matrix library would
 * add a dependency for a 3x3 solve. Throws RangeError when the terms are not independent
 * (e.g. every point has the same byte count).
 */
export function solveLeastSquares(X: readonly (readonly number[])[], y: readonly number[]): number[] {
  const n = X.length;
  const k = X[0]?.length ?? 0;
  if (n !== y.length || n < k || k === 0) throw new RangeError(`least squares needs at least ${Math.max(k, 1)} points for ${k} terms, got ${n}`);
  // Augmented normal equations [X'X | X'y].
  const a = Array.from({ length: k }, (_, i) => {
    const row = new Array<number>(k + 1).fill(0);
    for (let j = 0; j < k; j++) for (let p = 0; p < n; p++) row[j] += X[p][i] * X[p][j];
    for (let p = 0; p < n; p++) row[k] += X[p][i] * y[p];
    return row;
  });
  const scale = Math.max(...a.map((r) => Math.max(...r.slice(0, k).map(Math.abs))), 1e-300);
  for (let c = 0; c < k; c++) {
    let pivot = c;
    for (let r = c + 1; r < k; r++) if (Math.abs(a[r][c]) > Math.abs(a[pivot][c])) pivot = r;
    if (Math.abs(a[pivot][c]) <= scale * 1e-12) throw new RangeError('least squares: the terms are not independent over these points');
    [a[c], a[pivot]] = [a[pivot], a[c]];
    for (let r = 0; r < k; r++) {
      if (r === c) continue;
      const f = a[r][c] / a[c][c];
      for (let j = c; j <= k; j++) a[r][j] -= f * a[c][j];
    }
  }
  return a.map((row, i) => row[k] / row[i]);
}


export interface ModelFit {
  /** One per term, in the order of the design rows. */
  coefficients: Estimate[];
  ciLevel: number;
  ciMethod: string;
  resamples: number;
  /** Rounds every point has (an interrupted run fits on those). */
  rounds: number;
  /** Bootstrap replicates of the coefficient vector, for predictions with an interval. */
  replicates: number[][];
  /** Standard error of the points' medians about the fitted model, sqrt(SSR / (n - k)) (0
   * when the points determine it exactly): how far the model misses its own points, which
   * no resampling of rounds can show. */
  residual: number;
  /** Points fitted (n). */
  points: number;
}

export interface FitOptions {
  resamples?: number;
  level?: number;
  /** The worker process each round was taken in (round number -> worker); absent: one. */
  workerOfRound?: ReadonlyMap<number, number>;
}

/**
 * Fits y = X b where point j has design row X[j] and one series of per-round observations.
 * The point estimate fits the per-point medians; the interval resamples workers, then rounds
 * within each worker, each round whole (all points of that round together), which keeps in the
 * interval the correlation between points of one round (drift hits them alike) and the spread
 * between processes.
 */
export function fitModelOverRounds(
  X: readonly (readonly number[])[],
  series: readonly RoundSeries[],
  rng: Rng,
  { resamples = 1000, level = 0.95, workerOfRound }: FitOptions = {},
): ModelFit {
  if (X.length !== series.length) throw new RangeError('one series per design row');
  // Rounds every point has, and each point's value in them.
  const maps = series.map((s) => new Map(s.rounds.map((r, i) => [r, s.values[i]] as const)));
  const rounds = [...maps[0].keys()].filter((r) => maps.every((m) => m.has(r))).sort((a, b) => a - b);
  if (rounds.length < 1) throw new RangeError('fit needs at least one round that every point has');
  const table = maps.map((m) => rounds.map((r) => m.get(r)!));
  const medians = table.map((col) => median(col));
  const point = solveLeastSquares(X, medians);
  const ssr = medians.reduce((sum, y, j) => sum + (y - X[j].reduce((acc, x, t) => acc + x * point[t], 0)) ** 2, 0);
  const residual = X.length > point.length ? Math.sqrt(ssr / (X.length - point.length)) : 0;
  const index = groupIndices(workerOfRound ? rounds.map((r) => workerOfRound.get(r) ?? 0) : undefined, rounds.length);
  const picks: number[] = new Array(rounds.length * 2);
  const replicates: number[][] = [];
  for (let b = 0; b < resamples; b++) {
    const k = resampleGrouped(index, rng, picks);
    const ys = table.map((col) => {
      const tmp = new Float64Array(k);
      for (let i = 0; i < k; i++) tmp[i] = col[picks[i]];
      tmp.sort();
      return k % 2 ? tmp[k >> 1] : (tmp[k / 2 - 1] + tmp[k / 2]) / 2;
    });
    replicates.push(solveLeastSquares(X, ys));
  }
  return {
    coefficients: point.map((estimate, t) => {
      const [ciLow, ciHigh] = percentileInterval(replicates.map((r) => r[t]), level);
      return { estimate, ciLow, ciHigh };
    }),
    ciLevel: level,
    ciMethod: FIT_CI_METHOD,
    resamples,
    rounds: rounds.length,
    replicates,
    residual,
    points: X.length,
  };
}


/** Student's t, two-sided 95% (0.975 quantile), by degrees of freedom 1..30; the normal
 * quantile beyond. A table: the fits here have a handful of degrees of freedom, and a
 * statistics library for one quantile would be a dependency for a lookup. */
const T_975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086,
  2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];
export const t975 = (df: number): number => (df < 1 ? Infinity : df <= T_975.length ? T_975[df - 1] : 1.96);

/**
 * The model's value at design row x, with a 95% prediction interval: the spread of the
 * coefficients' bootstrap replicates at x (where the mean line may be) combined, root sum of
 * squares, with `copies` times t(0.975, n - k) times the fit's residual (where one copy may fall
 * about that line; a plan of several copies can miss by that much for each, so they add).
 */
export function predict(fit: ModelFit, x: readonly number[], copies = 0): Estimate {
  const at = (b: readonly number[]) => b.reduce((sum, c, t) => sum + c * x[t], 0);
  const estimate = at(fit.coefficients.map((c) => c.estimate));
  const [ciLow, ciHigh] = percentileInterval(fit.replicates.map(at), fit.ciLevel);
  const ci = { ciLow, ciHigh };
  const scatter = copies * t975(fit.points - fit.coefficients.length) * fit.residual;
  if (!scatter || !Number.isFinite(scatter)) return { estimate, ...ci };
  return {
    estimate,
    ciLow: estimate - Math.hypot(estimate - ci.ciLow, scatter),
    ciHigh: estimate + Math.hypot(ci.ciHigh - estimate, scatter),
  };
}
