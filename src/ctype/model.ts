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
  /** `__attribute__((aligned(N)))` on the member: at least N-aligned, even in a packed struct. */
  align?: number;
  /**
   * aligned(N) that the member's type carries (a typedef with the attribute, as __aligned_u64):
   * at least N-aligned, but a packed struct overrides it, as it overrides any type's alignment.
   */
  typeAlign?: number;
  /** `__attribute__((packed))` on the member: 1-aligned (then raised by `align`, as GCC does). */
  packed?: boolean;
  /**
   * The member was declared with an enum type; `type` is the integer type the compiler picks for
   * it (int, unsigned int, or a 64-bit type when a value needs one), `range` its enumerators'
   * smallest and largest values (decimal strings), so the oracle can declare the same enum.
   */
  enumType?: { name: string; range: readonly [string, string] };
}

export interface StructDecl {
  name: string;
  fields: FieldDecl[];
  doc?: string;
  /** A union lays every member at offset 0 (default: struct). */
  kind?: 'struct' | 'union';
  /** `__attribute__((packed))`: every member 1-aligned unless it has its own `align`. */
  packed?: boolean;
  /** `__attribute__((aligned(N)))` on the struct: its alignment is at least N. */
  align?: number;
}

/**
 * A scalar's base: a C base type whose size the target gives, or `kernel long`, the uapi
 * __kernel_long_t: as wide as a register, so `long` everywhere except on x32, where it is
 * `long long` (arch/x86/include/uapi/asm/posix_types_x32.h).
 */
export type ScalarBase = BaseType | 'kernel long';

export type CType =
  | { kind: 'scalar'; name: string; base: ScalarBase; signed: boolean | 'plain-char'; alignAttr?: number }
  | { kind: 'pointer'; name: string; to: CType | 'void' }
  | { kind: 'array'; name: string; of: CType; length: number; lengthName?: string }
  | { kind: 'flex'; name: string; of: CType }
  /** A struct or a union (decl.kind); name is "struct x" or "union x". */
  | { kind: 'struct'; name: string; decl: StructDecl };

type ScalarSpec = { base: ScalarBase; signed: boolean | 'plain-char'; alignAttr?: number; doc?: string };

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
  // linux/types.h: byte-order and checksum annotations (sparse's __bitwise) over the same sizes.
  __le16: { base: 'short', signed: false },
  __be16: { base: 'short', signed: false },
  __le32: { base: 'int', signed: false },
  __be32: { base: 'int', signed: false },
  __le64: { base: 'long long', signed: false },
  __be64: { base: 'long long', signed: false },
  __sum16: { base: 'short', signed: false },
  __wsum: { base: 'int', signed: false },
  __poll_t: { base: 'int', signed: false },
  ssize_t: { base: 'long', signed: true },
  // asm-generic/posix_types.h: the __kernel_* types that are laid out alike on every ABI here
  // (size_t and ssize_t follow long: unsigned int and int on the 32-bit ABIs, x32 included).
  __kernel_pid_t: { base: 'int', signed: true },
  __kernel_size_t: { base: 'long', signed: false },
  __kernel_ssize_t: { base: 'long', signed: true },
  __kernel_ptrdiff_t: { base: 'long', signed: true },
  __kernel_long_t: { base: 'kernel long', signed: true, doc: 'long, but long long on x32' },
  __kernel_ulong_t: { base: 'kernel long', signed: false, doc: 'unsigned long, but unsigned long long on x32' },
  __kernel_off_t: { base: 'kernel long', signed: true },
  __kernel_time_t: { base: 'kernel long', signed: true },
  __kernel_old_time_t: { base: 'kernel long', signed: true },
  __kernel_clock_t: { base: 'kernel long', signed: true },
  __kernel_loff_t: { base: 'long long', signed: true },
  __kernel_time64_t: { base: 'long long', signed: true },
  __kernel_timer_t: { base: 'int', signed: true },
  __kernel_clockid_t: { base: 'int', signed: true },
  __kernel_key_t: { base: 'int', signed: true },
  __kernel_mqd_t: { base: 'int', signed: true },
  __kernel_rwf_t: { base: 'int', signed: true },
  __kernel_uid32_t: { base: 'int', signed: false },
  __kernel_gid32_t: { base: 'int', signed: false },
};

/**
 * __kernel_* types whose definition differs between the ABIs here, so no single scalar
 * describes them (asm/posix_types.h of arm, m68k, sparc, mips, s390, ...).
 */
