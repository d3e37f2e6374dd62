import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fitModelOverRounds, mulberry32, normal, predict, solveLeastSquares } from '../src/stats/index.js';

const byRound = (values: number[]) => ({ values, rounds: values.map((_, r) => r) });

test('least squares is exact on a line and refuses degenerate input', () => {
  const [intercept, slope] = solveLeastSquares([0, 1, 2, 3].map((x) => [1, x]), [5, 7, 9, 11]);
  assert.ok(Math.abs(intercept - 5) < 1e-12);
  assert.ok(Math.abs(slope - 2) < 1e-12);
  assert.throws(() => solveLeastSquares([[1, 1]], [1]), RangeError);
  assert.throws(() => solveLeastSquares([[1, 2], [1, 2]], [1, 3]), RangeError);
});

test('the fit over rounds recovers a known per-call and per-byte cost with an interval that covers it', () => {
  // y = 17 + 0.05 x plus noise, 8 points, 200 rounds; each round also gets a shared offset
  // (drift that hits every point of the round alike).
  const rng = mulberry32(11);
  const xs = [4, 8, 16, 32, 64, 128];
  const rounds = 200;
  const shared = Array.from({ length: rounds }, () => normal(rng, 0, 0.5));
  const series = xs.map((x) => Array.from({ length: rounds }, (_, r) => 17 + 0.05 * x + shared[r] + normal(rng, 0, 1)));
  const fit = fitModelOverRounds(xs.map((x) => [1, x]), series.map(byRound), mulberry32(3), { resamples: 500 });
  const [intercept, slope] = fit.coefficients;
  assert.equal(fit.rounds, rounds);
  assert.ok(Math.abs(intercept.estimate - 17) < 0.5, `intercept ${intercept.estimate}`);
  assert.ok(Math.abs(slope.estimate - 0.05) < 0.01, `slope ${slope.estimate}`);
  assert.ok(intercept.ciLow <= 17 && 17 <= intercept.ciHigh, JSON.stringify(intercept));
  assert.ok(slope.ciLow <= 0.05 && 0.05 <= slope.ciHigh, JSON.stringify(slope));
  assert.ok(slope.ciHigh - slope.ciLow < 0.02);
  // A prediction's interval comes from the same replicates, widened (root sum of squares) by
  // t(0.975, n - k) times the residual for each copy it stands for.
  const p = predict(fit, [1, 100]);
  assert.ok(Math.abs(p.estimate - (intercept.estimate + 100 * slope.estimate)) < 1e-9);
  const wide = predict(fit, [1, 100], 3);
  const scatter = 3 * 2.776 * fit.residual; // 6 points, 2 terms: 4 degrees of freedom
  assert.ok(fit.residual > 0);
  assert.ok(Math.abs(wide.ciLow - (p.estimate - Math.hypot(p.estimate - p.ciLow, scatter))) < 1e-9);
  assert.ok(Math.abs(wide.ciHigh - (p.estimate + Math.hypot(p.ciHigh - p.estimate, scatter))) < 1e-9);
});

test('three terms: per call, per byte and per extra page recovered exactly; dependent terms refused', () => {
  const X = [1, 2, 4, 8].flatMap((k) => [0, 1].map((page) => [1, 4 * k, page]));
  const truth = [38, 0.05, 6];
  const y = X.map((row) => row.reduce((s, x, t) => s + x * truth[t], 0));
  solveLeastSquares(X, y).forEach((c, t) => assert.ok(Math.abs(c - truth[t]) < 1e-9, `term ${t}: ${c}`));
  // Every point on its own page: the page term cannot be told from the per-call term.
  assert.throws(() => solveLeastSquares(X.map(([a, b]) => [a, b, 1]), y), /not independent/);
  assert.throws(() => solveLeastSquares([[1, 2, 3]], [1]), /at least 3 points/);
});

test('the residual says how far the model misses its own points', () => {
  // y = 40 for 4..64 bytes, 46 at 128: a step no line fits.
  const xs = [4, 8, 16, 32, 64, 128];
  const ys = [40, 40, 40, 40, 40, 46];
  const fit = fitModelOverRounds(xs.map((x) => [1, x]), ys.map((y) => byRound([y, y, y])), mulberry32(1), { resamples: 20 });
  assert.ok(fit.residual > 1, `residual ${fit.residual}`);
  const exact = fitModelOverRounds(xs.map((x) => [1, x]), xs.map((x) => byRound([3 + x, 3 + x])), mulberry32(1), { resamples: 20 });
  assert.ok(exact.residual < 1e-9);
});

test('an interrupted run fits on the rounds every point has; workers are resampled as wholes', () => {
  const fit = fitModelOverRounds([[1, 1], [1, 2]], [byRound([1, 1, 1, 50]), byRound([2, 2, 2])], mulberry32(1), { resamples: 50 });
  assert.equal(fit.rounds, 3);
  assert.ok(Math.abs(fit.coefficients[1].estimate - 1) < 1e-12);
  assert.ok(Math.abs(fit.coefficients[0].estimate) < 1e-12);
  // Two workers that disagree by a constant: with workers resampled, the intercept's interval
  // spans both; resampling rounds alone would leave it near their pooled median.
  const rounds = Array.from({ length: 40 }, (_, r) => r);
  const value = (r: number, x: number) => (r < 20 ? 10 : 14) + x;
  const series = [1, 2, 3].map((x) => ({ values: rounds.map((r) => value(r, x)), rounds }));
  const workerOfRound = new Map(rounds.map((r) => [r, r < 20 ? 0 : 1] as const));
  const g = fitModelOverRounds([[1, 1], [1, 2], [1, 3]], series, mulberry32(4), { resamples: 400, workerOfRound });
  assert.ok(g.coefficients[0].ciLow <= 10 && g.coefficients[0].ciHigh >= 14, JSON.stringify(g.coefficients[0]));
});
