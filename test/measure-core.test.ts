/**
 * The measurement core with chosen timings: the shared C ABBA loop under a fake clock, and the
 * runner + analysis under a fake harness (test/fake-harness.ts), so the sign and pairing of
 * every delta, the relative deltas, the fits and the answer's model are pinned exactly. Each of
 * these tests fails under one of the mutations the project guards against: negating the delta
 * in src/measure/interleaved.ts, swapping the arguments of pairedDeltas, dropping the ABBA swap
 * in native/cb_core.h.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cloneSuite, copySuite, makeProposalsSuite } from '../benches/index.js';
import { setTidId } from '../benches/copy.js';
import { runBenchmarks } from '../src/measure/index.js';
import { loadHarness } from '../src/native/harness.js';
import { ResultsFileSchema, type ResultsFile, type VariantResult } from '../src/results/schema.js';
import { FAKE_COSTS as C, fakeHarness } from './fake-harness.js';

const x86 = process.arch === 'x64';
const skip = !x86 && 'x86_64 only';
const close = (a: number, b: number, what: string, tol = 1e-9) => assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${what}: ${a} != ${b}`);

test('the C ABBA loop runs A B B A ... and attributes each block to its side', { skip }, () => {
  const h = loadHarness();
  const r = h.testAbba(300, 100, 0, 10, 6);
  assert.equal(r.ret, 0);
  assert.deepEqual(r.order, [0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0]);
  assert.equal(r.nsA, 300 * 10 * 6);
  assert.equal(r.nsB, 100 * 10 * 6);
  assert.deepEqual(Array.from(r.pairDeltas), [200, 200, 200, 200, 200, 200]);
});

test('ABBA cancels a linear drift inside the batch: the median pair delta and the totals are exact', { skip }, () => {
  const h = loadHarness();
  // Every block run costs 5 ns per iteration more than the one before it.
  const r = h.testAbba(300, 100, 5, 10, 8);
  // A-first pairs see the drift against A, B-first pairs for it: +-5 around the true 200.
  assert.deepEqual(Array.from(r.pairDeltas), [195, 205, 195, 205, 195, 205, 195, 205]);
  assert.equal(r.nsA - r.nsB, 200 * 10 * 8);
  assert.throws(() => h.testAbba(1, 1, 0, 1, 5000), /at most 4096 block pairs/);
});

let fakeRun: Promise<ResultsFile> | undefined;
/** One run of copy, proposals and the Node clones under the fake harness, shared by the tests. */
function fake(): Promise<ResultsFile> {
  fakeRun ??= runBenchmarks({
    suites: [copySuite, makeProposalsSuite(), cloneSuite],
    filter: /^copy\/|^proposals\/|^clone\/node\//,
    rounds: 4,
    warmupRounds: 1,
    targetBatchMs: 0.2,
    seed: 5,
    pin: false,
    harness: fakeHarness(loadHarness()),
  });
  return fakeRun;
}
const byId = (r: ResultsFile, id: string): VariantResult => r.variants.find((v) => v.id === id)!;

test('interleaved deltas are probe minus baseline, and relative deltas divide by the in-batch baseline', { skip }, async () => {
  const r = await fake();
  assert.equal(ResultsFileSchema.safeParse(r).success, true);
  const baseline = C.base + 88 * C.structPerByte;
  for (const [k, placement, pages] of [[1, 'co-located', 0], [8, 'scattered', 1], [32, 'page-end', 1]] as const) {
    const v = byId(r, setTidId(k, placement));
    assert.equal(v.delta?.method, 'interleaved');
    const want = C.call + C.byte * 4 * k + C.page * pages;
    close(v.delta!.summary!.median, want, `${v.id} delta`);
    close(v.delta!.relative!.summary!.median, want / baseline, `${v.id} relative`);
    close(v.summary!.median, baseline + want, `${v.id} per call`);
  }
  // The struct path against clone3(args, 0): size x per byte.
  close(byId(r, 'copy/struct-512').delta!.summary!.median, 512 * C.structPerByte, 'struct-512');
  // The boundary pairs page-end with the same copy mid-page: one extra page each, so 0.
  close(byId(r, 'copy/boundary-16').delta!.summary!.median, 0, 'boundary-16');
  assert.equal(r.boundary?.slowPath, 'no');
});

