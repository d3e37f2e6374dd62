/**
 * The layout oracle: turn the engine's layouts into C `_Static_assert`s and let a real
 * compiler for the target judge them (`-fsyntax-only`, freestanding, no headers needed).
 * abi-rules.md §5.2 method 5.
 */
import { spawnSync } from 'node:child_process';
import { resolveType, SCALARS, type CType, type FieldDecl, type StructDecl, type TypeScope } from './model.js';
import { layoutStruct, typeSizeAlign } from './layout.js';
import { BASE_TYPES, type BaseType, type TargetAbi } from './target.js';

/** The typedefs the model's scalar names stand for, as the kernel's uapi headers define them. */
const PRELUDE = `
typedef signed char __s8; typedef unsigned char __u8;
typedef short __s16; typedef unsigned short __u16;
typedef int __s32; typedef unsigned int __u32; typedef unsigned int u32;
typedef long long __s64; typedef unsigned long long __u64; typedef unsigned long long u64;
typedef __u64 __aligned_u64 __attribute__((aligned(8)));
typedef int pid_t; typedef unsigned long size_t; typedef long ssize_t; typedef long long loff_t;
typedef __u16 __le16; typedef __u16 __be16; typedef __u32 __le32; typedef __u32 __be32;
typedef __u64 __le64; typedef __u64 __be64; typedef __u16 __sum16; typedef __u32 __wsum; typedef unsigned __poll_t;
/* asm-generic/posix_types.h, with x32's own __kernel_long_t (asm/posix_types_x32.h) */
#if defined(__x86_64__) && defined(__ILP32__)
typedef long long __kernel_long_t; typedef unsigned long long __kernel_ulong_t;
#else
typedef long __kernel_long_t; typedef unsigned long __kernel_ulong_t;
#endif
#if defined(__LP64__)
typedef __kernel_ulong_t __kernel_size_t; typedef __kernel_long_t __kernel_ssize_t; typedef __kernel_long_t __kernel_ptrdiff_t;
#else
typedef unsigned int __kernel_size_t; typedef int __kernel_ssize_t; typedef int __kernel_ptrdiff_t;
#endif
typedef int __kernel_pid_t; typedef __kernel_long_t __kernel_off_t; typedef __kernel_long_t __kernel_time_t;
typedef __kernel_long_t __kernel_old_time_t; typedef __kernel_long_t __kernel_clock_t;
typedef long long __kernel_loff_t; typedef long long __kernel_time64_t; typedef int __kernel_timer_t;
typedef int __kernel_clockid_t; typedef int __kernel_key_t; typedef int __kernel_mqd_t; typedef int __kernel_rwf_t;
typedef unsigned int __kernel_uid32_t; typedef unsigned int __kernel_gid32_t;
#define OFFSETOF(T, m) __builtin_offsetof(T, m)
#define ALIGN_IN_STRUCT(T) OFFSETOF(struct { char c; T x; }, x)
`;

const C_BASE: Record<BaseType, string> = { char: 'char', short: 'short', int: 'int', long: 'long', 'long long': 'long long', pointer: 'void *', double: 'double', 'long double': 'long double' };

/** A struct to check, from some scope; `prefix` keeps same-named structs of different proposals apart. */
export interface OracleStruct {
  prefix: string;
  decl: StructDecl;
  scope: TypeScope;
}

const cName = (prefix: string, name: string) => `${prefix}__${name}`;

/** `scalar` replaces the scalar's own spelling (an enum declared in place). */
function declarator(t: CType, name: string, prefix: string, scalar?: string): string {
  switch (t.kind) {
    case 'array':
      return declarator(t.of, `${name}[${t.length}]`, prefix, scalar);
    case 'flex':
      return declarator(t.of, `${name}[]`, prefix, scalar);
    case 'pointer':
      return t.to === 'void' ? `void *${name}` : declarator(t.to, `*${name}`, prefix, scalar);
    case 'struct':
      return `${t.decl.kind ?? 'struct'} ${cName(prefix, t.decl.name)} ${name}`;
    case 'scalar':
      return `${scalar ?? t.name} ${name}`;
  }
}

