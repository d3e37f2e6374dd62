import type { VariantSpec } from '../results/schema.js';

export type { VariantSpec };

/** One thing to measure. `baseline` names the variant of the same suite subtracted from it
 * round by round (paired delta). */
export interface VariantDecl {
  id: string;
  description: string;
  spec: VariantSpec;
  baseline?: string;
}

/** A straight line fitted through the paired deltas of some variants: y = a + b x. */
export interface FitDecl {
  id: string;
  description: string;
  xLabel: string;
  yLabel: string;
  points: Array<{ variant: string; x: number }>;
}

export interface SuiteConfig {
  rounds: number;
  warmupRounds: number;
  /** Wall time one batch should take; iterations per batch are calibrated to it. */
  targetBatchMs: number;
}

/** A suite is data: its variants, fits and how long to run in the default and quick modes. */
export interface SuiteDecl {
  name: string;
  description: string;
  defaults: SuiteConfig;
  quick: SuiteConfig;
  variants: VariantDecl[];
  fits: FitDecl[];
}
