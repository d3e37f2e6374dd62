/**
 * The review reproduces what is known about the 2009-2019 clone designs (abi-rules.md section
 * 3.3 and section 4, interfaces.md). Each expectation names the rule that produces it, so
 * removing or breaking that rule fails the test.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PROPOSALS } from '../abi/proposals/index.js';
import { TARGETS } from '../abi/targets/index.js';
import { layoutStruct } from '../src/ctype/layout.js';
import { fixedWidthRewrite, review, RULES, type Finding } from '../src/review/index.js';

const byId = (id: string) => PROPOSALS.find((p) => p.id === id)!;
const reviewOf = (id: string) => review([byId(id)], TARGETS);
const of = (fs: readonly Finding[], rule: string) => fs.filter((f) => f.rule === rule);

/** 32-bit ABIs that a 64-bit kernel runs through compat, from the target data. */
const COMPAT_TARGETS = TARGETS.filter((t) => t.compatOf).map((t) => t.id);
const BIG_ENDIAN_KERNEL_COMPAT = TARGETS.filter((t) => t.compatOf && TARGETS.find((k) => k.id === t.compatOf)!.endian === 'big').map((t) => t.id);

test('target data has the compat ABIs the expectations below rely on', () => {
  for (const id of ['i386', 'x32', 'arm', 'ppc32', 'mips-o32']) assert.ok(COMPAT_TARGETS.includes(id), id);
  assert.deepEqual([...BIG_ENDIAN_KERNEL_COMPAT].sort(), ['mips-o32', 'ppc32']);
});

test('flat pid_set: pointer in struct needs compat (SC-18 b), 8 vs 16 bytes, naming pids and the target', () => {
  const r = reviewOf('clone_with_pids');
  const sc18 = of(r.findings, 'SC-18');
  assert.deepEqual(sc18.map((f) => f.target).sort(), [...COMPAT_TARGETS].sort());
  for (const f of sc18) {
    assert.equal(f.severity, 'error');
    assert.equal(f.struct, 'pid_set');
    assert.equal(f.field, 'pids');
    assert.match(f.message, /case \(b\)/);
    assert.match(f.message, /8 B vs 16 B/);
    assert.match(f.fix ?? '', /__u32 num_pids; __u32 __reserved \/\* must be 0 \*\/; __aligned_u64 pids;/);
    assert.match(f.fix ?? '', /16 B, pids @8, align 8 on all 14 ABIs/);
  }
  assert.equal(r.matrix.clone_with_pids['SC-18'], 'fail');
  assert.equal(r.facts.clone_with_pids.compat.needed, true);
  assert.equal(r.facts.clone_with_pids.layout.identicalOnAll, false);
  // The same layout facts from the other layout rules: hole on LP64 (SC-20), pointer member (SC-21).
  assert.ok(of(r.findings, 'SC-20').some((f) => f.target === 'x86_64' && f.field === 'num_pids' && /4-byte hole/.test(f.message)));
  assert.ok(of(r.findings, 'SC-21').some((f) => f.field === 'pids'));
});

test('the suggested pid_set really is 16 B with pids @8 on every ABI', () => {
  const p = byId('clone_with_pids');
  const scope = { structs: new Map(p.structs.map((s) => [s.name, s])), constants: {} };
  const fixed = fixedWidthRewrite('pid_set', scope);
  const decl = fixed.structs.find((s) => s.name === 'pid_set')!;
  assert.deepEqual(decl.fields.map((f) => [f.name, f.type, Boolean(f.mustBeZero)]), [
    ['num_pids', '__u32', false],
    ['__reserved', '__u32', true],
    ['pids', '__aligned_u64', false],
  ]);
  for (const t of TARGETS) {
    const l = layoutStruct(decl, t, fixed.scope);
    assert.equal(l.size, 16, t.id);
    assert.equal(l.fields[2].offset, 8, t.id);
    assert.equal(l.align, 8, t.id);
  }
});

test('sigset-style flags need compat (SC-18) and BE word swapping on big-endian compat (SC-24)', () => {
  const r = reviewOf('clone_extended_flags');
  const sc18 = of(r.findings, 'SC-18').filter((f) => f.struct === 'clone_flags_t');
  assert.deepEqual(sc18.map((f) => f.target).sort(), [...COMPAT_TARGETS].sort());
  assert.ok(sc18.every((f) => f.field === 'flags' && /case \(d\)/.test(f.message)));
  const swap = of(r.findings, 'SC-24').filter((f) => f.target !== undefined);
  assert.deepEqual(swap.map((f) => f.target).sort(), [...BIG_ENDIAN_KERNEL_COMPAT].sort());
  assert.ok(swap.every((f) => f.field === 'flags' && /get_compat_sigset/.test(f.message)));
  const bitmap = of(r.findings, 'SC-24').find((f) => f.target === undefined)!;
  assert.match(bitmap.fix ?? '', /__aligned_u64 flags\[N\]/);
  assert.equal(r.matrix.clone_extended_flags['SC-24'], 'fail');
  // A fixed-size set whose size differs by ABI, passed without a size (SC-29).
  assert.ok(of(r.findings, 'SC-29').some((f) => f.severity === 'error' && /8 B/.test(f.message) && /16 B/.test(f.message)));
  // Flag capacity follows the word size: 2 words of 32 or 64 bits minus the 8 exit-signal bits.
  assert.equal(r.facts.clone_extended_flags.flagCapacity.i386.fixedBits, 56);
  assert.equal(r.facts.clone_extended_flags.flagCapacity.x86_64.fixedBits, 120);
});

