/**
 * Per-round series of a results file for `compare`: each measured variant's own time, and for
 * paired variants the delta in ns and the delta relative to its in-batch baseline (the figure
 * a VM's fast/slow phases leave unchanged).
 */
import type { ResultsFile } from '../../results/schema.js';
import { median } from '../../stats/summary.js';
import { estimateOf } from './run.js';
import type { Estimate } from './types.js';

export type MetricKind = 'time' | 'delta' | 'relative';

export interface MetricSeries {
  /** `copy/struct-64`, `copy/struct-64 delta`, `copy/struct-64 delta/baseline`. */
  id: string;
  variant: string;
  /** The suite the variant belongs to (for grouping). */
  suite: string;
  kind: MetricKind;
  unit: 'ns' | 'ratio';
  samples: number[];
  /** The file's own median and interval for the series. */
  summary: Estimate | null;
  /** Median of the in-batch baseline (ns), for deltas: the scale of a change in ns. */
  baselineNs: number | null;
  /** Why the variant has no samples (skipped). */
  skipped: string | null;
}

export const METRIC_SUFFIX: Readonly<Record<MetricKind, string>> = { time: '', delta: ' delta', relative: ' delta/baseline' };

export function metricSeries(r: ResultsFile): MetricSeries[] {
  const out: MetricSeries[] = [];
  for (const v of r.variants) {
    const skipped = v.status === 'skipped' || v.samplesNsPerIter.length === 0 ? `${v.skip?.code ?? 'SKIPPED'}: ${v.skip?.meaning ?? 'not measured'}` : null;
    const base = { variant: v.id, suite: v.suite, skipped, baselineNs: null };
    out.push({ ...base, id: v.id, kind: 'time', unit: 'ns', samples: v.samplesNsPerIter, summary: estimateOf(v.summary) });
    const d = v.delta;
    if (!d) continue;
    const baselineNs = d.baselineNsPerIter.length ? median(d.baselineNsPerIter) : null;
    out.push({ ...base, id: `${v.id}${METRIC_SUFFIX.delta}`, kind: 'delta', unit: 'ns', samples: d.samplesNs, summary: estimateOf(d.summary), baselineNs });
    if (d.relative)
      out.push({ ...base, id: `${v.id}${METRIC_SUFFIX.relative}`, kind: 'relative', unit: 'ratio', samples: d.relative.samples, summary: estimateOf(d.relative.summary), baselineNs });
  }
  return out;
}
