/**
 * The header parser against headers no one here wrote, and against real compilers:
 * Debian's /usr/include/linux/sched.h must give struct clone_args exactly as the built-in clone3
 * declaration lays it out on all 14 ABIs (and the flag values of src/proposal/flags.ts); the
 * kitchen-sink header (every construct of the subset) is compiled as written by each target's
 * compiler with the parsed layout's assertions.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { layoutShape } from '../src/abi/abi-report.js';
import { layoutStruct } from '../src/ctype/layout.js';
import { validateStructs } from '../src/ctype/model.js';
import { compileAssertions, ORACLE_PRELUDE, staticAsserts } from '../src/ctype/oracle.js';
import { parseHeader } from '../src/header/parser.js';
import { headerAssertions, runHeaderOracle } from '../src/header/oracle.js';
import { boundConstants, recordToStruct } from '../src/header/records.js';
import type { ParsedHeader } from '../src/header/ast.js';
import { PACKAGE_ROOT } from '../src/native/paths.js';
import { CLONE_FLAGS } from '../src/proposal/flags.js';
import { proposalById, resolveProposal, selectTargets, targetById } from '../src/registry.js';
import { loadHeader } from '../src/header/load.js';
import { review } from '../src/review/index.js';
import { CLONE_NEWTIME } from '../src/request/types.js';

const SCHED_H = '/usr/include/linux/sched.h';
const KITCHEN_SINK = join(PACKAGE_ROOT, 'test', 'headers', 'kitchen-sink.h');
const TARGETS = selectTargets();

function scopeOf(h: ParsedHeader) {
  return validateStructs(h.records.map(recordToStruct), boundConstants(h.records.flatMap((r) => r.members.map((m) => m.type))), h.file);
}

test(`${SCHED_H}: struct clone_args lays out exactly as the built-in clone3 declaration on all 14 ABIs`, (t) => {
  if (!existsSync(SCHED_H)) {
    t.skip(`${SCHED_H} is missing: install linux-libc-dev (see .ci/run)`);
    return;
  }
  // Its #ifndef guard, #include <linux/types.h> and #ifndef __ASSEMBLY__ go through the preprocessing step.
  const h = parseHeader(readFileSync(SCHED_H, 'utf8'), SCHED_H);
  assert.deepEqual(h.records.map((r) => r.name), ['clone_args']);
  assert.equal(h.syscall, undefined);
  const scope = scopeOf(h);
  const parsed = scope.structs.get('clone_args')!;
  const builtin = resolveProposal(proposalById('clone3'));
  const decl = builtin.scope.structs.get('clone_args')!;
  assert.deepEqual(parsed.fields.map((f) => [f.name, f.type]), decl.fields.map((f) => [f.name, f.type]));
  for (const target of TARGETS) {
    const a = layoutStruct(parsed, target, scope);
    const b = layoutStruct(decl, target, builtin.scope);
    assert.equal(layoutShape(a), layoutShape(b), target.id);
    assert.equal(a.align, b.align, target.id);
    assert.equal(a.size, 88, target.id);
  }
  // The size versions and the flags clonebench uses are the header's.
  const versions = builtin.decl.semantics.sizeVersioning!.versions;
  for (const v of versions) assert.equal(h.constant(v.name), BigInt(v.size), v.name);
  for (const [name, value] of Object.entries({ ...CLONE_FLAGS, CLONE_NEWTIME })) assert.equal(h.constant(name), value, name);
  assert.equal(h.constant('SCHED_FLAG_ALL'), 0x7fn); // a define built from others, with line continuations
});

test(`${SCHED_H} as written agrees with every target's compiler`, (t) => {
  if (!existsSync(SCHED_H)) {
    t.skip(`${SCHED_H} is missing: install linux-libc-dev`);
    return;
  }
  const source = readFileSync(SCHED_H, 'utf8');
  const h = parseHeader(source, SCHED_H);
  for (const target of [targetById('x86_64'), targetById('i386'), targetById('m68k')]) {
    const r = runHeaderOracle(target, h, source, scopeOf(h));
    if (r.skipped) {
      t.diagnostic(`${target.id} skipped: ${r.skipped}`);
      continue;
    }
    assert.ok(r.ok, `${target.id}: ${r.failures.join('; ')}\n${r.diagnostics.slice(0, 1500)}`);
    assert.equal(r.checked, 2 + 2 * 11);
  }
});

const sink = readFileSync(KITCHEN_SINK, 'utf8');
const sinkHeader = parseHeader(sink, 'test/headers/kitchen-sink.h');
const sinkScope = scopeOf(sinkHeader);

test('kitchen sink: what the parser makes of each construct', () => {
  const h = sinkHeader;
  const structs = new Map(h.records.map((r) => [r.name, recordToStruct(r)]));
  assert.deepEqual([...structs.keys()], ['set_t', 'inner', 'outer__anon1__anon1', 'outer__anon1', 'outer__named', 'inner2', 'outer', 'fwd', 'al16', 'packed_one', 'top__inner', 'top']);
  const outer = structs.get('outer')!;
  const field = (name: string) => outer.fields.find((f) => f.name === name)!;
  // A C11 anonymous union is a member with a made-up name; its struct's members are reachable.
  assert.deepEqual(field('__anon1'), { name: '__anon1', type: 'union outer__anon1' });
  assert.deepEqual(structs.get('outer__anon1__anon1')!.fields.map((f) => f.name), ['lo', 'hi']);
  assert.equal(field('named').type, 'struct outer__named');
  assert.equal(field('in2').type, 'struct inner2'); // a named struct defined in a member has file scope
  assert.deepEqual(field('col'), { name: 'col', type: 'unsigned int', enumType: { name: 'color', range: ['0', '6'] } });
  assert.equal(field('dir').type, 'int');
  assert.equal(field('big').type, 'unsigned long long');
  assert.deepEqual(field('al'), { name: 'al', type: '__u32', typeAlign: 8 });
  assert.equal(field('arr').type, '__u32[M]'); // a bound that is one name keeps it
  assert.equal(field('by_size').type, '__u32[4]'); // sizeof(struct inner) * WIDE, evaluated
  assert.equal(field('pp').type, 'int **');
  assert.equal(field('ip').type, 'int *[2]');
  assert.equal(field('later').type, 'struct fwd *');
  assert.equal(field('lli').type, 'long long');
  assert.deepEqual(field('packed_member'), { name: 'packed_member', type: '__u64', packed: true });
  assert.deepEqual(field('aligned_member'), { name: 'aligned_member', type: '__u32', align: 16 });
  assert.equal(field('pids').type, 'pid_t[]');
  assert.equal(structs.get('al16')!.align, 16);
  assert.equal(structs.get('packed_one')!.packed, true);
  assert.equal(structs.get('top')!.kind, 'union');
  assert.equal(h.constant('M'), 16n);
  assert.equal(h.constant('WIDE'), 1n);
  assert.equal(h.constant('LARGE'), 0x100000000n);
  assert.deepEqual(h.comments.filter((c) => c.annotation), []); // the one in #if 0 is not read
  assert.equal(h.syscall?.name, 'sink');
  assert.deepEqual(h.syscall?.args.map((a) => a.type.base), ['struct outer', 'struct set_t', 'union top']);
  // packed overrides the typedef's aligned(8) but not a member's own aligned(4).
  const packed = layoutStruct(sinkScope.structs.get('packed_one')!, targetById('x86_64'), sinkScope);
  assert.deepEqual(packed.fields.map((f) => [f.name, f.offset]), [['c', 0], ['typedef_aligned', 1], ['own', 8], ['nested', 12], ['set', 28]]);
});

for (const target of TARGETS) {
  test(`kitchen sink as written agrees with ${target.oracle.compiler} on ${target.id}`, (t) => {
    const r = runHeaderOracle(target, sinkHeader, sink, sinkScope);
    if (r.skipped) {
      t.skip(`${target.id}: ${r.skipped}`);
      return;
    }
    assert.ok(r.ok, `${target.id}: ${r.failures.join('\n')}\n${r.diagnostics.slice(0, 2000)}`);
    assert.ok(r.checked > 90, `only ${r.checked} assertions`);
  });
}

test('the header oracle can fail: one wrong claim is named with its header line', (t) => {
  const target = targetById('i386');
  const assertions = headerAssertions(target, sinkHeader, sinkScope).map((a) => (a.label.startsWith('offsetof(struct outer, al)') ? { ...a, expected: a.expected + 4 } : a));
  const text = [ORACLE_PRELUDE, '#define __user', '#define SYSCALL_DEFINE3(n, ...) long sys_##n(void)', sink.replace('#include <linux/types.h>', ''), ...staticAsserts(assertions)].join('\n');
  const r = compileAssertions(target, text, assertions);
  if (r.skipped) {
    t.skip(r.skipped);
    return;
  }
  const line = sink.split('\n').findIndex((l) => l.includes('u32a8 al;')) + 1;
  assert.deepEqual(r.failures, [`engine claims offsetof(struct outer, al) (line ${line}) == ${assertions.find((a) => a.label.startsWith('offsetof(struct outer, al)'))!.expected}; the compiler disagrees`]);
});

test('a header without annotations gets its review: SC-22 names each enum member with a fixed-width fix', () => {
  const plugin = loadHeader(KITCHEN_SINK, sink);
  const r = review([plugin.declaration], TARGETS);
  assert.equal(r.matrix.sink['SC-22'], 'warn');
  const enums = r.findings.filter((f) => f.rule === 'SC-22' && /is an enum/.test(f.message)).map((f) => [f.struct, f.field, f.fix]);
  assert.deepEqual(enums, [
    ['outer', 'col', '__u32 col; /* the values of enum color */'],
    ['outer', 'dir', '__s32 dir; /* the values of enum delta */'],
    ['outer', 'big', '__u64 big; /* the values of enum huge */'],
  ]);
  assert.equal(r.matrix.sink['SC-04'], 'n/a'); // no @flags: nothing to say about unknown bits
});
