/**
 * One crafted minimal declaration per rule that triggers it, and a clean one that does not.
 * The declarations are built here, so the rules are tested apart from the shipped proposals.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TARGETS } from '../abi/targets/index.js';
import type { StructDecl } from '../src/ctype/model.js';
import type { FlagWords, ProposalDecl, ProposalSemantics, SyscallArg } from '../src/proposal/types.js';
import { buildContext, RULES, type Finding } from '../src/review/index.js';

interface Spec {
  args?: SyscallArg[];
  structs?: StructDecl[];
  semantics?: Partial<ProposalSemantics>;
}

/** A tiny interface: xyzzy(__u32 flags, ...) with rejected unknown flags unless told otherwise. */
function decl(spec: Spec): ProposalDecl {
  return {
    id: 'xyzzy',
    title: 'test interface',
    summary: 'built in a test',
    source: 'test',
    structs: spec.structs ?? [],
    syscall: { name: 'xyzzy', args: spec.args ?? [{ name: 'flags', type: '__u32' }], returns: 'long' },
    semantics: {
      status: 'RFC',
      when: 'test',
      flags: [{ where: 'register', name: 'flags', type: '__u32', count: 1 }],
      rejectsUnknownFlags: true,
      copies: { empty: 0, full: 0 },
      errors: [],
      ...spec.semantics,
    },
  };
}

const rule = (id: string) => RULES.find((r) => r.id === id)!;
function run(id: string, spec: Spec): { applies: boolean; findings: Finding[] } {
  const ctx = buildContext(decl(spec), TARGETS);
  const r = rule(id);
  const applies = r.appliesTo ? r.appliesTo(ctx) : true;
  return { applies, findings: applies ? r.check(ctx) : [] };
}
const targetsOf = (fs: readonly Finding[]) => [...new Set(fs.map((f) => f.target))].sort();

const structArg = (struct: string, extra: SyscallArg[] = []): SyscallArg[] => [{ name: 'flags', type: '__u32' }, { name: 'args', type: `struct ${struct} *` }, ...extra];
const sized = (struct: string, size: number, rule: 'exact' | 'copy-struct-from-user' = 'copy-struct-from-user') =>
  ({ sizeArg: 'size', struct, rule, versions: [{ name: 'VER0', size }], maxSize: 'PAGE_SIZE' }) as const;

test('SC-03: no flags and no extensible struct is flagged; a flags argument is not', () => {
  const bad = run('SC-03', { semantics: { flags: [] } });
  assert.equal(bad.findings.length, 1);
  assert.equal(bad.findings[0].severity, 'warning');
  assert.deepEqual(run('SC-03', {}).findings, []);
});

test('SC-04: ignored unknown bits fail, unspecified warn, rejected pass, per word', () => {
  const ignored = run('SC-04', { semantics: { rejectsUnknownFlags: false } });
  assert.deepEqual(ignored.findings.map((f) => [f.severity, f.field]), [['error', 'flags']]);
  assert.deepEqual(run('SC-04', { semantics: { rejectsUnknownFlags: 'partly' } }).findings.map((f) => f.severity), ['warning']);
  assert.deepEqual(run('SC-04', {}).findings, []);
  // A word-level fact overrides the interface-level one, and a struct word is named by struct and field.
  const words: FlagWords[] = [
    { where: 'register', name: 'flags', type: '__u32', count: 1, unknownBits: 'rejected' },
    { where: 'memory', name: 'a.more', type: '__aligned_u64', count: 1, unknownBits: 'ignored' },
  ];
  const mixed = run('SC-04', { args: structArg('a'), structs: [{ name: 'a', fields: [{ name: 'more', type: '__aligned_u64' }] }], semantics: { flags: words, rejectsUnknownFlags: false } });
  assert.deepEqual(mixed.findings.map((f) => [f.severity, f.struct, f.field]), [['error', 'a', 'more']]);
});

