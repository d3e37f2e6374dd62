/**
 * vega-lite specifications for the report's charts, built from the view model. Field names are
 * fixed literals; strings from a results file only ever appear as data values (vega draws them
 * as SVG text), never as field names or expressions.
 */
import type { AnswerView, CloneRow, CopyFitView, PidsRow } from '../view-model/types.js';

export type VegaLiteSpec = Record<string, unknown>;

const WIDTH = 860;
const AXIS = { labelFontSize: 11, titleFontSize: 12, labelLimit: 320 };

const base = (title: string, description: string): VegaLiteSpec => ({
  title: { text: title, anchor: 'start', fontSize: 14 },
  description,
  width: WIDTH,
  config: { axis: AXIS, legend: { labelFontSize: 11, titleFontSize: 12, orient: 'bottom', labelLimit: 320 }, view: { stroke: '#ccc' } },
});

/** Measured (and zero) copy costs per interface and request, with intervals and the model. */
export function answerChart(a: AnswerView): VegaLiteSpec | null {
  const values = a.rows
    .filter((r) => r.status === 'zero' || (r.status === 'measured' && r.cost))
    .map((r) => ({
      row: `${r.proposal} ${r.request}`,
      request: r.request,
      cost: r.status === 'zero' ? 0 : r.cost!.estimate,
      lo: r.status === 'zero' ? 0 : r.cost!.ciLow,
      hi: r.status === 'zero' ? 0 : r.cost!.ciHigh,
      model: r.modelNs,
    }));
  if (!values.length) return null;
  const y = { field: 'row', type: 'nominal', sort: null, title: null };
  const color = { field: 'request', type: 'nominal', title: 'request', scale: { domain: [...new Set(values.map((v) => v.request))] } };
  return {
    ...base('Copy cost per request (ns, median and 95% CI; | = model)', 'copy cost of each interface and request'),
    data: { values },
    height: { step: 16 },
    encoding: { y },
    layer: [
      { mark: { type: 'rule', strokeWidth: 2 }, encoding: { x: { field: 'lo', type: 'quantitative', title: 'ns per request' }, x2: { field: 'hi' }, color } },
      {
        mark: { type: 'point', filled: true, size: 50 },
        encoding: {
          x: { field: 'cost', type: 'quantitative' },
          color,
          tooltip: [{ field: 'row', title: 'request' }, { field: 'cost', title: 'ns', format: '.1f' }, { field: 'lo', format: '.1f' }, { field: 'hi', format: '.1f' }],
        },
      },
      { transform: [{ filter: 'isValid(datum.model)' }], mark: { type: 'tick', color: '#444', thickness: 1.5 }, encoding: { x: { field: 'model', type: 'quantitative' } } },
    ],
  };
}

/** A copy fit: the paired deltas with intervals against x, and the fitted line. */
export function copyFitChart(f: CopyFitView): VegaLiteSpec | null {
  const points = f.points.filter((p) => p.y).map((p) => ({ variant: p.variant, x: p.x, y: p.y!.estimate, lo: p.y!.ciLow, hi: p.y!.ciHigh }));
  if (!points.length) return null;
  const xs = points.map((p) => p.x);
  const line =
    f.intercept && f.slope
      ? [Math.min(...xs), Math.max(...xs)].map((x) => ({ x, fit: f.intercept!.estimate + f.slope!.estimate * x }))
      : [];
  const x = { field: 'x', type: 'quantitative', title: f.xLabel };
  return {
    ...base(`${f.label}: ${f.yLabel} against ${f.xLabel}`, f.description),
    height: 240,
    layer: [
      { data: { values: points }, mark: { type: 'rule', strokeWidth: 2, color: '#4c78a8' }, encoding: { x, y: { field: 'lo', type: 'quantitative', title: f.yLabel, scale: { zero: false } }, y2: { field: 'hi' } } },
      {
        data: { values: points },
        mark: { type: 'point', filled: true, size: 50, color: '#4c78a8' },
        encoding: { x, y: { field: 'y', type: 'quantitative' }, tooltip: [{ field: 'variant' }, { field: 'x' }, { field: 'y', format: '.2f' }, { field: 'lo', format: '.2f' }, { field: 'hi', format: '.2f' }] },
      },
      ...(line.length ? [{ data: { values: line }, mark: { type: 'line', color: '#e45756', strokeDash: [4, 3] }, encoding: { x, y: { field: 'fit', type: 'quantitative' } } }] : []),
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
