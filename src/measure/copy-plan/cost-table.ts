/** The compact answer table `clonebench run` prints for the proposals suite. */
import type { ProposalCostRow, ProposalCosts } from '../../results/schema.js';
import { table } from '../../text/table.js';
import { shapeName } from './request-shapes.js';

const ns = (x: number) => x.toFixed(1);

function cost(row: ProposalCostRow): string {
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

function share(row: ProposalCostRow, i: number): string {
  const o = row.overheads[i];
  if (!o?.ratio) return '-';
  const noise = o.versusNoise === 'below' ? '' : o.versusNoise === 'above' ? ' *' : ' ~';
  if (row.status === 'zero') return '0';
  return `${pct(o.ratio.estimate)} [${pct(o.ratio.ciLow)}, ${pct(o.ratio.ciHigh)}]${noise}`;
}

export function formatProposalCosts(pc: ProposalCosts): string[] {
  const lines: string[] = [];
  const clone = (i: number) => {
    const c = pc.clones[i];
    return c.median === null ? `${c.variant}: not measured in this run` : `${c.variant} ${(c.median / 1e3).toFixed(2)} us [${(c.ciLow! / 1e3).toFixed(2)}, ${(c.ciHigh! / 1e3).toFixed(2)}]`;
  };
  lines.push(
    pc.fit
      ? `  model = calls x ${pc.fit.c0.toFixed(2)} ns + bytes x ${pc.fit.c1.toFixed(4)} ns (${pc.fit.id})`
      : '  model: no fit in this run (the copy suite\'s copy/set_tid-fit did not run)',
  );
  lines.push(`  % of clone: plan median / clone median, 95% CI by independent bootstrap of both; vs ${clone(0)}; fork = ${clone(1)}`);
  lines.push("  mark after a share: none = the copy cost's CI lies below clone's noise (half-width of its median's CI), ~ = overlaps it, * = above it");
  const header = ['interface', 'request', 'calls', 'bytes', 'measured ns [95% CI]', 'model ns', '% thread-like [CI]', '% fork [CI]'];
  const rows = pc.rows.map((r) => [
    r.proposal,
    shapeName(r.levels),
    r.copies === null ? '-' : String(r.copies),
    r.bytes === null ? '-' : String(r.bytes),
    cost(r),
    r.modelNs === null ? '-' : ns(r.modelNs),
    share(r, 0),
    share(r, 1),
  ]);
  lines.push(...table(header, rows, ['l', 'l', 'r', 'r', 'r', 'r', 'r', 'r']).split('\n').map((l) => `  ${l}`));
  for (const r of pc.rows.filter((x) => x.status === 'refused' || x.status === 'skipped')) lines.push(`  ${r.status}: ${r.variant}: ${r.reason}`);
  return lines;
}
