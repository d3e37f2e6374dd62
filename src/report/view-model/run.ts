/** One results file (schema version 1) -> RunView. The only reader of the file's shape, with
 * `environment.ts`, `declarations.ts` and `metrics.ts` beside it. */
import type { ResultsFile, SummaryRecord, VariantResult } from '../../results/schema.js';
import { buildDeclarations } from './declarations.js';
import { environmentView, runLabel } from './environment.js';
import { keyFigures } from './key-figures.js';
import { FLOOR_LABELS, PID_METHOD_LABELS, SHAPE_LABELS, VIA_LABELS, WHERE_LABELS, label, requestName } from './labels.js';
import type {
  AnswerClone,
  AnswerView,
  CloneRow,
  CopyPlanView,
  CopyView,
  Estimate,
  FloorRow,
  MethodView,
  PidsRow,
  PlanRequest,
  RunView,
  SkipView,
} from './types.js';

export const estimateOf = (s: SummaryRecord | null | undefined): Estimate | null =>
  s ? { estimate: s.median, ciLow: s.ciLow, ciHigh: s.ciHigh } : null;

const skipNote = (v: VariantResult): string | null =>
  v.status === 'skipped' || !v.summary ? (v.skip ? `${v.skip.code}: ${v.skip.meaning}` : 'not measured') : null;

function cloneLabel(v: VariantResult | undefined, fallback: string): string {
  if (!v || v.spec.kind !== 'clone') return fallback;
  return `${label(SHAPE_LABELS, v.spec.shape)} ${label(VIA_LABELS, v.spec.via)}, ${label(WHERE_LABELS, v.spec.where)}`;
}

function answerView(r: ResultsFile, byId: Map<string, VariantResult>): AnswerView | null {
  const pc = r.proposalCosts;
  if (!pc) return null;
  const noiseOf = new Map<string, number>();
  for (const row of pc.rows) for (const o of row.overheads) if (o.cloneNoiseNs !== null) noiseOf.set(o.clone, o.cloneNoiseNs);
  const clones: AnswerClone[] = pc.clones.map((c) => {
    const median = c.median === null || c.ciLow === null || c.ciHigh === null ? null : { estimate: c.median, ciLow: c.ciLow, ciHigh: c.ciHigh };
    return {
      key: c.variant,
      label: cloneLabel(byId.get(c.variant), c.variant),
      role: c.role,
      median,
      noiseNs: noiseOf.get(c.variant) ?? (median ? (median.ciHigh - median.ciLow) / 2 : null),
    };
  });
  const measured = clones.filter((c) => c.median);
  const headline = measured.length ? measured.reduce((a, b) => (b.median!.estimate < a.median!.estimate ? b : a)).key : null;
  const ciMethod = pc.rows.flatMap((x) => x.overheads.map((o) => o.ciMethod))[0] ?? null;
  return {
    clones,
    headlineClone: headline,
    model: pc.fit ? { fit: pc.fit.id, perCallNs: pc.fit.c0, perByteNs: pc.fit.c1 } : null,
    ciMethod,
    rows: pc.rows.map((row) => ({
      key: row.variant,
      proposal: row.proposal,
      request: requestName(row.levels),
      levels: row.levels,
      status: row.status,
      copies: row.copies,
      bytes: row.bytes,
      probes: row.probes,
      cost: row.costNs,
      modelNs: row.modelNs,
      overheads: clones.map((c) => {
        const o = row.overheads.find((x) => x.clone === c.key);
        return { clone: c.key, ratio: o?.ratio ?? null, versusNoise: o?.versusNoise ?? null };
      }),
      reason: row.reason,
    })),
  };
}

function floorRows(r: ResultsFile): FloorRow[] {
  return r.variants
    .filter((v) => v.suite === 'floor')
    .map((v) => ({
      key: v.id,
      label: label(FLOOR_LABELS, v.spec.kind),
      description: v.description,
      value: estimateOf(v.summary),
      p99: v.summary?.p99 ?? null,
      n: v.summary?.n ?? null,
      note: skipNote(v),
    }));
}

