/**
 * The answer to the RFC's question, per interface, request and placement: the plan's measured
 * copy cost, what the placement's copy model predicts for the probes it ran (calls, bytes,
 * extra pages), whether the two agree, and the cost as a share of every clone variant of the
 * same run, with whether it even rises above that clone's own noise. Clone variants are found
 * by what they are (spec kind clone, via legacy clone), not by id.
 */
import type { Placement } from '../encode/placement.js';
import type { Answer, AnswerClone, AnswerRow, Interval, OverheadRecord, VariantResult } from '../results/schema.js';
import { median, predict, RATIO_CI_METHOD, ratioOfMedians } from '../stats/index.js';
import type { FitOutcome } from './fits.js';
import { Replicates } from './replicates.js';
import { seriesLabel, SUMMARY_RESAMPLES } from './summaries.js';

/** The placement that answers the question: where a caller's arguments are. */
export const HEADLINE_PLACEMENT: Placement = 'co-located';

type Status = AnswerRow['status'];
const SHAPES = ['thread', 'vfork', 'fork', 'newpid'] as const;
const WHERE = ['node', 'helper'] as const;

function statusOf(v: VariantResult): Status {
  if (v.status === 'measured' && v.delta?.summary) return 'measured';
  if (v.skip?.code === 'EMPTY_PLAN') return 'zero';
  if (v.skip?.code === 'REFUSED') return 'refused';
  return 'skipped';
}

/** Plan cost's interval against clone's noise (half-width of its median's interval). */
export function versusNoise(cost: { ciLow: number; ciHigh: number }, noiseNs: number): OverheadRecord['versusNoise'] {
  if (cost.ciHigh < noiseNs) return 'below';
  if (cost.ciLow > noiseNs) return 'above';
  return 'overlaps';
}

const overlaps = (a: Interval, b: Interval) => a.ciLow <= b.ciHigh && b.ciLow <= a.ciHigh;

/** The clone variants of the run: legacy clone (what clone() costs), every shape, each parent. */
export function answerClones(variants: readonly VariantResult[]): Array<AnswerClone & { result: VariantResult | null }> {
  const out: Array<AnswerClone & { result: VariantResult | null }> = [];
  for (const where of WHERE)
    for (const shape of SHAPES) {
      const v = variants.find((x) => x.spec.kind === 'clone' && x.spec.via === 'legacy' && x.spec.shape === shape && x.spec.where === where);
      if (!v) continue;
      const s = v.status === 'measured' ? v.summary : null;
      out.push({
        variant: v.id,
        shape,
        via: 'legacy',
        where,
        median: s?.median ?? null,
        ciLow: s?.ciLow ?? null,
        ciHigh: s?.ciHigh ?? null,
        noiseNs: s ? (s.ciHigh - s.ciLow) / 2 : null,
        result: v,
      });
    }
  return out;
}

function overhead(row: { status: Status; costNs: Interval | null }, v: VariantResult, clone: AnswerClone & { result: VariantResult | null }, replicates: Replicates): OverheadRecord {
  const base = { clone: clone.variant, ciMethod: RATIO_CI_METHOD };
  const c = clone.result;
  if (!c?.summary || c.status !== 'measured' || clone.noiseNs === null)
    return { ...base, ratio: null, versusNoise: null, skip: `${clone.variant} was not measured in this run` };
  if (row.status === 'zero') return { ...base, ratio: { estimate: 0, ciLow: 0, ciHigh: 0 }, versusNoise: 'below', skip: null };
  if (row.status !== 'measured' || !row.costNs || !v.delta) return { ...base, ratio: null, versusNoise: null, skip: 'no plan cost for this request' };
  const ratio = ratioOfMedians(
    row.costNs.estimate / clone.median!,
    replicates.of(seriesLabel.delta(v), v.delta.samplesNs, v.delta.sampleWorkers),
    replicates.of(seriesLabel.samples(c), c.samplesNsPerIter, c.sampleWorkers),
  );
  return { ...base, ratio, versusNoise: versusNoise(row.costNs, clone.noiseNs), skip: null };
}

type ModelPart = Pick<AnswerRow, 'model' | 'modelRelative' | 'modelNote'>;

/**
 * The model's prediction for a plan: each term's x from the plan (call = probes, byte = the
 * bytes the probes copy, page = extra pages touched). It is made with the relative model (in
 * units of one baseline probe), so it holds whatever speed the VM ran at when the plan was
 * measured: a VM that slows down between the copy suite and the proposals suite moves every ns
 * figure of the plan and of its baseline alike. In ns it is shown at the plan's own speed:
 * times the plan's in-batch baseline per probe.
 */
