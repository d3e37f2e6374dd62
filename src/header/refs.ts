/**
 * References in annotations: an argument name, or struct.member (outer.inner.member through
 * embedded structs; members of anonymous structs and unions by their own names, as in C11),
 * resolved with their declared types; and the header's constants by name.
 */
import type { ValueRef } from '../encode/generic-plan.js';
import { typeString, type MemberDef, type ParsedHeader, type RecordDef, type SyscallArgDef, type SyscallProto, type TypeRef } from './ast.js';
import type { Word } from './annotations.js';
import { fail, type Pos } from './tokens.js';

/** A resolved reference: an argument or a member, with its declared type. */
export interface Resolved {
  ref: ValueRef;
  type: TypeRef;
  text: string;
  pos: Pos;
  /** The record that holds a member (an anonymous one included). */
  owner?: RecordDef;
}

export const isRecord = (t: TypeRef) => /^(struct|union) /.test(t.base);
export const isScalar = (t: TypeRef) => t.pointers === 0 && !t.array && !isRecord(t) && t.base !== 'void';
export const isPointer = (t: TypeRef) => t.pointers > 0 && !t.array;
export const pointee = (t: TypeRef) => typeString({ ...t, pointers: t.pointers - 1 });
export const elementOf = (t: TypeRef) => typeString({ ...t, array: undefined });

export class HeaderRefs {
  readonly records = new Map<string, RecordDef>();

  constructor(
    readonly h: ParsedHeader,
    readonly sys: SyscallProto,
  ) {
    for (const r of h.records) this.records.set(r.name, r);
  }

  arg(name: string): SyscallArgDef | undefined {
    return this.sys.args.find((a) => a.name === name);
  }

  recordNamed(name: string): RecordDef | undefined {
    const direct = this.records.get(name);
    if (direct) return direct;
    const td = this.h.typedefs.get(name);
    const m = td && td.type.pointers === 0 && !td.type.array ? /^(?:struct|union) (\w+)$/.exec(td.type.base) : null;
    return m ? this.records.get(m[1]) : undefined;
  }

  /** A member by name in a record or in its anonymous members, with the record that holds it. */
  findMember(r: RecordDef, name: string): { owner: RecordDef; member: MemberDef } | undefined {
    for (const m of r.members) {
      if (m.anonymous) {
        const inner = this.records.get(m.type.base.split(' ')[1]);
        const found = inner && this.findMember(inner, name);
        if (found) return found;
      } else if (m.name === name) return { owner: r, member: m };
    }
    return undefined;
  }

  resolve(w: Word, what = 'an argument name or struct.member'): Resolved {
    const parts = w.text.split('.');
    if (parts.length === 1) {
      const a = this.arg(w.text);
      if (!a) fail(w.pos, `found ${w.text}, which names no argument of sys_${this.sys.name} (arguments: ${this.sys.args.map((x) => x.name).join(', ') || 'none'}), expected ${what}`);
      return { ref: { kind: 'arg', name: a.name }, type: a.type, text: a.name, pos: w.pos };
    }
    let rec = this.recordNamed(parts[0]);
    if (!rec) fail(w.pos, `found ${w.text}, but there is no struct or union ${parts[0]} in this header (${[...this.records.keys()].filter((n) => !this.records.get(n)!.synthesized).join(', ') || 'none'}), expected ${what}`);
    for (let i = 1; i < parts.length; i++) {
      const found = this.findMember(rec, parts[i]);
      if (!found) fail(w.pos, `found ${w.text}, but ${rec.kind} ${rec.name} has no member ${parts[i]} (members: ${rec.members.map((m) => m.name).join(', ')}), expected ${what}`);
      if (i === parts.length - 1) return { ref: { kind: 'member', struct: found.owner.name, member: found.member.name }, type: found.member.type, text: `${found.owner.name}.${found.member.name}`, pos: w.pos, owner: found.owner };
      const t = found.member.type;
      const next = t.pointers === 0 && !t.array && isRecord(t) ? this.records.get(t.base.split(' ')[1]) : undefined;
      if (!next) fail(w.pos, `found ${w.text}, but ${parts.slice(0, i + 1).join('.')} is not a struct member (it is ${typeString(t)}), expected a path through embedded structs`);
      rec = next;
    }
    throw new Error('unreachable');
  }

  constantValue(w: Word, what: string): bigint {
    if (/^(0x[0-9a-fA-F]+|[0-9]+)$/.test(w.text)) return BigInt(w.text);
    const v = this.h.constant(w.text, w.pos);
    if (v === undefined) fail(w.pos, `found ${w.text}, which is neither a number nor a #define or enumerator of this header, expected ${what}`);
    return v;
  }

  singleBit(w: Word): bigint {
    const v = this.constantValue(w, 'a flag constant');
    if (v <= 0n || (v & (v - 1n)) !== 0n) fail(w.pos, `found ${w.text} = 0x${v.toString(16)}, expected a single flag bit`);
    return v;
  }
}
