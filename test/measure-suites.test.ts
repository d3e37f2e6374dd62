import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cloneSuite, copySuite, floorSuite } from '../benches/index.js';
import { runBenchmarks, planSuites } from '../src/measure/index.js';
import { ResultsFileSchema } from '../src/results/schema.js';
import { childrenOf } from './measure-procs.js';

// Tiny configuration: these tests check that every variant runs and is recorded, never timings.
const tiny = { rounds: 3, warmupRounds: 1, targetBatchMs: 0.2, seed: 7 } as const;
const x86 = process.arch === 'x64';
const root = process.getuid?.() === 0;

test('plan: the filter keeps matching variants plus their baselines', () => {
  const none = { rounds: null, warmupRounds: null, targetBatchMs: null, workers: null };
  const [plan] = planSuites([copySuite], { quick: false, filter: /set_tid-8@scattered$/, ...none });
  assert.deepEqual(plan.variants.map((v) => v.id), ['copy/set_tid-0', 'copy/set_tid-8@scattered']);
  assert.equal(plan.config.rounds, copySuite.defaults.rounds);
  assert.equal(plan.config.workers, copySuite.defaults.workers);
  assert.deepEqual(planSuites([copySuite], { quick: true, filter: /nothing/, ...none }), []);
  // --workers applies to suites that may use workers; clone stays in the main process.
  const [copy, clone] = planSuites([copySuite, cloneSuite], { quick: false, filter: null, ...none, workers: 3 });
  assert.equal(copy.config.workers, 3);
  assert.equal(clone.config.workers, 1);
  // The boundary variants pair a page-end copy with the same copy mid-page.
  const boundary = copySuite.variants.find((v) => v.id === 'copy/boundary-4')!;
  assert.equal(boundary.baseline, 'copy/set_tid-1@scattered');
  // Every declared baseline exists in its suite.
  for (const s of [floorSuite, copySuite, cloneSuite])
    for (const v of s.variants) if (v.baseline) assert.ok(s.variants.some((b) => b.id === v.baseline), `${v.id} -> ${v.baseline}`);
});

test('floor and copy suites in two worker processes: every variant measured, samples tagged, fits filled', { skip: !x86 && 'x86_64 only' }, async () => {
  const r = await runBenchmarks({ suites: [floorSuite, copySuite], ...tiny, rounds: 4, workers: 2 });
  assert.equal(ResultsFileSchema.safeParse(r).success, true);
  assert.equal(r.interrupted, false);
  assert.equal(r.variants.length, floorSuite.variants.length + copySuite.variants.length);
  for (const v of r.variants) {
    assert.equal(v.status, 'measured', `${v.id}: ${JSON.stringify(v.skip)}`);
    assert.equal(v.complete, true);
    assert.equal(v.samplesNsPerIter.length, 4);
    // Rounds 0-1 from worker 0, 2-3 from worker 1, in whatever order they were taken.
    assert.deepEqual([...v.sampleRounds].sort(), [0, 1, 2, 3]);
    assert.deepEqual(v.sampleWorkers, v.sampleRounds.map((x) => (x < 2 ? 0 : 1)));
    assert.ok(v.samplesNsPerIter.every((x) => x > 0));
    assert.equal(v.summary?.n, 4);
    assert.equal(v.summary?.groups, 2);
    assert.ok(v.itersPerBatch >= 1);
    if (v.baseline) {
      assert.equal(v.delta?.method, 'interleaved');
      assert.equal(v.delta?.samplesNs.length, 4);
      assert.equal(v.delta?.relative?.samples.length, 4);
    } else assert.equal(v.delta, null);
  }
  assert.deepEqual(r.suites.map((s) => [s.name, s.workers, s.completedRounds]), [['floor', 2, 4], ['copy', 2, 4]]);
  assert.deepEqual(r.fits.map((f) => f.id), copySuite.fits.map((f) => f.id));
  for (const f of r.fits) {
    assert.equal(f.skip, null);
    assert.ok(f.coefficients && f.coefficients.every((c) => c.ciLow <= c.ciHigh));
  }
  assert.deepEqual(r.warnings, []);
  assert.equal(r.environment.affinity.pinnedCpu !== null, true);
  assert.deepEqual(childrenOf(process.pid), []);
});

test('clone suite: every shape, both entry points, from Node and from the helper; nothing left behind', { skip: !x86 && 'x86_64 only' }, async () => {
  const r = await runBenchmarks({ suites: [cloneSuite], ...tiny, rounds: 2 });
  assert.equal(r.variants.length, 16);
  for (const v of r.variants) {
    assert.equal(v.spec.kind, 'clone');
    if (v.spec.kind !== 'clone') continue;
    if (v.spec.shape === 'newpid' && !root) {
      assert.equal(v.skip?.code, 'EPERM');
      continue;
    }
    assert.equal(v.status, 'measured', `${v.id}: ${JSON.stringify(v.skip)}`);
    assert.equal(v.parent?.where, v.spec.where);
    assert.ok((v.parent?.rssKiB ?? 0) > 0 && (v.parent?.vmaCount ?? 0) > 0);
    if (v.spec.where === 'helper') assert.notEqual(v.parent?.pid, process.pid);
    if (v.spec.via === 'clone3') assert.equal(v.delta?.method, 'rounds');
  }
  const node = r.variants.find((v) => v.id === 'clone/node/fork-legacy')!;
  const helper = r.variants.find((v) => v.id === 'clone/helper/fork-legacy')!;
  assert.ok(node.parent!.rssKiB > helper.parent!.rssKiB, 'Node is the bigger parent');
  assert.ok(r.environment.helper?.source === 'native/clonehelper.main.c');
  // The helper was closed and reaped, and every clone child was reaped.
  assert.deepEqual(childrenOf(process.pid), []);
});

test('a stop request keeps what was measured and marks the run interrupted', { skip: !x86 && 'x86_64 only' }, async () => {
  const stop = { requested: false };
  let rounds = 0;
  const r = await runBenchmarks({
    suites: [floorSuite, cloneSuite],
    ...tiny,
    rounds: 1000,
    stop,
    progress: { start() {}, stop() {}, tick() { if (++rounds === 5) stop.requested = true; } },
  });
  assert.equal(r.interrupted, true);
  const floor = r.suites.find((s) => s.name === 'floor')!;
  assert.ok(floor.completedRounds >= 3 && floor.completedRounds < 1000);
  assert.ok(r.variants.filter((v) => v.suite === 'floor').every((v) => v.status === 'measured' && !v.complete));
  // Later suites do not start; they are listed with 0 rounds and their variants marked.
  assert.equal(r.suites.find((s) => s.name === 'clone')?.completedRounds, 0);
  assert.ok(r.variants.filter((v) => v.suite === 'clone').every((v) => v.status === 'skipped' && v.skip?.code === 'INTERRUPTED'));
  assert.equal(ResultsFileSchema.safeParse(r).success, true);
  assert.deepEqual(childrenOf(process.pid), []);
});
