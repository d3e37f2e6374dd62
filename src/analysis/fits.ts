/** The suites' linear models, fitted through their points' paired deltas. */
import type { FitDecl } from '../measure/types.js';
import type { FitResult, VariantResult } from '../results/schema.js';
import { deriveRng, fitModelOverRounds, type ModelFit } from '../stats/index.js';
import { FIT_RESAMPLES } from './summaries.js';

export interface FitOutcome {
  decl: FitDecl;
  result: FitResult;
  /** With bootstrap replicates, for predictions (null when not fitted). */
  model: ModelFit | null;
  /** The same model fitted on the deltas relative to their in-batch baseline probe (delta /
   * baseline ns per call): in units of one baseline probe, which a VM's slow and fast phases
   * leave nearly unchanged (null when not fitted). */
  relative: ModelFit | null;
}

export function computeFit(decl: FitDecl, variants: readonly VariantResult[], seed: number): FitOutcome {
  const byId = new Map(variants.map((v) => [v.id, v]));
  const usable = decl.points.filter((p) => byId.get(p.variant)?.delta?.summary);
  const base = {
    id: decl.id,
    description: decl.description,
    placement: decl.placement,
    predicts: decl.predicts,
    yLabel: decl.yLabel,
    terms: decl.terms,
    points: usable.map((p) => ({ variant: p.variant, x: p.x, medianY: byId.get(p.variant)!.delta!.summary!.median })),
    ciLevel: 0.95,
    resamples: FIT_RESAMPLES,
  };
  const skipped = (why: string): FitOutcome => ({ decl, result: { ...base, coefficients: null, residualNs: null, relative: null, ciMethod: 'not fitted', skip: why }, model: null, relative: null });
  if (usable.length < decl.terms.length) return skipped(`${usable.length} measured point(s) for ${decl.terms.length} terms (filtered out or skipped)`);
  const deltas = usable.map((p) => byId.get(p.variant)!.delta!);
  const workerOfRound = new Map<number, number>();
  for (const d of deltas) d.sampleRounds.forEach((r, i) => workerOfRound.set(r, d.sampleWorkers[i]));
  try {
    const X = usable.map((p) => p.x);
    const model = fitModelOverRounds(X, deltas.map((d) => ({ values: d.samplesNs, rounds: d.sampleRounds })), deriveRng(seed, decl.id), { resamples: FIT_RESAMPLES, workerOfRound });
    const relative = fitModelOverRounds(
      X,
      deltas.map((d) => ({ values: d.samplesNs.map((x, i) => x / d.baselineNsPerIter[i]), rounds: d.sampleRounds })),
      deriveRng(seed, `${decl.id} relative`),
      { resamples: FIT_RESAMPLES, workerOfRound },
    );
    return {
      decl,
      result: {
        ...base,
        coefficients: model.coefficients,
        residualNs: model.residual,
        relative: { coefficients: relative.coefficients, residual: relative.residual },
        ciLevel: model.ciLevel,
        ciMethod: model.ciMethod,
        resamples: model.resamples,
        skip: null,
      },
      model,
      relative,
    };
  } catch (err) {
    if (err instanceof RangeError) return skipped(err.message);
    throw err;
  }
}

export const computeFits = (decls: readonly FitDecl[], variants: readonly VariantResult[], seed: number): FitOutcome[] =>
  decls.map((d) => computeFit(d, variants, seed));
