/** The layout engine: size, alignment, offsets, holes and tail padding of a C type on a target. */
import type { CType, ScalarBase, StructDecl, TypeScope } from './model.js';
import { resolveType } from './model.js';
import type { SizeAlign, TargetAbi } from './target.js';

export interface FieldLayout {
  name: string;
  /** The type as declared, e.g. "pid_t *". */
  type: string;
  ctype: CType;
  offset: number;
  size: number;
  align: number;
  /** For a struct member (or array of structs), the nested layout. */
  nested?: StructLayout;
}

export interface Hole {
  /** The member the hole follows. */
  after: string;
  offset: number;
  size: number;
}

export interface StructLayout {
  name: string;
  kind: 'struct' | 'union';
  target: string;
  size: number;
  align: number;
  fields: FieldLayout[];
  holes: Hole[];
  tailPadding: number;
}

const alignUp = (n: number, a: number) => Math.ceil(n / a) * a;

/** Size and in-struct alignment of a scalar base on a target (`kernel long`: register-wide). */
export function baseSizeAlign(base: ScalarBase, target: TargetAbi): SizeAlign {
  if (base !== 'kernel long') return target.types[base];
  return target.types.long[0] * 8 === target.registerBits ? target.types.long : target.types['long long'];
}

export function typeSizeAlign(t: CType, target: TargetAbi, scope: TypeScope): { size: number; align: number; nested?: StructLayout } {
  switch (t.kind) {
    case 'scalar': {
      const [size, align] = baseSizeAlign(t.base, target);
      return { size, align: Math.max(align, t.alignAttr ?? 1) };
    }
    case 'pointer': {
      const [size, align] = target.types.pointer;
      return { size, align };
    }
    case 'array': {
      const e = typeSizeAlign(t.of, target, scope);
      return { size: e.size * t.length, align: e.align, nested: e.nested };
    }
    case 'flex': {
      const e = typeSizeAlign(t.of, target, scope);
      return { size: 0, align: e.align, nested: e.nested };
    }
    case 'struct': {
      const nested = layoutStruct(t.decl, target, scope);
      return { size: nested.size, align: nested.align, nested };
    }
  }
}

/**
 * Lays out a struct or union the way the target's C compiler does (no bitfields). A member's
 * alignment is its type's (with a typedef's aligned(N)), or 1 when it or its struct is packed,
 * then raised to its own aligned(N); the struct's is its members' largest, raised to the
 * struct's aligned(N).
 */
export function layoutStruct(decl: StructDecl, target: TargetAbi, scope: TypeScope): StructLayout {
  const kind = decl.kind ?? 'struct';
  const fields: FieldLayout[] = [];
  const holes: Hole[] = [];
  let offset = 0;
  let end = 0;
  let align = decl.align ?? 1;
  for (const f of decl.fields) {
    const ctype = resolveType(f.type, scope, `${kind} ${decl.name}, field "${f.name}"`, new Set([decl.name]));
    const sa = typeSizeAlign(ctype, target, scope);
    const memberAlign = Math.max(decl.packed || f.packed ? 1 : Math.max(sa.align, f.typeAlign ?? 1), f.align ?? 1);
    const at = kind === 'union' ? 0 : alignUp(offset, memberAlign);
    if (at > offset && fields.length > 0) holes.push({ after: fields[fields.length - 1].name, offset, size: at - offset });
    fields.push({ name: f.name, type: f.type, ctype, offset: at, size: sa.size, align: memberAlign, nested: sa.nested });
    offset = at + sa.size;
    end = Math.max(end, offset);
    align = Math.max(align, memberAlign);
  }
  const size = alignUp(end, align);
  return { name: decl.name, kind, target: target.id, size, align, fields, holes, tailPadding: size - end };
}

/** Sum of the members' own sizes, as pahole prints it. */
export function sumMembers(l: StructLayout): number {
  return l.fields.reduce((n, f) => n + f.size, 0);
}