test('SC-05: a struct passed without its size and a crowded register list are flagged', () => {
  const s: StructDecl = { name: 'a', fields: [{ name: 'x', type: '__aligned_u64' }] };
  const unsized = run('SC-05', { args: structArg('a'), structs: [s] });
  assert.deepEqual(unsized.findings.map((f) => [f.struct, f.field]), [['a', 'args']]);
  const withSizeArg = run('SC-05', { args: structArg('a', [{ name: 'size', type: 'size_t' }]), structs: [s], semantics: { sizeVersioning: sized('a', 8) } });
  assert.deepEqual(withSizeArg.findings, []);
  const withSizeMember = run('SC-05', { args: structArg('a'), structs: [{ name: 'a', fields: [{ name: 'size', type: '__u32' }, { name: 'x', type: '__u32' }] }] });
  assert.deepEqual(withSizeMember.findings, []);
  const five = ['a', 'b', 'c', 'd'].map((n) => ({ name: n, type: 'int' }));
  const crowded = run('SC-05', { args: [{ name: 'flags', type: '__u32' }, ...five] });
  assert.deepEqual(crowded.findings.map((f) => [f.severity, f.field]), [['warning', 'xyzzy']]);
});

test('SC-06: inserted members fail, appended members without a zero meaning warn', () => {
  const versions = [{ name: 'VER0', size: 8 }, { name: 'VER1', size: 16 }];
  const sv = { sizeArg: 'size', struct: 'a', rule: 'copy-struct-from-user' as const, versions, maxSize: 'PAGE_SIZE' as const };
  const args = structArg('a', [{ name: 'size', type: 'size_t' }]);
  const inserted = run('SC-06', { args, structs: [{ name: 'a', fields: [{ name: 'new', type: '__aligned_u64', since: 'VER1', zeroMeans: 'old' }, { name: 'old', type: '__aligned_u64' }] }], semantics: { sizeVersioning: sv } });
  assert.ok(inserted.findings.some((f) => f.severity === 'error' && f.field === 'old'));
  const noZero = run('SC-06', { args, structs: [{ name: 'a', fields: [{ name: 'old', type: '__aligned_u64' }, { name: 'new', type: '__aligned_u64', since: 'VER1' }] }], semantics: { sizeVersioning: sv } });
  assert.deepEqual(noZero.findings.map((f) => [f.severity, f.field]), [['warning', 'new']]);
  const clean = run('SC-06', { args, structs: [{ name: 'a', fields: [{ name: 'old', type: '__aligned_u64' }, { name: 'new', type: '__aligned_u64', since: 'VER1', zeroMeans: 'as before' }] }], semantics: { sizeVersioning: sv } });
  assert.deepEqual(clean.findings, []);
  assert.equal(run('SC-06', {}).applies, false);
});

test('SC-07: an exact size rule warns, copy_struct_from_user does not', () => {
  const s: StructDecl = { name: 'a', fields: [{ name: 'x', type: '__aligned_u64' }] };
  const args = structArg('a', [{ name: 'size', type: 'size_t' }]);
  assert.deepEqual(run('SC-07', { args, structs: [s], semantics: { sizeVersioning: sized('a', 8, 'exact') } }).findings.map((f) => f.field), ['size']);
  assert.deepEqual(run('SC-07', { args, structs: [s], semantics: { sizeVersioning: sized('a', 8) } }).findings, []);
});

test('SC-08: a size constant that is not sizeof on some ABI fails there; no upper bound warns', () => {
  const args = structArg('a', [{ name: 'size', type: 'size_t' }]);
  // { __u64 a; __u32 b; } ends at 12 everywhere but is 16 B where __u64 is 8-aligned.
  const padded = run('SC-08', { args, structs: [{ name: 'a', fields: [{ name: 'a', type: '__u64' }, { name: 'b', type: '__u32' }] }], semantics: { sizeVersioning: sized('a', 12) } });
  const expected = TARGETS.filter((t) => t.types['long long'][1] === 8).map((t) => t.id).sort();
  assert.deepEqual(targetsOf(padded.findings), expected);
  assert.ok(!targetsOf(padded.findings).includes('i386') && !targetsOf(padded.findings).includes('m68k'));
  const clean = { name: 'a', fields: [{ name: 'a', type: '__aligned_u64' }, { name: 'b', type: '__u32' }, { name: 'c', type: '__u32' }] };
  assert.deepEqual(run('SC-08', { args, structs: [clean], semantics: { sizeVersioning: sized('a', 16) } }).findings, []);
  const unbounded = run('SC-08', { args, structs: [clean], semantics: { sizeVersioning: { sizeArg: 'size', struct: 'a', rule: 'copy-struct-from-user', versions: [{ name: 'VER0', size: 16 }] } } });
  assert.deepEqual(unbounded.findings.map((f) => f.severity), ['warning']);
});

