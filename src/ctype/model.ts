/**
 * The C type model: declarations are written as C-like type strings ("pid_t *",
 * "unsigned long[CLONE_FLAGS_WORDS]", "struct pid_set", "pid_t[]") and resolved here into
 * types whose size and alignment the layout engine computes for any target.
 */
import { InputError } from '../errors.js';
import type { BaseType } from './target.js';

export interface FieldDecl {
  name: string;
  type: string;
  doc?: string;
  /** A reserved or padding field that the kernel requires to be zero (SC-10, SC-20). */
  mustBeZero?: boolean;
  /** Only present from this size version on (e.g. "CLONE_ARGS_SIZE_VER1"). */
  since?: string;
  /** What the all-zero value means: the old behaviour, for appended fields (SC-06). */
  zeroMeans?: string;
}

export interface StructDecl {
  name: string;
  fields: FieldDecl[];
  doc?: string;
}

export type CType =
  | { kind: 'scalar'; name: string; base: BaseType; signed: boolean | 'plain-char'; alignAttr?: number }
  | { kind: 'pointer'; name: string; to: CType | 'void' }
  | { kind: 'array'; name: string; of: CType; length: number; lengthName?: string }
  | { kind: 'flex'; name: string; of: CType }
  | { kind: 'struct'; name: string; decl: StructDecl };

type ScalarSpec = { base: BaseType; signed: boolean | 'plain-char'; alignAttr?: number; doc?: string };

/**
 * Builtin scalar names. Kernel uapi names (`__u32`, `__aligned_u64`) and libc typedefs
 * (`pid_t`, `size_t`) map to a C base type; their size comes from the target.
 */
export const SCALARS: Readonly<Record<string, ScalarSpec>> = {
  char: { base: 'char', signed: 'plain-char' },
  'signed char': { base: 'char', signed: true },
  'unsigned char': { base: 'char', signed: false },
  __s8: { base: 'char', signed: true },
  __u8: { base: 'char', signed: false },
  short: { base: 'short', signed: true },
  'unsigned short': { base: 'short', signed: false },
  __s16: { base: 'short', signed: true },
  __u16: { base: 'short', signed: false },
  int: { base: 'int', signed: true },
  'unsigned int': { base: 'int', signed: false },
  __s32: { base: 'int', signed: true },
  __u32: { base: 'int', signed: false },
  u32: { base: 'int', signed: false },
  pid_t: { base: 'int', signed: true, doc: 'int on every Linux ABI' },
  long: { base: 'long', signed: true },
  'unsigned long': { base: 'long', signed: false },
  size_t: { base: 'long', signed: false },
  'long long': { base: 'long long', signed: true },
  'unsigned long long': { base: 'long long', signed: false },
  __s64: { base: 'long long', signed: true },
  __u64: { base: 'long long', signed: false },
  u64: { base: 'long long', signed: false },
  loff_t: { base: 'long long', signed: true },
  __aligned_u64: { base: 'long long', signed: false, alignAttr: 8, doc: '__u64 __attribute__((aligned(8)))' },
  double: { base: 'double', signed: true },
};

/** Everything a type string can refer to besides builtins. */
export interface TypeScope {
  structs: ReadonlyMap<string, StructDecl>;
  constants: Readonly<Record<string, number>>;
}

const TYPE_RE = /^\s*(struct\s+)?([A-Za-z_][A-Za-z0-9_]*(?:\s+[A-Za-z_][A-Za-z0-9_]*)*)\s*((?:\*\s*)*)(?:\[\s*([A-Za-z0-9_]*)\s*\])?\s*$/;

