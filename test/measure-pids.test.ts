/**
 * The pids suite: creates with chosen pids inside pid namespaces of the run's own. The tests
 * check that every variant runs, that the children really got the pids chosen (the C side
 * compares each returned pid, and reads every level back through a pidfd), that a run without
 * privileges either goes through a user namespace or skips with a named reason, and that no
 * namespace init, driver or zombie is left. Never timings.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { pidsSuite } from '../benches/index.js';
import { runBenchmarks } from '../src/measure/index.js';
import { PidnsDriver, PidnsError } from '../src/native/pidns.js';
import { readResults } from '../src/results/index.js';
import { ResultsFileSchema, type VariantResult } from '../src/results/schema.js';
import { CLI, runCli } from './helpers.js';
import { childrenOf, processExists } from './measure-procs.js';

const x86 = process.arch === 'x64';
const root = process.getuid?.() === 0;
const TINY = ['--rounds', '2', '--warmup', '0', '--batch-ms', '1', '--no-progress'];

function outDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'clonebench-pids-'));
  chmodSync(dir, 0o777); // writable by the unprivileged test user too
  return dir;
}

/** Every process a pids variant made (its namespaces' inits) is gone: reaping a namespace's
 * init happens only once everything in the namespace has exited. */
function assertNothingLeft(variants: readonly VariantResult[]): void {
  for (const v of variants) {
    for (const pid of v.pidChoice?.inits ?? []) assert.equal(processExists(pid), false, `${v.id}: init ${pid} left`);
    if (v.parent) assert.equal(processExists(v.parent.pid), false, `${v.id}: timing init ${v.parent.pid} left`);
  }
  assert.deepEqual(childrenOf(process.pid), [], 'no child or zombie of the test process');
}

/** A measured variant whose children got every pid chosen. */
function assertChosen(v: VariantResult, privilege: 'root' | 'user-namespace'): void {
  assert.equal(v.status, 'measured', `${v.id}: ${JSON.stringify(v.skip)}`);
  assert.equal(v.spec.kind, 'pids');
  if (v.spec.kind !== 'pids') return;
  const c = v.pidChoice;
  assert.ok(c, `${v.id}: no pid record`);
  assert.equal(c.privilege, privilege);
  assert.equal(c.inits.length, v.spec.levels);
  assert.equal(v.parent?.where, 'pidns-init');
  assert.equal(v.parent?.pid, c.inits.at(-1), 'the innermost init times the loop');
  assert.notEqual(v.parent?.pid, process.pid);
  if (v.spec.method === 'plain') {
    assert.equal(c.creates, 0);
    assert.equal(v.delta, null);
    return;
  }
  assert.ok(c.creates > 0, `${v.id}: no pid chosen`);
  // set_tid: the kernel gives the pid or fails; ns_last_pid: nothing else forks in our own
  // namespace, so no race can take the pid.
  assert.equal(c.mismatches, 0, `${v.id}: ${c.mismatches} children got another pid`);
  if (v.spec.method === 'set_tid') {
    assert.ok(c.checks >= 1, `${v.id}: never read back`);
    assert.equal(c.checkFailures, 0);
    assert.equal(c.checkedLevels, c.checks * v.spec.levels, `${v.id}: every level read back`);
  } else assert.equal(c.checks, 0);
  assert.equal(v.delta?.method, 'interleaved');
  assert.equal(v.delta?.samplesNs.length, v.samplesNsPerIter.length);
}

test('pids suite: every baseline is plain clone3 at the same depth', () => {
  for (const v of pidsSuite.variants) {
    assert.equal(v.spec.kind, 'pids');
    if (v.spec.kind !== 'pids') continue;
    if (v.spec.method === 'plain') {
      assert.equal(v.baseline, undefined, v.id);
      continue;
    }
    const base = pidsSuite.variants.find((b) => b.id === v.baseline)?.spec;
    assert.deepEqual(base, { kind: 'pids', method: 'plain', levels: v.spec.levels }, v.id);
  }
  assert.deepEqual(
    pidsSuite.variants.filter((v) => v.spec.kind === 'pids' && v.spec.method === 'set_tid').map((v) => (v.spec.kind === 'pids' ? v.spec.levels : 0)),
    [1, 2, 4, 8],
  );
});

test('pids suite as root: every variant measured, every chosen pid given, nothing left', { skip: (!x86 || !root) && 'needs x86_64 and root' }, async () => {
  const r = await runBenchmarks({ suites: [pidsSuite], rounds: 2, warmupRounds: 1, targetBatchMs: 1, seed: 3 });
  assert.equal(ResultsFileSchema.safeParse(r).success, true);
  assert.equal(r.variants.length, pidsSuite.variants.length);
  for (const v of r.variants) {
    assertChosen(v, 'root');
    assert.equal(v.samplesNsPerIter.length, 2);
  }
  assert.equal(r.environment.pidns?.source, 'native/pidns.main.c');
  assertNothingLeft(r.variants);
});

