import { mean, quantileSorted, sampleStandardDeviation } from 'simple-statistics';
import { bootstrapMedians, percentileInterval } from './bootstrap.js';
import { groupIndices } from './grouped.js';
import { nextRunInterval, type NextRunInterval } from './next-run.js';
import type { Rng } from './prng.js';

/** How a median's interval was obtained; stored with every summary so a report can say it. */
export const CI_METHOD = 'percentile bootstrap of the median';
export const GROUPED_CI_METHOD = 'percentile bootstrap of the median, resampling worker processes, then rounds within each';

export interface Summary {
  n: number;
  median: number;
  ciLow: number;
  ciHigh: number;
  ciLevel: number;
  ciMethod: string;
  resamples: number;
  min: number;
  max: number;
  p90: number;
  p99: number;
  mean: number;
  sd: number;
  /** sd / mean; null when the mean is 0 (a delta can be centred on 0). */
  cv: number | null;
  /** Worker processes the samples came from (1 when not grouped). */
  groups: number;
  /** Where another run's median should fall (95%), or null with fewer than 2 groups. */
  nextRun: NextRunInterval | null;
}

export interface BootstrapOptions {
  resamples?: number;
  level?: number;
  /** Group label (worker process) of each sample: resample groups, then samples in each. */
  groups?: readonly number[];
  /** Bootstrap medians already drawn for these samples (bootstrapMedians): used as they are. */
  medians?: Float64Array;
}

function medianOfSorted(a: Float64Array): number {
  const n = a.length;
  const h = n >> 1;
  return n % 2 ? a[h] : (a[h - 1] + a[h]) / 2;
}

/** The median of any list of numbers (the input is not modified). */
export function median(values: ArrayLike<number>): number {
  return medianOfSorted(Float64Array.from(values).sort());
}

/** Percentile bootstrap interval of the median: resample with replacement `resamples` times
 * (worker processes first, then rounds within each, where grouped), take the (1-level)/2 and
 * (1+level)/2 quantiles of the resampled medians. */
export function bootstrapMedianCI(
  samples: readonly number[],
  rng: Rng,
  { resamples = 2000, level = 0.95, groups }: BootstrapOptions = {},
): [number, number] {
  return percentileInterval(bootstrapMedians(samples, rng, resamples, groups), level);
}

/** Median with its bootstrap interval, plus the spread figures every variant reports. */
export function summarise(samples: readonly number[], rng: Rng, opts: BootstrapOptions = {}): Summary {
  if (samples.length === 0) throw new RangeError('summary of an empty sample');
  if (samples.some((x) => !Number.isFinite(x))) throw new RangeError('summary of a non-finite sample');
  const resamples = opts.resamples ?? 2000;
  const level = opts.level ?? 0.95;
  const sorted = Float64Array.from(samples).sort();
  const asArray = Array.from(sorted);
  const [ciLow, ciHigh] = opts.medians ? percentileInterval(opts.medians, level) : bootstrapMedianCI(samples, rng, { resamples, level, groups: opts.groups });
  const groups = groupIndices(opts.groups, samples.length).length;
  const m = mean(asArray);
  const sd = samples.length > 1 ? sampleStandardDeviation(asArray) : 0;
  return {
    n: samples.length,
    median: medianOfSorted(sorted),
    ciLow,
    ciHigh,
    ciLevel: level,
    ciMethod: groups > 1 ? GROUPED_CI_METHOD : CI_METHOD,
    resamples: opts.medians?.length ?? resamples,
    min: sorted[0],
    max: sorted[sorted.length - 1],
    p90: quantileSorted(asArray, 0.9),
    p99: quantileSorted(asArray, 0.99),
    mean: m,
    sd,
    cv: m === 0 ? null : sd / Math.abs(m),
    groups,
    nextRun: nextRunInterval(samples, opts.groups, level),
  };
}

/** A series of per-round observations: value i was taken in round rounds[i]. */
export interface RoundSeries {
  values: readonly number[];
  rounds: readonly number[];
}

/** Per-round paired differences probe - baseline, matched by round number (an interrupted run
 * or a worker that stopped mid-round leaves rounds only one side has: they are dropped).
 * Returns the differences and the rounds they belong to, in the probe's order. */
export function pairedDeltas(probe: RoundSeries, baseline: RoundSeries): { values: number[]; rounds: number[] } {
  const base = new Map<number, number>();
  baseline.rounds.forEach((r, i) => base.set(r, baseline.values[i]));
  const values: number[] = [];
  const rounds: number[] = [];
  probe.rounds.forEach((r, i) => {
    const b = base.get(r);
    if (b === undefined) return;
    values.push(probe.values[i] - b);
    rounds.push(r);
  });
  return { values, rounds };
}
