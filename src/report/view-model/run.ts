/** One results file (schema version 2) -> RunView. The only reader of the file's shape, with
 * `answer.ts`, `copy.ts`, `environment.ts`, `declarations.ts` and `metrics.ts` beside it. */
import type { ResultsFile } from '../../results/schema.js';
import { answerView } from './answer.js';
import { estimateOf, skipNote } from './common.js';
import { copyView } from './copy.js';
import { buildDeclarations, type StoredDeclarations } from './declarations.js';
import { environmentView, runLabel } from './environment.js';
import { keyFigures } from './key-figures.js';
import { FLOOR_LABELS, PID_METHOD_LABELS, SHAPE_LABELS, VIA_LABELS, WHERE_LABELS, label, requestName } from './labels.js';
import type { AnswerView, CallerSideRow, CloneRow, CopyPlanView, FloorRow, MethodView, PidsRow, PlanRequest, RunView, SkipView } from './types.js';

export { estimateOf } from './common.js';

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
        createdVia: c?.createdVia ?? null,
        chosen: c ? c.creates : null,
        mismatches: c ? c.mismatches : null,
        readBack: c && c.checks ? { checks: c.checks, levelsRight: c.checkedLevels, levelsExpected: c.checks * levels, failures: c.checkFailures } : null,
        note: skipNote(v),
      },
    ];
  });
}

/** Each interface's plan per request. A plan is the same at every placement (only where its
 * bytes sit differs), so it is shown once, from the headline placement where there is one. */
function planViews(r: ResultsFile, headline: string | null): CopyPlanView[] {
  const out: CopyPlanView[] = [];
  const seen = new Set<string>();
  const plans = r.variants.filter((v) => v.spec.kind === 'copy-plan');
  const preferred = [...plans.filter((v) => v.spec.kind === 'copy-plan' && v.spec.placement === headline), ...plans];
  for (const v of preferred) {
    if (v.spec.kind !== 'copy-plan') continue;
    const { proposal, target, levels } = v.spec;
    const key = JSON.stringify([proposal, target, levels]);
    if (seen.has(key)) continue;
    seen.add(key);
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
  for (const view of out) view.requests.sort((x, y) => x.levels - y.levels);
  return out;
}

/** The caller's side (encode suite): encode and materialise per interface and request, beside
 * the kernel's copy cost of the same request at the headline placement. */
function callerSide(r: ResultsFile, answer: AnswerView | null): CallerSideRow[] {
  const out: CallerSideRow[] = [];
  for (const v of r.variants) {
    if (v.spec.kind !== 'encode') continue;
    const { proposal, levels, step } = v.spec;
    let row = out.find((x) => x.proposal === proposal && x.levels === levels);
    if (!row) {
      const copy = answer?.rows.find((x) => x.proposal === proposal && x.levels === levels && x.placement === answer.headlinePlacement);
      out.push((row = { proposal, request: requestName(levels), levels, encode: null, materialise: null, kernelCopy: copy?.cost ?? null, note: null }));
    }
    row[step] = estimateOf(v.status === 'measured' ? v.summary : null);
    if (v.status !== 'measured') row.note ??= v.skip?.code === 'REFUSED' ? `refused: ${v.skip.meaning}` : skipNote(v);
  }
  return out;
}

function skipViews(r: ResultsFile, answer: AnswerView | null): SkipView[] {
  // Requests an interface cannot express, and plans without reads, are the answer's own rows
  // (with their reasons), not skips of the run.
  // The same holds for the encode variants of a refused request (the caller's side says so).
  const explained = new Set(answer?.rows.filter((x) => x.status === 'zero' || x.status === 'refused').map((x) => x.key));
  return r.variants
    .filter((v) => v.status === 'skipped' && !explained.has(v.id) && !(v.spec.kind === 'encode' && v.skip?.code === 'REFUSED'))
    .map((v) => ({ key: v.id, code: v.skip?.code ?? 'SKIPPED', meaning: v.skip?.meaning ?? 'not measured', detail: v.skip?.detail ?? '' }));
}

function methodView(r: ResultsFile): MethodView {
  const ciMethods = new Set<string>();
  const pairing = new Map<string, number>();
  for (const v of r.variants) {
    if (v.summary) ciMethods.add(`median: ${v.summary.ciMethod}, ${v.summary.resamples} resamples, ${Math.round(v.summary.ciLevel * 100)}%`);
    if (v.delta) pairing.set(v.delta.method, (pairing.get(v.delta.method) ?? 0) + 1);
  }
  for (const f of r.fits) if (f.coefficients) ciMethods.add(`models: ${f.ciMethod}, ${f.resamples} resamples`);
  for (const row of r.answer?.rows ?? []) for (const o of row.overheads) if (o.ratio) ciMethods.add(`shares of clone: ${o.ciMethod}`);
  const o = r.options;
  const grouped = r.suites.filter((s) => s.workers > 1);
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
      workers: s.workers,
    })),
    workers: grouped.length
      ? `${grouped.map((s) => `${s.name} in ${s.workers}`).join(', ')} worker processes (fresh memory placements each): their intervals resample the workers first, then the rounds within each, so they cover the spread from one process to the next`
      : null,
    options: [
      o.quick ? '--quick' : 'default rounds',
      o.filter === null ? null : `--filter ${o.filter}`,
      o.rounds === null ? null : `--rounds ${o.rounds}`,
      `--seed ${o.seed}`,
      o.targetBatchMs === null ? null : `--batch-ms ${o.targetBatchMs}`,
      o.workers === null ? null : `--workers ${o.workers}`,
    ]
      .filter((x) => x !== null)
      .join(' '),
    interrupted: r.interrupted,
    durationMs: r.durationMs,
    incomplete: r.variants.flatMap((v) => {
      const planned = r.suites.find((s) => s.name === v.suite)?.plannedRounds ?? 0;
      if (v.status !== 'measured' || (v.complete && v.samplesNsPerIter.length >= planned)) return [];
      return [{ key: v.id, samples: v.samplesNsPerIter.length, planned, workers: [...new Set(v.sampleWorkers)].sort((a, b) => a - b) }];
    }),
  };
}

export function buildRunView(file: string, r: ResultsFile): RunView {
  const byId = new Map(r.variants.map((v) => [v.id, v]));
  const copy = copyView(r, byId);
  const answer = answerView(r, copy.fits);
  const measuredProposals = [...new Set(r.variants.flatMap((v) => (v.spec.kind === 'copy-plan' || v.spec.kind === 'encode' ? [v.spec.proposal] : [])))];
  const view: Omit<RunView, 'keyFigures'> = {
    label: runLabel(file, r),
    answer,
    floor: floorRows(r),
    copy,
    clones: cloneRows(r),
    pids: pidsRows(r),
    callerSide: callerSide(r, answer),
    plans: planViews(r, answer?.headlinePlacement ?? null),
    declarations: buildDeclarations(measuredProposals, r.declarations as StoredDeclarations | undefined),
    environment: environmentView(r),
    method: methodView(r),
    skips: skipViews(r, answer),
    warnings: r.warnings,
  };
  return { ...view, keyFigures: keyFigures(view) };
}