/** Resolves a type string in a scope; `where` names the place for error messages. */
export function resolveType(text: string, scope: TypeScope, where: string, seen: ReadonlySet<string> = new Set()): CType {
  const m = TYPE_RE.exec(text);
  if (!m) throw new InputError(`${where}: cannot parse type "${text}"`);
  const [, structKw, rawName, stars, arrayLen] = m;
  const name = rawName.replace(/\s+/g, ' ');
  const pointerDepth = (stars.match(/\*/g) ?? []).length;
  let base: CType | 'void';
  if (structKw) {
    const decl = scope.structs.get(name);
    if (!decl) throw new InputError(`${where}: unknown type "struct ${name}" (declared structs: ${[...scope.structs.keys()].join(', ') || 'none'})`);
    if (seen.has(name) && pointerDepth === 0) throw new InputError(`${where}: struct ${name} contains itself`);
    base = { kind: 'struct', name: `struct ${name}`, decl };
  } else if (name === 'void') {
    if (pointerDepth === 0) throw new InputError(`${where}: "void" is only allowed behind a pointer`);
    base = 'void';
  } else {
    const spec = SCALARS[name];
    if (!spec) throw new InputError(`${where}: unknown type "${name}" (known scalars: ${Object.keys(SCALARS).join(', ')})`);
    base = { kind: 'scalar', name, ...spec };
  }
  let type: CType | 'void' = base;
  for (let i = 0; i < pointerDepth; i++) {
    const toName: string = type === 'void' ? 'void' : type.name;
    type = { kind: 'pointer', name: `${toName} *`, to: type };
  }
  if (type === 'void') throw new InputError(`${where}: "void" is only allowed behind a pointer`);
  if (arrayLen === undefined) return type;
  if (arrayLen === '') return { kind: 'flex', name: `${type.name}[]`, of: type };
  const length = /^[0-9]+$/.test(arrayLen) ? Number(arrayLen) : scope.constants[arrayLen];
  if (length === undefined) throw new InputError(`${where}: unknown array length "${arrayLen}" (constants: ${Object.keys(scope.constants).join(', ') || 'none'})`);
  if (!Number.isInteger(length) || length < 1) throw new InputError(`${where}: array length ${arrayLen} = ${length} must be a positive integer`);
  return { kind: 'array', name: `${type.name}[${arrayLen}]`, of: type, length, lengthName: /^[0-9]+$/.test(arrayLen) ? undefined : arrayLen };
}

/** Checks a set of struct declarations: names, duplicates, types, flexible arrays last. */
export function validateStructs(structs: readonly StructDecl[], constants: Readonly<Record<string, number>>, where: string): TypeScope {
  const map = new Map<string, StructDecl>();
  for (const [i, s] of structs.entries()) {
    const at = `${where}: struct #${i + 1}`;
    if (!s || typeof s.name !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(s.name)) throw new InputError(`${at}: missing or invalid struct name`);
    if (map.has(s.name)) throw new InputError(`${where}: duplicate struct name "${s.name}"`);
    if (!Array.isArray(s.fields) || s.fields.length === 0) throw new InputError(`${where}: struct ${s.name} has no fields`);
    map.set(s.name, s);
  }
  const scope: TypeScope = { structs: map, constants };
  for (const s of structs) {
    const names = new Set<string>();
    s.fields.forEach((f, i) => {
      const at = `${where}: struct ${s.name}, field #${i + 1}${f?.name ? ` "${f.name}"` : ''}`;
      if (!f || typeof f.name !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(f.name)) throw new InputError(`${at}: missing or invalid field name`);
      if (typeof f.type !== 'string') throw new InputError(`${at}: missing type`);
      if (names.has(f.name)) throw new InputError(`${where}: struct ${s.name}: duplicate field name "${f.name}"`);
      names.add(f.name);
      const t = resolveType(f.type, scope, at, new Set([s.name]));
      if (t.kind === 'flex' && i !== s.fields.length - 1) throw new InputError(`${at}: a flexible array member must be the last field`);
      if (t.kind === 'flex' && s.fields.length === 1) throw new InputError(`${at}: a flexible array member needs another member before it`);
    });
  }
  return scope;
}

/** The innermost non-array type, for questions such as "is this member a pointer?". */
export function elementType(t: CType): CType {
  return t.kind === 'array' || t.kind === 'flex' ? elementType(t.of) : t;
}

/** Members whose size follows the register width: pointers, long, size_t (SC-21). */
export function registerSized(t: CType): 'pointer' | 'long' | undefined {
  const e = elementType(t);
  if (e.kind === 'pointer') return 'pointer';
  if (e.kind === 'scalar' && e.base === 'long') return 'long';
  return undefined;
}
