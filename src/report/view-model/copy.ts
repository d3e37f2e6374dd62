/**
 * The copy suite's view: its models (multi-term fits) with the lines a chart draws, every copy
 * probe, and the page-end boundary experiment.
 */
import type { FitResult, ResultsFile, VariantResult } from '../../results/schema.js';
import { estimateOf, intervalOf, placementOf, skipNote } from './common.js';
import { AXIS_TITLES, FIT_LABELS, label } from './labels.js';
import type { BoundaryView, CopyFitLine, CopyFitView, CopyPoint, CopyView, ModelTerm } from './types.js';

/** The term drawn on the x axis: the one whose values vary most among the points (bytes for
 * every model so far); null when none varies. */
function axisTerm(f: FitResult): number | null {
  let best: number | null = null;
  let most = 1;
  f.terms.forEach((_, i) => {
    const distinct = new Set(f.points.map((p) => p.x[i])).size;
    if (distinct > most) [best, most] = [i, distinct];
  });
  return best;
}

/** One line per combination of the other terms' values among the points (caller model: page 0
 * for co-located, page 1 for scattered), with a point at every axis value measured. */
function fitLines(f: FitResult, points: readonly CopyPoint[], axis: number | null, name: string): CopyFitLine[] {
  const coefficients = f.coefficients;
  if (axis === null || !coefficients || coefficients.length !== f.terms.length) return [];
  const groups = new Map<string, CopyPoint[]>();
  for (const p of points) {
    if (p.x.length !== f.terms.length) continue;
    const key = JSON.stringify(p.x.map((x, i) => (i === axis ? null : x)));
    groups.set(key, [...(groups.get(key) ?? []), p]);
  }
  return [...groups.values()].map((group) => {
    const xs = group.map((p) => p.x[axis]);
    const fixed = group[0].x;
    const y = (x: number) => fixed.reduce((s, v, i) => s + coefficients[i].estimate * (i === axis ? x : v), 0);
    const placements = [...new Set(group.map((p) => p.placement).filter((p): p is string => p !== null))];
    return {
      label: placements.length ? placements.join(', ') : name,
      fixed,
      points: [...new Set(xs)].sort((p, q) => p - q).map((x) => ({ x, y: y(x) })),
    };
  });
}

export function fitView(f: FitResult, byId: ReadonlyMap<string, VariantResult>): CopyFitView {
  const name = label(FIT_LABELS, f.id);
  const terms: ModelTerm[] = f.terms.map((t, i) => ({ ...t, coefficient: intervalOf(f.coefficients?.[i]) }));
  const points: CopyPoint[] = f.points.map((p) => {
    const v = byId.get(p.variant);
    return { variant: p.variant, placement: placementOf(v), x: p.x, y: estimateOf(v?.delta?.summary) };
  });
  const axis = axisTerm(f);
  const axisName = axis === null ? null : f.terms[axis].name;
  return {
    key: f.id,
    label: name,
    description: f.description,
    placement: f.placement,
    predicts: f.predicts,
    yLabel: f.yLabel,
    terms,
    residualNs: f.residualNs,
    axis: axis === null ? null : { term: axis, title: AXIS_TITLES[`${f.id}:${axisName}`] ?? AXIS_TITLES[axisName!] ?? f.terms[axis].label },
    points,
    lines: fitLines(f, points, axis, name),
    ciMethod: f.ciMethod,
    skip: f.skip,
  };
}

function boundaryView(r: ResultsFile): BoundaryView | null {
  const b = r.boundary;
  if (!b) return null;
  return {
    rows: b.rows.map((x) => ({ variant: x.variant, bytes: x.bytes, extraNs: intervalOf(x.extraNs)!, relative: intervalOf(x.relative) })),
    slowPath: b.slowPath,
    thresholdNs: b.thresholdNs,
    note: b.note,
  };
}

export function copyView(r: ResultsFile, byId: ReadonlyMap<string, VariantResult>): CopyView {
  const variants = r.variants
    .filter((v) => v.suite === 'copy')
    .map((v) => ({
      key: v.id,
      description: v.description,
      placement: placementOf(v),
      baseline: v.baseline,
      value: estimateOf(v.summary),
      delta: estimateOf(v.delta?.summary),
      relative: estimateOf(v.delta?.relative?.summary),
      note: skipNote(v),
    }));
  return { fits: r.fits.map((f) => fitView(f, byId)), variants, boundary: boundaryView(r) };
}
