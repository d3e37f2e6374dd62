/**
 * The text form of `clonebench review`, for pasting into a mailing-list thread: plain ASCII,
 * wrapped at 100 columns. Findings that differ only in the target are printed once with the
 * list of targets.
 */
import { table } from '../text/table.js';
import type { ReviewReport } from './engine.js';
import type { FlagCapacity, InterfaceFacts } from './facts.js';
import type { Finding } from './types.js';
import { registerWordText } from './register-word.js';
import { requirementsText } from './requirements/text.js';
import { WIDTH, wrap } from './wrap.js';

export { wrap };

/** Targets with the same value, as "a, b: v1; c: v2". */
function byValue(values: Record<string, string>): string {
  const groups = new Map<string, string[]>();
  for (const [t, v] of Object.entries(values)) groups.set(v, [...(groups.get(v) ?? []), t]);
  if (groups.size === 1) return `${[...groups.keys()][0]} on all ${Object.keys(values).length} chosen ABIs`;
  return [...groups].map(([v, ts]) => `${v} on ${ts.join(', ')}`).join('; ');
}

const MIN_STATEMENT = 20;

function matrixText(r: ReviewReport): string {
  const all = Object.keys(r.matrix);
  // Many interfaces (registered ones) split into several grids, each within WIDTH columns.
  const perGrid = Math.max(1, Math.floor((WIDTH - 6 - 2 - MIN_STATEMENT) / 6));
  const grids: string[] = [];
  for (let first = 0; first < all.length; first += perGrid) {
    const ids = all.slice(first, first + perGrid);
    const head = ['rule', ...ids.map((_, i) => `[${first + i + 1}]`), 'statement'];
    const statementWidth = Math.max(MIN_STATEMENT, WIDTH - (6 + ids.length * 6 + 2));
    const rows = r.rules.map((rule) => [rule.id, ...ids.map((id) => r.matrix[id][rule.id]), rule.statement.length > statementWidth ? `${rule.statement.slice(0, statementWidth - 3)}...` : rule.statement]);
    grids.push(table(head, rows, ['l', ...ids.map(() => 'l' as const), 'l']));
  }
  const legend = all.map((id, i) => `[${i + 1}] ${id}`).join('  ');
  return [grids.join('\n\n'), '', wrap(legend, '    ', ''), 'fail = error, warn = warning, note = informational, n/a = nothing to check in this design'].join('\n');
}

const capacityText = (c: FlagCapacity) => `${c.fixedBits}${c.variable ? ` + ${c.variable}` : ''}`;

function factsText(f: InterfaceFacts): string {
  const out = [wrap(`${f.proposal}: ${f.title}`, '    ', ''), wrap(`status: ${f.status}`, '      ', '  ')];
  if (f.compat.needed) {
    const on = [...new Set(f.compat.reasons.flatMap((r) => r.targets))];
    out.push(`  compat entry on a 64-bit kernel: NEEDED for ${on.join(', ')}`);
    for (const r of f.compat.reasons) out.push(wrap(`(${r.case}) ${r.why} [${r.targets.join(', ')}]`, '        ', '    - '));
  } else out.push('  compat entry on a 64-bit kernel: not needed (one entry serves 32- and 64-bit tasks)');
  out.push(`  x32: ${f.compat.x32Entry}`);
  const differing = f.layout.structs.filter((s) => !s.identical || !s.alignIdentical);
  if (f.layout.structs.length === 0) out.push('  layout: no structs (everything in registers)');
  else if (f.layout.identicalOnAll) out.push(`  layout identical on all ${f.layout.abis} ABIs: yes${differing.length ? ` (offsets; alignment differs for ${differing.map((s) => s.name).join(', ')})` : ''}`);
  else {
    out.push(`  layout identical on all ${f.layout.abis} ABIs: NO`);
    for (const s of f.layout.structs.filter((x) => !x.identical)) out.push(wrap(`struct ${s.name}: ${byValue(Object.fromEntries(Object.entries(s.sizes).map(([t, n]) => [t, `${n} B`])))}`.replace(/ on all \d+ chosen ABIs/, ''), '        ', '    - '));
  }
  out.push(`  extensible without a new syscall: ${f.extensible.withoutNewSyscall}`);
  for (const h of f.extensible.how) out.push(wrap(h, '        ', '    - '));
  out.push(wrap(`flag capacity (bits): ${byValue(Object.fromEntries(Object.entries(f.flagCapacity).map(([t, c]) => [t, capacityText(c)])))}`, '        ', '  '));
  out.push(wrap(`kernel copies: ${f.copies.empty} for an empty request, ${f.copies.full} for a full one${f.copies.note ? ` (${f.copies.note})` : ''}`, '        ', '  '));
  const slots = Object.fromEntries(Object.entries(f.slots).map(([t, s]) => [t, `${s.used}${s.padding ? ` (${s.padding} padding)` : ''}${s.stack ? ` (${s.stack} on the stack)` : ''}`]));
  out.push(wrap(`register slots (limit 6): ${byValue(slots)}`, '        ', '  '));
  if (f.registerWord) {
    out.push('  register trick:');
    for (const line of registerWordText(f.registerWord)) out.push(wrap(line, '        ', '    - '));
  }
  return out.join('\n');
}

