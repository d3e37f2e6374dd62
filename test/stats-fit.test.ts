import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fitLineOverRounds, leastSquares, mulberry32, normal } from '../src/stats/index.js';

test('least squares is exact on a line and refuses degenerate input', () => {
  const f = leastSquares([0, 1, 2, 3], [5, 7, 9, 11]);
  assert.ok(Math.abs(f.intercept - 5) < 1e-12);
  assert.ok(Math.abs(f.slope - 2) < 1e-12);
  assert.throws(() => leastSquares([1], [1]), RangeError);
  assert.throws(() => leastSquares([2, 2], [1, 3]), RangeError);
});

test('the fit over rounds recovers a known per-call and per-byte cost with an interval that covers it', () => {
  // y = 17 + 0.05 x plus noise, 8 points, 200 rounds; each round also gets a shared offset
  // (drift that hits every point of the round alike).
  const rng = mulberry32(11);
  const xs = [4, 8, 16, 32, 64, 128];
  const rounds = 200;
  const shared = Array.from({ length: rounds }, () => normal(rng, 0, 0.5));
  const series = xs.map((x) => Array.from({ length: rounds }, (_, r) => 17 + 0.05 * x + shared[r] + normal(rng, 0, 1)));
  const fit = fitLineOverRounds(xs, series, mulberry32(3), { resamples: 500 });
  assert.equal(fit.rounds, rounds);
  assert.ok(Math.abs(fit.intercept.estimate - 17) < 0.5, `intercept ${fit.intercept.estimate}`);
  assert.ok(Math.abs(fit.slope.estimate - 0.05) < 0.01, `slope ${fit.slope.estimate}`);
  assert.ok(fit.intercept.ciLow <= 17 && 17 <= fit.intercept.ciHigh, JSON.stringify(fit.intercept));
  assert.ok(fit.slope.ciLow <= 0.05 && 0.05 <= fit.slope.ciHigh, JSON.stringify(fit.slope));
  assert.ok(fit.slope.ciHigh - fit.slope.ciLow < 0.02);
});

test('an interrupted run fits on the rounds every point has', () => {
  const fit = fitLineOverRounds([1, 2], [[1, 1, 1, 50], [2, 2, 2]], mulberry32(1), { resamples: 50 });
  assert.equal(fit.rounds, 3);
  assert.ok(Math.abs(fit.slope.estimate - 1) < 1e-12);
  assert.ok(Math.abs(fit.intercept.estimate) < 1e-12);
});
