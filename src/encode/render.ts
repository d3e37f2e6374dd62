/** Printing a user image: hex dumps (in the target's byte order), register arguments, copy plan. */
import { formatFlags } from '../request/parse.js';
import { childLevel, nspidOf, requestJson, type CloneRequest } from '../request/types.js';
import { table } from '../text/table.js';
import { planTotals } from './encode.js';
import type { ArgValue, UserImage } from './types.js';
import { hexDump } from './writer.js';

const hex = (v: bigint) => `0x${v.toString(16)}`;

export function argText(v: ArgValue): string {
  switch (v.kind) {
    case 'value':
      return hex(v.value);
    case 'address':
      return `&${v.segment}`;
    case 'symbol':
      return `<${v.name}>`;
  }
}

export function requestText(req: CloneRequest): string {
  return `flags ${formatFlags(req.flags)}, exit signal ${req.exitSignal}, caller at level ${req.depth}, child at level ${childLevel(req)}, NSpid [${nspidOf(req).join(' ')}] (0 = automatic)`;
}

/** `before` goes under the heading, above the calls and the plan (the kernel-side checks). */
export function imageText(img: UserImage, before: readonly string[] = []): string {
  const out: string[] = [`${img.proposal} on ${img.target} (${img.endian}-endian, ${img.pointerBytes}-byte pointers)`, ...before];
  for (const call of img.calls) {
    out.push(`  ${call.syscall}${call.number === undefined ? '' : ` (nr ${call.number})`}: ${call.why}`);
    const t = table(['argument', 'type', 'in', 'value'], call.args.map((a) => [a.name, a.type, a.locations.join('+'), argText(a.value)]), ['l', 'l', 'l', 'l']);
    out.push(...t.split('\n').map((l) => `    ${l}`));
  }
  if (img.segments.length === 0) out.push('  segments: none (no user memory)');
  for (const s of img.segments) {
    out.push(`  segment ${s.name}: ${s.ctype}, ${s.bytes.length} bytes, align ${s.align}`);
    out.push(...hexDump(s.bytes).map((l) => `    ${l}`));
    for (const f of img.fixups.filter((x) => x.segment === s.name))
      out.push(`    fixup: +${f.offset} (${f.field}, ${f.width} bytes) = &${f.to}`);
  }
  const t = planTotals(img);
  out.push(`  copy plan: ${t.copies} copy_from_user call(s), ${t.bytes} bytes${t.zeroChecked ? `, ${t.zeroChecked} bytes zero-checked` : ''}, ${t.syscalls} syscall(s)`);
  img.plan.forEach((r, i) => out.push(`    ${i + 1}. ${r.kind === 'copy' ? 'copy' : 'zero-check'} ${r.segment}+${r.offset}, ${r.length} bytes: ${r.why}`));
  return out.join('\n');
}

export function imageJson(img: UserImage, req?: CloneRequest): Record<string, unknown> {
  return {
    proposal: img.proposal,
    target: img.target,
    endian: img.endian,
    pointerBytes: img.pointerBytes,
    request: req ? requestJson(req) : undefined,
    calls: img.calls.map((c) => ({
      syscall: c.syscall,
      number: c.number,
      why: c.why,
      args: c.args.map((a) => ({ name: a.name, type: a.type, locations: a.locations, value: a.value.kind === 'value' ? { kind: 'value', value: hex(a.value.value) } : a.value })),
    })),
    segments: img.segments.map((s) => ({ name: s.name, ctype: s.ctype, size: s.bytes.length, align: s.align, hex: Buffer.from(s.bytes).toString('hex') })),
    fixups: img.fixups,
    plan: img.plan,
    totals: planTotals(img),
  };
}