test('one flag word is still a compat case: CLONE_FLAGS_WORDS=1 is 4 vs 8 bytes', () => {
  const r = review([byId('clone_extended_flags')], TARGETS, { overrides: { CLONE_FLAGS_WORDS: 1 } });
  assert.ok(of(r.findings, 'SC-18').some((f) => f.target === 'i386' && f.struct === 'clone_flags_t' && /4 B vs 8 B/.test(f.message)));
});

test('clone_info has pointers (flags_high, pid_set.pids) and int flag words', () => {
  const r = reviewOf('clone_extended_info');
  const fields = new Set(of(r.findings, 'SC-18').filter((f) => f.target === 'i386').map((f) => f.field));
  assert.deepEqual([...fields].sort(), ['flags_high', 'pid_set.pids']);
  assert.ok(of(r.findings, 'SC-21').some((f) => f.struct === 'clone_info' && f.field === 'flags_high'));
  const words = of(r.findings, 'SC-24').find((f) => f.field === 'flags_high')!;
  assert.equal(words.severity, 'warning');
  assert.match(words.message, /int \(32-bit, signed\)/);
  // The count of high words is chosen by the caller: capacity is variable, and says so.
  assert.match(r.facts.clone_extended_info.flagCapacity.x86_64.variable ?? '', /num_clone_high_words/);
  assert.equal(r.facts.clone_extended_info.extensible.withoutNewSyscall, 'yes');
});

test("eclone's exact args_size and 48-byte u64 struct are compat-free", () => {
  const r = reviewOf('eclone');
  assert.deepEqual(of(r.findings, 'SC-18'), []);
  assert.equal(r.matrix.eclone['SC-18'], 'pass');
  assert.equal(r.facts.eclone.compat.needed, false);
  assert.equal(r.facts.eclone.compat.x32Entry, 'native 64-bit entry');
  assert.equal(r.facts.eclone.layout.identicalOnAll, true);
  assert.ok(Object.values(r.facts.eclone.layout.structs[0].sizes).every((n) => n === 48));
  // The exact size rule is consistent (SC-08) but does not cope with version skew (SC-07).
  assert.equal(r.matrix.eclone['SC-08'], 'pass');
  assert.equal(r.matrix.eclone['SC-07'], 'warn');
  // Plain __u64 is only 4-aligned on i386 and 2-aligned on m68k (SC-19 warning, not a compat case).
  assert.deepEqual(of(r.findings, 'SC-19').map((f) => f.target).sort(), ['i386', 'm68k']);
  assert.equal(r.matrix.eclone['SC-19'], 'warn');
});

test('clone3 passes the layout rules on every ABI', () => {
  const r = reviewOf('clone3');
  for (const rule of ['SC-18', 'SC-19', 'SC-20', 'SC-21', 'SC-22', 'SC-24', 'SC-25']) {
    assert.equal(r.matrix.clone3[rule], 'pass', rule);
    assert.deepEqual(of(r.findings, rule), [], rule);
  }
  for (const rule of ['SC-04', 'SC-05', 'SC-06', 'SC-07', 'SC-08', 'SC-10', 'SC-16', 'SC-17', 'SC-29']) assert.equal(r.matrix.clone3[rule], 'pass', rule);
  assert.equal(r.facts.clone3.layout.identicalOnAll, true);
  assert.equal(r.facts.clone3.compat.needed, false);
  assert.equal(r.facts.clone3.extensible.withoutNewSyscall, 'yes');
  assert.deepEqual(r.facts.clone3.copies, { ...byId('clone3').semantics.copies });
});

test('legacy clone fails SC-04: unknown bits are ignored', () => {
  const r = reviewOf('clone');
  const f = of(r.findings, 'SC-04');
  assert.equal(f.length, 1);
  assert.equal(f[0].severity, 'error');
  assert.equal(f[0].field, 'flags');
  assert.equal(r.matrix.clone['SC-04'], 'fail');
  assert.equal(r.facts.clone.extensible.withoutNewSyscall, 'no');
  // Register slots: 5 arguments, the fifth on the user stack on MIPS o32 (SC-17 note).
  assert.equal(r.facts.clone.slots['mips-o32'].stack, 1);
  assert.ok(of(r.findings, 'SC-17').some((f) => f.target === 'mips-o32' && f.severity === 'note'));
});

test('the matrix has a cell for every interface and every registered rule', () => {
  const r = review(PROPOSALS, TARGETS);
  assert.deepEqual(Object.keys(r.matrix), PROPOSALS.map((p) => p.id));
  for (const row of Object.values(r.matrix)) assert.deepEqual(Object.keys(row), RULES.map((x) => x.id));
  // Every finding is counted in its cell: a cell with findings is never "pass" or "n/a".
  for (const f of r.findings) assert.ok(!['pass', 'n/a'].includes(r.matrix[f.proposal][f.rule]), `${f.proposal} ${f.rule}`);
});

test('without a rule, its verdicts and findings are gone (the expectations above depend on the rules)', () => {
  const without = review([byId('clone_with_pids')], TARGETS, { rules: RULES.filter((x) => x.id !== 'SC-18') });
  assert.equal(without.matrix.clone_with_pids['SC-18'], undefined);
  assert.deepEqual(of(without.findings, 'SC-18'), []);
});
