import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { readResults } from '../src/results/index.js';
import { CLI, runCli } from './helpers.js';
import { childrenOf, processExists } from './measure-procs.js';

const x86 = process.arch === 'x64';
const root = process.getuid?.() === 0;
const TINY = ['--rounds', '2', '--warmup', '0', '--batch-ms', '0.2', '--no-progress'];

function outDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'clonebench-run-'));
  chmodSync(dir, 0o777); // writable by the unprivileged test user too
  return dir;
}

test('bad options are usage errors (exit 2)', () => {
  for (const args of [['--rounds', 'x'], ['--rounds', '0'], ['--filter', '('], ['--filter', 'no-such-variant'], ['--seed', '-1']]) {
    const r = runCli(['run', ...args, '--out', outDir()]);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, /^clonebench: --/);
  }
});

test('an unusable --out is a usage error before any measuring, never a hang', () => {
  const file = join(outDir(), 'not-a-dir');
  writeFileSync(file, '');
  const cases: Array<[string, RegExp]> = [
    ['/proc/clonebench-nope', /--out \/proc\/clonebench-nope: cannot create or write the results directory/],
    [file, /is not a directory/],
  ];
  for (const [dir, message] of cases) {
    const r = runCli(['run', '--filter', 'floor/empty', ...TINY, '--out', dir], { timeout: 20_000 });
    assert.equal(r.status, 2, `${dir}: ${r.stderr}`);
    assert.match(r.stderr, message);
  }
});

test('a run without privileges completes, with CLONE_NEWPID skipped as EPERM', { skip: (!x86 || !root) && 'needs x86_64 and root to drop to uid 65534' }, () => {
  const dir = outDir();
  const r = runCli(['run', '--filter', 'floor/getppid|copy/set_tid-1$|clone/(node|helper)/(newpid|vfork)', ...TINY, '--out', dir], { uid: 65534, gid: 65534 });
  assert.equal(r.status, 0, r.stderr);
  const files = readdirSync(dir);
  assert.equal(files.length, 1);
  assert.ok(r.stdout.includes(`results: ${join(dir, files[0])}`));
  const res = readResults(join(dir, files[0]));
  assert.equal(res.environment.uid, 65534);
  const newpid = res.variants.filter((v) => v.id.includes('newpid'));
  assert.equal(newpid.length, 4);
  for (const v of newpid) {
    assert.equal(v.status, 'skipped');
    assert.equal(v.skip?.code, 'EPERM');
    assert.match(v.skip?.meaning ?? '', /CAP_SYS_ADMIN/);
  }
  for (const v of res.variants.filter((x) => !x.id.includes('newpid'))) assert.equal(v.status, 'measured', v.id);
  // The printed summary is the text report: its skip list names the variant and the errno.
  assert.match(r.stdout, /clone\/node\/newpid-legacy: EPERM: /);
});

test('Ctrl-C stops after the current batch, writes the file, exits 130 and leaves no process', { skip: !x86 && 'x86_64 only', timeout: 30_000 }, async () => {
  const dir = outDir();
  const child = spawn(process.execPath, [CLI, 'run', '--filter', 'clone/helper/(thread|fork)', '--rounds', '100000', '--batch-ms', '2', '--no-progress', '--out', dir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  // Wait until the helper runs (a child of the CLI named clonehelper), then let it measure.
  const deadline = Date.now() + 15_000;
  let helperPid: number | undefined;
  while (Date.now() < deadline && helperPid === undefined) {
    helperPid = childrenOf(child.pid!).find((p) => p.comm === 'clonehelper')?.pid;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.ok(helperPid, 'the helper started');
  await new Promise((r) => setTimeout(r, 500));
  child.kill('SIGINT');
  const code = await exited;
  assert.equal(code, 130);
  const files = readdirSync(dir);
  assert.equal(files.length, 1, 'results file written, no temp file');
  const res = readResults(join(dir, files[0]));
  assert.equal(res.interrupted, true);
  const measured = res.variants.filter((v) => v.status === 'measured');
  assert.ok(measured.length > 0 && measured.every((v) => v.samplesNsPerIter.length >= 1 && !v.complete));
  assert.match(stdout, /interrupted/);
  assert.equal(processExists(helperPid!), false, 'helper gone');
  assert.deepEqual(childrenOf(process.pid), []);
});
