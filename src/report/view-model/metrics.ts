/**
 * Per-round series of a results file for `compare`: each measured variant's own time, and for
 * paired variants the delta in ns and the delta relative to its in-batch baseline (the figure
 * a VM's fast/slow phases leave unchanged).
 */
import type { ResultsFile } from '../../results/schema.js';
import { median } from '../../stats/summary.js';
import { estimateOf, placementOf } from './common.js';
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
  /** Where the copy's memory sat (copy probes and plans; null for the others). */
  placement: string | null;
  samples: number[];
  /** The worker process of each sample (one value throughout for a suite run in one process). */
  workers: number[];
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
    const base = { variant: v.id, suite: v.suite, placement: placementOf(v), skipped, baselineNs: null };
    out.push({ ...base, id: v.id, kind: 'time', unit: 'ns', samples: v.samplesNsPerIter, workers: v.sampleWorkers, summary: estimateOf(v.summary) });
    const d = v.delta;
    if (!d) continue;
    const baselineNs = d.baselineNsPerIter.length ? median(d.baselineNsPerIter) : null;
    out.push({ ...base, id: `${v.id}${METRIC_SUFFIX.delta}`, kind: 'delta', unit: 'ns', samples: d.samplesNs, workers: d.sampleWorkers, summary: estimateOf(d.summary), baselineNs });
    // The analysis drops relative samples whose ratio is not finite; keep workers aligned with
    // what is left (the same filter), or fall back to one group.
    if (d.relative) {
      const kept = d.samplesNs.map((x, i) => Number.isFinite(x / d.baselineNsPerIter[i]));
      const workers = d.sampleWorkers.filter((_, i) => kept[i]);
      out.push({
        ...base,
        id: `${v.id}${METRIC_SUFFIX.relative}`,
        kind: 'relative',
        unit: 'ratio',
        samples: d.relative.samples,
        workers: workers.length === d.relative.samples.length ? workers : d.relative.samples.map(() => 0),
        summary: estimateOf(d.relative.summary),
        baselineNs,
      });
    }
  }
  return out;
}