/** A member's attributes as GCC and clang spell them. */
function memberAttributes(f: FieldDecl): string {
  const attrs = [f.packed ? 'packed' : '', f.align ? `aligned(${f.align})` : ''].filter(Boolean);
  return attrs.length ? ` __attribute__((${attrs.join(', ')}))` : '';
}

/** An enum with the member's range, declared in place, so the compiler picks its size. */
function enumSpelling(prefix: string, decl: StructDecl, f: FieldDecl): string | undefined {
  if (!f.enumType) return undefined;
  const tag = cName(prefix, `${decl.name}__${f.name}`);
  const [lo, hi] = f.enumType.range;
  return `enum ${tag} { ${tag}__lo = ${lo}${/^-/.test(lo) ? 'LL' : 'ULL'}, ${tag}__hi = ${hi}${/^-/.test(hi) ? 'LL' : 'ULL'} }`;
}

function structDefinitions(items: readonly OracleStruct[]): string[] {
  const done = new Set<string>();
  const out: string[] = [];
  const emit = (prefix: string, decl: StructDecl, scope: TypeScope) => {
    const key = cName(prefix, decl.name);
    if (done.has(key)) return;
    done.add(key);
    const lines: string[] = [];
    for (const f of decl.fields) {
      const ctype = resolveType(f.type, scope, `struct ${decl.name}, field "${f.name}"`);
      let inner: CType = ctype;
      while (inner.kind === 'array' || inner.kind === 'flex') inner = inner.of;
      if (inner.kind === 'struct') emit(prefix, inner.decl, scope);
      let spelling = enumSpelling(prefix, decl, f);
      if (f.typeAlign && inner.kind === 'scalar') {
        // The alignment belongs to the type, as a typedef with the attribute gives it.
        const td = cName(prefix, `${decl.name}__${f.name}__t`);
        out.push(`typedef ${declarator(inner, td, prefix, spelling)} __attribute__((aligned(${f.typeAlign})));`);
        spelling = td;
      }
      lines.push(`  ${declarator(ctype, f.name, prefix, spelling)}${memberAttributes(f)};`);
    }
    const attrs = [decl.packed ? 'packed' : '', decl.align ? `aligned(${decl.align})` : ''].filter(Boolean);
    out.push(`${decl.kind ?? 'struct'} ${key} {\n${lines.join('\n')}\n}${attrs.length ? ` __attribute__((${attrs.join(', ')}))` : ''};`);
  };
  for (const s of items) emit(s.prefix, s.decl, s.scope);
  return out;
}

export interface Assertion {
  expr: string;
  expected: number;
  label: string;
}

/** Everything the engine claims about a target: base types, char signedness, byte order, structs. */
export function assertionsFor(target: TargetAbi, items: readonly OracleStruct[]): Assertion[] {
  const out: Assertion[] = [];
  for (const b of BASE_TYPES) {
    const [size, align] = target.types[b];
    out.push({ expr: `sizeof(${C_BASE[b]})`, expected: size, label: `sizeof(${b})` });
    out.push({ expr: `ALIGN_IN_STRUCT(${C_BASE[b]})`, expected: align, label: `in-struct align of ${b}` });
  }
  // Every scalar name of the model, through the typedefs above (kernel long: the x32 case).
  const probe: TypeScope = { structs: new Map(), constants: {} };
  for (const name of Object.keys(SCALARS)) {
    const sa = typeSizeAlign(resolveType(name, probe, 'oracle'), target, probe);
    out.push({ expr: `sizeof(${name})`, expected: sa.size, label: `sizeof(${name})` });
    out.push({ expr: `ALIGN_IN_STRUCT(${name})`, expected: sa.align, label: `in-struct align of ${name}` });
  }
  out.push({ expr: '((char)-1 < 0)', expected: target.charSigned ? 1 : 0, label: 'char is signed' });
  out.push({ expr: '(__BYTE_ORDER__ == __ORDER_BIG_ENDIAN__)', expected: target.endian === 'big' ? 1 : 0, label: 'big-endian' });
  for (const s of items) {
    const l = layoutStruct(s.decl, target, s.scope);
    const c = `${s.decl.kind ?? 'struct'} ${cName(s.prefix, s.decl.name)}`;
    out.push({ expr: `sizeof(${c})`, expected: l.size, label: `sizeof(${s.prefix}: ${l.kind} ${s.decl.name})` });
    out.push({ expr: `ALIGN_IN_STRUCT(${c})`, expected: l.align, label: `align of ${s.prefix}: ${l.kind} ${s.decl.name}` });
    for (const f of l.fields) {
      out.push({ expr: `OFFSETOF(${c}, ${f.name})`, expected: f.offset, label: `offsetof(${s.prefix}: ${l.kind} ${s.decl.name}, ${f.name})` });
      if (f.ctype.kind !== 'flex') {
        const sa = typeSizeAlign(f.ctype, target, s.scope);
        out.push({ expr: `sizeof(((${c} *)0)->${f.name})`, expected: sa.size, label: `sizeof(${s.prefix}: ${s.decl.name}.${f.name})` });
      }
    }
  }
  return out;
}

