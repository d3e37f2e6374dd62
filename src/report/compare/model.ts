/**
 * `clonebench compare`: two runs, metric by metric. A change is the ratio of medians new/base
 * with a bootstrap interval (the two runs resampled independently); it counts only when the
 * whole interval lies beyond the threshold. Every figure here is a cost, so higher is worse.
 *
 * A paired delta whose base interval does not lie wholly above 0 (clone3 against legacy clone,
 * set_tid against plain clone3) has no meaningful ratio: such a delta is compared as the
 * difference of medians divided by its in-batch baseline's median (for the relative delta,
 * already a fraction of the baseline), and the same threshold applies to that fraction.
 */
import { deriveRng } from '../../stats/prng.js';
import { environmentIdentity, metricSeries, runLabel, type LoadedResults, type MetricKind, type MetricSeries } from '../view-model/index.js';
import type { Estimate, RunLabel } from '../view-model/types.js';
import { bootstrapChangeDifference, bootstrapChangeRatio, CHANGE_CI_METHOD } from './bootstrap.js';

export type Verdict = 'regressed' | 'improved' | 'no change' | 'not compared';

export interface MetricChange {
  id: string;
  variant: string;
  suite: string;
  kind: MetricKind;
  unit: 'ns' | 'ratio';
  /** Where the copy's memory sat (copy probes and plans), else null. */
  placement: string | null;
  /** Worker processes the samples came from, base and new (the interval resamples them first). */
  workers: { base: number; next: number } | null;
  base: Estimate | null;
  next: Estimate | null;
  /** ratio: new/base; difference: (new - base) / the baseline's median (a fraction). */
  method: 'ratio' | 'difference' | null;
  change: Estimate | null;
  verdict: Verdict;
  note: string | null;
}

export interface EnvironmentDifference {
  /** The field's path in the results file, e.g. `environment.kernelRelease`. */
  field: string;
  label: string;
  base: string;
  next: string;
}

export interface CompareOptions {
  /** A fraction: 0.05 for 5%. */
  threshold: number;
  kinds?: readonly MetricKind[];
  filter?: RegExp | null;
  resamples?: number;
  seed?: number;
}

export interface CompareModel {
  schema: 'clonebench.compare';
  /** 2: per metric its placement and worker processes; intervals resample workers first. */
  version: 2;
  base: RunLabel;
  next: RunLabel;
  threshold: number;
  kinds: MetricKind[];
  filter: string | null;
  resamples: number;
  ciMethod: string;
  environment: EnvironmentDifference[];
  warnings: string[];
  metrics: MetricChange[];
  counts: Record<Verdict, number>;
}

export const ALL_KINDS: readonly MetricKind[] = ['time', 'delta', 'relative'];

function verdictOf(method: 'ratio' | 'difference', change: Estimate, threshold: number): Verdict {
  const [up, down] = method === 'ratio' ? [1 + threshold, 1 - threshold] : [threshold, -threshold];
  if (change.ciLow > up) return 'regressed';
  if (change.ciHigh < down) return 'improved';
  return 'no change';
}

function compareSeries(b: MetricSeries | undefined, n: MetricSeries | undefined, o: Required<Omit<CompareOptions, 'filter' | 'kinds'>>): MetricChange {
  const any = (n ?? b)!;
  const head = {
    id: any.id,
    variant: any.variant,
    suite: any.suite,
    kind: any.kind,
    unit: any.unit,
    placement: any.placement,
    workers: b && n ? { base: new Set(b.workers).size, next: new Set(n.workers).size } : null,
    base: b?.summary ?? null,
    next: n?.summary ?? null,
  };
  const not = (note: string): MetricChange => ({ ...head, method: null, change: null, verdict: 'not compared', note });
  if (!b) return not('only in the new run');
  if (!n) return not('only in the base run');
  if (b.skipped && n.skipped) return not(b.skipped === n.skipped ? `not measured in either run (${b.skipped})` : `not measured in either run (base: ${b.skipped}; new: ${n.skipped})`);
  if (b.skipped) return not(`skipped in the base run (${b.skipped})`);
  if (n.skipped) return not(`skipped in the new run (${n.skipped})`);
  if (!b.samples.length || !n.samples.length) return not('no samples');
  const rng = deriveRng(o.seed, any.id);
  const clearlyPositive = b.kind === 'time' ? (b.summary?.estimate ?? 0) > 0 : (b.summary?.ciLow ?? 0) > 0;
  if (clearlyPositive) {
    const change = bootstrapChangeRatio(n.samples, b.samples, rng, { resamples: o.resamples, groupsA: n.workers, groupsB: b.workers });
    return { ...head, method: 'ratio', change, verdict: verdictOf('ratio', change, o.threshold), note: null };
  }
  const scale = b.kind === 'relative' ? 1 : b.baselineNs;
  if (!scale || scale <= 0) return not('the base figure is not above 0 and has no baseline to scale a difference');
  const d = bootstrapChangeDifference(n.samples, b.samples, rng, { resamples: o.resamples, groupsA: n.workers, groupsB: b.workers });
  const change = { estimate: d.estimate / scale, ciLow: d.ciLow / scale, ciHigh: d.ciHigh / scale };
  return {
    ...head,
    method: 'difference',
    change,
    verdict: verdictOf('difference', change, o.threshold),
    note: 'base interval reaches 0: difference as a share of the baseline',
  };
}

export function environmentDifferences(base: LoadedResults, next: LoadedResults): EnvironmentDifference[] {
  const b = environmentIdentity(base.results);
  const n = environmentIdentity(next.results);
  const fields = [...new Set([...b.map((x) => x.field), ...n.map((x) => x.field)])];
  return fields.flatMap((field) => {
    const x = b.find((f) => f.field === field);
    const y = n.find((f) => f.field === field);
    const bv = x?.value ?? '(absent)';
    const nv = y?.value ?? '(absent)';
    return bv === nv ? [] : [{ field, label: (x ?? y)!.label, base: bv, next: nv }];
  });
}

export function buildCompareModel(base: LoadedResults, next: LoadedResults, options: CompareOptions): CompareModel {
  const kinds = [...(options.kinds ?? ALL_KINDS)];
  const o = { threshold: options.threshold, resamples: options.resamples ?? 2000, seed: options.seed ?? 1 };
  const keep = (s: MetricSeries) => kinds.includes(s.kind) && (!options.filter || options.filter.test(s.id));
  const bs = metricSeries(base.results).filter(keep);
  const ns = metricSeries(next.results).filter(keep);
  const ids = [...new Set([...bs.map((s) => s.id), ...ns.map((s) => s.id)])];
  const metrics = ids.map((id) => compareSeries(bs.find((s) => s.id === id), ns.find((s) => s.id === id), o));
  const counts: Record<Verdict, number> = { regressed: 0, improved: 0, 'no change': 0, 'not compared': 0 };
  for (const m of metrics) counts[m.verdict]++;
  const labels = { base: runLabel(base.path, base.results), new: runLabel(next.path, next.results) };
  const warnings: string[] = [];
  for (const [which, l] of Object.entries(labels))
    if (l.interrupted) warnings.push(`the ${which} run was interrupted: its figures come from fewer rounds`);
  return {
    schema: 'clonebench.compare',
    version: 2,
    base: labels.base,
    next: labels.new,
    threshold: options.threshold,
    kinds,
    filter: options.filter?.source ?? null,
    resamples: o.resamples,
    ciMethod: CHANGE_CI_METHOD,
    environment: environmentDifferences(base, next),
    warnings,
    metrics,
    counts,
  };
}
