import type { Placement } from '../encode/placement.js';
import type { VariantSpec } from '../results/schema.js';

export type { VariantSpec };

/** One thing to measure. `baseline` names the variant of the same suite subtracted from it
 * (paired delta: in the same batch for clone3 probes and pids, round by round otherwise). */
export interface VariantDecl {
  id: string;
  description: string;
  spec: VariantSpec;
  baseline?: string;
}

/** A linear model y = sum(c_t * x_t) fitted through the paired-delta medians of some variants
 * (e.g. copy cost = c_call + c_byte * bytes + c_page * extra pages). */
export interface FitDecl {
  id: string;
  description: string;
  /** The set_tid placement whose copies it models (null for other fits). */
  placement: Placement | null;
  /** The placements whose copy plans it predicts in the answer (terms named call, byte and
   * page are the plan's probes, probe bytes and page touches). */
  predicts: Placement[];
  yLabel: string;
  terms: Array<{ name: string; label: string; unit: string }>;
  /** Each point: a variant and its design row (one value per term). */
  points: Array<{ variant: string; x: number[] }>;
}

export interface SuiteConfig {
  rounds: number;
  warmupRounds: number;
  /** Wall time one batch should take; iterations per batch are calibrated to it. */
  targetBatchMs: number;
  /** Worker processes the rounds are shared between, one after the other, each with fresh
   * memory placements (1: the main process). Only probe suites may use several: clone and
   * pids variants need the main process's helpers. */
  workers: number;
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
