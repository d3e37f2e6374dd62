/**
 * Run-to-run stability of the copy deltas (a check, not a test): given results files of
 * repeated runs on one machine, for every copy and proposals variant with a relative delta
 * (delta / in-batch baseline) it prints how far the medians moved between runs (max / min - 1)
 * and whether each run's 95% interval contains the other runs' medians, i.e. whether one run's
 * interval is a fair prediction of the next run's value.
 * Usage: node dist/benches/stability.js RESULTS.json RESULTS.json [...] [--suite copy,proposals]
 */
import { readResults } from '../src/results/io.js';

process.stdout.on('error', (e: NodeJS.ErrnoException) => process.exit(e.code === 'EPIPE' ? 0 : 1));
import { table } from '../src/text/table.js';

const args = process.argv.slice(2);
const suiteArg = args.indexOf('--suite');
const suites = suiteArg >= 0 ? args.splice(suiteArg, 2)[1].split(',') : ['copy', 'proposals'];
if (args.length < 2) {
  process.stderr.write('usage: node dist/benches/stability.js RESULTS.json RESULTS.json [...] [--suite copy,proposals]\n');
  process.exit(2);
}
const runs = args.map((f) => readResults(f));

interface Row {
  id: string;
  medians: number[];
  intervals: Array<[number, number]>;
  spread: number;
  /** Pairs (run i's interval, run j's median) covered: by the bootstrap CI, by the next-run interval. */
  covered: number;
  nextCovered: number;
  pairs: number;
}

const rows: Row[] = [];
for (const v of runs[0].variants) {
  if (!suites.includes(v.suite)) continue;
  const rel = runs.map((r) => r.variants.find((x) => x.id === v.id)?.delta?.relative?.summary ?? null);
  if (rel.some((s) => !s)) continue;
  const medians = rel.map((s) => s!.median);
  const intervals = rel.map((s) => [s!.ciLow, s!.ciHigh] as [number, number]);
  const next = rel.map((s) => (s!.nextRun ? ([s!.nextRun.low, s!.nextRun.high] as [number, number]) : null));
  let covered = 0;
  let nextCovered = 0;
  let pairs = 0;
  intervals.forEach(([lo, hi], i) =>
    medians.forEach((m, j) => {
      if (i === j) return;
      pairs++;
      if (m >= lo && m <= hi) covered++;
      if (next[i] && m >= next[i]![0] && m <= next[i]![1]) nextCovered++;
    }),
  );
  // Deltas near 0 (the boundary experiment where there is no slow path) have no meaningful
  // relative movement; they count as moved 0 when every median is within 0.005 of 0.
  const nearZero = medians.every((m) => Math.abs(m) < 0.005);
  rows.push({ id: v.id, medians, intervals, spread: nearZero ? 0 : Math.max(...medians) / Math.min(...medians) - 1, covered, nextCovered, pairs });
}

const pct = (x: number) => `${(100 * x).toFixed(2)}%`;
process.stdout.write(
  `${table(
    ['variant', ...runs.map((_, i) => `run ${i + 1} rel [95% CI]`), 'moved', 'CI covers', 'next-run covers'],
    rows.map((r) => [
      r.id,
      ...r.medians.map((m, i) => `${m.toFixed(4)} [${r.intervals[i][0].toFixed(4)}, ${r.intervals[i][1].toFixed(4)}]`),
      pct(r.spread),
      `${r.covered}/${r.pairs}`,
      `${r.nextCovered}/${r.pairs}`,
    ]),
    ['l', ...runs.map(() => 'r' as const), 'r', 'r', 'r'],
  )}\n\n`,
);
const within2 = rows.filter((r) => r.spread <= 0.02).length;
const fullyCovered = rows.filter((r) => r.covered === r.pairs).length;
const nextFully = rows.filter((r) => r.nextCovered === r.pairs).length;
process.stdout.write(
  `${rows.length} variants over ${runs.length} runs (${runs.map((r) => `${r.environment.cpuModel}, ${r.createdAt}`).join('; ')})\n` +
    `relative delta moved at most 2% between runs: ${within2}/${rows.length} (${pct(within2 / rows.length)}); largest move ${pct(Math.max(...rows.map((r) => r.spread)))}\n` +
    `each run's 95% CI contains the other runs' medians: ${fullyCovered}/${rows.length} variants (${pct(fullyCovered / rows.length)}); ` +
    `pairs covered ${rows.reduce((n, r) => n + r.covered, 0)}/${rows.reduce((n, r) => n + r.pairs, 0)}\n` +
    `each run's next-run interval contains the other runs' medians: ${nextFully}/${rows.length} variants (${pct(nextFully / rows.length)}); ` +
    `pairs covered ${rows.reduce((n, r) => n + r.nextCovered, 0)}/${rows.reduce((n, r) => n + r.pairs, 0)}\n`,
);
