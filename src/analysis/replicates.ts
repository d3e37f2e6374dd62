/** Bootstrap medians per labelled series, drawn once per analysis and shared: a variant's
 * summary interval and every ratio it takes part in use the same replicates. */
import { bootstrapMedians, deriveRng } from '../stats/index.js';

export class Replicates {
  private cache = new Map<string, Float64Array>();
  constructor(
    private readonly seed: number,
    private readonly resamples: number,
  ) {}

  /** The series' bootstrap medians, drawn from the stream named by `label` on first use. */
  of(label: string, samples: readonly number[], groups?: readonly number[]): Float64Array {
    let m = this.cache.get(label);
    if (!m) this.cache.set(label, (m = bootstrapMedians(samples, deriveRng(this.seed, label), this.resamples, groups)));
    return m;
  }
}
