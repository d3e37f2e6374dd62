/**
 * vega-lite specifications for the report's charts, built from the view model. Field names are
 * fixed literals; strings from a results file only ever appear as data values (vega draws them
 * as SVG text), never as field names or expressions.
 */
import type { AnswerView, BoundaryView, CloneRow, CopyFitView, PidsRow } from '../view-model/types.js';

export type VegaLiteSpec = Record<string, unknown>;

const WIDTH = 860;
const AXIS = { labelFontSize: 11, titleFontSize: 12, labelLimit: 320 };

const base = (title: string, description: string): VegaLiteSpec => ({
  title: { text: title, anchor: 'start', fontSize: 14 },
  description,
  width: WIDTH,
  config: { axis: AXIS, legend: { labelFontSize: 11, titleFontSize: 12, orient: 'bottom', labelLimit: 320 }, view: { stroke: '#ccc' } },
});

/** Placement colours, shared by every chart (co-located is the answer: the strongest colour). */
const PLACEMENT_COLORS: Readonly<Record<string, string>> = { 'co-located': '#1f5f9f', scattered: '#6baed6', 'page-end': '#d95f02' };
const placementScale = (placements: readonly string[]) => ({
  domain: placements,
  range: placements.map((p, i) => PLACEMENT_COLORS[p] ?? ['#7570b3', '#66a61e', '#e7298a'][i % 3]),
});

/** Measured (and zero) copy costs per interface and request at every placement, with
 * intervals; the model's prediction interval as a grey bar behind each point. */
export function answerChart(a: AnswerView): VegaLiteSpec | null {
  const values = a.rows
    .filter((r) => r.status === 'zero' || (r.status === 'measured' && r.cost))
    .map((r) => ({
      row: `${r.proposal} ${r.request}`,
      placement: r.placement,
      cost: r.status === 'zero' ? 0 : r.cost!.estimate,
      lo: r.status === 'zero' ? 0 : r.cost!.ciLow,
      hi: r.status === 'zero' ? 0 : r.cost!.ciHigh,
      model: r.model?.estimate ?? null,
      modelLo: r.model?.ciLow ?? null,
      modelHi: r.model?.ciHigh ?? null,
      agrees: r.agrees === false ? 'NO' : r.agrees ? 'yes' : '-',
    }));
  if (!values.length) return null;
  // An explicit order: layers with fewer rows (the model bars) would otherwise order the axis.
  const y = { field: 'row', type: 'nominal', sort: [...new Set(values.map((v) => v.row))], title: null };
  const yOffset = { field: 'placement', type: 'nominal', sort: a.placements };
  const color = { field: 'placement', type: 'nominal', title: 'placement', scale: placementScale(a.placements) };
  return {
    ...base('Copy cost per request at each placement (ns, median and 95% CI; grey: the model\'s 95% prediction interval)', 'copy cost of each interface and request at every placement'),
    data: { values },
    height: { step: 8 },
    encoding: { y, yOffset },
    layer: [
      {
        transform: [{ filter: 'isValid(datum.modelLo)' }],
        mark: { type: 'bar', color: '#d9d9d9', height: 6 },
        encoding: { x: { field: 'modelLo', type: 'quantitative', title: 'ns per request' }, x2: { field: 'modelHi' } },
      },
      { mark: { type: 'rule', strokeWidth: 2 }, encoding: { x: { field: 'lo', type: 'quantitative' }, x2: { field: 'hi' }, color } },
      {
        mark: { type: 'point', filled: true, size: 36 },
        encoding: {
          x: { field: 'cost', type: 'quantitative' },
          color,
          shape: { field: 'agrees', type: 'nominal', title: 'agrees with its model', scale: { domain: ['yes', 'NO', '-'], range: ['circle', 'triangle-up', 'square'] } },
          tooltip: [
            { field: 'row', title: 'request' },
            { field: 'placement' },
            { field: 'cost', title: 'ns', format: '.1f' },
            { field: 'lo', format: '.1f' },
            { field: 'hi', format: '.1f' },
            { field: 'model', format: '.1f' },
            { field: 'agrees' },
          ],
        },
      },
    ],
  };
}

/** One or more copy models over their axis term (bytes): each point with its interval, coloured
 * by placement, and each model's lines (the caller model: one per placement it spans). */
export function copyFitChart(fits: readonly CopyFitView[], title: string): VegaLiteSpec | null {
  const drawable = fits.filter((f) => f.axis);
  const points = drawable.flatMap((f) =>
    f.points.filter((p) => p.y).map((p) => ({ series: p.placement ?? f.label, variant: p.variant, x: p.x[f.axis!.term], y: p.y!.estimate, lo: p.y!.ciLow, hi: p.y!.ciHigh })),
  );
  if (!points.length) return null;
  const lines = drawable.flatMap((f) => f.lines.flatMap((l) => l.points.map((p) => ({ series: l.label, model: f.label, x: p.x, fit: p.y }))));
  const series = [...new Set([...points.map((p) => p.series), ...lines.map((l) => l.series)])];
  const color = { field: 'series', type: 'nominal', title: 'placement', scale: placementScale(series) };
  // Sizes that double (4..128 bytes) read best on a log2 axis; the lines carry a point at every
  // x measured, so they stay the model's values there.
  const xs = points.map((p) => p.x);
  const log = Math.min(...xs) > 0 && Math.max(...xs) / Math.min(...xs) >= 16;
  const x = { field: 'x', type: 'quantitative', title: drawable[0].axis!.title, scale: log ? { type: 'log', base: 2 } : { zero: false } };
  const yTitle = drawable[0].yLabel;
  return {
    ...base(title, drawable.map((f) => f.description).join('; ')),
    height: 260,
    layer: [
      { data: { values: points }, mark: { type: 'rule', strokeWidth: 2 }, encoding: { x, color, y: { field: 'lo', type: 'quantitative', title: yTitle, scale: { zero: false } }, y2: { field: 'hi' } } },
      {
        data: { values: points },
        mark: { type: 'point', filled: true, size: 50 },
        encoding: { x, color, y: { field: 'y', type: 'quantitative' }, tooltip: [{ field: 'variant' }, { field: 'x' }, { field: 'y', format: '.2f' }, { field: 'lo', format: '.2f' }, { field: 'hi', format: '.2f' }] },
      },
      ...(lines.length
        ? [{ data: { values: lines }, mark: { type: 'line', strokeDash: [4, 3] }, encoding: { x, color, detail: { field: 'model' }, y: { field: 'fit', type: 'quantitative' } } }]
        : []),
    ],
  };
}