interface FindingGroup {
  first: Finding;
  targets: string[];
}

/** Findings equal except for the target print once. */
function groupFindings(findings: readonly Finding[]): FindingGroup[] {
  const groups = new Map<string, FindingGroup>();
  for (const f of findings) {
    const key = JSON.stringify([f.rule, f.proposal, f.struct, f.field, f.severity, f.message, f.fix]);
    const g = groups.get(key) ?? { first: f, targets: [] };
    if (f.target) g.targets.push(f.target);
    groups.set(key, g);
  }
  return [...groups.values()];
}

function findingsText(r: ReviewReport): string {
  const out: string[] = [];
  for (const id of Object.keys(r.matrix)) {
    const groups = groupFindings(r.findings.filter((f) => f.proposal === id));
    if (groups.length === 0) continue;
    out.push('', `---- ${id}`);
    for (const { first: f, targets } of groups) {
      const where = [f.struct && `struct ${f.struct}`, f.field].filter(Boolean).join(', ');
      const head = `${f.rule} ${f.severity}${where ? `  ${where}` : ''}`;
      const on = targets.length ? `  on ${targets.join(', ')}` : '';
      out.push(head.length + on.length <= WIDTH ? head + on : `${head}\n${wrap(`on ${targets.join(', ')}`, '       ', '    ')}`);
      out.push(wrap(f.message, '    '));
      if (f.fix) out.push(wrap(`fix: ${f.fix}`, '         ', '    '));
    }
  }
  return out.join('\n');
}

/** Each rule cited by a finding once, with its source, so the findings can stay short. */
function rulesCited(r: ReviewReport): string {
  const cited = new Set(r.findings.map((f) => f.rule));
  return r.rules
    .filter((x) => cited.has(x.id))
    .map((x) => wrap(`${x.id} ${x.statement} Source: ${x.source}`, '      ', ''))
    .join('\n');
}

export function reviewText(r: ReviewReport): string {
  // One numbering for both grids: [n] is the same interface in the requirements and the verdicts.
  const numbers = new Map(Object.keys(r.matrix).map((id, i) => [id, i + 1]));
  const unprobed = Object.keys(r.matrix).filter((id) => !r.requirements.interfaces[id]);
  return [
    `clonebench review: ${Object.keys(r.matrix).length} interface(s) on ${r.targets.length} target ABI(s); rules SC-nn from abi-rules.md`,
    '',
    "==== the RFC's requirements (interface x requirement)",
    '',
    requirementsText(r.requirements, numbers),
    ...(unprobed.length ? ['', wrap(`not probed (no encoder registered): ${unprobed.join(', ')}`, '    ', '')] : []),
    '',
    '==== verdicts (interface x rule)',
    '',
    matrixText(r),
    '',
    '==== derived facts',
    ...Object.values(r.facts).flatMap((f) => ['', factsText(f)]),
    '',
    '==== findings',
    findingsText(r),
    '',
    '==== rules cited',
    '',
    rulesCited(r),
  ].join('\n');
}