test('SC-10: reserved members and counts must appear in the error table', () => {
  const structs: StructDecl[] = [{ name: 'a', fields: [{ name: 'nr', type: '__u32' }, { name: 'pad', type: '__u32', mustBeZero: true }, { name: 'list', type: '__aligned_u64' }] }];
  const arrays = [{ pointer: 'a.list', count: 'a.nr', element: 'pid_t' }];
  const silent = run('SC-10', { args: structArg('a'), structs, semantics: { arrays } });
  assert.deepEqual(silent.findings.map((f) => f.field).sort(), ['nr', 'pad']);
  const errors = [{ errno: 'EINVAL', when: 'pad non-zero' }, { errno: 'EINVAL', when: 'nr > 32 or list NULL with nr' }];
  assert.deepEqual(run('SC-10', { args: structArg('a'), structs, semantics: { arrays, errors } }).findings, []);
});

test('SC-16: a 64-bit argument at an even position wastes a slot on even-pair ABIs', () => {
  const bad = run('SC-16', { args: [{ name: 'fd', type: 'int' }, { name: 'off', type: '__u64' }, { name: 'flags', type: '__u32' }] });
  const evenPair = TARGETS.filter((t) => t.syscall.arg64 === 'even-pair').map((t) => t.id).sort();
  assert.deepEqual(targetsOf(bad.findings), evenPair);
  assert.ok(bad.findings.every((f) => f.field === 'off' && /\(off, fd, flags\)/.test(f.fix ?? '')));
  assert.deepEqual(run('SC-16', { args: [{ name: 'off', type: '__u64' }, { name: 'fd', type: 'int' }, { name: 'flags', type: '__u32' }] }).findings, []);
});

test('SC-17: sync_file_range needs 7 slots on even-pair ABIs; sync_file_range2 fits in 6', () => {
  const sfr = run('SC-17', { args: [{ name: 'fd', type: 'int' }, { name: 'off', type: 'loff_t' }, { name: 'n', type: 'loff_t' }, { name: 'flags', type: '__u32' }] });
  const errors = sfr.findings.filter((f) => f.severity === 'error');
  assert.deepEqual(targetsOf(errors), TARGETS.filter((t) => t.syscall.arg64 === 'even-pair').map((t) => t.id).sort());
  assert.ok(errors.every((f) => /needs 7 register slots/.test(f.message)));
  const sfr2 = run('SC-17', { args: [{ name: 'fd', type: 'int' }, { name: 'flags', type: '__u32' }, { name: 'off', type: 'loff_t' }, { name: 'n', type: 'loff_t' }] });
  assert.deepEqual(sfr2.findings.filter((f) => f.severity === 'error'), []);
  // MIPS o32 still puts slots 5 and 6 on the user stack: a note, not an error.
  assert.ok(sfr2.findings.some((f) => f.target === 'mips-o32' && f.severity === 'note'));
});

