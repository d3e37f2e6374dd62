/**
 * Concrete fixes: a struct rewritten the way the kernel writes compat-free uapi structs (SC-19):
 * fixed-width members, pointers and longs carried as __aligned_u64, and every byte of padding
 * turned into an explicit reserved member the kernel requires to be zero (SC-20). The rewrite
 * is checked by laying it out, not assumed: `layoutSummary` reports whether it is identical.
 */
import { TARGETS } from '../../abi/targets/index.js';
import { layoutShape } from '../abi/abi-report.js';
import { layoutStruct } from '../ctype/layout.js';
import { resolveType, type CType, type FieldDecl, type StructDecl, type TypeScope } from '../ctype/model.js';
import type { TargetAbi } from '../ctype/target.js';

/** The fixed-width spelling of one member type; keeps array lengths and their constant names. */
function fixedWidthType(t: CType): string {
  switch (t.kind) {
    case 'pointer':
      return '__aligned_u64';
    case 'array':
      return `${fixedWidthType(t.of)}[${t.lengthName ?? t.length}]`;
    case 'flex':
      return `${fixedWidthType(t.of)}[]`;
    case 'struct':
      return t.name;
    case 'scalar': {
      // Explicitly signed fixed-width types say the value can be negative; keep them.
      if (t.name === '__s8' || t.name === '__s16' || t.name === '__s32' || t.name === '__s64') return t.base === 'long long' ? '__aligned_u64' : t.name;
      if (t.name === 'pid_t') return 'pid_t';
      switch (t.base) {
        case 'char':
          return '__u8';
        case 'short':
          return '__u16';
        case 'int':
          return '__u32';
        default:
          // long, long long, __u64, double: one naturally aligned 64-bit word everywhere.
          return '__aligned_u64';
      }
    }
  }
}

const reservedType = (size: number) => (size === 4 ? '__u32' : size === 2 ? '__u16' : size === 1 ? '__u8' : `__u8[${size}]`);

/** Inserts explicit reserved members until no target has a hole or tail padding. */
function makePaddingExplicit(decl: StructDecl, scope: TypeScope, targets: readonly TargetAbi[]): StructDecl {
  let fields = [...decl.fields];
  let n = 0;
  const reservedName = () => (n++ === 0 ? '__reserved' : `__reserved${n - 1}`);
  for (let guard = 0; guard < 64; guard++) {
    const current: StructDecl = { ...decl, fields };
    const gap = targets
      .map((t) => layoutStruct(current, t, scope))
      .map((l) => (l.holes[0] ? { index: fields.findIndex((f) => f.name === l.holes[0].after) + 1, size: l.holes[0].size } : l.tailPadding ? { index: fields.length, size: l.tailPadding } : undefined))
      .find((g) => g !== undefined);
    if (!gap) return current;
    // A flexible array stays last; tail padding goes before it.
    const last = fields[fields.length - 1];
    const index = gap.index === fields.length && last.type.endsWith('[]') ? fields.length - 1 : gap.index;
    const pad: FieldDecl = { name: reservedName(), type: reservedType(gap.size), mustBeZero: true };
    fields = [...fields.slice(0, index), pad, ...fields.slice(index)];
  }
  throw new Error(`struct ${decl.name}: padding did not converge`);
}

export interface RewrittenStructs {
  /** The rewritten struct and every struct it embeds, in declaration order. */
  structs: StructDecl[];
  scope: TypeScope;
}

/** Rewrites a struct (and the structs it embeds) into the compat-free form. */
export function fixedWidthRewrite(name: string, scope: TypeScope, targets: readonly TargetAbi[] = TARGETS): RewrittenStructs {
  const done = new Map<string, StructDecl>();
  const newScope: TypeScope = { structs: done, constants: scope.constants };
  const visit = (structName: string) => {
    if (done.has(structName)) return;
    const decl = scope.structs.get(structName)!;
    const fields = decl.fields.map((f) => {
      const t = resolveType(f.type, scope, `struct ${decl.name}, field "${f.name}"`, new Set([decl.name]));
      const inner = t.kind === 'array' || t.kind === 'flex' ? t.of : t;
      if (inner.kind === 'struct') visit(inner.decl.name);
      const fixedType = fixedWidthType(t);
      const doc = t.kind === 'pointer' ? `user pointer (${f.type}), u64_to_user_ptr()` : undefined;
      return { ...f, type: fixedType, ...(doc ? { doc } : {}) };
    });
    done.set(structName, makePaddingExplicit({ ...decl, fields }, newScope, targets));
  };
  visit(name);
  return { structs: [...done.values()], scope: newScope };
}

/** A one-line C declaration for a mailing-list reply. */
export function renderStruct(decl: StructDecl): string {
  const member = (f: FieldDecl) => {
    const m = /^(.*?)(\[[^\]]*\])?$/.exec(f.type)!;
    const ptr = m[1].endsWith('*');
    const base = m[1].trimEnd();
    const decl = ptr ? `${base}${f.name}` : `${base} ${f.name}`;
    return `${decl}${m[2] ?? ''}${f.mustBeZero ? ' /* must be 0 */' : ''};`;
  };
  return `struct ${decl.name} { ${decl.fields.map(member).join(' ')} };`;
}

/** "16 B, pids @8, align 8 on all 14 ABIs", or the spread when the layouts disagree. */
export function layoutSummary(decl: StructDecl, scope: TypeScope, targets: readonly TargetAbi[] = TARGETS, focus?: string): string {
  const layouts = targets.map((t) => layoutStruct(decl, t, scope));
  const first = layouts[0];
  const same = layouts.every((l) => layoutShape(l) === layoutShape(first) && l.align === first.align);
  const at = focus ? first.fields.find((f) => f.name === focus) : undefined;
  if (same) return `${first.size} B${at ? `, ${focus} @${at.offset}` : ''}, align ${first.align} on all ${targets.length} ABIs`;
  const sizes = [...new Set(layouts.map((l) => `${l.size}/${l.align}`))];
  return `NOT identical: size/align ${sizes.join(', ')}`;
}

/** The full fix text for a struct: the rewrite (embedded structs first) and its checked layout. */
export function structFix(name: string, scope: TypeScope, focus?: string): string {
  const r = fixedWidthRewrite(name, scope);
  const top = r.structs[r.structs.length - 1];
  return `${r.structs.map(renderStruct).join(' ')} -> ${layoutSummary(top, r.scope, TARGETS, focus)}`;
}