function copyView(r: ResultsFile, byId: Map<string, VariantResult>): CopyView {
  const fits = r.fits.map((f) => ({
    key: f.id,
    label: f.id.replace(/^copy\//, '').replace(/-fit$/, ''),
    description: f.description,
    xLabel: f.xLabel,
    yLabel: f.yLabel,
    intercept: f.fit?.intercept ?? null,
    slope: f.fit?.slope ?? null,
    points: f.points.map((p) => ({ variant: p.variant, x: p.x, y: estimateOf(byId.get(p.variant)?.delta?.summary) })),
    skip: f.skip,
  }));
  const variants = r.variants
    .filter((v) => v.suite === 'copy')
    .map((v) => ({
      key: v.id,
      description: v.description,
      baseline: v.baseline,
      value: estimateOf(v.summary),
      delta: estimateOf(v.delta?.summary),
      relative: estimateOf(v.delta?.relative?.summary),
      note: skipNote(v),
    }));
  return { fits, variants };
}

function cloneRows(r: ResultsFile): CloneRow[] {
  return r.variants.flatMap((v): CloneRow[] => {
    if (v.spec.kind !== 'clone') return [];
    return [
      {
        key: v.id,
        shape: v.spec.shape,
        shapeLabel: label(SHAPE_LABELS, v.spec.shape),
        via: label(VIA_LABELS, v.spec.via),
        where: v.spec.where,
        whereLabel: label(WHERE_LABELS, v.spec.where),
        value: estimateOf(v.summary),
        p99: v.summary?.p99 ?? null,
        n: v.summary?.n ?? null,
        samples: v.samplesNsPerIter,
        parent: v.parent ? { where: v.parent.where, rssKiB: v.parent.rssKiB, vmaCount: v.parent.vmaCount } : null,
        delta: estimateOf(v.delta?.summary),
        note: skipNote(v),
      },
    ];
  });
}

function pidsRows(r: ResultsFile): PidsRow[] {
  return r.variants.flatMap((v): PidsRow[] => {
    if (v.spec.kind !== 'pids') return [];
    const c = v.pidChoice;
    const levels = v.spec.levels;
    return [
      {
        key: v.id,
        method: v.spec.method,
        methodLabel: label(PID_METHOD_LABELS, v.spec.method),
        levels,
        baseline: v.baseline,
        value: estimateOf(v.summary),
        delta: estimateOf(v.delta?.summary),
        relative: estimateOf(v.delta?.relative?.summary),
        deltaSamples: v.delta?.samplesNs ?? [],
        privilege: c?.privilege ?? null,
        chosen: c ? c.creates : null,
        mismatches: c ? c.mismatches : null,
        readBack: c && c.checks ? { checks: c.checks, levelsRight: c.checkedLevels, levelsExpected: c.checks * levels, failures: c.checkFailures } : null,
        note: skipNote(v),
      },
    ];
  });
}

function planViews(r: ResultsFile): CopyPlanView[] {
  const out: CopyPlanView[] = [];
  for (const v of r.variants) {
    if (v.spec.kind !== 'copy-plan') continue;
    const { proposal, target, levels } = v.spec;
    let view = out.find((p) => p.proposal === proposal && p.target === target);
    if (!view) out.push((view = { proposal, target, requests: [] }));
    const plan = v.copyPlan;
    const request: PlanRequest = plan
      ? {
          request: requestName(levels),
          levels,
          status: plan.reads.length ? 'planned' : 'empty',
          copies: plan.copies,
          bytes: plan.bytes,
          reads: plan.reads.map((x) => ({ ...x })),
          notes: plan.notes,
          reason: plan.reads.length ? null : 'the kernel side reads no user memory for this request',
        }
      : { request: requestName(levels), levels, status: 'refused', copies: null, bytes: null, reads: [], notes: [], reason: v.skip?.meaning ?? 'no plan' };
    view.requests.push(request);
  }
  return out;
}

function skipViews(r: ResultsFile, answer: AnswerView | null): SkipView[] {
  // Requests an interface cannot express, and plans without reads, are the answer's own rows
  // (with their reasons), not skips of the run.
  const explained = new Set(answer?.rows.filter((x) => x.status === 'zero' || x.status === 'refused').map((x) => x.key));
  return r.variants
    .filter((v) => v.status === 'skipped' && !explained.has(v.id))
    .map((v) => ({ key: v.id, code: v.skip?.code ?? 'SKIPPED', meaning: v.skip?.meaning ?? 'not measured', detail: v.skip?.detail ?? '' }));
}

function methodView(r: ResultsFile): MethodView {
  const ciMethods = new Set<string>();
  const pairing = new Map<string, number>();
  for (const v of r.variants) {
    if (v.summary) ciMethods.add(`median: ${v.summary.ciMethod}, ${v.summary.resamples} resamples, ${Math.round(v.summary.ciLevel * 100)}%`);
    if (v.delta) pairing.set(v.delta.method, (pairing.get(v.delta.method) ?? 0) + 1);
  }
  for (const f of r.fits) if (f.fit) ciMethods.add(`fits: ${f.fit.ciMethod}, ${f.fit.resamples} resamples`);
  for (const row of r.proposalCosts?.rows ?? []) for (const o of row.overheads) ciMethods.add(`shares of clone: ${o.ciMethod}`);
  const o = r.options;
  return {
    ciMethods: [...ciMethods],
    pairing: [...pairing].map(([method, variants]) => ({ method, variants })),
    suites: r.suites.map((s) => ({
      name: s.name,
      description: s.description,
      rounds: `${s.completedRounds}/${s.plannedRounds}`,
      warmupRounds: s.warmupRounds,
      batchMs: s.targetBatchMs,
      variants: s.variants.length,
    })),
    options: [
      o.quick ? '--quick' : 'default rounds',
      o.filter === null ? null : `--filter ${o.filter}`,
      o.rounds === null ? null : `--rounds ${o.rounds}`,
      `--seed ${o.seed}`,
      o.targetBatchMs === null ? null : `--batch-ms ${o.targetBatchMs}`,
    ]
      .filter((x) => x !== null)
      .join(' '),
    interrupted: r.interrupted,
    durationMs: r.durationMs,
  };
}

export function buildRunView(file: string, r: ResultsFile): RunView {
  const byId = new Map(r.variants.map((v) => [v.id, v]));
  const answer = answerView(r, byId);
  const measuredProposals = [...new Set(r.variants.flatMap((v) => (v.spec.kind === 'copy-plan' ? [v.spec.proposal] : [])))];
  const view: Omit<RunView, 'keyFigures'> = {
    label: runLabel(file, r),
    answer,
    floor: floorRows(r),
    copy: copyView(r, byId),
    clones: cloneRows(r),
    pids: pidsRows(r),
    plans: planViews(r),
    declarations: buildDeclarations(measuredProposals, undefined),
    environment: environmentView(r),
    method: methodView(r),
    skips: skipViews(r, answer),
  };
  return { ...view, keyFigures: keyFigures(view) };
}
