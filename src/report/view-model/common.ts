/** Small helpers every view-model builder uses. */
import type { Interval, SummaryRecord, VariantResult } from '../../results/schema.js';
import type { Estimate } from './types.js';

export const estimateOf = (s: SummaryRecord | null | undefined): Estimate | null =>
  s ? { estimate: s.median, ciLow: s.ciLow, ciHigh: s.ciHigh } : null;

export const intervalOf = (i: Interval | null | undefined): Estimate | null => (i ? { estimate: i.estimate, ciLow: i.ciLow, ciHigh: i.ciHigh } : null);

export const skipNote = (v: VariantResult): string | null =>
  v.status === 'skipped' || !v.summary ? (v.skip ? `${v.skip.code}: ${v.skip.meaning}` : 'not measured') : null;

/** The set_tid placement of a probe variant, if it has one. */
export const placementOf = (v: VariantResult | undefined): string | null =>
  v && (v.spec.kind === 'clone3-probe' || v.spec.kind === 'copy-plan') ? (v.spec.placement ?? null) : null;
