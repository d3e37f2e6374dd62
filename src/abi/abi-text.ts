/** The text form of `clonebench abi`: grouped pahole blocks, a comparison table, register slots. */
import { pahole } from '../ctype/pahole.js';
import { table } from '../text/table.js';
import { layoutShape, type AbiReport } from './abi-report.js';

export function abiText(r: AbiReport): string {
  const out: string[] = [];
  for (const p of r.proposals) {
    out.push(`==== ${p.id}: ${p.title}`);
    if (Object.keys(p.constants).length) out.push(`     constants: ${Object.entries(p.constants).map(([k, v]) => `${k}=${v}`).join(', ')}`);
    if (p.structs.length === 0) out.push('     (no structs: every argument travels in registers)');
    for (const s of p.structs) {
      // Targets whose layout and alignment agree share one printout, as pahole would print the same.
      const groups = new Map<string, string[]>();
      for (const [t, l] of Object.entries(s.layouts)) {
        const key = `${layoutShape(l)}/${l.align}`;
        groups.set(key, [...(groups.get(key) ?? []), t]);
      }
      for (const targets of groups.values()) {
        out.push('', `/* ${targets.join(', ')} */`, pahole(s.layouts[targets[0]]));
      }
    }
    out.push('');
  }
  out.push('==== struct sizes by target (size/align; * = hole or tail padding)', '');
  const rows = r.proposals.flatMap((p) =>
    p.structs.map((s) => [
      `${p.id}: ${s.name}`,
      ...r.targets.map((t) => `${s.layouts[t].size}/${s.layouts[t].align}${s.paddedOn.includes(t) ? '*' : ''}`),
      s.sameLayoutEverywhere ? (s.sameAlignEverywhere ? 'yes' : 'offsets (align differs)') : 'NO',
      s.registerSizedMembers.map((m) => `${m.field}(${m.kind})`).join(' ') || '-',
    ]),
  );
  out.push(table(['struct', ...r.targets, 'identical', 'ptr/long members'], rows));
  out.push('', '==== syscall register slots by target (n = slots; +p = padding slots for even pairs; s = on the user stack; limit 6)', '');
  const slotRows = r.proposals.map((p) => [
    `${p.id}: ${Object.values(p.slots)[0]?.syscall ?? ''}`,
    ...r.targets.map((t) => {
      const a = p.slots[t];
      return `${a.slotsUsed}${a.paddingSlots ? `+${a.paddingSlots}p` : ''}${a.stackSlots ? ` ${a.stackSlots}s` : ''}${a.slotsUsed > a.limit ? '!' : ''}`;
    }),
  ]);
  out.push(table(['syscall', ...r.targets], slotRows));
  return out.join('\n');
}
