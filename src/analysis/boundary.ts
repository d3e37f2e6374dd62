/**
 * The boundary experiment: does a short copy ending exactly at a page end before a
 * non-present page take a slow path on this CPU? Its variants are the copy probes placed at a
 * page end whose baseline is the same copy placed mid-page (scattered), interleaved in one
 * batch, so their delta is what the page end alone costs.
 */
import type { Boundary, VariantResult } from '../results/schema.js';

/** A page end costing more than this per copy counts as a slow path (the one seen on an
 * Intel Xeon VM cost 80-100 ns per copy; noise between placements is a few ns). */
export const SLOW_PATH_NS = 10;
/** Copies of this many bytes or more were not affected where the slow path was seen. */
const SHORT_COPY_LIMIT = 128;

export function computeBoundary(variants: readonly VariantResult[]): Boundary | null {
  const byId = new Map(variants.map((v) => [v.id, v]));
  const rows = variants.flatMap((v) => {
    const base = v.baseline ? byId.get(v.baseline) : undefined;
    if (v.spec.kind !== 'clone3-probe' || v.spec.placement !== 'page-end' || base?.spec.kind !== 'clone3-probe') return [];
    if (base.spec.placement !== 'scattered' || base.spec.setTidCount !== v.spec.setTidCount) return [];
    const d = v.delta?.summary;
    if (!d) return [];
    const r = v.delta?.relative?.summary;
    return [
      {
        variant: v.id,
        bytes: 4 * v.spec.setTidCount,
        extraNs: { estimate: d.median, ciLow: d.ciLow, ciHigh: d.ciHigh },
        relative: r ? { estimate: r.median, ciLow: r.ciLow, ciHigh: r.ciHigh } : null,
      },
    ];
  });
  const declared = variants.some((v) => v.spec.kind === 'clone3-probe' && v.spec.placement === 'page-end' && v.id.startsWith('copy/boundary'));
  if (rows.length === 0) return declared ? { rows, slowPath: null, thresholdNs: SLOW_PATH_NS, note: 'the boundary variants were not measured (see their skips)' } : null;
  const short = rows.filter((r) => r.bytes < SHORT_COPY_LIMIT);
  const slowPath = short.some((r) => r.extraNs.ciLow > SLOW_PATH_NS) ? 'yes' : short.every((r) => r.extraNs.ciHigh < SLOW_PATH_NS) ? 'no' : 'unclear';
  const worst = short.reduce((a, b) => (b.extraNs.estimate > a.extraNs.estimate ? b : a), short[0] ?? rows[0]);
  const note =
    slowPath === 'yes'
      ? `this CPU takes a slow path for short copies ending at a page end before a non-present page: up to ${worst.extraNs.estimate.toFixed(1)} ns more per copy (${worst.bytes} B)`
      : slowPath === 'no'
        ? `no slow path at a page end on this CPU: every copy under ${SHORT_COPY_LIMIT} B costs less than ${SLOW_PATH_NS} ns more there (largest ${worst.extraNs.estimate.toFixed(1)} ns, ${worst.bytes} B)`
        : `unclear: some interval straddles the ${SLOW_PATH_NS} ns threshold (largest ${worst.extraNs.estimate.toFixed(1)} ns, ${worst.bytes} B)`;
  return { rows, slowPath, thresholdNs: SLOW_PATH_NS, note };
}
