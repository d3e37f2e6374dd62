/**
 * Stopping a run with a signal keeps what it measured: SIGTERM (a CI job's timeout) and SIGHUP
 * (a closed terminal) as Ctrl-C does, also while a worker process measures, and Ctrl-C sent to
 * the whole process group as a terminal does (the worker must not die of it). A second run on
 * the machine is warned about and pinned elsewhere.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { readResults } from '../src/results/index.js';
import { CLI, runCli } from './helpers.js';
import { childrenOf, processExists } from './measure-procs.js';

const skip = process.arch !== 'x64' && 'x86_64 only';
const runsDir = () => mkdtempSync(join(tmpdir(), 'clonebench-runs-'));

async function stopWhileAWorkerMeasures(signal: NodeJS.Signals, group: boolean) {
  const dir = mkdtempSync(join(tmpdir(), 'clonebench-signal-'));
  const child = spawn(process.execPath, [CLI, 'run', '--filter', '^copy/set_tid-1@', '--rounds', '100000', '--workers', '2', '--batch-ms', '1', '--no-progress', '--out', dir], {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: group, // its own process group, signalled as a terminal signals one
    env: { ...process.env, CLONEBENCH_RUNS_DIR: runsDir() },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const deadline = Date.now() + 15_000;
  let worker: number | undefined;
  while (Date.now() < deadline && worker === undefined) {
    worker = childrenOf(child.pid!).find((p) => p.comm.startsWith('node'))?.pid;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.ok(worker, 'a worker process started');
  await new Promise((r) => setTimeout(r, 1500));
  if (group) process.kill(-child.pid!, signal);
  else child.kill(signal);
  const code = await exited;
  return { code, dir, stdout, stderr, worker: worker! };
}

for (const [signal, code, group] of [['SIGTERM', 143, false], ['SIGHUP', 129, false], ['SIGINT', 130, true]] as const) {
  test(`${signal}${group ? ' to the process group' : ''} during a worker suite: results kept, exit ${code}, nothing left`, { skip, timeout: 40_000 }, async () => {
    const r = await stopWhileAWorkerMeasures(signal, group);
    assert.equal(r.code, code, r.stderr);
    assert.match(r.stderr, new RegExp(`${signal}: stopping after the current batch`));
    const files = readdirSync(r.dir);
    assert.equal(files.length, 1, 'results file written, no temp file');
    const res = readResults(join(r.dir, files[0]));
    assert.equal(res.interrupted, true);
    const measured = res.variants.filter((v) => v.status === 'measured');
    assert.ok(measured.length >= 4, `${measured.length} measured`);
    assert.ok(measured.every((v) => v.samplesNsPerIter.length >= 1 && !v.complete && v.sampleWorkers.every((w) => w === 0)));
    assert.deepEqual(res.warnings, [], 'the worker reported its samples rather than dying');
    assert.match(r.stdout, /interrupted/);
    assert.equal(processExists(r.worker), false, 'worker gone');
    assert.deepEqual(childrenOf(process.pid), []);
  });
}

test('another run measuring on this machine is named in a warning and this run pins to another CPU', { skip }, async () => {
  const dir = runsDir();
  const other = spawn('sleep', ['30']);
  writeFileSync(join(dir, `${other.pid}.json`), JSON.stringify({ pid: other.pid, cpu: 1, startedAt: 'earlier' }));
  const out = mkdtempSync(join(tmpdir(), 'clonebench-two-'));
  const r = runCli(['run', '--filter', '^floor/empty$', '--rounds', '2', '--workers', '1', '--no-progress', '--out', out], { env: { ...process.env, CLONEBENCH_RUNS_DIR: dir } });
  other.kill('SIGKILL');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, new RegExp(`another run \\(pid ${other.pid}, since earlier\\) is measuring on this machine pinned to CPU 1`));
  const res = readResults(join(out, readdirSync(out)[0]));
  if (res.environment.affinity.allowed !== '1') assert.notEqual(res.environment.affinity.pinnedCpu, 1);
  assert.deepEqual(readdirSync(dir), [`${other.pid}.json`], 'this run unregistered itself');
});
