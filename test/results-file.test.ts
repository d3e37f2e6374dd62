import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { readResults, resultsFileName, ResultsFileError, writeResults, type ResultsFile } from '../src/results/index.js';
import { mulberry32, summarise } from '../src/stats/index.js';

function sampleResults(): ResultsFile {
  const samples = [900, 910, 905, 950, 899];
  const summary = summarise(samples, mulberry32(1), { resamples: 100 });
  const steal = { at: '2025-01-01T00:00:00.000Z', stealTicks: 3, totalTicks: 1000 };
  const compile = { cc: 'cc', version: 'cc 12', flags: ['-O2'], source: 'native/harness.c' };
  return {
    schema: 'clonebench.results',
    version: 2,
    createdAt: '2025-01-01T00:00:00.000Z',
    finishedAt: '2025-01-01T00:00:10.000Z',
    durationMs: 10_000,
    interrupted: false,
    options: { quick: true, filter: null, rounds: null, seed: 1, targetBatchMs: null, workers: null },
    environment: {
      host: 'h', arch: 'x64', kernelRelease: '6.18', kernelVersion: '#1', cpuModel: 'AMD EPYC', cores: 2,
      virtualisation: 'kvm', vulnerabilities: { meltdown: 'Not affected' }, clockSource: 'kvm-clock', governor: null,
      nodeVersion: 'v20', koffiVersion: '3.3.4', uid: 0, gid: 0, capEff: '000001ffffffffff', clockTicksPerSecond: 100,
      cpuId: 'AuthenticAMD family 25 model 17 stepping 1', cpuFlags: { pti: false, pcid: true, invpcid: true, fsrm: true, erms: true },
      steal: { before: steal, after: steal }, harness: compile, helper: null,
      affinity: { allowed: '0-1', pinnedCpu: 1, note: 'pinned' },
    },
    suites: [{ name: 'floor', description: 'd', plannedRounds: 5, completedRounds: 5, warmupRounds: 0, targetBatchMs: 1, workers: 1, variants: ['floor/getppid'] }],
    variants: [
      {
        id: 'floor/getppid', suite: 'floor', description: 'getppid', spec: { kind: 'getppid' }, status: 'measured', complete: true,
        skip: null, itersPerBatch: 1000, samplesNsPerIter: samples, sampleRounds: [0, 1, 2, 3, 4], sampleWorkers: [0, 0, 0, 0, 0],
        summary, baseline: null, delta: null, parent: null,
      },
      {
        id: 'clone/node/newpid-legacy', suite: 'clone', description: 'newpid', status: 'skipped', complete: false,
        spec: { kind: 'clone', shape: 'newpid', via: 'legacy', where: 'node', flags: '0x20000011' },
        skip: { errno: 1, code: 'EPERM', meaning: 'no privilege', detail: 'refused on the first call' },
        itersPerBatch: 1, samplesNsPerIter: [], sampleRounds: [], sampleWorkers: [], summary: null, baseline: null, delta: null, parent: null,
      },
    ],
    fits: [],
    answer: null,
    boundary: null,
    warnings: [],
  };
}

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'clonebench-results-'));
}

test('round trip: what is written is read back equal, and no temp file is left', () => {
  const dir = tempDir();
  const path = join(dir, resultsFileName(new Date('2025-01-01T00:00:00.123Z'), 'my host'));
  assert.equal(path.endsWith('2025-01-01T00-00-00.123Z-my_host.json'), true);
  const data = sampleResults();
  writeResults(path, data);
  assert.deepEqual(readResults(path), data);
  assert.deepEqual(readdirSync(dir), [path.slice(dir.length + 1)]);
  // Overwriting is atomic too (rename over the old file).
  writeResults(path, { ...data, durationMs: 5 });
  assert.equal(readResults(path).durationMs, 5);
  assert.equal(readdirSync(dir).length, 1);
});

test('corrupt JSON names the file', () => {
  const path = join(tempDir(), 'bad.json');
  writeFileSync(path, '{"schema": "clonebench.results", "version": 1,');
  assert.throws(() => readResults(path), (e: unknown) => e instanceof ResultsFileError && e.message.startsWith(`${path}: not valid JSON`));
});

test('a wrong schema version is refused by name', () => {
  const path = join(tempDir(), 'v1.json');
  writeFileSync(path, JSON.stringify({ ...sampleResults(), version: 1 }));
  assert.throws(
    () => readResults(path),
    (e: unknown) => e instanceof ResultsFileError && e.fieldPath === 'version' && /version 1 is not supported/.test(e.message),
  );
  const other = join(tempDir(), 'other.json');
  writeFileSync(other, JSON.stringify({ hello: 1 }));
  assert.throws(() => readResults(other), /not a clonebench results file/);
});

test('a missing or mistyped field is reported with its path', () => {
  const dir = tempDir();
  const data = sampleResults() as unknown as { variants: Array<Record<string, unknown>> };
  delete (data.variants[0].summary as Record<string, unknown>).median;
  const path = join(dir, 'missing.json');
  writeFileSync(path, JSON.stringify(data));
  assert.throws(
    () => readResults(path),
    (e: unknown) => e instanceof ResultsFileError && e.fieldPath === 'variants[0].summary.median' && e.message.includes(path),
  );
  const typed = sampleResults() as unknown as { environment: Record<string, unknown> };
  typed.environment.cores = 'two';
  const p2 = join(dir, 'typed.json');
  writeFileSync(p2, JSON.stringify(typed));
  assert.throws(() => readResults(p2), /field environment\.cores/);
});

test('an invalid object is refused on write and leaves nothing behind', () => {
  const dir = tempDir();
  const bad = sampleResults();
  bad.variants[0].samplesNsPerIter = [1, Number.NaN];
  assert.throws(() => writeResults(join(dir, 'x.json'), bad), (e: unknown) => e instanceof ResultsFileError && e.fieldPath === 'variants[0].samplesNsPerIter[1]');
  assert.deepEqual(readdirSync(dir), []);
  // A directory that does not exist: clear error, no temp file anywhere.
  assert.throws(() => writeResults(join(dir, 'nope', 'x.json'), sampleResults()), /cannot write/);
  assert.deepEqual(readdirSync(dir), []);
});
