/**
 * The layout engine against real compilers: every struct of every interface plus a set of
 * tricky structs, on all 14 targets. A target whose compiler is missing is reported as skipped
 * with the reason (never passed silently).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TARGETS } from '../abi/targets/index.js';
import { PROPOSALS } from '../abi/proposals/index.js';
import { validateStructs, type StructDecl } from '../src/ctype/model.js';
import { assertionsFor, runOracle, type OracleStruct } from '../src/ctype/oracle.js';
import type { TargetAbi } from '../src/ctype/target.js';
import { resolveProposal } from '../src/registry.js';

/** Structs chosen to trip a wrong engine: i386/m68k alignment, x32, big-endian, flexible arrays, nesting. */
const TRICKY: StructDecl[] = [
  { name: 'int_ll', fields: [{ name: 'a', type: 'int' }, { name: 'b', type: 'long long' }] },
  { name: 'int_au64', fields: [{ name: 'a', type: 'int' }, { name: 'b', type: '__aligned_u64' }] },
  { name: 'char_int', fields: [{ name: 'c', type: 'char' }, { name: 'i', type: 'int' }] },
  { name: 'int_char', fields: [{ name: 'i', type: 'int' }, { name: 'c', type: 'char' }] },
  { name: 'short_char', fields: [{ name: 's', type: 'short' }, { name: 'c', type: 'char' }] },
  { name: 'ioctl_example', fields: [{ name: 'a', type: '__u32' }, { name: 'b', type: '__u64' }, { name: 'c', type: '__u32' }] },
  { name: 'xyzzy_params', fields: [{ name: 'size', type: 'u32' }, { name: 'p1', type: 'u32' }, { name: 'p2', type: 'u64' }, { name: 'p3', type: 'u64' }] },
  { name: 'char_double', fields: [{ name: 'c', type: 'char' }, { name: 'd', type: 'double' }] },
  { name: 'char_ptr', fields: [{ name: 'c', type: 'char' }, { name: 'p', type: 'void *' }] },
  { name: 'ulong_words', fields: [{ name: 'flags', type: 'unsigned long[2]' }] },
  { name: 'size_and_long', fields: [{ name: 'n', type: 'size_t' }, { name: 'c', type: '__u8' }, { name: 'l', type: 'long' }] },
  { name: 'flex_pids', fields: [{ name: 'n', type: 'int' }, { name: 'pids', type: 'pid_t[]' }] },
  { name: 'flex_ll', fields: [{ name: 's', type: 'short' }, { name: 'v', type: 'long long[]' }] },
  { name: 'flex_after_char', fields: [{ name: 'c', type: 'char' }, { name: 'v', type: 'int[]' }] },
  { name: 'nested', fields: [{ name: 'c', type: 'char' }, { name: 'inner', type: 'struct int_ll' }, { name: 's', type: 'short' }] },
  { name: 'array_of_structs', fields: [{ name: 'items', type: 'struct char_int[3]' }, { name: 'tail', type: 'char' }] },
  { name: 'ptr_array', fields: [{ name: 'p', type: 'int *[3]' }, { name: 'c', type: 'char' }] },
  { name: 'deep', fields: [{ name: 'x', type: 'struct nested[2]' }, { name: 'y', type: 'struct int_au64' }, { name: 'z', type: 'char[3]' }] },
  // What C headers add (src/header/): unions, packed and aligned(N), enums, __kernel_long_t.
  { name: 'u_int_ll', kind: 'union', fields: [{ name: 'a', type: 'int' }, { name: 'b', type: 'long long' }, { name: 'c', type: 'char[5]' }] },
  { name: 'u_chars', kind: 'union', fields: [{ name: 'a', type: 'char[3]' }, { name: 'b', type: 'short' }] },
  { name: 'with_union', fields: [{ name: 'c', type: 'char' }, { name: 'u', type: 'union u_int_ll' }, { name: 'd', type: 'char' }, { name: 'v', type: 'union u_chars[2]' }] },
  { name: 'packed_all', packed: true, fields: [{ name: 'c', type: 'char' }, { name: 'i', type: 'int' }, { name: 'l', type: 'long long' }, { name: 'p', type: 'void *' }] },
  { name: 'packed_realigned', packed: true, fields: [{ name: 'c', type: 'char' }, { name: 'i', type: 'int', align: 4 }, { name: 's', type: 'short' }] },
  { name: 'packed_member', fields: [{ name: 'c', type: 'char' }, { name: 'l', type: 'long long', packed: true }, { name: 'd', type: 'char' }, { name: 'i', type: 'int' }] },
  // A typedef's aligned(N) is the type's: packed overrides it; a member's own aligned(N) survives packed.
  { name: 'packed_typedef_aligned', packed: true, fields: [{ name: 'c', type: 'char' }, { name: 'x', type: '__u32', typeAlign: 8 }, { name: 'y', type: '__u32', align: 8 }] },
  { name: 'typedef_aligned', fields: [{ name: 'c', type: 'char' }, { name: 'x', type: '__u32', typeAlign: 8 }, { name: 'd', type: 'char' }] },
  { name: 'aligned16', align: 16, fields: [{ name: 'c', type: 'char' }, { name: 'i', type: 'int' }] },
  { name: 'member_aligned', fields: [{ name: 'c', type: 'char' }, { name: 'x', type: '__u32', align: 8 }, { name: 'y', type: 'char' }, { name: 'n', type: 'struct aligned16' }] },
  { name: 'kernel_long', fields: [{ name: 'c', type: 'char' }, { name: 't', type: '__kernel_long_t' }, { name: 'u', type: '__kernel_ulong_t[2]' }, { name: 'sz', type: '__kernel_size_t' }, { name: 'o', type: '__kernel_loff_t' }] },
  {
    name: 'enums',
    fields: [
      { name: 'c', type: 'char' },
      { name: 'small', type: 'unsigned int', enumType: { name: 'small', range: ['0', '7'] } },
      { name: 'big', type: 'unsigned long long', enumType: { name: 'big', range: ['0', '4294967296'] } },
      { name: 'neg', type: 'int', enumType: { name: 'neg', range: ['-1', '3'] } },
      { name: 'arr', type: 'unsigned int[3]', enumType: { name: 'small', range: ['1', '2'] } },
    ],
  },
];

