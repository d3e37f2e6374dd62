/** What the plain-text and markdown forms of `compare` say: the verdict, the environment
 * differences, then every metric's change grouped by suite, regressions first. */
import type { CompareModel, MetricChange, Verdict } from '../compare/model.js';
import { heading, list, paragraph, table, type Block, type TableRow } from './blocks.js';
import { changePct, figure } from './units.js';

const KIND_SUFFIX: Readonly<Record<MetricChange['kind'], string>> = { time: '', delta: ' delta', relative: ' rel' };
const VERDICT_ORDER: readonly Verdict[] = ['regressed', 'improved', 'no change', 'not compared'];

/** Rows are grouped by the variant id's first segment, or its first two where it has three or
 * more (`proposals/clone3`, `clone/node`, `encode/eclone`), so a label stays short enough for 72
 * columns: `pids@4@co-located rel`. */
export function metricGroup(m: Pick<MetricChange, 'variant'>): string {
  const parts = m.variant.split('/');
  return parts.slice(0, parts.length >= 3 ? 2 : 1).join('/');
}

export const metricLabel = (m: MetricChange): string => {
  const group = metricGroup(m);
  return `${m.variant.startsWith(`${group}/`) ? m.variant.slice(group.length + 1) : m.variant}${KIND_SUFFIX[m.kind]}`;
};

export function changeText(m: MetricChange): string {
  if (!m.change || !m.method) return '-';
  return `${changePct(m.change, m.method)}${m.method === 'difference' ? ' b' : ''}`;
}

export function verdictLine(c: CompareModel): string {
  return `verdict: ${VERDICT_ORDER.map((v) => `${c.counts[v]} ${v}`).join(', ')}; exit ${c.counts.regressed ? 1 : 0}`;
}

function metricTable(metrics: readonly MetricChange[]): Block {
  const rows: TableRow[] = [];
  for (const group of [...new Set(metrics.map(metricGroup))]) {
    rows.push({ cells: [group, '', ''], group: true });
    for (const m of metrics.filter((x) => metricGroup(x) === group)) rows.push({ cells: [`  ${metricLabel(m)}`, changeText(m), m.verdict] });
  }
  return table(['metric', 'change [95% CI]', 'verdict'], rows, ['l', 'r', 'l']);
}

const valueText = (m: MetricChange, which: 'base' | 'next') => {
  const e = m[which];
  return e ? figure(m.unit === 'ns' ? 'ns' : 'ratio', e, true) : '-';
};

export function compareDocument(c: CompareModel): Block[] {
  const out: Block[] = [heading('clonebench compare', 1)];
  out.push({ kind: 'lines', lines: [`base: ${c.base.title} (${c.base.file})`, `new:  ${c.next.title} (${c.next.file})`] });
  out.push(paragraph(verdictLine(c)));
  out.push(
    paragraph(
      `A change counts when its whole 95% interval lies beyond the threshold of ${(c.threshold * 100).toFixed(1)}%. ` +
        'Change = median(new) / median(base) - 1 (every figure is a cost: + is slower), ' +
        `interval by ${c.ciMethod}, ${c.resamples} resamples. ` +
        'Metrics: "" = time per iteration, delta = paired delta over the in-batch baseline in ns, rel = that delta / the baseline. ' +
        'b = the base delta\'s interval reaches 0, so the change is the difference of medians as a share of the in-batch baseline. ' +
        `Compared: ${c.kinds.join(', ')}${c.filter ? `, metrics matching ${c.filter}` : ''}.`,
    ),
  );
  if (c.environment.length || c.warnings.length)
    out.push(
      heading('Warnings'),
      list([
        ...c.environment.map((d) => `environments differ: ${d.label} (${d.field}): ${d.base} -> ${d.next}`),
        ...c.warnings,
      ]),
    );
  const changed = c.metrics.filter((m) => m.verdict === 'regressed' || m.verdict === 'improved');
  if (changed.length) {
    out.push(heading('Changed'), metricTable([...changed].sort((a, b) => VERDICT_ORDER.indexOf(a.verdict) - VERDICT_ORDER.indexOf(b.verdict))));
    out.push(list(changed.map((m) => `${m.id}: ${valueText(m, 'base')} -> ${valueText(m, 'next')}`)));
  }
  const same = c.metrics.filter((m) => m.verdict === 'no change');
  if (same.length) out.push(heading('No change'), metricTable(same));
  const not = c.metrics.filter((m) => m.verdict === 'not compared');
  if (not.length) {
    // One line per reason: a run's refused requests and empty plans share theirs.
    const byNote = new Map<string, string[]>();
    for (const m of not) byNote.set(m.note ?? 'no reason', [...(byNote.get(m.note ?? 'no reason') ?? []), m.id]);
    out.push(heading('Not compared'), list([...byNote].map(([note, ids]) => (ids.length === 1 ? `${ids[0]}: ${note}` : `${note}: ${ids.length} metrics: ${ids.join(', ')}`))));
  }
  if (!c.metrics.length) out.push(paragraph('No metric to compare (check --filter and --metrics).'));
  return out;
}
