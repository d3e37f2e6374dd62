/** `clonebench compare`: verdicts, intervals, exit codes, bad input, environment warnings. */
import assert from 'node:assert/strict';
import { closeSync, openSync, ftruncateSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { bootstrapChangeRatio, GroupedMedianBootstrap, MedianBootstrap } from '../src/report/compare/bootstrap.js';
import { buildCompareModel } from '../src/report/compare/model.js';
import { MAX_RESULTS_BYTES } from '../src/report/index.js';
import { bootstrapMedians, mulberry32 } from '../src/stats/index.js';
import { runCli } from './helpers.js';
import { makeResults, writeFixtures } from './report-fixtures.js';

const base = makeResults();

test('the bootstrap median distribution drawn from equals resampling, enumerated exhaustively (n = 1..7)', () => {
  for (let n = 1; n <= 7; n++) {
    const xs = Array.from({ length: n }, (_, k) => k * 10 + (k % 3));
    // Every one of the n^n resamples, equally likely.
    const exact = new Map<number, number>();
    const idx = new Array<number>(n);
    for (let c = 0; c < n ** n; c++) {
      let t = c;
      for (let i = 0; i < n; i++, t = Math.floor(t / n)) idx[i] = t % n;
      const s = idx.map((i) => xs[i]).sort((a, b) => a - b);
      const med = n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
      exact.set(med, (exact.get(med) ?? 0) + 1 / n ** n);
    }
    const mb = new MedianBootstrap(xs);
    const rng = mulberry32(n);
    const draws = 200_000;
    const seen = new Map<number, number>();
    for (let r = 0; r < draws; r++) {
      const v = mb.draw(rng);
      seen.set(v, (seen.get(v) ?? 0) + 1 / draws);
    }
    for (const v of new Set([...exact.keys(), ...seen.keys()])) {
      const p = exact.get(v) ?? 0;
      const q = seen.get(v) ?? 0;
      // 4.5 standard errors of a proportion over 200k draws, plus rounding.
      assert.ok(Math.abs(p - q) <= 4.5 * Math.sqrt((p * (1 - p)) / draws) + 1e-9, `n=${n}, median ${v}: exact ${p.toFixed(5)}, drawn ${q.toFixed(5)}`);
    }
  }
});

test('identical runs: no change anywhere', () => {
  const m = buildCompareModel({ path: 'a', results: base }, { path: 'b', results: base }, { threshold: 0.05 });
  assert.equal(m.counts.regressed, 0);
  assert.equal(m.counts.improved, 0);
  assert.ok(m.counts['no change'] > 50);
  for (const x of m.metrics.filter((y) => y.change)) assert.ok(x.change!.ciLow <= (x.method === 'ratio' ? 1 : 0) && x.change!.ciHigh >= (x.method === 'ratio' ? 1 : 0), `${x.id}: the interval holds no change`);
  assert.deepEqual(m.environment, []);
});

test('samples from several worker processes are resampled as the analysis does: the same replicates as bootstrapMedians, draw for draw', () => {
  const rng = mulberry32(3);
  const samples = Array.from({ length: 37 }, () => 100 + 10 * rng());
  const groups = samples.map((_, i) => Math.floor(i / 10));
  const ours = new GroupedMedianBootstrap(samples, groups);
  const a = mulberry32(11);
  const mine = Array.from({ length: 500 }, () => ours.draw(a));
  assert.deepEqual(mine, Array.from(bootstrapMedians(samples, mulberry32(11), 500, groups)));
});

test('a change is judged against the spread between worker processes, not only between rounds', () => {
  // Four workers, one 10% above the others, each steady: the rounds of these processes say
  // little about where the next run's processes land.
  const rng = mulberry32(5);
  const run = () => Array.from({ length: 40 }, (_, i) => (i < 30 ? 100 : 110) + rng());
  const workers = Array.from({ length: 40 }, (_, i) => Math.floor(i / 10));
  const [a, b] = [run(), run()];
  const width = (e: { ciLow: number; ciHigh: number }) => e.ciHigh - e.ciLow;
  const flat = bootstrapChangeRatio(a, b, mulberry32(1));
  const grouped = bootstrapChangeRatio(a, b, mulberry32(1), { groupsA: workers, groupsB: workers });
  assert.ok(width(grouped) > 3 * width(flat), `grouped ${width(grouped)} vs rounds only ${width(flat)}`);
  assert.ok(grouped.ciLow < 0.95 && grouped.ciHigh > 1.05, 'a 10% process-to-process spread is not ruled out');
});

test('one variant 20% slower: that metric regressed with its ratio near 1.2; 20% faster: improved; nothing else moves', () => {
  const slow = makeResults({ scale: { match: /^floor\/getppid$/, factor: 1.2 } });
  const m = buildCompareModel({ path: 'a', results: base }, { path: 'b', results: slow }, { threshold: 0.05 });
  const hit = m.metrics.find((x) => x.id === 'floor/getppid')!;
  assert.equal(hit.verdict, 'regressed');
  assert.equal(hit.method, 'ratio');
  assert.deepEqual(hit.workers, { base: 2, next: 2 }, 'the floor ran in two worker processes');
  assert.ok(Math.abs(hit.change!.estimate - 1.2) < 1e-9, `ratio ${hit.change!.estimate}`);
  assert.ok(hit.change!.ciLow > 1.05 && hit.change!.ciHigh < 1.35);
  assert.deepEqual(m.metrics.filter((x) => x.verdict === 'regressed').map((x) => x.id), ['floor/getppid']);
  const fast = makeResults({ scale: { match: /^floor\/getppid$/, factor: 0.8 } });
  const f = buildCompareModel({ path: 'a', results: base }, { path: 'b', results: fast }, { threshold: 0.05 });
  assert.deepEqual(f.metrics.filter((x) => x.verdict !== 'no change' && x.verdict !== 'not compared').map((x) => `${x.id} ${x.verdict}`), ['floor/getppid improved']);
  // A threshold above the change: the same 20% is not a regression.
  const wide = buildCompareModel({ path: 'a', results: base }, { path: 'b', results: slow }, { threshold: 0.3 });
  assert.equal(wide.counts.regressed, 0);
});

test('legacy clone 20% slower: it regressed, and the paired clone3 - legacy delta over it went down by as much', () => {
  const slow = makeResults({ scale: { match: /^clone\/helper\/vfork-legacy$/, factor: 1.2 } });
  const m = buildCompareModel({ path: 'a', results: base }, { path: 'b', results: slow }, { threshold: 0.05 });
  assert.deepEqual(
    m.metrics.filter((x) => x.verdict === 'regressed' || x.verdict === 'improved').map((x) => `${x.id} ${x.verdict}`),
    ['clone/helper/vfork-legacy regressed', 'clone/helper/vfork-clone3 delta improved', 'clone/helper/vfork-clone3 delta/baseline improved'],
  );
  const d = m.metrics.find((x) => x.id === 'clone/helper/vfork-clone3 delta')!;
  assert.equal(d.method, 'difference');
  // legacy clone from the helper costs ~24 us: 20% of it is ~4.8 us, ~17% of the ~29 us baseline.
  assert.ok(d.change!.estimate < -0.12 && d.change!.estimate > -0.25, `${d.change!.estimate}`);
  assert.equal(m.metrics.find((x) => x.id === 'clone/helper/vfork-clone3')!.verdict, 'no change');
});

test('a paired delta whose base interval reaches 0 is compared as a difference over its baseline; copy metrics carry their placement', () => {
  const m = buildCompareModel({ path: 'a', results: base }, { path: 'b', results: base }, { threshold: 0.05 });
  const d = m.metrics.find((x) => x.id === 'clone/helper/vfork-clone3 delta')!;
  assert.ok(d.base!.ciLow < 0 && d.base!.ciHigh > 0);
  assert.equal(d.method, 'difference');
  const r = m.metrics.find((x) => x.id === 'copy/set_tid-8@co-located delta/baseline')!;
  assert.equal(r.method, 'ratio');
  assert.equal(r.placement, 'co-located');
  assert.equal(m.metrics.find((x) => x.id === 'proposals/clone3/pids@4@page-end delta')!.placement, 'page-end');
  assert.equal(m.metrics.find((x) => x.id === 'floor/getppid')!.placement, null);
});

test('environment differences are named by field, skipped and missing variants are listed as not compared', () => {
  const other = makeResults({ kernelRelease: '6.19.0', cpuModel: 'Intel Xeon', virtualisation: 'none', skips: true });
  const m = buildCompareModel({ path: 'a', results: base }, { path: 'b', results: other }, { threshold: 0.05 });
  assert.deepEqual(
    m.environment.map((e) => `${e.field}: ${e.base} -> ${e.next}`),
    ['environment.kernelRelease: 6.18.44 -> 6.19.0', 'environment.cpuModel: AMD EPYC -> Intel Xeon', 'environment.virtualisation: vm: kvm -> none'],
  );
  const gone = m.metrics.find((x) => x.id === 'clone/node/newpid-legacy')!;
  assert.equal(gone.verdict, 'not compared');
  assert.match(gone.note!, /skipped in the new run \(EPERM/);
  assert.match(m.metrics.find((x) => x.id === 'pids/ns_last_pid')!.note!, /^skipped in the new run \(EPERM/);
  const partial = makeResults({ suites: ['floor', 'copy'] });
  const p = buildCompareModel({ path: 'a', results: base }, { path: 'b', results: partial }, { threshold: 0.05 });
  assert.equal(p.metrics.find((x) => x.id === 'pids/ns_last_pid')!.note, 'only in the base run');
  // The same empty plan in both runs: one reason for all of them.
  assert.match(p.metrics.find((x) => x.id === 'floor/getppid')!.verdict, /no change/);
  assert.equal(m.metrics.find((x) => x.id === 'proposals/clone/empty@co-located')!.note?.startsWith('not measured in either run (EMPTY_PLAN'), true);
});

test('a CPU with other flags or another CPU id is named field by field', () => {
  const intel = makeResults({ cpuId: 'GenuineIntel family 6 model 106 stepping 6', cpuFlags: { pti: true, pcid: false, fsrm: false } });
  const m = buildCompareModel({ path: 'a', results: base }, { path: 'b', results: intel }, { threshold: 0.05 });
  assert.deepEqual(
    m.environment.map((e) => `${e.field}: ${e.base} -> ${e.next}`),
    [
      'environment.cpuId: AuthenticAMD family 25 model 17 stepping 1 -> GenuineIntel family 6 model 106 stepping 6',
      'environment.cpuFlags.pti: no -> yes',
      'environment.cpuFlags.pcid: yes -> no',
      'environment.cpuFlags.fsrm: yes -> no',
    ],
  );
});

test('compare CLI: identical files exit 0, a 20% slower metric exits 1 naming it, --metrics and --filter select', () => {
  const slow = makeResults({ scale: { match: /^copy\/set_tid-8@co-located$/, factor: 1.2 } });
  const { paths } = writeFixtures({ 'base.json': base, 'slow.json': slow });
  const same = runCli(['compare', paths['base.json'], paths['base.json']]);
  assert.equal(same.status, 0, same.stderr);
  assert.match(same.stdout, /^verdict: 0 regressed, 0 improved, \d+ no change, \d+ not compared; exit 0$/m);
  assert.equal(same.stderr, '');
  const worse = runCli(['compare', paths['base.json'], paths['slow.json']]);
  assert.equal(worse.status, 1, worse.stderr);
  assert.match(worse.stdout, /^verdict: \d+ regressed/m);
  assert.match(worse.stdout, /^ {2}set_tid-8@co-located +\+20\.\d+% \[\+\d+\.\d+, \+\d+\.\d+\] +regressed$/m);
  assert.ok(worse.stdout.split('\n').every((l) => l.length <= 72), 'the comparison fits 72 columns');
  // The probe got slower, so its paired delta did too; the other probes did not move.
  assert.doesNotMatch(worse.stdout, /set_tid-4 .*regressed/);
  const json = JSON.parse(runCli(['compare', paths['base.json'], paths['slow.json'], '--format', 'json', '--metrics', 'time']).stdout) as { counts: { regressed: number }; metrics: Array<{ id: string; kind: string; verdict: string }> };
  assert.deepEqual(json.metrics.filter((m) => m.verdict === 'regressed').map((m) => m.id), ['copy/set_tid-8@co-located']);
  assert.ok(json.metrics.every((m) => m.kind === 'time'));
  const filtered = runCli(['compare', paths['base.json'], paths['slow.json'], '--filter', '^floor/']);
  assert.equal(filtered.status, 0, 'the regressed metric is filtered out');
  const md = runCli(['compare', paths['base.json'], paths['slow.json'], '--format', 'md']);
  assert.equal(md.status, 1);
  assert.match(md.stdout, /^\| set\\_tid-8@co-located \| \+20\.\d+% .*\| regressed \|$/m);
});

test('compare CLI: a truncated, a wrong-version, an oversized file and a missing one exit 2 with one line naming the file and the problem', () => {
  const text = JSON.stringify(base);
  const { dir, paths } = writeFixtures({ 'base.json': base, 'cut.json': text.slice(0, text.length / 2), 'v9.json': { ...base, version: 9 }, 'big.json': '' });
  // A sparse file just over the cap: refused by its size before anything reads it.
  const fd = openSync(paths['big.json'], 'r+');
  ftruncateSync(fd, MAX_RESULTS_BYTES + 1);
  closeSync(fd);
  const cases: Array<[string, RegExp]> = [
    ['cut.json', /not valid JSON/],
    ['v9.json', /results schema version 9 is not supported/],
    ['big.json', /larger than the 64 MiB a results file may have/],
    ['none.json', /cannot read: ENOENT/],
  ];
  for (const [i, [name, problem]] of cases.entries()) {
    const file = join(dir, name);
    // Each bad file as the new run; one as the base, one given to `report` (the same loader).
    const runs = [['compare', paths['base.json'], file], ...(i === 0 ? [['compare', file, paths['base.json']]] : []), ...(i === 1 ? [['report', file, '--format', 'text']] : [])];
    for (const args of runs) {
      const r = runCli(args);
      assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.equal(r.stdout, '');
      const lines = r.stderr.trimEnd().split('\n');
      assert.equal(lines.length, 1, r.stderr);
      assert.ok(lines[0].startsWith(`clonebench: ${file}: `), lines[0]);
      assert.match(lines[0], problem);
    }
  }
  // A file whose one field is wrong names the field.
  const bad = JSON.parse(readFileSync(paths['base.json'], 'utf8')) as { variants: Array<{ summary: { median: unknown } }> };
  bad.variants[2].summary.median = 'fast';
  const { paths: p2 } = writeFixtures({ 'field.json': bad });
  const r = runCli(['compare', paths['base.json'], p2['field.json']]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /field variants\[2\]\.summary\.median/);
});

test('compare CLI: bad options exit 2 naming the option; differing environments warn on stderr', () => {
  const { paths } = writeFixtures({ 'a.json': base, 'b.json': makeResults({ kernelRelease: '6.19.0' }) });
  for (const [args, re] of [
    [['--threshold', '0'], /--threshold expects a percentage/],
    [['--threshold', 'x'], /--threshold expects a percentage/],
    [['--format', 'pdf'], /--format: unknown format "pdf"/],
    [['--metrics', 'speed'], /--metrics: unknown metric kind "speed"/],
    [['--filter', '('], /--filter: not a valid regular expression/],
  ] as const) {
    const r = runCli(['compare', paths['a.json'], paths['a.json'], ...args]);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, re);
  }
  const r = runCli(['compare', paths['a.json'], paths['b.json'], '--threshold', '5%']);
  assert.match(r.stderr, /^clonebench: warning: environments differ: kernel \(environment\.kernelRelease\): 6\.18\.44 -> 6\.19\.0$/m);
  assert.match(r.stdout, /environments differ: kernel \(environment\.kernelRelease\)/);
});