function oracleItems(): OracleStruct[] {
  const trickyScope = validateStructs(TRICKY, {}, 'tricky structs');
  const items: OracleStruct[] = TRICKY.map((decl) => ({ prefix: 'tricky', decl, scope: trickyScope }));
  for (const p of PROPOSALS) {
    const r = resolveProposal(p);
    for (const decl of p.structs) items.push({ prefix: p.id, decl, scope: r.scope });
  }
  return items;
}

const items = oracleItems();

test('the oracle covers every declared struct of every interface', () => {
  const declared = PROPOSALS.flatMap((p) => p.structs.map((s) => `${p.id}.${s.name}`));
  const covered = items.filter((i) => i.prefix !== 'tricky').map((i) => `${i.prefix}.${i.decl.name}`);
  assert.deepEqual(covered.sort(), declared.sort());
  assert.equal(TARGETS.length, 14);
});

for (const target of TARGETS) {
  test(`layout engine agrees with ${target.oracle.compiler} ${target.oracle.args.join(' ')} on ${target.id}`, (t) => {
    const result = runOracle(target, items);
    if (result.skipped) {
      t.skip(`${target.id}: ${result.skipped}`);
      return;
    }
    assert.ok(result.ok, `${target.id}: ${result.failures.length} disagreement(s):\n  ${result.failures.join('\n  ')}\n${result.diagnostics.slice(0, 2000)}`);
    assert.ok(result.checked > 200, `only ${result.checked} assertions generated`);
  });
}

// The oracle must be able to fail: a target description with one wrong alignment is rejected.
test('the oracle rejects a deliberately wrong target description', (t) => {
  const i386 = TARGETS.find((x) => x.id === 'i386')!;
  const broken: TargetAbi = { ...i386, types: { ...i386.types, 'long long': [8, 8] } };
  const result = runOracle(broken, items);
  if (result.skipped) {
    t.skip(result.skipped);
    return;
  }
  assert.equal(result.ok, false);
  assert.ok(result.failures.some((f) => f.includes('tricky: struct int_ll')), result.failures.join('\n'));
  assert.ok(result.failures.some((f) => f.includes('in-struct align of long long')));
});

test('a wrong expected value is reported with the assertion that failed', (t) => {
  const m68k = TARGETS.find((x) => x.id === 'm68k')!;
  const assertions = assertionsFor(m68k, items).map((a) => (a.label === 'sizeof(tricky: struct char_int)' ? { ...a, expected: 8 } : a));
  const result = runOracle(m68k, items, assertions);
  if (result.skipped) {
    t.skip(result.skipped);
    return;
  }
  assert.deepEqual(result.failures, ['engine claims sizeof(tricky: struct char_int) == 8; the compiler disagrees']);
});
