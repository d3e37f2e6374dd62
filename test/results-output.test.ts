/**
 * Issue 12 items 11-14: the results directory is checked by really creating a file in it; a new
 * run never replaces another run's file; reading refuses non-regular and oversized files before
 * reading them; results/ is ignored by git.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { UsageError } from '../src/errors.js';
import { PACKAGE_ROOT } from '../src/native/paths.js';
import { createExclusive, MAX_RESULTS_FILE_BYTES, readResults, ResultsFileError } from '../src/results/io.js';
import { ensureWritableDir, saveResults } from '../src/results/output.js';
import { runCli } from './helpers.js';

const root = process.getuid?.() === 0;
const TINY = ['--filter', 'floor/empty', '--rounds', '2', '--warmup', '0', '--batch-ms', '0.2', '--no-progress'];
const made: string[] = [];
after(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
const tempDir = (tag: string) => {
  const dir = mkdtempSync(join(tmpdir(), `clonebench-${tag}-`));
  made.push(dir);
  return dir;
};

describe('item 11: the results directory is checked with a real file', () => {
  it('/proc is refused before any measuring, also for root (access() says yes to root)', () => {
    assert.throws(() => ensureWritableDir('/proc'), (e: unknown) => e instanceof UsageError && /^--out \/proc: cannot create or write the results directory \(creating a file in it: /.test(e.message));
    const r = runCli(['run', ...TINY, '--out', '/proc'], { timeout: 20_000 });
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /^clonebench: --out \/proc: cannot create or write the results directory/);
    assert.equal(r.stdout, '', 'nothing measured');
  });

  it('a read-only directory is refused for a user without the privilege; a writable one is left as it was', { skip: !root && 'needs root to run as uid 65534' }, () => {
    const dir = tempDir('ro');
    chmodSync(dir, 0o755);
    const r = runCli(['run', ...TINY, '--out', dir], { uid: 65534, gid: 65534, timeout: 20_000 });
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /cannot create or write the results directory \(creating a file in it: EACCES/);
    const ok = tempDir('rw');
    ensureWritableDir(join(ok, 'a', 'b'));
    assert.deepEqual(readdirSync(join(ok, 'a', 'b')), [], 'the probe file is removed');
  });
});

describe('item 12: a new results file never replaces another', () => {
  it('the same name twice: the second file gets -2, then -3; no temp file is left', () => {
    const dir = tempDir('excl');
    const name = '2025-01-01T00-00-00.000Z-h.json';
    assert.equal(createExclusive(dir, name, 'first\n'), join(dir, name));
    assert.equal(createExclusive(dir, name, 'second\n'), join(dir, '2025-01-01T00-00-00.000Z-h-2.json'));
    assert.equal(createExclusive(dir, name, 'third\n'), join(dir, '2025-01-01T00-00-00.000Z-h-3.json'));
    assert.equal(readFileSync(join(dir, name), 'utf8'), 'first\n');
    assert.equal(readFileSync(join(dir, '2025-01-01T00-00-00.000Z-h-2.json'), 'utf8'), 'second\n');
    assert.deepEqual(readdirSync(dir).sort(), [name, '2025-01-01T00-00-00.000Z-h-2.json', '2025-01-01T00-00-00.000Z-h-3.json'].sort());
  });

  it('two runs with the same start time and host: two files, both readable', () => {
    const dir = tempDir('runs');
    const r = runCli(['run', ...TINY, '--out', dir], { timeout: 20_000 });
    assert.equal(r.status, 0, r.stderr);
    const [first] = readdirSync(dir);
    const results = readResults(join(dir, first));
    // The same run saved twice more, as two runs starting in the same millisecond would be.
    const second = saveResults(dir, results);
    const third = saveResults(dir, results);
    assert.equal(second, join(dir, first.replace(/\.json$/, '-2.json')));
    assert.equal(third, join(dir, first.replace(/\.json$/, '-3.json')));
    for (const path of [join(dir, first), second, third]) assert.deepEqual(readResults(path), results);
    assert.equal(readdirSync(dir).length, 3);
  });

  it('a directory gone after the run: the results go to the temp directory and the exit status is 1', () => {
    const dir = tempDir('gone');
    const r = runCli(['run', ...TINY, '--out', dir], { timeout: 20_000 });
    assert.equal(r.status, 0, r.stderr);
    const results = readResults(join(dir, readdirSync(dir)[0]));
    rmSync(dir, { recursive: true });
    const saved = process.exitCode;
    try {
      const path = saveResults(dir, results);
      assert.ok(path.startsWith(`${tmpdir()}/`), path);
      assert.deepEqual(readResults(path), results);
      assert.equal(process.exitCode, 1);
      rmSync(path);
    } finally {
      process.exitCode = saved;
    }
  });
});

describe('item 13: readResults refuses what is not a results file before reading it', () => {
  const refused = (path: string, message: RegExp) =>
    assert.throws(() => readResults(path), (e: unknown) => e instanceof ResultsFileError && e.message.startsWith(`${path}: `) && message.test(e.message));

  it('/dev/zero, a directory, a FIFO without a writer: not a regular file (and no hang)', () => {
    refused('/dev/zero', /: not a regular file \(a character device\)/);
    refused(tmpdir(), /: not a regular file \(a directory\)/);
    const fifo = join(tempDir('fifo'), 'results.json');
    const mk = spawnSync('mkfifo', [fifo]);
    assert.equal(mk.status, 0, String(mk.stderr));
    refused(fifo, /: not a regular file \(a FIFO \(named pipe\)\)/);
  });

  it('a file over 64 MiB (sparse, nothing is read) is refused by size; 64 MiB itself is read', () => {
    const dir = tempDir('big');
    const big = join(dir, 'big.json');
    writeFileSync(big, '');
    truncateSync(big, MAX_RESULTS_FILE_BYTES + 1);
    refused(big, /: 64\.0 MiB is more than a results file can be \(limit 64 MiB\)/);
    truncateSync(big, MAX_RESULTS_FILE_BYTES);
    // At the limit the file is read; 64 MiB of NUL bytes is then not JSON.
    refused(big, /: not valid JSON/);
  });

  it('a missing file is still "cannot read"', () => refused(join(tmpdir(), 'clonebench-no-such-file.json'), /: cannot read: ENOENT/));
});

describe('item 14: results/ is ignored by git', { skip: !existsSync(join(PACKAGE_ROOT, '.git')) && 'not a git checkout' }, () => {
  it('a results file in results/ is ignored and none is tracked', () => {
    const ignored = spawnSync('git', ['check-ignore', '-q', 'results/2025-01-01T00-00-00.000Z-h.json'], { cwd: PACKAGE_ROOT });
    assert.equal(ignored.status, 0, 'git check-ignore says results/*.json is ignored');
    // Only the top-level results/: the source directory src/results/ is not ignored.
    const source = spawnSync('git', ['check-ignore', '-q', 'src/results/new-module.ts'], { cwd: PACKAGE_ROOT });
    assert.equal(source.status, 1, 'src/results/ is not ignored');
    const tracked = spawnSync('git', ['ls-files', 'results'], { cwd: PACKAGE_ROOT, encoding: 'utf8' });
    assert.equal(tracked.stdout.split('\n').filter((f) => f && !f.endsWith('/.gitkeep')).join('\n'), '');
  });
});
