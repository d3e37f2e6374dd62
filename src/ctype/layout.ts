/** The layout engine: size, alignment, offsets, holes and tail padding of a C type on a target. */
import type { CType, StructDecl, TypeScope } from './model.js';
import { resolveType } from './model.js';
import type { TargetAbi } from './target.js';

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
  target: string;
  size: number;
  align: number;
  fields: FieldLayout[];
  holes: Hole[];
  tailPadding: number;
}

const alignUp = (n: number, a: number) => Math.ceil(n / a) * a;

export function typeSizeAlign(t: CType, target: TargetAbi, scope: TypeScope): { size: number; align: number; nested?: StructLayout } {
  switch (t.kind) {
    case 'scalar': {
      const [size, align] = target.types[t.base];
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

/** Lays out a struct the way the target's C compiler does (no bitfields, no packing). */
export function layoutStruct(decl: StructDecl, target: TargetAbi, scope: TypeScope): StructLayout {
  const fields: FieldLayout[] = [];
  const holes: Hole[] = [];
  let offset = 0;
  let align = 1;
  for (const f of decl.fields) {
    const ctype = resolveType(f.type, scope, `struct ${decl.name}, field "${f.name}"`, new Set([decl.name]));
    const sa = typeSizeAlign(ctype, target, scope);
    const at = alignUp(offset, sa.align);
    if (at > offset && fields.length > 0) holes.push({ after: fields[fields.length - 1].name, offset, size: at - offset });
    fields.push({ name: f.name, type: f.type, ctype, offset: at, size: sa.size, align: sa.align, nested: sa.nested });
    offset = at + sa.size;
    align = Math.max(align, sa.align);
  }
  const size = alignUp(offset, align);
  return { name: decl.name, target: target.id, size, align, fields, holes, tailPadding: size - offset };
}

/** Sum of the members' own sizes, as pahole prints it. */
export function sumMembers(l: StructLayout): number {
  return l.fields.reduce((n, f) => n + f.size, 0);
}
