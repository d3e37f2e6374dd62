/**
 * Checks the harness against outside anchors, side by side, alternating:
 *   - harness getppid (Node -> koffi -> harness.so loop) vs the minimal C loop in
 *     build/clonehelper, both pinned to the same CPU, twice: through glibc's getppid() and with
 *     the syscall instruction inline (the two differ by ~10% on PTI machines without PCID:
 *     every kernel exit flushes the TLB and libc's code pages then cost page walks);
 *   - the clonebench floor (harness getppid) vs `perf bench syscall basic --loop N` (a getppid
 *     loop in perf, run under taskset on the same CPU; it prints usecs/op, mean only).
 * Each round runs the three in a rotating order; the figures compared are per-round ratios
 * (paired, so the VM's fast/slow phases cancel), summarised by their median and bootstrap CI.
 * Usage: node dist/benches/compare-anchors.js [rounds=15] [loops=20000]
 */
import { execFileSync } from 'node:child_process';
import { loadHarness } from '../src/native/harness.js';
import { CloneHelper } from '../src/native/helper.js';
import { mulberry32, summarise } from '../src/stats/index.js';

const rounds = Number(process.argv[2] ?? 15);
const loops = Number(process.argv[3] ?? 20000);
const cpu = 1;
const h = loadHarness();
h.pinCpu(cpu);
const helper = CloneHelper.start();
await helper.pin(cpu);

function perfBasic(): number {
  const out = execFileSync('taskset', ['-c', String(cpu), 'perf', 'bench', 'syscall', 'basic', '--loop', String(loops)], { encoding: 'utf8' });
  const m = /([\d.]+) usecs\/op/.exec(out);
  if (!m) throw new Error(`perf output not understood: ${out}`);
  return Number(m[1]) * 1000;
}

const series = { harness: [] as number[], cloop: [] as number[], harnessRaw: [] as number[], cloopRaw: [] as number[], perf: [] as number[], empty: [] as number[] };
const runners: Array<[keyof typeof series, () => Promise<number>]> = [
  ['harness', async () => h.probeBatch('getppid', null, 0, loops).ns / loops],
  ['cloop', async () => (await helper.getppidBatch(loops, 10_000)).ns / loops],
  ['harnessRaw', async () => h.probeBatch('getppid-raw', null, 0, loops).ns / loops],
  ['cloopRaw', async () => (await helper.getppidBatch(loops, 10_000, true)).ns / loops],
  ['perf', async () => perfBasic()],
];
for (let r = 0; r < rounds; r++) {
  for (let k = 0; k < runners.length; k++) {
    const [name, run] = runners[(r + k) % runners.length];
    series[name].push(await run());
  }
  const e = h.probeBatch('empty', null, 0, 5_000_000);
  series.empty.push(e.ns / 5_000_000);
}
await helper.close();
h.unpinCpu();
const rng = mulberry32(1);
const ratio = (a: number[], b: number[]) => a.map((x, i) => x / b[i]);
const show = (s: ReturnType<typeof summarise>, digits = 4) => `${s.median.toFixed(digits)} [${s.ciLow.toFixed(digits)}, ${s.ciHigh.toFixed(digits)}] n=${s.n}`;
console.log(`harness getppid() ns:        ${show(summarise(series.harness, rng), 1)}`);
console.log(`C loop getppid() ns:         ${show(summarise(series.cloop, rng), 1)}`);
console.log(`harness raw syscall ns:      ${show(summarise(series.harnessRaw, rng), 1)}`);
console.log(`C loop raw syscall ns:       ${show(summarise(series.cloopRaw, rng), 1)}`);
console.log(`perf bench basic ns:         ${show(summarise(series.perf, rng), 1)}`);
console.log(`empty batch ns/iter:         ${show(summarise(series.empty, rng), 3)}`);
console.log(`harness / C loop (libc):     ${show(summarise(ratio(series.harness, series.cloop), rng))}`);
console.log(`harness / C loop (raw):      ${show(summarise(ratio(series.harnessRaw, series.cloopRaw), rng))}`);
console.log(`harness / perf basic:        ${show(summarise(ratio(series.harness, series.perf), rng))}`);
console.log(`raw / libc (harness):        ${show(summarise(ratio(series.harnessRaw, series.harness), rng))}`);
