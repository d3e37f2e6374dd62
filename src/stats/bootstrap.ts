/**
 * Bootstrap distributions of a median, computed once and reused: a variant's summary interval
 * and the ratio intervals it takes part in (a plan's cost over eight clone variants) draw on
 * the same replicates. Medians by selection (Hoare's quickselect), not by sorting: thousands of
 * replicates over hundreds of variants must fit in a second or two on two cores.
 */
import { quantileSorted } from 'simple-statistics';
import { groupIndices, resampleGrouped } from './grouped.js';
import type { Rng } from './prng.js';

/** The k-th smallest of buf[0..n) (buf is reordered). */
function select(buf: Float64Array, n: number, k: number): number {
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const pivot = buf[(lo + hi) >> 1];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (buf[i] < pivot) i++;
      while (buf[j] > pivot) j--;
      if (i <= j) {
        const t = buf[i];
        buf[i] = buf[j];
        buf[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return buf[k];
  }
  return buf[k];
}

/** The median of buf[0..n) (buf is reordered). */
export function medianInPlace(buf: Float64Array, n: number): number {
  if (n < 1) throw new RangeError('median of an empty sample');
  const h = n >> 1;
  const upper = select(buf, n, h);
  if (n % 2) return upper;
  // The lower middle is the largest of buf[0..h) once buf[h] is in place.
  let lower = -Infinity;
  for (let i = 0; i < h; i++) if (buf[i] > lower) lower = buf[i];
  return (lower + upper) / 2;
}

/** `resamples` bootstrap medians, in draw order (not sorted: two independent distributions can
 * then be paired element by element for a ratio). With groups: workers first, then rounds. */
export function bootstrapMedians(samples: readonly number[], rng: Rng, resamples: number, groups?: readonly number[]): Float64Array {
  const n = samples.length;
  if (n === 0) throw new RangeError('bootstrap of an empty sample');
  const out = new Float64Array(resamples);
  if (n === 1) return out.fill(samples[0]);
  const index = groupIndices(groups, n);
  const picks: number[] = new Array(n * 2);
  let buf = new Float64Array(n * 2);
  for (let b = 0; b < resamples; b++) {
    const k = resampleGrouped(index, rng, picks);
    if (k > buf.length) buf = new Float64Array(k);
    for (let i = 0; i < k; i++) buf[i] = samples[picks[i]];
    out[b] = medianInPlace(buf, k);
  }
  return out;
}

/** The central `level` interval of a distribution (percentile method). */
export function percentileInterval(values: ArrayLike<number>, level: number): [number, number] {
  // A typed array sorts numerically without a comparator call per step.
  const sorted = Float64Array.from(values).sort() as unknown as number[];
  const alpha = (1 - level) / 2;
  return [quantileSorted(sorted, alpha), quantileSorted(sorted, 1 - alpha)];
}
