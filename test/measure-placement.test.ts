/** Placements (pure layout), the page count of a copy, CPU flags, the boundary verdict, and the
 * registry of runs measuring on this machine. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { computeBoundary, SLOW_PATH_NS } from '../src/analysis/index.js';
import { extraPages, layoutArena, MIN_SLACK } from '../src/encode/placement.js';
import { cpuFlagsFrom } from '../src/env/environment.js';
import { ProbeMemoryPool } from '../src/measure/executors.js';
import { otherInstances, registerInstance } from '../src/measure/instances.js';
import { loadHarness } from '../src/native/harness.js';
import { chooseCpu, shareRounds } from '../src/measure/runner.js';
import type { VariantResult } from '../src/results/schema.js';
import { mulberry32, summarise } from '../src/stats/index.js';

const PAGE = 4096;
const pageOf = (x: number) => Math.floor(x / PAGE);

test('page-end: every segment ends exactly at a guard page', () => {
  const l = layoutArena([88, 16, 5000], [8, 4, 4], 'page-end', { page: PAGE, rng: mulberry32(1) });
  [88, 16, 5000].forEach((n, i) => assert.equal(l.segments[i] + n, l.guards[i]));
  assert.ok(l.guards.every((g) => g % PAGE === 0));
  assert.equal(l.reserved, null);
  assert.ok(l.size >= l.guards[2] + PAGE);
});

test('co-located: probe structs and segments packed in one page, aligned, present pages around', () => {
  for (let seed = 1; seed <= 50; seed++) {
    const l = layoutArena([80, 16, 2], [8, 4, 1], 'co-located', { page: PAGE, reserve: 4 * 88, rng: mulberry32(seed) });
    assert.equal(l.guards.length, 0);
    assert.equal(l.reserved! % 64, 0);
    assert.equal(l.segments[0], l.reserved! + 384, 'the first segment follows the reserved area, 64-aligned');
    assert.equal(l.segments[1], l.segments[0] + 80);
    assert.equal(l.segments[2], l.segments[1] + 16);
    const end = l.segments[2] + 2;
    assert.equal(pageOf(l.reserved!), pageOf(end - 1), 'all on one page');
    assert.ok(pageOf(l.reserved!) >= 1 && pageOf(end - 1) + 1 < l.size / PAGE, 'a present page before and after');
  }
  // Offsets vary with the stream.
  const starts = new Set(Array.from({ length: 20 }, (_, s) => layoutArena([64], [8], 'co-located', { page: PAGE, rng: mulberry32(s) }).segments[0]));
  assert.ok(starts.size > 5);
  // Too big for one page: starts at a page and runs on into the next.
  const big = layoutArena([5000], [8], 'co-located', { page: PAGE, reserve: 88, rng: mulberry32(1) });
  assert.equal(big.reserved, PAGE);
});

test('scattered: each segment on its own page, clear of the page end by MIN_SLACK', () => {
  for (let seed = 1; seed <= 50; seed++) {
    const lengths = [88, 128, 4];
    const l = layoutArena(lengths, [8, 4, 4], 'scattered', { page: PAGE, rng: mulberry32(seed) });
    const pages = l.segments.map(pageOf);
    assert.equal(new Set(pages).size, 3);
    l.segments.forEach((s, i) => {
      assert.ok(PAGE - (s % PAGE) - lengths[i] >= MIN_SLACK, `segment ${i} at ${s % PAGE}`);
      assert.equal(s % (i === 0 ? 8 : 4), 0);
    });
    assert.ok(pages[0] >= 1 && pages[2] + 1 < l.size / PAGE);
  }
});

test('extra pages: a copy on its struct\'s page touches none; elsewhere one; across a boundary two', () => {
  assert.equal(extraPages(4096n + 200n, 16, 4096n + 100n, 88, PAGE), 0);
  assert.equal(extraPages(8192n + 200n, 16, 4096n + 100n, 88, PAGE), 1);
  assert.equal(extraPages(8192n - 8n, 16, 100n, 88, PAGE), 2);
  // The struct itself straddles two pages: a copy from either is free.
  assert.equal(extraPages(8192n + 8n, 16, 8192n - 40n, 88, PAGE), 0);
});

test('CPU flags from /proc/cpuinfo and the meltdown status', () => {
  const intel = 'vendor_id\t: GenuineIntel\nflags\t\t: fpu pcid erms fsrm pti\n';
  assert.deepEqual(cpuFlagsFrom(intel, 'Mitigation: PTI'), { pti: true, pcid: true, invpcid: false, fsrm: true, erms: true });
  // AMD with PTI forced on shows it in the vulnerabilities file only.
  assert.equal(cpuFlagsFrom('flags : fpu\n', 'Mitigation: PTI').pti, true);
  assert.deepEqual(cpuFlagsFrom('flags : pcid invpcid\n', 'Not affected'), { pti: false, pcid: true, invpcid: true, fsrm: false, erms: false });
  assert.deepEqual(cpuFlagsFrom(null, null), { pti: null, pcid: null, invpcid: null, fsrm: null, erms: null });
});

function boundaryVariants(extra: number[]): VariantResult[] {
  const base = (k: number): VariantResult => ({
    id: `copy/set_tid-${k}@scattered`, suite: 'copy', description: '', spec: { kind: 'clone3-probe', structSize: 88, setTidCount: k, placement: 'scattered' },
    status: 'measured', complete: true, skip: null, itersPerBatch: 1, samplesNsPerIter: [1], sampleRounds: [0], sampleWorkers: [0], summary: null, baseline: null, delta: null, parent: null,
  });
  return [1, 16, 32].flatMap((k, i) => {
    const samples = [extra[i] - 1, extra[i], extra[i] + 1];
    const s = summarise(samples, mulberry32(1), { resamples: 200 });
    return [
      base(k),
      {
        ...base(k), id: `copy/boundary-${4 * k}`, baseline: `copy/set_tid-${k}@scattered`, spec: { kind: 'clone3-probe', structSize: 88, setTidCount: k, placement: 'page-end' },
        delta: { method: 'interleaved', samplesNs: samples, baselineNsPerIter: [200, 200, 200], sampleRounds: [0, 1, 2], sampleWorkers: [0, 0, 0], summary: s, relative: null },
      },
    ];
  });
}

test('the boundary verdict: a slow path where a short copy pays more than the threshold, none where all stay under', () => {
  const intel = computeBoundary(boundaryVariants([90, 15, 0]))!;
  assert.equal(intel.slowPath, 'yes');
  assert.deepEqual(intel.rows.map((r) => r.bytes), [4, 64, 128]);
  assert.match(intel.note, /up to 90\.0 ns more per copy \(4 B\)/);
  assert.equal(computeBoundary(boundaryVariants([0, 1, 0]))!.slowPath, 'no');
  // 128-byte copies do not count: the slow path was for short ones.
  assert.equal(computeBoundary(boundaryVariants([0, 1, 50]))!.slowPath, 'no');
  assert.equal(computeBoundary(boundaryVariants([SLOW_PATH_NS, 0, 0]))!.slowPath, 'unclear');
  assert.equal(computeBoundary([]), null);
});

test('rounds are shared out between workers without gaps or overlaps', () => {
  assert.deepEqual(shareRounds(10, 4), [{ first: 0, count: 2 }, { first: 2, count: 3 }, { first: 5, count: 2 }, { first: 7, count: 3 }]);
  assert.deepEqual(shareRounds(3, 1), [{ first: 0, count: 3 }]);
  assert.equal(shareRounds(160, 4).reduce((n, s) => n + s.count, 0), 160);
});

test('another run on this machine: seen while it lives, its CPU avoided, its file removed once it is gone', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'clonebench-runs-'));
  assert.deepEqual(otherInstances(dir), []);
  const unregister = registerInstance(1, dir);
  assert.deepEqual(readdirSync(dir), [`${process.pid}.json`]);
  assert.deepEqual(otherInstances(dir), [], 'our own file is not another run');
  const other = spawn('sleep', ['30']);
  writeFileSync(join(dir, `${other.pid}.json`), JSON.stringify({ pid: other.pid, cpu: 1, startedAt: 'then' }));
  const seen = otherInstances(dir);
  assert.deepEqual(seen, [{ pid: other.pid, cpu: 1, startedAt: 'then' }]);
  assert.equal(chooseCpu([0, 1], seen.map((x) => x.cpu!)), 0);
  assert.equal(chooseCpu([0, 1], []), 1);
  assert.equal(chooseCpu([1], [1]), 1, 'no other CPU: the same one');
  assert.equal(chooseCpu([], []), null);
  other.kill('SIGKILL');
  await new Promise((r) => other.once('exit', r));
  assert.deepEqual(otherInstances(dir), []);
  assert.deepEqual(readdirSync(dir), [`${process.pid}.json`], 'the dead run\'s file is removed');
  unregister();
  assert.deepEqual(readdirSync(dir), []);
});

test('paired probe structs never spill into each other: every struct size, every placement copy, clone3 answers EINVAL', { skip: process.arch !== 'x64' && 'x86_64 only' }, () => {
  // A probe's zero tail reaching into its baseline's half would carry a non-zero byte to the
  // kernel (E2BIG); it cost copy/struct-1024 half its rounds once, silently.
  const h = loadHarness();
  const nocopy = { kind: 'clone3-probe' as const, structSize: 0, setTidCount: 0 };
  for (let seed = 1; seed <= 12; seed++) {
    const pool = new ProbeMemoryPool(h, mulberry32(seed));
    for (const size of [64, 88, 128, 256, 512, 1024, 1832, 2048, 4096]) {
      for (const [a, b] of pool.paired({ kind: 'clone3-probe', structSize: size, setTidCount: 0 }, nocopy)) {
        const r = h.probePairBatch(a, size, b, 0, 1, 2);
        assert.equal(r.ret, -22, `struct of ${size} bytes, seed ${seed}: clone3 answered ${r.ret}`);
        const [pa, pb] = [h.addressOf(a), h.addressOf(b)];
        assert.ok(pa + BigInt(Math.max(size, 216)) <= pb || pb + 216n <= pa, `${size}: ${pa} and ${pb} overlap`);
      }
    }
  }
});
