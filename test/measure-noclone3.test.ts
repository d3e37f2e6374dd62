/**
 * A kernel (or a container runtime) without clone3: under build/noclone3's seccomp filter every
 * variant that measures clone3 itself is skipped with ENOSYS and says which call failed;
 * everything else is measured (the chosen-pid namespaces and the plain and ns_last_pid creates
 * fall back to legacy clone), and the run completes.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { readResults } from '../src/results/index.js';
import { CLI } from './helpers.js';
import { childrenOf } from './measure-procs.js';

const NOCLONE3 = fileURLToPath(new URL('../../build/noclone3', import.meta.url));
const root = process.getuid?.() === 0;

test('without clone3 (seccomp ENOSYS) the run completes, clone3 variants skipped with the reason', { skip: process.arch !== 'x64' && 'x86_64 only' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'clonebench-noclone3-'));
  const pids = root ? '|pids/(clone3-plain|ns_last_pid|clone3-set_tid-d1)$' : '';
  const filter = `floor/(getppid|clone3-nocopy)$|copy/set_tid-1@co-located$|proposals/clone3/pids@1@co-located|clone/(node|helper)/thread${pids}`;
  const args = ['run', '--filter', filter, '--rounds', '2', '--warmup', '0', '--batch-ms', '0.2', '--workers', '1', '--no-progress', '--out', dir];
  const r = spawnSync(NOCLONE3, [process.execPath, CLI, ...args], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 0, `${r.stderr}\n${r.stdout}`);
  const res = readResults(join(dir, readdirSync(dir)[0]));
  const measuresClone3 = (v: (typeof res.variants)[number]) =>
    v.spec.kind === 'clone3-probe' || v.spec.kind === 'copy-plan' || (v.spec.kind === 'clone' && v.spec.via === 'clone3') || (v.spec.kind === 'pids' && v.spec.method === 'set_tid');
  const clone3 = res.variants.filter(measuresClone3);
  const legacy = res.variants.filter((v) => !clone3.includes(v));
  assert.ok(clone3.length >= 6, `clone3 variants: ${clone3.map((v) => v.id).join(', ')}`);
  for (const v of clone3) {
    assert.equal(v.status, 'skipped', v.id);
    assert.equal(v.skip?.code, 'ENOSYS', v.id);
    assert.match(v.skip?.meaning ?? '', /seccomp/);
    // The skip names the call that was refused.
    assert.match(v.skip?.detail ?? '', /clone3/, v.id);
  }
  assert.match(res.variants.find((v) => v.id === 'copy/set_tid-1@co-located')!.skip!.detail, /the clone3 probe/);
  assert.match(res.answer!.rows.find((x) => x.status === 'skipped')!.reason!, /clone3 probes executing clone3's copy plan/);
  assert.ok(legacy.some((v) => v.id === 'clone/node/thread-legacy'));
  for (const v of legacy) assert.equal(v.status, 'measured', `${v.id}: ${JSON.stringify(v.skip)}`);
  if (root) {
    const setTid = res.variants.find((v) => v.id === 'pids/clone3-set_tid-d1')!;
    assert.match(setTid.skip!.detail, /needs clone3/);
    for (const id of ['pids/clone3-plain', 'pids/ns_last_pid']) assert.equal(res.variants.find((v) => v.id === id)!.pidChoice?.createdVia, 'legacy clone', id);
  }
  assert.match(r.stdout, /copy\/set_tid-1@co-located: ENOSYS: /);
  assert.deepEqual(childrenOf(process.pid), []);
});