/** The boundary experiment: extra ns per copy at a page end, by copy size, with the threshold. */
export function boundaryChart(b: BoundaryView): VegaLiteSpec | null {
  const values = b.rows.map((r) => ({ bytes: `${r.bytes} B`, ns: r.extraNs.estimate, lo: r.extraNs.ciLow, hi: r.extraNs.ciHigh }));
  if (!values.length) return null;
  const y = { field: 'bytes', type: 'nominal', sort: null, title: 'copy size' };
  return {
    ...base(`Page end before a non-present page: extra ns per copy (dashed: the ${b.thresholdNs} ns threshold)`, 'the boundary experiment'),
    width: 480,
    height: { step: 22 },
    layer: [
      { data: { values: [{ t: b.thresholdNs }] }, mark: { type: 'rule', color: '#d95f02', strokeDash: [4, 3] }, encoding: { x: { field: 't', type: 'quantitative' } } },
      { data: { values: [{ zero: 0 }] }, mark: { type: 'rule', color: '#999' }, encoding: { x: { field: 'zero', type: 'quantitative' } } },
      { data: { values }, mark: { type: 'rule', strokeWidth: 2, color: '#d95f02' }, encoding: { y, x: { field: 'lo', type: 'quantitative', title: 'ns per copy over the same copy mid-page' }, x2: { field: 'hi' } } },
      {
        data: { values },
        mark: { type: 'point', filled: true, size: 60, color: '#d95f02' },
        encoding: { y, x: { field: 'ns', type: 'quantitative' }, tooltip: [{ field: 'bytes' }, { field: 'ns', format: '.2f' }, { field: 'lo', format: '.2f' }, { field: 'hi', format: '.2f' }] },
      },
    ],
  };
}

/** Per-round samples of every clone variant as box plots, log scale (thread to fork spans 60x). */
export function cloneChart(rows: readonly CloneRow[]): VegaLiteSpec | null {
  const values = rows.flatMap((r) => r.samples.map((ns) => ({ variant: `${r.shapeLabel} ${r.via}, ${r.whereLabel}`, parent: r.whereLabel, us: ns / 1e3 })));
  if (!values.length) return null;
  return {
    ...base('clone + reap: per-round samples (us per create, log scale)', 'distribution of clone costs per shape, interface and parent'),
    data: { values },
    height: { step: 20 },
    mark: { type: 'boxplot', extent: 'min-max', size: 12 },
    encoding: {
      y: { field: 'variant', type: 'nominal', sort: null, title: null },
      x: { field: 'us', type: 'quantitative', scale: { type: 'log' }, title: 'us per create' },
      color: { field: 'parent', type: 'nominal', title: 'parent' },
    },
  };
}

/** The extra cost of choosing a pid, by depth and method, paired against plain clone3. */
export function pidsChart(rows: readonly PidsRow[]): VegaLiteSpec | null {
  const values = rows
    .filter((r) => r.baseline && r.delta)
    .map((r) => ({ method: r.methodLabel, depth: r.levels, us: r.delta!.estimate / 1e3, lo: r.delta!.ciLow / 1e3, hi: r.delta!.ciHigh / 1e3 }));
  if (!values.length) return null;
  const x = { field: 'depth', type: 'ordinal', title: 'pid-namespace levels', axis: { labelAngle: 0 } };
  const color = { field: 'method', type: 'nominal', title: 'method' };
  return {
    ...base('Choosing the pid: extra us per create over plain clone3 (median, 95% CI)', 'chosen-pid cost by depth and method'),
    width: 480,
    height: 260,
    layer: [
      { data: { values: [{ zero: 0 }] }, mark: { type: 'rule', color: '#999' }, encoding: { y: { field: 'zero', type: 'quantitative' } } },
      {
        data: { values },
        mark: { type: 'rule', strokeWidth: 2 },
        encoding: { x, color, xOffset: { field: 'method' }, y: { field: 'lo', type: 'quantitative', title: 'us per create' }, y2: { field: 'hi' } },
      },
      {
        data: { values },
        mark: { type: 'point', filled: true, size: 60 },
        encoding: {
          x,
          color,
          xOffset: { field: 'method' },
          y: { field: 'us', type: 'quantitative' },
          tooltip: [{ field: 'method' }, { field: 'depth' }, { field: 'us', format: '.2f' }, { field: 'lo', format: '.2f' }, { field: 'hi', format: '.2f' }],
        },
      },
    ],
  };
}
