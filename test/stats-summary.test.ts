import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bootstrapMedianCI, deriveRng, mulberry32, normal, pairedDeltas, ratioOfMedians, shuffled, summarise } from '../src/stats/index.js';

test('the PRNG is deterministic per seed and uniform enough', () => {
  const a = mulberry32(42);
  const b = mulberry32(42);
  const xs = Array.from({ length: 10_000 }, () => a());
  assert.deepEqual(xs.slice(0, 5), Array.from({ length: 5 }, () => b()));
  assert.ok(xs.every((x) => x >= 0 && x < 1));
  const m = xs.reduce((s, x) => s + x, 0) / xs.length;
  assert.ok(Math.abs(m - 0.5) < 0.02, `mean ${m}`);
  assert.notDeepEqual(deriveRng(1, 'a')(), deriveRng(1, 'b')());
});

test('shuffle is a seeded permutation', () => {
  const items = Array.from({ length: 20 }, (_, i) => i);
  const s1 = shuffled(items, mulberry32(7));
  assert.deepEqual([...s1].sort((x, y) => x - y), items);
  assert.deepEqual(shuffled(items, mulberry32(7)), s1);
  assert.notDeepEqual(s1, items);
});

test('summary figures of a known sample', () => {
  const s = summarise([5, 1, 3, 2, 4], mulberry32(1), { resamples: 200 });
  assert.equal(s.n, 5);
  assert.equal(s.median, 3);
  assert.equal(s.min, 1);
  assert.equal(s.max, 5);
  assert.equal(s.mean, 3);
  assert.ok(Math.abs(s.sd - Math.sqrt(2.5)) < 1e-12);
  assert.ok(Math.abs((s.cv ?? 0) - Math.sqrt(2.5) / 3) < 1e-12);
  assert.ok(s.ciLow <= s.median && s.median <= s.ciHigh);
  assert.ok(s.ciLow >= 1 && s.ciHigh <= 5);
  assert.ok(s.p90 <= s.p99 && s.p99 <= s.max);
  assert.throws(() => summarise([], mulberry32(1)), RangeError);
  assert.throws(() => summarise([1, Number.NaN], mulberry32(1)), RangeError);
});

test('bootstrap 95% interval of a normal sample covers the true median at about 95%', () => {
  // 300 samples of n = 101 from N(10, 2): the percentile bootstrap of the median should cover
  // 10 in roughly 95% of them (it is slightly liberal for small n; accept 88%-99%).
  const rng = mulberry32(2024);
  let covered = 0;
  const trials = 300;
  let width = 0;
  for (let t = 0; t < trials; t++) {
    const sample = Array.from({ length: 101 }, () => normal(rng, 10, 2));
    const [lo, hi] = bootstrapMedianCI(sample, rng, { resamples: 400 });
    if (lo <= 10 && 10 <= hi) covered++;
    width += hi - lo;
  }
  const rate = covered / trials;
  assert.ok(rate >= 0.88 && rate <= 0.99, `coverage ${rate}`);
  // Width should be near 2 * 1.96 * 1.2533 * sd / sqrt(n) = 0.98 for the median.
  const mean = width / trials;
  assert.ok(mean > 0.7 && mean < 1.3, `mean width ${mean}`);
});

test('a narrower distribution gives a narrower interval; same seed, same interval', () => {
  const rng = mulberry32(5);
  const wide = Array.from({ length: 200 }, () => normal(rng, 0, 10));
  const narrow = wide.map((x) => x / 10);
  const a = summarise(wide, mulberry32(9));
  const b = summarise(narrow, mulberry32(9));
  assert.ok(Math.abs((a.ciHigh - a.ciLow) / 10 - (b.ciHigh - b.ciLow)) < 1e-9);
  assert.deepEqual(summarise(wide, mulberry32(9)), a);
});

test('paired deltas subtract round by round, matched by round number, and drop unpaired rounds', () => {
  const series = (values: number[], rounds = values.map((_, i) => i)) => ({ values, rounds });
  assert.deepEqual(pairedDeltas(series([10, 12, 15, 99]), series([7, 8, 9])), { values: [3, 4, 6], rounds: [0, 1, 2] });
  // Rounds in another order, and one missing on each side (workers that stopped mid-round).
  assert.deepEqual(pairedDeltas(series([10, 12, 15], [4, 1, 2]), series([9, 7, 8], [2, 1, 0])), { values: [5, 6], rounds: [1, 2] });
  // A common drift added to both series vanishes from the deltas.
  const drift = [0, 50, -20, 300];
  assert.deepEqual(pairedDeltas(series(drift.map((d) => 5 + d)), series(drift.map((d) => 2 + d))).values, [3, 3, 3, 3]);
});

test('grouped bootstrap: samples from processes that disagree get an interval covering them', () => {
  // Three workers, one of them 10 higher, each tight within itself: resampling rounds alone
  // gives an interval around the majority's figure; resampling workers first reaches the other.
  const rng = mulberry32(2);
  const a = Array.from({ length: 150 }, () => normal(rng, 100, 0.5));
  const b = Array.from({ length: 75 }, () => normal(rng, 110, 0.5));
  const groups = [...a.map((_, i) => (i < 75 ? 0 : 1)), ...b.map(() => 2)];
  const flat = summarise([...a, ...b], mulberry32(3));
  const grouped = summarise([...a, ...b], mulberry32(3), { groups });
  assert.equal(flat.groups, 1);
  assert.equal(grouped.groups, 3);
  assert.match(grouped.ciMethod, /worker processes/);
  assert.ok(grouped.ciHigh - grouped.ciLow > 5 * (flat.ciHigh - flat.ciLow), `${JSON.stringify(flat)} vs ${JSON.stringify(grouped)}`);
  assert.ok(flat.ciHigh < 102, JSON.stringify(flat));
  assert.ok(grouped.ciLow < 101 && grouped.ciHigh > 109, JSON.stringify(grouped));
  assert.throws(() => summarise([1, 2], mulberry32(1), { groups: [0] }), RangeError);
});

test('the next-run interval: t(W-1) x sd of worker medians x sqrt(2/W) about the median; none from one worker', () => {
  // Three workers whose medians are 10, 11 and 12 (sd 1): half-width t(0.975, 2) x 1 x sqrt(2/3).
  const samples = [9.9, 10, 10.1, 10.9, 11, 11.1, 11.9, 12, 12.1];
  const groups = [0, 0, 0, 1, 1, 1, 2, 2, 2];
  const s = summarise(samples, mulberry32(1), { resamples: 100, groups });
  const half = 4.303 * 1 * Math.sqrt(2 / 3);
  assert.ok(Math.abs(s.nextRun!.low - (11 - half)) < 1e-9 && Math.abs(s.nextRun!.high - (11 + half)) < 1e-9, JSON.stringify(s.nextRun));
  assert.match(s.nextRun!.method, /t\(0\.975, W-1\)/);
  assert.equal(summarise(samples, mulberry32(1), { resamples: 100 }).nextRun, null);
});

test('ratio of medians: the interval comes from the two replicate streams, element by element, a over b', () => {
  const a = Float64Array.from({ length: 1000 }, (_, i) => 10 + (i % 100) / 10); // 10 .. 19.9
  const b = new Float64Array(1000).fill(2);
  const r = ratioOfMedians(7.5, a, b);
  assert.equal(r.estimate, 7.5);
  assert.ok(Math.abs(r.ciLow - 5.1) < 0.03 && Math.abs(r.ciHigh - 9.85) < 0.03, JSON.stringify(r));
  assert.throws(() => ratioOfMedians(1, a, b.subarray(1)), /different sizes/);
});