export const UNMODELLED_KERNEL_TYPES: Readonly<Record<string, string>> = {
  __kernel_uid_t: 'unsigned short on arm and m68k, unsigned int elsewhere',
  __kernel_gid_t: 'unsigned short on arm and m68k, unsigned int elsewhere',
  __kernel_mode_t: 'unsigned short on arm and m68k, unsigned int elsewhere',
  __kernel_ipc_pid_t: 'unsigned short on arm and m68k, int elsewhere',
  __kernel_old_uid_t: 'unsigned short on most ABIs, unsigned int on some',
  __kernel_old_gid_t: 'unsigned short on most ABIs, unsigned int on some',
  __kernel_old_dev_t: 'unsigned int or unsigned short depending on the ABI',
  __kernel_suseconds_t: 'int on sparc64, __kernel_long_t elsewhere',
  __kernel_ino_t: 'unsigned int on some 64-bit ABIs, __kernel_ulong_t elsewhere',
  __kernel_daddr_t: 'long on mips, int elsewhere',
};

/** Everything a type string can refer to besides builtins. */
export interface TypeScope {
  structs: ReadonlyMap<string, StructDecl>;
  constants: Readonly<Record<string, number>>;
}

const TYPE_RE = /^\s*((?:struct|union)\s+)?([A-Za-z_][A-Za-z0-9_]*(?:\s+[A-Za-z_][A-Za-z0-9_]*)*)\s*((?:\*\s*)*)(?:\[\s*([A-Za-z0-9_]*)\s*\])?\s*$/;

/** Resolves a type string in a scope; `where` names the place for error messages. */
export function resolveType(text: string, scope: TypeScope, where: string, seen: ReadonlySet<string> = new Set()): CType {
  const m = TYPE_RE.exec(text);
  if (!m) throw new InputError(`${where}: cannot parse type "${text}"`);
  const [, structKw, rawName, stars, arrayLen] = m;
  const name = rawName.replace(/\s+/g, ' ');
  const pointerDepth = (stars.match(/\*/g) ?? []).length;
  let base: CType | 'void';
  if (structKw) {
    const tag = structKw.trim();
    const decl = scope.structs.get(name);
    if (!decl) throw new InputError(`${where}: unknown type "${tag} ${name}" (declared structs: ${[...scope.structs.keys()].join(', ') || 'none'})`);
    if ((decl.kind ?? 'struct') !== tag) throw new InputError(`${where}: "${tag} ${name}" names a ${decl.kind ?? 'struct'}`);
    if (seen.has(name) && pointerDepth === 0) throw new InputError(`${where}: ${tag} ${name} contains itself`);
    base = { kind: 'struct', name: `${tag} ${name}`, decl };
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
  rejectCycles(structs, scope, where);
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
      if (t.kind === 'flex' && s.kind === 'union') throw new InputError(`${at}: a flexible array member cannot be a union member`);
      for (const [what, n] of [['align', f.align], ['typeAlign', f.typeAlign]] as const)
        if (n !== undefined && (!Number.isInteger(n) || n < 1 || (n & (n - 1)) !== 0)) throw new InputError(`${at}: ${what} ${n} is not a power of two`);
    });
    if (s.align !== undefined && (!Number.isInteger(s.align) || s.align < 1 || (s.align & (s.align - 1)) !== 0)) throw new InputError(`${where}: struct ${s.name}: align ${s.align} is not a power of two`);
  }
  return scope;
}

/** A struct that contains itself through other structs (a -> b -> a) has no size. */
function rejectCycles(structs: readonly StructDecl[], scope: TypeScope, where: string): void {
  const done = new Set<string>();
  const visit = (s: StructDecl, path: readonly string[]) => {
    if (done.has(s.name)) return;
    if (path.includes(s.name)) throw new InputError(`${where}: struct ${s.name} contains itself (${[...path.slice(path.indexOf(s.name)), s.name].join(' -> ')})`);
    for (const f of s.fields) {
      if (typeof f?.type !== 'string') continue;
      const m = TYPE_RE.exec(f.type);
      if (!m || !m[1] || m[3].includes('*')) continue;
      const inner = scope.structs.get(m[2].replace(/\s+/g, ' '));
      if (inner) visit(inner, [...path, s.name]);
    }
    done.add(s.name);
  };
  for (const s of structs) visit(s, []);
}

/** The innermost non-array type, for questions such as "is this member a pointer?". */
export function elementType(t: CType): CType {
  return t.kind === 'array' || t.kind === 'flex' ? elementType(t.of) : t;
}

/** Members whose size follows the register width: pointers, long, size_t (SC-21). */
export function registerSized(t: CType): 'pointer' | 'long' | undefined {
  const e = elementType(t);
  if (e.kind === 'pointer') return 'pointer';
  if (e.kind === 'scalar' && (e.base === 'long' || e.base === 'kernel long')) return 'long';
  return undefined;
}
