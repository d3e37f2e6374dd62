/** The compact answer table `clonebench run` prints for the proposals suite. */
import type { Answer, AnswerRow } from '../../results/schema.js';
import { table } from '../../text/table.js';
import { shapeName } from './request-shapes.js';

const ns = (x: number) => x.toFixed(1);

function cost(row: AnswerRow): string {
  if (row.status === 'zero') return '0 (no reads)';
  if (row.status === 'refused') return 'refused';
  if (!row.costNs) return 'skipped';
  return `${ns(row.costNs.estimate)} [${ns(row.costNs.ciLow)}, ${ns(row.costNs.ciHigh)}]`;
}

/** Percent with enough digits for shares of a few hundredths of a percent. */
function pct(x: number): string {
  const p = x * 100;
  return p === 0 ? '0' : p.toFixed(Math.abs(p) < 0.1 ? 3 : Math.abs(p) < 10 ? 2 : 1);
}

function share(row: AnswerRow, i: number): string {
  const o = row.overheads[i];
  if (!o?.ratio) return '-';
  const noise = o.versusNoise === 'below' ? '' : o.versusNoise === 'above' ? ' *' : ' ~';
  if (row.status === 'zero') return '0';
  return `${pct(o.ratio.estimate)} [${pct(o.ratio.ciLow)}, ${pct(o.ratio.ciHigh)}]${noise}`;
}

/** Clone variants shown as columns: the cheapest (thread-like from Node) and fork from the small
 * helper; the results file holds every clone variant. */
const SHOWN = [
  { shape: 'thread', where: 'node' },
  { shape: 'fork', where: 'helper' },
] as const;

export function formatProposalCosts(pc: Answer): string[] {
  const lines: string[] = [];
  const cols = SHOWN.map((w) => pc.clones.findIndex((c) => c.shape === w.shape && c.where === w.where));
  const clone = (i: number) => {
    const c = pc.clones[i];
    if (!c) return 'not measured in this run';
    return c.median === null ? `${c.variant}: not measured in this run` : `${c.variant} ${(c.median / 1e3).toFixed(2)} us [${(c.ciLow! / 1e3).toFixed(2)}, ${(c.ciHigh! / 1e3).toFixed(2)}]`;
  };
  lines.push(`  answer at placement ${pc.headlinePlacement}; model: the copy model of the row's placement (agree = intervals overlap)`);
  lines.push(`  % of clone: plan median / clone median, 95% CI; vs ${clone(cols[0])}; fork = ${clone(cols[1])}`);
  lines.push("  mark after a share: none = the copy cost's CI lies below clone's noise (half-width of its median's CI), ~ = overlaps it, * = above it");
  const header = ['interface', 'request', 'placement', 'probes', 'bytes', 'pages', 'measured ns [95% CI]', 'model ns [CI]', 'agree', '% thread-like', '% fork'];
  const rows = pc.rows.filter((r) => r.status !== 'refused').map((r) => [
    r.proposal,
    shapeName(r.levels),
    r.placement,
    r.probes === null ? '-' : String(r.probes),
    r.probeBytes === null ? '-' : String(r.probeBytes),
    r.pageTouches === null ? '-' : r.pageTouches.toFixed(1),
    cost(r),
    r.model === null ? '-' : `${ns(r.model.estimate)} [${ns(r.model.ciLow)}, ${ns(r.model.ciHigh)}]`,
    r.agrees === null ? '-' : r.agrees ? 'yes' : 'NO',
    cols[0] >= 0 ? share(r, cols[0]) : '-',
    cols[1] >= 0 ? share(r, cols[1]) : '-',
  ]);
  lines.push(...table(header, rows, ['l', 'l', 'l', 'r', 'r', 'r', 'r', 'r', 'l', 'r', 'r']).split('\n').map((l) => `  ${l}`));
  const refused = pc.rows.filter((x) => x.status === 'refused' && x.placement === pc.headlinePlacement);
  for (const r of refused) lines.push(`  refused: ${r.proposal}/${shapeName(r.levels)}: ${r.reason}`);
  for (const r of pc.rows.filter((x) => x.status === 'skipped')) lines.push(`  skipped: ${r.variant}: ${r.reason}`);
  return lines;
}
