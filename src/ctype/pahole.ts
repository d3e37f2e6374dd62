/** A pahole-style printout of a struct layout: offsets, sizes, holes and padding. */
import type { CType } from './model.js';
import type { FieldLayout, StructLayout } from './layout.js';
import { sumMembers } from './layout.js';

const CACHELINE = 64;

/** The C declarator for a member: "pid_t *", "pids"  ->  "pid_t *pids"; arrays after the name. */
function declarator(t: CType, name: string): string {
  if (t.kind === 'array') return declarator(t.of, `${name}[${t.lengthName ?? t.length}]`);
  if (t.kind === 'flex') return declarator(t.of, `${name}[]`);
  if (t.kind === 'pointer') return `${t.name.slice(0, -1).trimEnd()} *${name}`;
  return `${t.name} ${name}`;
}

function memberLine(f: FieldLayout, indent: string): string {
  const decl = `${declarator(f.ctype, f.name)};`;
  return `${indent}${decl.padEnd(40)} /* ${String(f.offset).padStart(5)} ${String(f.size).padStart(5)} */`;
}

export function pahole(l: StructLayout, indent = '\t'): string {
  const lines = [`${l.kind} ${l.name} {`];
  l.fields.forEach((f, i) => {
    if (i > 0 && Math.floor(f.offset / CACHELINE) > Math.floor(l.fields[i - 1].offset / CACHELINE)) {
      lines.push(`${indent}/* --- cacheline ${Math.floor(f.offset / CACHELINE)} boundary (${Math.floor(f.offset / CACHELINE) * CACHELINE} bytes) --- */`);
    }
    lines.push(memberLine(f, indent));
    const hole = l.holes.find((h) => h.after === f.name);
    if (hole) lines.push('', `${indent}/* XXX ${hole.size} byte${hole.size === 1 ? '' : 's'} hole, try to pack */`, '');
  });
  lines.push('');
  const holes = l.holes.reduce((n, h) => n + h.size, 0);
  lines.push(`${indent}/* size: ${l.size}, cachelines: ${Math.max(1, Math.ceil(l.size / CACHELINE))}, members: ${l.fields.length} */`);
  lines.push(`${indent}/* sum members: ${sumMembers(l)}${l.holes.length ? `, holes: ${l.holes.length}, sum holes: ${holes}` : ''} */`);
  if (l.tailPadding) lines.push(`${indent}/* padding: ${l.tailPadding} */`);
  if (l.size % CACHELINE) lines.push(`${indent}/* last cacheline: ${l.size % CACHELINE} bytes */`);
  lines.push(`${indent}/* alignment: ${l.align} */`);
  lines.push('};');
  return lines.join('\n');
}
