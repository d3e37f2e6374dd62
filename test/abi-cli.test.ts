import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCli } from './helpers.js';

test('abi prints pahole-style layouts, the comparison and register slots', () => {
  const r = runCli(['abi']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /struct pid_set \{/);
  assert.match(r.stdout, /XXX 4 bytes hole, try to pack/);
  assert.match(r.stdout, /==== struct sizes by target/);
  assert.match(r.stdout, /clone_with_pids: pid_set\s+16\/8\*\s+8\/4/);
  assert.match(r.stdout, /==== syscall register slots/);
});

test('abi --json has every target and every proposal in the documented shape', () => {
  const r = runCli(['abi', '--json']);
  assert.equal(r.status, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  assert.equal(j.targets.length, 14);
  assert.deepEqual(j.proposals.map((p: { id: string }) => p.id), ['clone', 'clone_with_pids', 'clone_extended_flags', 'clone_extended_flags_reg', 'clone_extended_info', 'eclone', 'clone3', 'ns_last_pid']);
  const clone3 = j.proposals.find((p: { id: string }) => p.id === 'clone3').structs[0];
  assert.equal(clone3.name, 'clone_args');
  for (const t of j.targets) {
    assert.equal(clone3.layouts[t].size, 88);
    assert.deepEqual(clone3.layouts[t].fields.find((f: { name: string }) => f.name === 'set_tid'), { name: 'set_tid', type: '__aligned_u64', offset: 64, size: 8, align: 8 });
  }
  const pidSet = j.proposals.find((p: { id: string }) => p.id === 'clone_with_pids').structs[0];
  assert.equal(pidSet.layouts.x86_64.size, 16);
  assert.equal(pidSet.layouts.i386.size, 8);
  assert.equal(pidSet.layouts.m68k.align, 2);
});

test('abi --flag-words changes clone_flags_t and is range-checked', () => {
  const r = runCli(['abi', '--json', '--proposal', 'clone_extended_flags', '--target', 'x86_64', 'i386', '--flag-words', '4']);
  assert.equal(r.status, 0, r.stderr);
  const flags = JSON.parse(r.stdout).proposals[0].structs[0];
  assert.equal(flags.layouts.x86_64.size, 32);
  assert.equal(flags.layouts.i386.size, 16);
  const bad = runCli(['abi', '--proposal', 'clone_extended_flags', '--flag-words', '0']);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--flag-words takes a decimal integer in 1\.\.64, got 0/);
});

test('unknown target or proposal: exit 2 with the list of valid ids', () => {
  const t = runCli(['abi', '--target', 'vax']);
  assert.equal(t.status, 2);
  assert.match(t.stderr, /unknown target "vax"; valid targets: x86_64, i386, x32, aarch64, arm, ppc32, ppc64, ppc64le, s390x, mips-o32, mips-n64, riscv64, m68k, sparc64/);
  const p = runCli(['abi', '--proposal', 'clone4']);
  assert.equal(p.status, 2);
  assert.match(p.stderr, /unknown proposal "clone4"; valid proposals: clone, clone_with_pids, .*ns_last_pid/);
});

test('register slots: 64-bit arguments take pairs and padding on even-pair ABIs', async () => {
  const { accountSlots } = await import('../src/ctype/slots.js');
  const { validateStructs } = await import('../src/ctype/model.js');
  const { targetById } = await import('../src/registry.js');
  const scope = validateStructs([], {}, 'test');
  // sync_file_range(int fd, loff_t off, loff_t n, unsigned flags): 7 slots on ARM EABI, 6 on i386.
  const sfr = { name: 'sync_file_range', returns: 'int', args: [{ name: 'fd', type: 'int' }, { name: 'off', type: 'loff_t' }, { name: 'n', type: 'loff_t' }, { name: 'flags', type: 'unsigned int' }] };
  const arm = accountSlots(sfr, targetById('arm'), scope);
  assert.equal(arm.slotsUsed, 7);
  assert.equal(arm.paddingSlots, 1);
  assert.deepEqual(arm.args[1].locations, ['r2', 'r3']);
  assert.equal(accountSlots(sfr, targetById('i386'), scope).slotsUsed, 6);
  assert.equal(accountSlots(sfr, targetById('x86_64'), scope).slotsUsed, 4);
  assert.equal(accountSlots(sfr, targetById('x32'), scope).slotsUsed, 4);
  const o32 = accountSlots(sfr, targetById('mips-o32'), scope);
  assert.equal(o32.stackSlots, 3);
  assert.deepEqual(o32.args[1].locations, ['a2', 'a3']);
});
