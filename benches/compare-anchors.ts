/**
 * Checks the harness against outside anchors, side by side, alternating:
 *   - harness getppid (Node -> koffi -> harness.so loop) vs the minimal C loop of
 *     build/cloop.so in the same process (what the harness adds), and vs the same loop in
 *     build/clonehelper, a separate small process (what differs between processes), all pinned
 *     to the same CPU, each twice: through glibc's getppid() and with the syscall instruction
 *     inline (how much they differ depends on the CPU: with PTI and no PCID every kernel exit
 *     also flushes the TLB and libc's code pages then cost page walks);
 *   - the clonebench floor (harness getppid) vs `perf bench syscall basic --loop N` (a getppid
 *     loop in perf, run under taskset on the same CPU; it prints usecs/op, mean only).
 * Each round runs the three in a rotating order; the figures compared are per-round ratios
 * (paired, so the VM's fast/slow phases cancel), summarised by their median and bootstrap CI.
 * Usage: node dist/benches/compare-anchors.js [rounds=15] [loops=20000]
 */
import { execFileSync } from 'node:child_process';
import koffi from 'koffi';
import { loadHarness } from '../src/native/harness.js';
import { CloneHelper } from '../src/native/helper.js';
import { CLOOP_PATH } from '../src/native/paths.js';
import { mulberry32, summarise } from '../src/stats/index.js';

const rounds = Number(process.argv[2] ?? 15);
const loops = Number(process.argv[3] ?? 20000);
const cpu = 1;
const h = loadHarness();
h.pinCpu(cpu);
const cloop = koffi.load(CLOOP_PATH);
const cloopLibc = cloop.func('int64_t cloop_getppid_libc(int64_t iters)');
const cloopRaw = cloop.func('int64_t cloop_getppid_raw(int64_t iters)');
const helper = CloneHelper.start();
await helper.pin(cpu);

function perfBasic(): number {
  const out = execFileSync('taskset', ['-c', String(cpu), 'perf', 'bench', 'syscall', 'basic', '--loop', String(loops)], { encoding: 'utf8' });
  const m = /([\d.]+) usecs\/op/.exec(out);
  if (!m) throw new Error(`perf output not understood: ${out}`);
  return Number(m[1]) * 1000;
}

const series = {
  harness: [] as number[],
  inproc: [] as number[],
  cloop: [] as number[],
  harnessRaw: [] as number[],
  inprocRaw: [] as number[],
  cloopRaw: [] as number[],
  perf: [] as number[],
  empty: [] as number[],
};
const runners: Array<[keyof typeof series, () => Promise<number>]> = [
  ['harness', async () => h.probeBatch('getppid', null, 0, loops).ns / loops],
  ['inproc', async () => Number(cloopLibc(loops)) / loops],
  ['cloop', async () => (await helper.getppidBatch(loops, 10_000)).ns / loops],
  ['harnessRaw', async () => h.probeBatch('getppid-raw', null, 0, loops).ns / loops],
  ['inprocRaw', async () => Number(cloopRaw(loops)) / loops],
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
const rows: Array<[string, number[], number]> = [
  ['harness getppid() ns', series.harness, 1],
  ['C loop getppid(), same process ns', series.inproc, 1],
  ['C loop getppid(), own process ns', series.cloop, 1],
  ['harness raw syscall ns', series.harnessRaw, 1],
  ['C loop raw, same process ns', series.inprocRaw, 1],
  ['C loop raw, own process ns', series.cloopRaw, 1],
  ['perf bench syscall basic ns', series.perf, 1],
  ['empty batch ns/iter', series.empty, 3],
  ['harness / C loop, same process (libc)', ratio(series.harness, series.inproc), 4],
  ['harness / C loop, same process (raw)', ratio(series.harnessRaw, series.inprocRaw), 4],
  ['harness / C loop, own process (libc)', ratio(series.harness, series.cloop), 4],
  ['harness / C loop, own process (raw)', ratio(series.harnessRaw, series.cloopRaw), 4],
  ['harness / perf bench basic', ratio(series.harness, series.perf), 4],
  ['raw / libc (harness)', ratio(series.harnessRaw, series.harness), 4],
];
for (const [label, values, digits] of rows) console.log(`${`${label}:`.padEnd(40)} ${show(summarise(values, rng), digits)}`);