test('SC-18: each compat case (a)-(e) is detected; a fixed-width struct needs none', () => {
  const caseOf = (fs: Finding[]) => [...new Set(fs.map((f) => /case \((.)\)/.exec(f.message)![1]))].sort();
  assert.deepEqual(caseOf(run('SC-18', { args: [{ name: 'flags', type: '__u32' }, { name: 'off', type: '__u64' }] }).findings), ['e']);
  assert.deepEqual(caseOf(run('SC-18', { args: [{ name: 'flags', type: '__u32' }, { name: 'pp', type: 'int **' }] }).findings), ['a']);
  assert.deepEqual(caseOf(run('SC-18', { args: [{ name: 'flags', type: '__u32' }, { name: 'lp', type: 'unsigned long *' }] }).findings), ['c']);
  const withPtr = run('SC-18', { args: structArg('a'), structs: [{ name: 'a', fields: [{ name: 'n', type: '__u32' }, { name: 'p', type: 'void *' }] }] });
  assert.deepEqual(caseOf(withPtr.findings), ['b']);
  // { int a; long long b; }: only i386 lays it out differently from its kernel (b@4 vs b@8).
  const ill = run('SC-18', { args: structArg('a'), structs: [{ name: 'a', fields: [{ name: 'a', type: 'int' }, { name: 'b', type: 'long long' }] }] });
  assert.deepEqual(caseOf(ill.findings), ['d']);
  assert.deepEqual(targetsOf(ill.findings), ['i386']);
  const clean = run('SC-18', { args: structArg('a'), structs: [{ name: 'a', fields: [{ name: 'a', type: '__u32' }, { name: 'r', type: '__u32' }, { name: 'b', type: '__aligned_u64' }] }] });
  assert.deepEqual(clean.findings, []);
});

test('SC-19: no single layout fails, under-aligned 64-bit members warn, __aligned_u64 passes', () => {
  const ptr = run('SC-19', { args: structArg('a'), structs: [{ name: 'a', fields: [{ name: 'p', type: 'int *' }] }] });
  assert.deepEqual(ptr.findings.map((f) => f.severity), ['error']);
  assert.match(ptr.findings[0].fix ?? '', /__aligned_u64 p;/);
  const u64 = run('SC-19', { args: structArg('a'), structs: [{ name: 'a', fields: [{ name: 'x', type: '__u64' }] }] });
  assert.deepEqual(targetsOf(u64.findings), TARGETS.filter((t) => t.types['long long'][1] < 8).map((t) => t.id).sort());
  assert.ok(u64.findings.every((f) => f.severity === 'warning'));
  assert.deepEqual(run('SC-19', { args: structArg('a'), structs: [{ name: 'a', fields: [{ name: 'x', type: '__aligned_u64' }] }] }).findings, []);
});

test('SC-20: holes and tail padding are named by target and member', () => {
  const hole = run('SC-20', { args: structArg('a'), structs: [{ name: 'a', fields: [{ name: 'a', type: 'int' }, { name: 'b', type: 'long long' }] }] });
  assert.ok(hole.findings.some((f) => f.target === 'x86_64' && f.field === 'a' && /4-byte hole/.test(f.message)));
  assert.ok(!hole.findings.some((f) => f.target === 'i386'));
  assert.match(hole.findings[0].fix ?? '', /__u32 a; __u32 __reserved \/\* must be 0 \*\/; __aligned_u64 b;/);
  const tail = run('SC-20', { args: structArg('a'), structs: [{ name: 'a', fields: [{ name: 'i', type: 'int' }, { name: 'c', type: '__u8' }] }] });
  assert.ok(tail.findings.some((f) => f.target === 'x86_64' && /3 bytes of tail padding/.test(f.message)));
  assert.ok(tail.findings.some((f) => f.target === 'm68k' && /1 bytes of tail padding/.test(f.message)));
  assert.deepEqual(run('SC-20', { args: structArg('a'), structs: [{ name: 'a', fields: [{ name: 'a', type: '__u32' }, { name: 'b', type: '__u32' }] }] }).findings, []);
});

test('SC-21: long and pointer members are errors; fixed-width members are not', () => {
  const bad = run('SC-21', { args: structArg('a'), structs: [{ name: 'a', fields: [{ name: 'n', type: 'size_t' }, { name: 'p', type: 'void *' }, { name: 'ok', type: '__u32' }] }] });
  assert.deepEqual(bad.findings.map((f) => f.field), ['n', 'p']);
  assert.deepEqual(run('SC-21', { args: structArg('a'), structs: [{ name: 'a', fields: [{ name: 'ok', type: '__u32' }] }] }).findings, []);
});

