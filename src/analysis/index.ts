/**
 * The analysis stage: raw records of a run in, derived records out (summaries, paired and
 * relative deltas, model fits, the answer, the boundary verdict), the input untouched. It runs
 * after the measurements, and it can run again on a stored results file (the report does not:
 * it shows what the file holds).
 */
import type { FitDecl } from '../measure/types.js';
import type { ResultsFile } from '../results/schema.js';
import { computeAnswer } from './answer.js';
import { computeBoundary } from './boundary.js';
import { computeFits } from './fits.js';
import { Replicates } from './replicates.js';
import { SUMMARY_RESAMPLES, summariseVariants } from './summaries.js';

export interface AnalysisOptions {
  seed: number;
  /** The model declarations of the suites that ran. */
  fits: readonly FitDecl[];
}

export function analyse(raw: ResultsFile, { seed, fits }: AnalysisOptions): ResultsFile {
  const replicates = new Replicates(seed, SUMMARY_RESAMPLES);
  const variants = summariseVariants(raw.variants, seed, replicates);
  const fitted = computeFits(fits, variants, seed);
  return {
    ...raw,
    variants,
    fits: fitted.map((f) => f.result),
    answer: computeAnswer(variants, fitted, seed, replicates),
    boundary: computeBoundary(variants),
  };
}

export { computeAnswer, versusNoise, answerClones, HEADLINE_PLACEMENT } from './answer.js';
export { computeBoundary, SLOW_PATH_NS } from './boundary.js';
export { computeFit, computeFits, type FitOutcome } from './fits.js';
export { summariseVariants, SUMMARY_RESAMPLES, FIT_RESAMPLES } from './summaries.js';
