import { mean, quantileSorted, sampleStandardDeviation } from 'simple-statistics';
import type { Rng } from './prng.js';

/** How a median's interval was obtained; stored with every summary so a report can say it. */
export const CI_METHOD = 'percentile bootstrap of the median';

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
}

export interface BootstrapOptions {
  resamples?: number;
  level?: number;
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

/** Percentile bootstrap interval of the median: resample with replacement `resamples` times,
 * take the (1-level)/2 and (1+level)/2 quantiles of the resampled medians. */
export function bootstrapMedianCI(
  samples: readonly number[],
  rng: Rng,
  { resamples = 2000, level = 0.95 }: BootstrapOptions = {},
): [number, number] {
  const n = samples.length;
  if (n === 0) throw new RangeError('bootstrap of an empty sample');
  if (n === 1) return [samples[0], samples[0]];
  const medians: number[] = new Array(resamples);
  const buf = new Float64Array(n);
  for (let b = 0; b < resamples; b++) {
    for (let i = 0; i < n; i++) buf[i] = samples[Math.floor(rng() * n)];
    buf.sort();
    medians[b] = medianOfSorted(buf);
  }
  medians.sort((x, y) => x - y);
  const alpha = (1 - level) / 2;
  return [quantileSorted(medians, alpha), quantileSorted(medians, 1 - alpha)];
}

/** Median with its bootstrap interval, plus the spread figures every variant reports. */
export function summarise(samples: readonly number[], rng: Rng, opts: BootstrapOptions = {}): Summary {
  if (samples.length === 0) throw new RangeError('summary of an empty sample');
  if (samples.some((x) => !Number.isFinite(x))) throw new RangeError('summary of a non-finite sample');
  const resamples = opts.resamples ?? 2000;
  const level = opts.level ?? 0.95;
  const sorted = Float64Array.from(samples).sort();
  const asArray = Array.from(sorted);
  const [ciLow, ciHigh] = bootstrapMedianCI(samples, rng, { resamples, level });
  const m = mean(asArray);
  const sd = samples.length > 1 ? sampleStandardDeviation(asArray) : 0;
  return {
    n: samples.length,
    median: medianOfSorted(sorted),
    ciLow,
    ciHigh,
    ciLevel: level,
    ciMethod: CI_METHOD,
    resamples,
    min: sorted[0],
    max: sorted[sorted.length - 1],
    p90: quantileSorted(asArray, 0.9),
    p99: quantileSorted(asArray, 0.99),
    mean: m,
    sd,
    cv: m === 0 ? null : sd / Math.abs(m),
  };
}

/** Per-round paired differences probe[i] - baseline[i]; rounds beyond the shorter series
 * (an interrupted run) are dropped. */
export function pairedDeltas(probe: readonly number[], baseline: readonly number[]): number[] {
  const n = Math.min(probe.length, baseline.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) out[i] = probe[i] - baseline[i];
  return out;
}
