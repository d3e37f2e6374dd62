/**
 * A malformed declaration is rejected with an InputError naming the place, through the engine
 * API and through `clonebench review`, never with a crash. The broken declarations are built here
 * from a valid one.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PROPOSALS } from '../abi/proposals/index.js';
import { TARGETS } from '../abi/targets/index.js';
import { InputError } from '../src/errors.js';
import type { ProposalDecl } from '../src/proposal/types.js';
import { review } from '../src/review/index.js';
import { runCli } from './helpers.js';

/** A deep copy of eclone's declaration to break. */
const eclone = (): ProposalDecl => structuredClone(PROPOSALS.find((p) => p.id === 'eclone')!) as ProposalDecl;

function rejects(d: ProposalDecl, ...parts: RegExp[]) {
  assert.throws(
    () => review([d], TARGETS),
    (e: unknown) => {
      assert.ok(e instanceof InputError, `expected InputError, got ${String(e)}`);
      for (const p of parts) assert.match(e.message, p);
      return true;
    },
  );
}

test('an unknown member type names the struct, the member and the type', () => {
  const d = eclone();
  d.structs[0].fields[1].type = '__u46';
  rejects(d, /proposal eclone/, /struct clone_args/, /"child_stack"/, /unknown type "__u46"/);
});

test('an unknown struct in a syscall argument names the argument', () => {
  const d = eclone();
  d.syscall.args[1].type = 'struct clone_argz *';
  rejects(d, /syscall eclone, argument #2 "args"/, /unknown type "struct clone_argz"/);
});

test('a member without a type and a member without a name are named by position', () => {
  const noType = eclone();
  delete (noType.structs[0].fields[2] as { type?: string }).type;
  rejects(noType, /struct clone_args, field #3 "child_stack_size": missing type/);
  const noName = eclone();
  delete (noName.structs[0].fields[0] as { name?: string }).name;
  rejects(noName, /struct clone_args, field #1: missing or invalid field name/);
});

test('duplicate member, struct and argument names are rejected', () => {
  const member = eclone();
  member.structs[0].fields[6].name = 'nr_pids';
  rejects(member, /struct clone_args: duplicate field name "nr_pids"/);
  const struct = eclone();
  struct.structs.push(structuredClone(struct.structs[0]));
  rejects(struct, /duplicate struct name "clone_args"/);
  const arg = eclone();
  arg.syscall.args[3].name = 'args';
  rejects(arg, /syscall eclone: duplicate argument name "args"/);
});

test('semantics that name a missing member or argument are rejected with the path', () => {
  const flags = eclone();
  (flags.semantics.flags as { name: string }[])[1].name = 'clone_args.clone_flags_hi';
  rejects(flags, /semantics\.flags\[1\]\.name/, /"clone_args\.clone_flags_hi" names no argument or struct field/);
  const arrays = eclone();
  (arrays.semantics.arrays as unknown as { count: string }[])[0].count = 'clone_args.nr_pidz';
  rejects(arrays, /semantics\.arrays\[0\]\.count/);
  const size = eclone();
  (size.semantics.sizeVersioning as { sizeArg: string }).sizeArg = 'argsize';
  rejects(size, /sizeVersioning\.sizeArg: no argument "argsize"/);
  const since = structuredClone(PROPOSALS.find((p) => p.id === 'clone3')!) as ProposalDecl;
  since.structs[0].fields[10].since = 'CLONE_ARGS_SIZE_VER9';
  rejects(since, /struct clone_args, field "cgroup": since "CLONE_ARGS_SIZE_VER9"/);
});

test('a struct passed by value as a syscall argument is rejected', () => {
  const d = eclone();
  d.syscall.args[1].type = 'struct clone_args';
  rejects(d, /argument #2 "args": a syscall argument is a register/);
});

test('clonebench review: unknown ids exit 2 listing the valid ones; --json has the documented keys', () => {
  const bad = runCli(['review', '--proposal', 'clone4']);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /unknown proposal "clone4"; valid proposals: clone, clone_with_pids/);
  const badTarget = runCli(['review', '--target', 'vax']);
  assert.equal(badTarget.status, 2);
  assert.match(badTarget.stderr, /valid targets: x86_64, i386/);
  const ok = runCli(['review', '--json', '--proposal', 'clone_with_pids', 'clone3', '--target', 'x86_64', 'i386', 'x32']);
  assert.equal(ok.status, 0, ok.stderr);
  const j = JSON.parse(ok.stdout);
  assert.deepEqual(Object.keys(j.matrix), ['clone_with_pids', 'clone3']);
  assert.ok(Array.isArray(j.findings) && j.findings.length > 0);
  assert.ok(j.findings.every((f: { target?: string }) => f.target === undefined || ['x86_64', 'i386', 'x32'].includes(f.target)));
  assert.deepEqual(Object.keys(j.facts), ['clone_with_pids', 'clone3']);
  // Design-level facts are judged on all 14 ABIs even with a target selection.
  assert.equal(j.facts.clone_with_pids.layout.abis, 14);
});

test('clonebench review text is plain ASCII and fits 100 columns', () => {
  const r = runCli(['review']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /==== verdicts/);
  assert.match(r.stdout, /==== derived facts/);
  assert.match(r.stdout, /==== findings/);
  assert.ok(/^[\x09\x0a\x20-\x7e]*$/.test(r.stdout), 'non-ASCII output');
  const lines = r.stdout.split('\n');
  const wide = lines.filter((l) => l.length > 100);
  assert.deepEqual(wide, []);
});
