/**
 * The requirements matrix as plain ASCII within 100 columns: a grid (requirements down,
 * interfaces across, split into several grids when too many interfaces are chosen), then per
 * interface the reason for every shortfall and the numbers behind flag capacity, register slots
 * and copies.
 */
import { table } from '../../text/table.js';
import { WIDTH, wrap } from '../wrap.js';
import type { RequirementStatus, RequirementsMatrix } from './types.js';

const MARK: Record<RequirementStatus, string> = { met: 'met', partly: 'part', 'not met': 'NO' };
/** Rows whose reason carries numbers a reviewer wants even when the row is met. */
const ALWAYS_SHOWN = new Set(['3.capacity', 'args', 'copies']);
const COLUMN = 6;

export function requirementsText(m: RequirementsMatrix, numbers: ReadonlyMap<string, number>): string {
  const ids = Object.keys(m.interfaces);
  if (ids.length === 0) return 'no interface with an encoder was chosen';
  const label = (id: string) => {
    const r = m.requirements.find((x) => x.id === id)!;
    return `${r.parent ? '  ' : ''}${r.label}`;
  };
  const labelWidth = Math.max(...m.requirements.map((r) => label(r.id).length));
  const perGrid = Math.max(1, Math.floor((WIDTH - labelWidth) / COLUMN));
  const grids: string[] = [];
  for (let i = 0; i < ids.length; i += perGrid) {
    const chunk = ids.slice(i, i + perGrid);
    const head = ['requirement', ...chunk.map((id) => `[${numbers.get(id)}]`)];
    const rows = m.requirements.map((r) => [label(r.id), ...chunk.map((id) => MARK[m.interfaces[id][r.id].status])]);
    grids.push(table(head, rows, ['l', ...chunk.map(() => 'l' as const)]));
  }
  const legend = ids.map((id) => `[${numbers.get(id)}] ${id}`).join('  ');
  const out = [
    ...grids.flatMap((g, i) => (i ? ['', g] : [g])),
    '',
    wrap(legend, '    ', ''),
    wrap(`met / part = partly / NO = not met, on the ${m.targets.length} chosen ABI(s); each cell is probed by encoding real requests with the interface's encoder`, '    ', ''),
  ];
  for (const id of ids) {
    out.push('', `[${numbers.get(id)}] ${id}`);
    for (const r of m.requirements) {
      const c = m.interfaces[id][r.id];
      if (!r.parent && !ALWAYS_SHOWN.has(r.id)) continue;
      if (c.status === 'met' && !ALWAYS_SHOWN.has(r.id)) continue;
      const on = c.abis ? ` [falls short on ${c.abis.join(', ')}]` : '';
      out.push(wrap(`${r.label}: ${MARK[c.status]}: ${c.reason}${on}`, '      ', '  - '));
    }
  }
  return out.join('\n');
}