test('pidns driver: set_tid pids read back at every level, ns_last_pid without races, refusals named', { skip: (!x86 || !root) && 'needs x86_64 and root' }, async () => {
  const driver = PidnsDriver.start();
  try {
    const ns = await driver.namespace(2, 5000);
    assert.ok(ns.ok, JSON.stringify(ns));
    if (!ns.ok) return;
    assert.equal(ns.chain.inits.length, 2);
    const set = await driver.run(2, 'set_tid', 5, 5000);
    assert.deepEqual({ ret: set.ret, done: set.done, mismatches: set.mismatches, verified: set.verifiedLevels }, { ret: 0, done: 5, mismatches: 0, verified: 2 });
    const paired = await driver.pair(2, 'set_tid', 2, 3, 5000);
    assert.deepEqual({ ret: paired.ret, done: paired.done, deltas: paired.pairDeltas.length, verified: paired.verifiedLevels }, { ret: 0, done: 6, deltas: 3, verified: 2 });
    // ns_last_pid acts on the writer's own namespace (the depth-1 chain): each child gets N.
    assert.ok((await driver.namespace(1, 5000)).ok);
    for (const method of ['ns_last_pid', 'ns_last_pid-open'] as const) {
      const last = await driver.run(1, method, 5, 5000);
      assert.deepEqual({ ret: last.ret, done: last.done, mismatches: last.mismatches }, { ret: 0, done: 5, mismatches: 0 }, method);
    }
    // A depth never made is refused by the driver, not forwarded anywhere.
    await assert.rejects(driver.run(3, 'plain', 1, 5000), PidnsError);
    const status = await driver.status(2);
    assert.equal(status.pid, ns.chain.inits[1]);
    await driver.close();
    for (const pid of ns.chain.inits) assert.equal(processExists(pid), false, `init ${pid} left`);
  } finally {
    await driver.close();
  }
  assert.deepEqual(childrenOf(process.pid), []);
});

test('unprivileged run: pids variants measured through a user namespace or skipped with a named reason', { skip: (!x86 || !root) && 'needs x86_64 and root to drop to uid 65534' }, () => {
  const dir = outDir();
  const r = runCli(['run', '--filter', '^pids/', ...TINY, '--out', dir], { uid: 65534, gid: 65534 });
  assert.equal(r.status, 0, r.stderr);
  const res = readResults(join(dir, readdirSync(dir)[0]));
  assert.equal(res.environment.uid, 65534);
  assert.equal(res.variants.length, pidsSuite.variants.length);
  for (const v of res.variants) {
    if (v.status === 'measured') assertChosen(v, 'user-namespace');
    else {
      assert.ok(v.skip && v.skip.errno > 0, `${v.id}: ${JSON.stringify(v.skip)}`);
      assert.match(v.skip.detail, /unshare\(CLONE_NEWUSER\)|clone3\(CLONE_NEWPID\)/);
    }
  }
  assertNothingLeft(res.variants);
});

const UNSHARE = '/usr/bin/unshare';

test('where user namespaces cannot be made, pids variants are skipped with the step and errno', { skip: (!x86 || !root || !existsSync(UNSHARE)) && 'needs x86_64, root and util-linux unshare' }, () => {
  // Inside a user namespace that maps uid 65534 and no gid, uid 65534 has no CAP_SYS_ADMIN and
  // a nested user namespace is refused (EPERM: its creator's gid must be mapped).
  const dir = outDir();
  const args = ['run', '--filter', '^pids/clone3-(plain|set_tid-d1)$', ...TINY, '--out', dir];
  const r = spawnSync(UNSHARE, ['--user', '--map-user=65534', process.execPath, CLI, ...args], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 0, `${r.stderr}\n${r.stdout}`);
  const res = readResults(join(dir, readdirSync(dir)[0]));
  assert.equal(res.variants.length, 2);
  for (const v of res.variants) {
    assert.equal(v.status, 'skipped', v.id);
    assert.equal(v.skip?.code, 'EPERM', v.id);
    assert.match(v.skip?.detail ?? '', /^unshare\(CLONE_NEWUSER\) failed as uid 65534: .*user namespaces are off or forbidden/);
  }
  // The printed text report lists the skip with its errno and the failing step (lines wrap at 72).
  assert.match(r.stdout.replace(/\s+/g, ' '), /pids\/clone3-set_tid-d1: EPERM: .*\(unshare\(CLONE_NEWUSER\) failed as uid 65534/);
  assertNothingLeft(res.variants);
});
