/**
 * Bootstrap intervals for a change between two runs: the ratio or the difference of two medians,
 * each run resampled on its own (two runs share no pairing).
 *
 * Resampling n values and sorting them 2000 times per metric costs seconds for a full run's
 * ~170 metrics. The median of a resample depends only on which sorted positions the middle draws
 * fall on, and that distribution is known exactly (a resample is n uniform draws of a position
 * 0..n-1; K_m, the m-th smallest position drawn, has P(K_m <= k) = P(Binomial(n, (k+1)/n) >= m)).
 * So each bootstrap median is drawn from that exact distribution in O(log n) instead of
 * resampling: the same bootstrap, a thousand times cheaper. For even n the median averages K_m
 * and K_(m+1): given K_m = i, K_(m+1) > i exactly when m draws fell at or below i, and then it is
 * the smallest of the other n - m draws, uniform over i+1..n-1 (drawn in closed form).
 *
 * Samples taken by several worker processes (schema version 2: `sampleWorkers`) are resampled
 * as the analysis resamples them: the workers first, then the rounds within each chosen worker
 * (GroupedMedianBootstrap). A process's placements move all its figures together, so a change
 * between two runs is judged against the spread from one process to the next, not only against
 * the rounds of one process. That draw has no closed form and costs O(n) per replicate.
 */
import { quantileSorted } from 'simple-statistics';
import { medianInPlace } from '../../stats/bootstrap.js';
import { groupIndices } from '../../stats/grouped.js';
import type { Rng } from '../../stats/prng.js';
import { median } from '../../stats/summary.js';
import type { Estimate } from '../view-model/types.js';

function logFactorials(n: number): Float64Array {
  const f = new Float64Array(n + 1);
  for (let k = 2; k <= n; k++) f[k] = f[k - 1] + Math.log(k);
  return f;
}

/** P(Binomial(n, p) >= m), summing pmf terms outward from m until they stop mattering. */
function binomialUpperTail(n: number, p: number, m: number, lf: Float64Array): number {
  if (m <= 0 || p >= 1) return 1;
  if (m > n || p <= 0) return 0;
  const lp = Math.log(p);
  const lq = Math.log1p(-p);
  const logPmf = (k: number) => lf[n] - lf[k] - lf[n - k] + k * lp + (n - k) * lq;
  const mode = Math.floor((n + 1) * p);
  // Sum the side of m that lies away from the mode: its terms shrink monotonically.
  if (mode < m) {
    let sum = 0;
    for (let k = m; k <= n; k++) {
      const t = Math.exp(logPmf(k));
      sum += t;
      if (t < sum * 1e-17) break;
    }
    return Math.min(1, sum);
  }
  let below = 0;
  for (let k = m - 1; k >= 0; k--) {
    const t = Math.exp(logPmf(k));
    below += t;
    if (t < below * 1e-17) break;
  }
  return Math.max(0, 1 - below);
}

/** The exact bootstrap distribution of a sample's median, ready to draw from. */
export class MedianBootstrap implements MedianDraws {
  private readonly sorted: Float64Array;
  /** cdf[k] = P(K_m <= k). */
  private readonly cdf: Float64Array;
  /** For even n: P(K_(m+1) > k | K_m = k). */
  private readonly splitAbove: Float64Array | null;
  private readonly m: number;

  constructor(samples: readonly number[]) {
    const n = samples.length;
    if (n === 0) throw new RangeError('bootstrap of an empty sample');
    this.sorted = Float64Array.from(samples).sort();
    const lf = logFactorials(n);
    // Odd n: the median is the ((n+1)/2)-th smallest; even n: the mean of the (n/2)-th and next.
    this.m = n % 2 ? (n + 1) / 2 : n / 2;
    const m = this.m;
    this.cdf = new Float64Array(n);
    for (let k = 0; k < n; k++) this.cdf[k] = Math.max(k ? this.cdf[k - 1] : 0, binomialUpperTail(n, (k + 1) / n, m, lf));
    this.cdf[n - 1] = 1;
    if (n % 2) {
      this.splitAbove = null;
      return;
    }
    this.splitAbove = new Float64Array(n);
    const logChoose = lf[n] - lf[m] - lf[n - m];
    for (let i = 0; i < n - 1; i++) {
      const pAt = this.cdf[i] - (i ? this.cdf[i - 1] : 0);
      if (pAt <= 0) continue;
      // P(K_m = i and K_(m+1) > i) = C(n,m) ((i+1)^m - i^m) (n-1-i)^(n-m) / n^n
      const logJoint = logChoose + m * Math.log(i + 1) + Math.log1p(-Math.pow(i / (i + 1), m)) + (n - m) * Math.log(n - 1 - i) - n * Math.log(n);
      this.splitAbove[i] = Math.min(1, Math.exp(logJoint) / pAt);
    }
  }

