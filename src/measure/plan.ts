import type { SuiteConfig, SuiteDecl, VariantDecl } from './types.js';

export interface PlanOptions {
  quick: boolean;
  filter: RegExp | null;
  rounds: number | null;
  warmupRounds: number | null;
  targetBatchMs: number | null;
  /** Overrides every suite's worker count (suites limited to 1 stay at 1). */
  workers: number | null;
}

export interface SuitePlan {
  suite: SuiteDecl;
  config: SuiteConfig;
  variants: VariantDecl[];
}

/**
 * Chooses the variants to run: those whose id matches the filter, plus the baseline of each
 * (a delta needs both, measured in the same rounds). Suites left with nothing are dropped.
 */
export function planSuites(suites: readonly SuiteDecl[], opts: PlanOptions): SuitePlan[] {
  const plans: SuitePlan[] = [];
  for (const suite of suites) {
    const byId = new Map(suite.variants.map((v) => [v.id, v]));
    const wanted = new Set<string>();
    for (const v of suite.variants) {
      if (opts.filter && !opts.filter.test(v.id)) continue;
      wanted.add(v.id);
      if (v.baseline) {
        if (!byId.has(v.baseline)) throw new Error(`suite ${suite.name}: ${v.id} names a missing baseline ${v.baseline}`);
        wanted.add(v.baseline);
      }
    }
    if (wanted.size === 0) continue;
    const base = opts.quick ? suite.quick : suite.defaults;
    plans.push({
      suite,
      config: {
        rounds: opts.rounds ?? base.rounds,
        warmupRounds: opts.warmupRounds ?? base.warmupRounds,
        targetBatchMs: opts.targetBatchMs ?? base.targetBatchMs,
        workers: base.workers > 1 ? (opts.workers ?? base.workers) : 1,
      },
      variants: suite.variants.filter((v) => wanted.has(v.id)),
    });
  }
  return plans;
}