test('SC-22: a plain char number warns; char[] strings and __u8 do not', () => {
  const bad = run('SC-22', { args: structArg('a'), structs: [{ name: 'a', fields: [{ name: 'c', type: 'char' }, { name: 'name', type: 'char[16]' }, { name: 'u', type: '__u8' }] }] });
  assert.deepEqual(bad.findings.map((f) => f.field), ['c']);
  assert.match(bad.findings[0].message, /signed on .*x86_64.*unsigned on .*aarch64/);
});

test('SC-24: unsigned long bitmaps fail, with word swapping on BE compat; __u64 words pass', () => {
  const bitmap = run('SC-24', { args: structArg('a'), structs: [{ name: 'a', fields: [{ name: 'bits', type: 'unsigned long[2]' }] }] });
  const beCompat = TARGETS.filter((t) => t.compatOf && TARGETS.find((k) => k.id === t.compatOf)!.endian === 'big').map((t) => t.id).sort();
  assert.deepEqual(targetsOf(bitmap.findings.filter((f) => f.target)), beCompat);
  assert.equal(bitmap.findings.filter((f) => !f.target).length, 1);
  const u64words: FlagWords[] = [{ where: 'memory', name: 'a.bits', type: '__aligned_u64', count: 2 }];
  const clean = run('SC-24', { args: structArg('a'), structs: [{ name: 'a', fields: [{ name: 'bits', type: '__aligned_u64[2]' }] }], semantics: { flags: u64words } });
  assert.equal(clean.applies, true);
  assert.deepEqual(clean.findings, []);
  const intWords: FlagWords[] = [{ where: 'memory', name: 'a.bits', type: 'int', count: 2 }];
  const ints = run('SC-24', { args: structArg('a'), structs: [{ name: 'a', fields: [{ name: 'bits', type: 'int[2]' }] }], semantics: { flags: intWords } });
  assert.deepEqual(ints.findings.map((f) => [f.severity, f.field]), [['warning', 'bits']]);
});

test('SC-25: x32 compat with i386 layouts is a note; a layout like neither is an error', () => {
  const ptr = run('SC-25', { args: structArg('a'), structs: [{ name: 'a', fields: [{ name: 'p', type: 'void *' }] }] });
  assert.deepEqual(ptr.findings.map((f) => [f.severity, f.target]), [['note', 'x32']]);
  // { long a; long long b; }: x86_64 16 B (b@8), i386 12 B (b@4), x32 16 B with a 4-byte long.
  const neither = run('SC-25', { args: structArg('a'), structs: [{ name: 'a', fields: [{ name: 'a', type: 'long' }, { name: 'b', type: 'long long' }] }] });
  assert.deepEqual(neither.findings.map((f) => [f.severity, f.target, f.struct]), [['error', 'x32', 'a']]);
  assert.deepEqual(run('SC-25', { args: structArg('a'), structs: [{ name: 'a', fields: [{ name: 'x', type: '__aligned_u64' }] }] }).findings, []);
});

test('SC-29: a fixed-size set that changes size by ABI, passed without a size, is flagged', () => {
  const words: FlagWords[] = [{ where: 'memory', name: 'a.bits', type: 'unsigned long', count: 2 }];
  const bad = run('SC-29', { args: structArg('a'), structs: [{ name: 'a', fields: [{ name: 'bits', type: 'unsigned long[2]' }] }], semantics: { flags: words } });
  assert.deepEqual(bad.findings.map((f) => f.severity).sort(), ['error', 'warning']);
  const goodWords: FlagWords[] = [{ where: 'memory', name: 'a.bits', type: '__aligned_u64', count: 1 }];
  const good = run('SC-29', { args: structArg('a', [{ name: 'size', type: 'size_t' }]), structs: [{ name: 'a', fields: [{ name: 'bits', type: '__aligned_u64' }] }], semantics: { flags: goodWords, sizeVersioning: sized('a', 8) } });
  assert.equal(good.applies, true);
  assert.deepEqual(good.findings, []);
});

test('advisory rules are notes when the declaration records something, n/a otherwise', () => {
  const said = run('SC-13', { semantics: { advisory: { 'SC-13': 'no path argument' } } });
  assert.deepEqual(said.findings.map((f) => [f.severity, f.message]), [['note', 'no path argument']]);
  assert.equal(run('SC-13', {}).applies, false);
});
