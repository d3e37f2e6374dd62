import assert from 'node:assert/strict';
import { test } from 'node:test';
import { layoutStruct } from '../src/ctype/layout.js';
import { resolveType, validateStructs, type StructDecl } from '../src/ctype/model.js';
import { pahole } from '../src/ctype/pahole.js';
import { targetById } from '../src/registry.js';

const MALFORMED: Array<{ what: string; structs: StructDecl[]; error: RegExp }> = [
  { what: 'unknown type', structs: [{ name: 's', fields: [{ name: 'a', type: 'u128' }] }], error: /proposal x: struct s, field #1 "a": unknown type "u128"/ },
  { what: 'unknown struct', structs: [{ name: 's', fields: [{ name: 'a', type: 'struct nope' }] }], error: /field #1 "a": unknown type "struct nope"/ },
  { what: 'duplicate field', structs: [{ name: 's', fields: [{ name: 'a', type: 'int' }, { name: 'a', type: 'int' }] }], error: /struct s: duplicate field name "a"/ },
  { what: 'duplicate struct', structs: [{ name: 's', fields: [{ name: 'a', type: 'int' }] }, { name: 's', fields: [{ name: 'b', type: 'int' }] }], error: /duplicate struct name "s"/ },
  { what: 'no fields', structs: [{ name: 's', fields: [] }], error: /struct s has no fields/ },
  { what: 'missing field name', structs: [{ name: 's', fields: [{ type: 'int' } as never] }], error: /struct s, field #1: missing or invalid field name/ },
  { what: 'missing type', structs: [{ name: 's', fields: [{ name: 'a' } as never] }], error: /field #1 "a": missing type/ },
  { what: 'flexible array not last', structs: [{ name: 's', fields: [{ name: 'n', type: 'int' }, { name: 'v', type: 'int[]' }, { name: 'z', type: 'int' }] }], error: /flexible array member must be the last field/ },
  { what: 'self containing', structs: [{ name: 's', fields: [{ name: 'me', type: 'struct s' }] }], error: /struct s contains itself/ },
  { what: 'unknown array constant', structs: [{ name: 's', fields: [{ name: 'v', type: 'int[N]' }] }], error: /unknown array length "N"/ },
  {
    what: 'mutual containment',
    structs: [{ name: 'a', fields: [{ name: 'b', type: 'struct b' }] }, { name: 'b', fields: [{ name: 'a', type: 'struct a[2]' }] }],
    error: /struct a contains itself \(a -> b -> a\)/,
  },
  { what: 'union named as struct', structs: [{ name: 'u', kind: 'union', fields: [{ name: 'a', type: 'int' }] }, { name: 's', fields: [{ name: 'x', type: 'struct u' }] }], error: /field #1 "x": "struct u" names a union/ },
  { what: 'alignment not a power of two', structs: [{ name: 's', fields: [{ name: 'a', type: 'int', align: 6 }] }], error: /field #1 "a": align 6 is not a power of two/ },
  { what: 'unparseable type', structs: [{ name: 's', fields: [{ name: 'v', type: 'int (*)(void)' }] }], error: /cannot parse type/ },
];

for (const c of MALFORMED) {
  test(`a malformed declaration is rejected with the place named: ${c.what}`, () => {
    assert.throws(() => validateStructs(c.structs, {}, 'proposal x'), c.error);
  });
}

test('pointers to pointers and void pointers resolve; bare void does not', () => {
  const scope = validateStructs([], {}, 't');
  const pp = resolveType('pid_t **', scope, 't');
  assert.equal(pp.kind, 'pointer');
  assert.equal(pp.name, 'pid_t * *');
  assert.throws(() => resolveType('void', scope, 'arg x'), /arg x: "void" is only allowed behind a pointer/);
});

test('layout reports holes and tail padding the way pahole does', () => {
  const scope = validateStructs([{ name: 'ioctl_example', fields: [{ name: 'a', type: '__u32' }, { name: 'b', type: '__u64' }, { name: 'c', type: '__u32' }] }], {}, 't');
  const decl = scope.structs.get('ioctl_example')!;
  const x64 = layoutStruct(decl, targetById('x86_64'), scope);
  assert.equal(x64.size, 24);
  assert.deepEqual(x64.holes, [{ after: 'a', offset: 4, size: 4 }]);
  assert.equal(x64.tailPadding, 4);
  const text = pahole(x64);
  assert.match(text, /XXX 4 bytes hole, try to pack/);
  assert.match(text, /padding: 4/);
  const i386 = layoutStruct(decl, targetById('i386'), scope);
  assert.equal(i386.size, 16);
  assert.deepEqual(i386.holes, []);
});

test('unions, packed and aligned structs lay out as GCC does (the oracle checks all 14 ABIs)', () => {
  const scope = validateStructs(
    [
      { name: 'u', kind: 'union', fields: [{ name: 'a', type: 'char[5]' }, { name: 'b', type: 'int' }] },
      { name: 'p', packed: true, fields: [{ name: 'c', type: 'char' }, { name: 'l', type: '__u64' }, { name: 'u', type: 'union u' }] },
    ],
    {},
    't',
  );
  const u = layoutStruct(scope.structs.get('u')!, targetById('x86_64'), scope);
  assert.deepEqual([u.kind, u.size, u.align, u.tailPadding, u.fields.map((f) => f.offset)], ['union', 8, 4, 3, [0, 0]]);
  assert.match(pahole(u), /^union u \{/);
  const p = layoutStruct(scope.structs.get('p')!, targetById('x86_64'), scope);
  assert.deepEqual([p.size, p.align, p.fields.map((f) => f.offset)], [17, 1, [0, 1, 9]]);
  assert.equal(layoutStruct(scope.structs.get('p')!, targetById('x32'), scope).size, 17);
});
