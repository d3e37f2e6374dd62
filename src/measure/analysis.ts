import type { FitResult, VariantResult } from '../results/schema.js';
import { deriveRng, fitLineOverRounds, pairedDeltas, summarise, type Summary } from '../stats/index.js';
import type { FitDecl } from './types.js';

/** Bootstrap sizes: enough for stable 95% percentile bounds, small enough for a 2-core VM. */
export const SUMMARY_RESAMPLES = 2000;
export const FIT_RESAMPLES = 1000;

export function summariseOrNull(samples: readonly number[], seed: number, label: string): Summary | null {
  return samples.length ? summarise(samples, deriveRng(seed, label), { resamples: SUMMARY_RESAMPLES }) : null;
}

/** Fills summary and delta of measured variants. Interleaved deltas (recorded by the runner)
 * are kept, also without a baseline variant (a copy plan's set_tid = 0 sequence is built into
 * its executor); otherwise the delta pairs the variant's and its baseline's batches round by round. */
export function summariseVariants(variants: VariantResult[], seed: number): void {
  const byId = new Map(variants.map((v) => [v.id, v]));
  for (const v of variants) {
    v.summary = v.status === 'measured' ? summariseOrNull(v.samplesNsPerIter, seed, v.id) : null;
    const base = v.baseline ? byId.get(v.baseline) : undefined;
    if (v.status !== 'measured' || (!v.baseline && v.delta?.method !== 'interleaved')) v.delta = null;
    else if (v.delta?.method === 'interleaved') {
      /* kept as recorded */
    } else if (base && base.status === 'measured') {
      const samplesNs = pairedDeltas(v.samplesNsPerIter, base.samplesNsPerIter);
      v.delta = { method: 'rounds', samplesNs, baselineNsPerIter: base.samplesNsPerIter.slice(0, samplesNs.length), summary: null, relative: null };
    } else v.delta = null;
    if (v.delta) {
      const label = `${v.id} - ${v.baseline ?? 'in-batch baseline'}`;
      v.delta.summary = summariseOrNull(v.delta.samplesNs, seed, label);
      const base = v.delta.baselineNsPerIter;
      const rel = v.delta.samplesNs.map((d, i) => d / base[i]).filter(Number.isFinite);
      v.delta.relative = { samples: rel, summary: summariseOrNull(rel, seed, `${label} relative`) };
    }
  }
}

/** Fits a line through the paired deltas of the fit's points that were measured. */
export function computeFit(decl: FitDecl, variants: readonly VariantResult[], seed: number): FitResult {
  const byId = new Map(variants.map((v) => [v.id, v]));
  const usable = decl.points.filter((p) => byId.get(p.variant)?.delta?.summary);
  const base = { id: decl.id, description: decl.description, xLabel: decl.xLabel, yLabel: decl.yLabel };
  const points = usable.map((p) => ({ variant: p.variant, x: p.x, medianY: byId.get(p.variant)!.delta!.summary!.median }));
  if (new Set(usable.map((p) => p.x)).size < 2)
    return { ...base, points, fit: null, skip: 'fewer than 2 measured points (filtered out or skipped)' };
  const fit = fitLineOverRounds(
    usable.map((p) => p.x),
    usable.map((p) => byId.get(p.variant)!.delta!.samplesNs),
    deriveRng(seed, decl.id),
    { resamples: FIT_RESAMPLES },
  );
  return { ...base, points, fit, skip: null };
}