function model(v: VariantResult, placement: Placement, fits: readonly FitOutcome[]): ModelPart {
  const none = (modelNote: string): ModelPart => ({ model: null, modelRelative: null, modelNote });
  const fit = fits.find((f) => f.decl.predicts.includes(placement));
  if (!fit) return none(`no ${placement} copy model in this run (the copy suite did not run)`);
  if (!fit.model || !fit.relative) return none(`${fit.decl.id} not fitted: ${fit.result.skip}`);
  const plan = v.copyPlan;
  if (!plan || !v.delta || plan.probes < 1) return none('no plan');
  const xs: Record<string, number> = { call: plan.probes, byte: plan.probeBytes, page: plan.pageTouches };
  const unknown = fit.decl.terms.find((t) => !(t.name in xs));
  if (unknown) return none(`${fit.decl.id} has a term "${unknown.name}" a plan has no value for`);
  // Sum over the plan's probes, in baseline probes.
  const units = predict(fit.relative, fit.decl.terms.map((t) => xs[t.name]), plan.probes);
  const perProbe = median(v.delta.baselineNsPerIter) / plan.probes;
  const scale = (k: number) => ({ estimate: units.estimate * k, ciLow: units.ciLow * k, ciHigh: units.ciHigh * k });
  return {
    model: { ...scale(perProbe), fit: fit.decl.id },
    // The plan's relative cost is its delta over its whole baseline (plan.probes probes).
    modelRelative: scale(1 / plan.probes),
    modelNote: modelFits(fit) ? null : misfit(fit),
  };
}

/**
 * Does the model describe its own points? Its prediction interval grows with its residual, so a
 * model that misses its points (a cost that is not linear in bytes, as the slow path some CPUs
 * take at a page end) would "agree" with every plan by being vague. Such a model is reported
 * as not holding: its rows disagree, with the reason. The bar: the residual above MISFIT_NS and
 * above MISFIT_SHARE of the per-copy term.
 */
export const MISFIT_NS = 2;
export const MISFIT_SHARE = 0.05;
export function modelFits(fit: FitOutcome): boolean {
  if (!fit.model) return false;
  const perCall = fit.decl.terms.findIndex((t) => t.name === 'call');
  const scale = perCall >= 0 ? Math.abs(fit.model.coefficients[perCall].estimate) : 0;
  return fit.model.residual <= Math.max(MISFIT_NS, MISFIT_SHARE * scale);
}
const misfit = (fit: FitOutcome) =>
  `${fit.decl.id} misses its own points by ${fit.model!.residual.toFixed(1)} ns (residual): copy cost at ${fit.decl.predicts.join(' and ')} is not linear in bytes here, so no plan is judged to agree with it`;

/** One row per copy-plan variant, in the order they were declared; null when none ran. */
export function computeAnswer(
  variants: readonly VariantResult[],
  fits: readonly FitOutcome[],
  seed: number,
  replicates = new Replicates(seed, SUMMARY_RESAMPLES),
): Answer | null {
  const plans = variants.filter((v) => v.spec.kind === 'copy-plan');
  if (plans.length === 0) return null;
  const clones = answerClones(variants);
  const rows = plans.map((v): AnswerRow => {
    if (v.spec.kind !== 'copy-plan') throw new Error('unreachable');
    const status = statusOf(v);
    const d = v.delta?.summary;
    const costNs: Interval | null =
      status === 'measured' ? { estimate: d!.median, ciLow: d!.ciLow, ciHigh: d!.ciHigh } : status === 'zero' ? { estimate: 0, ciLow: 0, ciHigh: 0 } : null;
    const rel = v.delta?.relative?.summary;
    const m: ModelPart = status === 'measured' ? model(v, v.spec.placement, fits) : { model: null, modelRelative: null, modelNote: null };
    const relative: Interval | null = status === 'measured' && rel ? { estimate: rel.median, ciLow: rel.ciLow, ciHigh: rel.ciHigh } : null;
    return {
      variant: v.id,
      proposal: v.spec.proposal,
      levels: v.spec.levels,
      placement: v.spec.placement,
      status,
      copies: v.copyPlan?.copies ?? null,
      bytes: v.copyPlan?.bytes ?? null,
      probes: v.copyPlan?.probes ?? null,
      probeBytes: v.copyPlan?.probeBytes ?? null,
      pageTouches: v.copyPlan?.pageTouches ?? null,
      costNs,
      relative,
      ...m,
      agrees: relative && m.modelRelative ? !m.modelNote && overlaps(relative, m.modelRelative) : null,
      overheads: clones.map((c) => overhead({ status, costNs }, v, c, replicates)),
      // A refusal's message names the interface and the limit already.
      reason: status === 'measured' || !v.skip ? null : status === 'refused' ? v.skip.meaning : `${v.skip.code}: ${v.skip.meaning} (${v.skip.detail})`,
    };
  });
  return { headlinePlacement: HEADLINE_PLACEMENT, clones: clones.map(({ result: _unused, ...c }) => c), rows };
}
