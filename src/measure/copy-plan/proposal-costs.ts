/**
 * The answer to the RFC's question, per interface and request: the plan's measured copy cost,
 * the model (calls x c0 + bytes x c1 from the copy suite's set_tid fit of the same run), and the
 * cost as a share of clone itself (clone variants of the same run), with intervals, and whether
 * the copy cost even rises above clone's own noise.
 */
import type { FitResult, OverheadRecord, ProposalCostRow, ProposalCosts, VariantResult } from '../../results/schema.js';
import { bootstrapMedianRatio, deriveRng, RATIO_CI_METHOD } from '../../stats/index.js';
import { SUMMARY_RESAMPLES } from '../analysis.js';

/** Clone variants the overhead is taken against. Thread-like is the cheapest clone (the worst
 * case for the question); fork from a small process is what most callers pay. */
export const OVERHEAD_REFERENCES = [
  { variant: 'clone/node/thread-clone3', role: 'thread-like clone3 from Node (cheapest clone)' },
  { variant: 'clone/helper/fork-legacy', role: 'fork from the small C helper' },
] as const;

export const SET_TID_FIT = 'copy/set_tid-fit';

type Status = ProposalCostRow['status'];

function statusOf(v: VariantResult): Status {
  if (v.status === 'measured' && v.delta?.summary) return 'measured';
  if (v.skip?.code === 'EMPTY_PLAN') return 'zero';
  if (v.skip?.code === 'REFUSED') return 'refused';
  return 'skipped';
}

/** Plan cost's interval against the half-width of clone's median interval. */
export function versusNoise(cost: { ciLow: number; ciHigh: number }, noiseNs: number): OverheadRecord['versusNoise'] {
  if (cost.ciHigh < noiseNs) return 'below';
  if (cost.ciLow > noiseNs) return 'above';
  return 'overlaps';
}

function overhead(row: { status: Status; variant: string; costNs: ProposalCostRow['costNs'] }, v: VariantResult, clone: VariantResult | undefined, cloneId: string, seed: number): OverheadRecord {
  const base = { clone: cloneId, ciMethod: RATIO_CI_METHOD };
  if (!clone?.summary || clone.status !== 'measured')
    return { ...base, ratio: null, cloneNoiseNs: null, versusNoise: null, skip: `${cloneId} was not measured in this run` };
  const noise = (clone.summary.ciHigh - clone.summary.ciLow) / 2;
  if (row.status === 'zero') return { ...base, ratio: { estimate: 0, ciLow: 0, ciHigh: 0 }, cloneNoiseNs: noise, versusNoise: 'below', skip: null };
  if (row.status !== 'measured' || !row.costNs || !v.delta)
    return { ...base, ratio: null, cloneNoiseNs: noise, versusNoise: null, skip: 'no plan cost for this request' };
  const ratio = bootstrapMedianRatio(v.delta.samplesNs, clone.samplesNsPerIter, deriveRng(seed, `${v.id} / ${cloneId}`), { resamples: SUMMARY_RESAMPLES });
  return { ...base, ratio, cloneNoiseNs: noise, versusNoise: versusNoise(row.costNs, noise), skip: null };
}

function model(v: VariantResult, fit: FitResult | undefined): { modelNs: number | null; modelNote: string | null } {
  if (!fit) return { modelNs: null, modelNote: 'no fit in this run' };
  if (!fit.fit) return { modelNs: null, modelNote: `${fit.id} not fitted: ${fit.skip}` };
  if (!v.copyPlan) return { modelNs: null, modelNote: 'no plan' };
  return { modelNs: v.copyPlan.copies * fit.fit.intercept.estimate + v.copyPlan.bytes * fit.fit.slope.estimate, modelNote: null };
}

/** One row per copy-plan variant, in the order they were declared; null when none ran. */
export function computeProposalCosts(variants: readonly VariantResult[], fits: readonly FitResult[], seed: number): ProposalCosts | null {
  const plans = variants.filter((v) => v.spec.kind === 'copy-plan');
  if (plans.length === 0) return null;
  const byId = new Map(variants.map((v) => [v.id, v]));
  const fit = fits.find((f) => f.id === SET_TID_FIT);
  const rows = plans.map((v): ProposalCostRow => {
    if (v.spec.kind !== 'copy-plan') throw new Error('unreachable');
    const status = statusOf(v);
    const costNs =
      status === 'measured'
        ? { estimate: v.delta!.summary!.median, ciLow: v.delta!.summary!.ciLow, ciHigh: v.delta!.summary!.ciHigh }
        : status === 'zero'
          ? { estimate: 0, ciLow: 0, ciHigh: 0 }
          : null;
    const row = { status, variant: v.id, costNs };
    return {
      variant: v.id,
      proposal: v.spec.proposal,
      levels: v.spec.levels,
      status,
      copies: v.copyPlan?.copies ?? null,
      bytes: v.copyPlan?.bytes ?? null,
      probes: v.copyPlan?.probes ?? null,
      costNs,
      ...model(v, fit),
      overheads: OVERHEAD_REFERENCES.map((r) => overhead(row, v, byId.get(r.variant), r.variant, seed)),
      // A refusal's message names the interface and the limit already.
      reason: status === 'measured' || !v.skip ? null : status === 'refused' ? v.skip.meaning : `${v.skip.code}: ${v.skip.meaning}`,
    };
  });
  return {
    fit: fit?.fit ? { id: fit.id, c0: fit.fit.intercept.estimate, c1: fit.fit.slope.estimate } : null,
    clones: OVERHEAD_REFERENCES.map((r) => {
      const s = byId.get(r.variant)?.summary ?? null;
      return { variant: r.variant, role: r.role, median: s?.median ?? null, ciLow: s?.ciLow ?? null, ciHigh: s?.ciHigh ?? null };
    }),
    rows,
  };
}