test('round-paired deltas (clone3 against legacy clone) are the variant minus its baseline, round by round', { skip }, async () => {
  const r = await fake();
  for (const shape of ['thread', 'fork'] as const) {
    const v = byId(r, `clone/node/${shape}-clone3`);
    assert.equal(v.delta?.method, 'rounds');
    assert.deepEqual(v.delta!.sampleRounds, v.sampleRounds);
    close(v.delta!.summary!.median, C.clone3Extra, `${v.id} delta`);
    close(v.delta!.relative!.summary!.median, C.clone3Extra / C.clone[shape], `${v.id} relative`);
  }
});

test('the copy models recover the chosen per-call, per-byte and per-page costs', { skip }, async () => {
  const r = await fake();
  const fit = (id: string) => r.fits.find((f) => f.id === id)!;
  const caller = fit('copy/model-caller');
  assert.deepEqual(caller.terms.map((t) => t.name), ['call', 'byte', 'page']);
  [C.call, C.byte, C.page].forEach((want, i) => close(caller.coefficients![i].estimate, want, `caller ${caller.terms[i].name}`, 1e-7));
  close(caller.residualNs!, 0, 'caller residual', 1e-6);
  const pageEnd = fit('copy/model-page-end');
  close(pageEnd.coefficients![0].estimate, C.call + C.page, 'page-end per call', 1e-7);
  close(pageEnd.coefficients![1].estimate, C.byte, 'page-end per byte', 1e-7);
  const tail = fit('copy/struct-tail-fit');
  close(tail.coefficients![0].estimate, 88 * C.structPerByte, 'struct path of 88 bytes', 1e-7);
  close(tail.coefficients![1].estimate, C.structPerByte, 'per tail byte', 1e-7);
});

test('every plan costs what its placement model predicts; co-located plans touch no extra page', { skip }, async () => {
  const r = await fake();
  const rows = r.answer!.rows.filter((x) => x.status === 'measured');
  assert.ok(rows.length >= 45, `${rows.length} measured rows`);
  for (const row of rows) {
    const want = row.probes! * C.call + row.probeBytes! * C.byte + row.pageTouches! * C.page;
    close(row.costNs!.estimate, want, `${row.variant} measured`, 1e-7);
    close(row.model!.estimate, want, `${row.variant} model`, 1e-6);
    assert.equal(row.agrees, true, row.variant);
    if (row.placement === 'co-located') assert.equal(row.pageTouches, 0, row.variant);
    else assert.equal(row.pageTouches, row.probes, row.variant);
  }
  // The answer sets each cost against every clone variant measured: the four Node shapes here.
  assert.deepEqual(r.answer!.clones.map((c) => `${c.where}/${c.shape}`), ['node/thread', 'node/vfork', 'node/fork', 'node/newpid']);
  for (const row of rows)
    row.overheads.forEach((o, i) => close(o.ratio!.estimate, row.costNs!.estimate / C.clone[r.answer!.clones[i].shape], `${row.variant} / ${o.clone}`));
});

test('a page-end slow path: the boundary says so, the page-end model does not hold and every page-end plan says it disagrees', { skip }, async () => {
  const r = await runBenchmarks({
    suites: [copySuite, makeProposalsSuite()],
    filter: /^copy\/(set_tid|boundary)|^proposals\/(clone3|clone_with_pids)\//,
    rounds: 3,
    warmupRounds: 0,
    targetBatchMs: 0.2,
    seed: 6,
    pin: false,
    harness: fakeHarness(loadHarness(), { ...C, pageEndShort: 90 }),
  });
  assert.equal(r.boundary?.slowPath, 'yes');
  assert.match(r.boundary!.note, /up to 90\.0 ns more per copy/);
  const rows = r.answer!.rows.filter((x) => x.status === 'measured');
  for (const row of rows.filter((x) => x.placement === 'page-end')) {
    assert.equal(row.agrees, false, row.variant);
    assert.match(row.modelNote ?? '', /copy\/model-page-end misses its own points by .* not linear in bytes/, row.variant);
  }
  // Where a caller's arguments are, the model still holds.
  for (const row of rows.filter((x) => x.placement !== 'page-end')) assert.equal(row.agrees, true, row.variant);
});
