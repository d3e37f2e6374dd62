/** Per-variant summaries: medians with intervals, paired deltas, relative deltas. */
import type { SummaryRecord, VariantResult } from '../results/schema.js';
import { deriveRng, pairedDeltas, summarise } from '../stats/index.js';
import { Replicates } from './replicates.js';

/** Bootstrap sizes: enough for stable 95% percentile bounds, small enough for a 2-core VM. */
export const SUMMARY_RESAMPLES = 2000;
export const FIT_RESAMPLES = 1000;

export function summariseOrNull(samples: readonly number[], seed: number, label: string, groups?: readonly number[], replicates?: Replicates): SummaryRecord | null {
  if (!samples.length) return null;
  return summarise(samples, deriveRng(seed, label), { resamples: SUMMARY_RESAMPLES, groups, medians: replicates?.of(label, samples, groups) });
}

/** Labels of a variant's series, shared by the summaries and the answer's ratios. */
export const seriesLabel = {
  samples: (v: VariantResult) => v.id,
  delta: (v: VariantResult) => `${v.id} - ${v.baseline ?? 'in-batch baseline'}`,
};

type Delta = NonNullable<VariantResult['delta']>;

/** The delta as measured: in the same batch (interleaved, recorded by the runner, also for a
 * copy plan's built-in set_tid = 0 sequence, which has no baseline variant), or else the
 * variant's and its baseline's batches of the same round subtracted. */
function rawDelta(v: VariantResult, byId: ReadonlyMap<string, VariantResult>): Omit<Delta, 'summary' | 'relative'> | null {
  if (v.status !== 'measured') return null;
  if (v.delta?.method === 'interleaved') return v.delta;
  const base = v.baseline ? byId.get(v.baseline) : undefined;
  if (!base || base.status !== 'measured') return null;
  const own = { values: v.samplesNsPerIter, rounds: v.sampleRounds };
  const theirs = { values: base.samplesNsPerIter, rounds: base.sampleRounds };
  const d = pairedDeltas(own, theirs);
  const baseAt = new Map(base.sampleRounds.map((r, i) => [r, base.samplesNsPerIter[i]] as const));
  const workerAt = new Map(v.sampleRounds.map((r, i) => [r, v.sampleWorkers[i]] as const));
  return {
    method: 'rounds',
    samplesNs: d.values,
    baselineNsPerIter: d.rounds.map((r) => baseAt.get(r)!),
    sampleRounds: d.rounds,
    sampleWorkers: d.rounds.map((r) => workerAt.get(r)!),
  };
}

/** New variant records with summary and delta filled; the input is not modified. */
export function summariseVariants(variants: readonly VariantResult[], seed: number, replicates = new Replicates(seed, SUMMARY_RESAMPLES)): VariantResult[] {
  const byId = new Map(variants.map((v) => [v.id, v]));
  return variants.map((v) => {
    if (v.status !== 'measured') return { ...v, summary: null, delta: null };
    const summary = summariseOrNull(v.samplesNsPerIter, seed, seriesLabel.samples(v), v.sampleWorkers, replicates);
    const d = rawDelta(v, byId);
    if (!d || d.samplesNs.length === 0) return { ...v, summary, delta: null };
    const label = seriesLabel.delta(v);
    const keep = d.samplesNs.map((x, i) => Number.isFinite(x / d.baselineNsPerIter[i]));
    const rel = d.samplesNs.map((x, i) => x / d.baselineNsPerIter[i]).filter((_, i) => keep[i]);
    const relGroups = d.sampleWorkers.filter((_, i) => keep[i]);
    return {
      ...v,
      summary,
      delta: {
        ...d,
        summary: summariseOrNull(d.samplesNs, seed, label, d.sampleWorkers, replicates),
        relative: { samples: rel, summary: summariseOrNull(rel, seed, `${label} relative`, relGroups) },
      },
    };
  });
}