export function oracleSource(target: TargetAbi, items: readonly OracleStruct[], assertions = assertionsFor(target, items)): string {
  return [`/* clonebench layout oracle for ${target.id} */`, PRELUDE, ...structDefinitions(items), ...staticAsserts(assertions), ''].join('\n');
}

export interface OracleResult {
  target: string;
  compiler: string;
  /** Why the check could not run (compiler missing), if it did not. */
  skipped?: string;
  ok: boolean;
  checked: number;
  /** Assertion labels the compiler rejected, and its raw diagnostics. */
  failures: string[];
  diagnostics: string;
}

export function compilerAvailable(target: TargetAbi): string | undefined {
  const r = spawnSync(target.oracle.compiler, ['--version'], { encoding: 'utf8' });
  if (r.error) return `${target.oracle.compiler} not found (${(r.error as NodeJS.ErrnoException).code}); install it (see .ci/run)`;
  return undefined;
}

/** Compiles the assertions with the target's real compiler; any disagreement fails compilation. */
export function runOracle(target: TargetAbi, items: readonly OracleStruct[], assertions = assertionsFor(target, items)): OracleResult {
  return compileAssertions(target, oracleSource(target, items, assertions), assertions);
}

/** The prelude's typedefs and macros, for C text other than the re-emitted structs (a header as written). */
export const ORACLE_PRELUDE = PRELUDE;

/** `_Static_assert` lines for assertions, labelled so a failure names the claim. */
export const staticAsserts = (assertions: readonly Assertion[]): string[] =>
  assertions.map((a, i) => `_Static_assert((${a.expr}) == ${a.expected}, "A${i}: ${a.label.replace(/["\\]/g, '')} == ${a.expected}");`);

/** Compiles C text holding labelled `_Static_assert`s (-fsyntax-only, freestanding); `includeDir` serves #include <...>. */
export function compileAssertions(target: TargetAbi, source: string, assertions: readonly Assertion[], includeDir?: string): OracleResult {
  const base = { target: target.id, compiler: [target.oracle.compiler, ...target.oracle.args].join(' '), checked: assertions.length };
  const missing = compilerAvailable(target);
  if (missing) return { ...base, skipped: missing, ok: false, failures: [], diagnostics: '' };
  const args = [...target.oracle.args, '-std=gnu11', '-ffreestanding', '-nostdinc', ...(includeDir ? ['-I', includeDir] : []), '-fsyntax-only', '-x', 'c', '-'];
  const r = spawnSync(target.oracle.compiler, args, { input: source, encoding: 'utf8', timeout: 60_000 });
  const diagnostics = `${r.stderr ?? ''}${r.error ? String(r.error) : ''}`;
  const failures = [...diagnostics.matchAll(/"A\d+: ([^"]*)"/g)].map((m) => `engine claims ${m[1]}; the compiler disagrees`);
  return { ...base, ok: r.status === 0, failures: [...new Set(failures)], diagnostics };
}
