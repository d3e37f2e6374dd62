/**
 * A kernel (or a container runtime) without clone3: under build/noclone3's seccomp filter every
 * clone3 variant is skipped with ENOSYS as the reason, everything else is measured, and the run
 * completes.
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

test('without clone3 (seccomp ENOSYS) the run completes, clone3 variants skipped with the reason', { skip: process.arch !== 'x64' && 'x86_64 only' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'clonebench-noclone3-'));
  const args = ['run', '--filter', 'floor/(getppid|clone3-nocopy)$|copy/set_tid-1$|clone/(node|helper)/thread', '--rounds', '2', '--warmup', '0', '--batch-ms', '0.2', '--no-progress', '--out', dir];
  const r = spawnSync(NOCLONE3, [process.execPath, CLI, ...args], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 0, `${r.stderr}\n${r.stdout}`);
  const res = readResults(join(dir, readdirSync(dir)[0]));
  const clone3 = res.variants.filter((v) => v.spec.kind === 'clone3-probe' || (v.spec.kind === 'clone' && v.spec.via === 'clone3'));
  const legacy = res.variants.filter((v) => !clone3.includes(v));
  assert.ok(clone3.length >= 5, `clone3 variants: ${clone3.map((v) => v.id).join(', ')}`);
  for (const v of clone3) {
    assert.equal(v.status, 'skipped', v.id);
    assert.equal(v.skip?.code, 'ENOSYS', v.id);
    assert.match(v.skip?.meaning ?? '', /seccomp/);
  }
  assert.ok(legacy.some((v) => v.id === 'clone/node/thread-legacy'));
  for (const v of legacy) assert.equal(v.status, 'measured', v.id);
  assert.match(r.stdout, /copy\/set_tid-1 +skipped: ENOSYS/);
  assert.deepEqual(childrenOf(process.pid), []);
});
