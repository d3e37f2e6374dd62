/**
 * Two-stage resampling for samples taken by several worker processes: first the workers (with
 * replacement), then the samples of each chosen worker (with replacement). A process's own
 * placement of pages, code and kernel stack moves every figure it takes by a few percent, so
 * samples are not independent across processes; resampling rounds alone gives an interval that
 * describes one process and understates the spread of the next run. With one group this is the
 * ordinary bootstrap.
 */
import type { Rng } from './prng.js';

/** Sample indices per group, groups in order of first appearance. */
export function groupIndices(groups: readonly number[] | undefined, n: number): number[][] {
  if (!groups) return [Array.from({ length: n }, (_, i) => i)];
  if (groups.length !== n) throw new RangeError(`${groups.length} group labels for ${n} samples`);
  const byGroup = new Map<number, number[]>();
  groups.forEach((g, i) => {
    let list = byGroup.get(g);
    if (!list) byGroup.set(g, (list = []));
    list.push(i);
  });
  return [...byGroup.values()];
}

/** Fills `out` (length = total samples) with one two-stage resample of indices; returns how
 * many it wrote (the chosen groups' sizes add up to a different total than the original). */
export function resampleGrouped(index: readonly number[][], rng: Rng, out: number[]): number {
  let k = 0;
  for (let g = 0; g < index.length; g++) {
    const members = index[Math.floor(rng() * index.length)];
    for (let i = 0; i < members.length; i++) out[k++] = members[Math.floor(rng() * members.length)];
  }
  return k;
}