  /** One bootstrap replicate of the median. */
  draw(rng: Rng): number {
    const n = this.sorted.length;
    const u = rng();
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cdf[mid] > u) hi = mid;
      else lo = mid + 1;
    }
    const i = lo;
    if (!this.splitAbove) return this.sorted[i];
    let j = i;
    if (rng() < this.splitAbove[i]) {
      const span = n - 1 - i;
      const v = 1 - Math.pow(1 - rng(), 1 / (n - this.m));
      j = i + 1 + Math.min(span - 1, Math.floor(span * v));
    }
    return (this.sorted[i] + this.sorted[j]) / 2;
  }

  /** P(K_m = k) (for tests). */
  positionProbability(k: number): number {
    return this.cdf[k] - (k ? this.cdf[k - 1] : 0);
  }
}

/** Draws bootstrap replicates of a sample's median. */
export interface MedianDraws {
  draw(rng: Rng): number;
}

/** Two-stage replicates: worker processes with replacement, then rounds within each. */
export class GroupedMedianBootstrap implements MedianDraws {
  /** Each group's values, and a buffer as long as the largest resample can be. */
  private readonly groups: Float64Array[];
  private readonly buf: Float64Array;
  constructor(samples: readonly number[], groups: readonly number[]) {
    if (samples.length === 0) throw new RangeError('bootstrap of an empty sample');
    this.groups = groupIndices(groups, samples.length).map((idx) => Float64Array.from(idx, (i) => samples[i]));
    this.buf = new Float64Array(this.groups.length * Math.max(...this.groups.map((g) => g.length)));
  }
  /** As resampleGrouped (src/stats/grouped.ts): a group with replacement, then as many of its
   * values with replacement as it has, for as many groups as there are. */
  draw(rng: Rng): number {
    const gs = this.groups;
    let k = 0;
    for (let g = 0; g < gs.length; g++) {
      const values = gs[Math.floor(rng() * gs.length)];
      for (let i = 0; i < values.length; i++) this.buf[k++] = values[Math.floor(rng() * values.length)];
    }
    return medianInPlace(this.buf, k);
  }
}

/** The replicates for a series: grouped when it has samples from more than one worker. */
export function medianDraws(samples: readonly number[], groups?: readonly number[]): MedianDraws {
  if (groups && groups.length === samples.length && new Set(groups).size > 1) return new GroupedMedianBootstrap(samples, groups);
  return new MedianBootstrap(samples);
}

export const CHANGE_CI_METHOD =
  'percentile bootstrap, each run resampled on its own (worker processes first, then rounds, where a series came from several; otherwise medians drawn from their exact bootstrap distribution)';

function interval(values: Float64Array, estimate: number, level: number): Estimate {
  const sorted = Array.from(values.sort());
  const alpha = (1 - level) / 2;
  return { estimate, ciLow: quantileSorted(sorted, alpha), ciHigh: quantileSorted(sorted, 1 - alpha) };
}

export interface ChangeOptions {
  resamples?: number;
  level?: number;
  /** The worker process of each sample of a and of b (absent: one process). */
  groupsA?: readonly number[];
  groupsB?: readonly number[];
}

/** median(a) / median(b) with a percentile bootstrap interval. */
export function bootstrapChangeRatio(a: readonly number[], b: readonly number[], rng: Rng, { resamples = 2000, level = 0.95, groupsA, groupsB }: ChangeOptions = {}): Estimate {
  const da = medianDraws(a, groupsA);
  const db = medianDraws(b, groupsB);
  const values = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) values[r] = da.draw(rng) / db.draw(rng);
  return interval(values, median(a) / median(b), level);
}

/** median(a) - median(b) with a percentile bootstrap interval. */
export function bootstrapChangeDifference(a: readonly number[], b: readonly number[], rng: Rng, { resamples = 2000, level = 0.95, groupsA, groupsB }: ChangeOptions = {}): Estimate {
  const da = medianDraws(a, groupsA);
  const db = medianDraws(b, groupsB);
  const values = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) values[r] = da.draw(rng) - db.draw(rng);
  return interval(values, median(a) - median(b), level);
}
