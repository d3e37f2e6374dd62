import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadHarness, CLONE_ARGS_SIZE_VER2 } from '../src/native/harness.js';
import { describeErrno } from '../src/native/errno.js';
import { childrenOf } from './measure-procs.js';

const EINVAL = 22;
const h = loadHarness();
const x86 = process.arch === 'x64';

test('the harness loads and knows its architecture', () => {
  assert.equal(h.supported, x86);
  assert.equal(h.compileInfo().source, 'native/harness.c');
  assert.ok(h.compileInfo().flags.includes('-O2'));
});

test('probes return what the kernel says', { skip: !x86 && 'x86_64 only' }, () => {
  assert.equal(h.probeBatch('empty', null, 0, 1000).ret, 0);
  assert.equal(h.probeBatch('getppid', null, 0, 10).ret, 0);
  const args = Buffer.alloc(4096);
  // size 0: EINVAL on the size check, before any copy.
  assert.equal(h.probeBatch('clone3', args, 0, 10).ret, -EINVAL);
  h.writeProbeArgs(args, args.length, null, 0);
  assert.equal(args.readBigUInt64LE(0), 1n << 63n);
  for (const size of [64, CLONE_ARGS_SIZE_VER2, 4096]) assert.equal(h.probeBatch('clone3', args, size, 10).ret, -EINVAL);
  // A non-zero byte in the tail beyond 88: the kernel's E2BIG proves the tail is really read.
  args[4000] = 1;
  assert.equal(h.probeBatch('clone3', args, 4096, 1).ret, -7 /* E2BIG */);
  args[4000] = 0;
  // set_tid pointing at an unmapped address: EFAULT proves the array is really copied.
  const bogus = Buffer.alloc(4096);
  h.writeProbeArgs(bogus, 4096, null, 4);
  bogus.writeBigUInt64LE(8n, 64); // set_tid = address 8, set_tid_size = 4
  assert.equal(h.probeBatch('clone3', bogus, CLONE_ARGS_SIZE_VER2, 1).ret, -14 /* EFAULT */);
});

test('the harness refuses a clone3 probe that could fork', { skip: !x86 && 'x86_64 only' }, () => {
  const noBadFlag = Buffer.alloc(CLONE_ARGS_SIZE_VER2); // flags = 0 would create a child
  const r = h.probeBatch('clone3', noBadFlag, CLONE_ARGS_SIZE_VER2, 1);
  assert.equal(describeErrno(r.ret).code, 'BADARGS');
  assert.throws(() => h.writeProbeArgs(Buffer.alloc(32), 32, null, 0), RangeError);
  assert.throws(() => h.probeBatch('clone3', Buffer.alloc(64), 128, 1), RangeError);
  assert.throws(() => h.probeBatch('empty', null, 0, 0), RangeError);
  assert.deepEqual(childrenOf(process.pid), []);
});

test('an interleaved A/B batch returns one delta per block pair', { skip: !x86 && 'x86_64 only' }, () => {
  const a = h.allocPages(4096);
  const b = h.allocPages(4096);
  h.writeProbeArgs(a, 4096, null, 0);
  h.writeProbeArgs(b, 4096, null, 0);
  const r = h.probePairBatch(a, 4096, b, 64, 5, 7);
  assert.equal(r.ret, -EINVAL);
  assert.equal(r.pairDeltas.length, 7);
  assert.ok(r.nsA > 0 && r.nsB > 0);
  assert.ok(r.pairDeltas.every(Number.isFinite));
});

test('pinning moves the main thread to the chosen CPU and back', { skip: !x86 && 'x86_64 only' }, () => {
  assert.equal(h.pinCpu(0), 0);
  assert.equal(h.currentCpu(), 0);
  assert.equal(h.unpinCpu(), 0);
});

test('every clone shape creates and reaps its children, via both entry points', { skip: !x86 && 'x86_64 only' }, () => {
  const root = process.getuid?.() === 0;
  for (const shape of ['thread', 'vfork', 'fork', 'newpid'] as const)
    for (const via of ['legacy', 'clone3'] as const) {
      const r = h.cloneBatch(shape, via, 3);
      if (shape === 'newpid' && !root) {
        assert.equal(describeErrno(r.ret).code, 'EPERM');
        continue;
      }
      assert.equal(r.ret, 0, `${shape}/${via}: ${describeErrno(r.ret).code}`);
      assert.equal(r.done, 3);
      assert.ok(r.ns > 0);
    }
  assert.deepEqual(childrenOf(process.pid), [], 'no child or zombie left');
});
