/**
 * Encoding speed per interface (a benchmark, not a test): `node dist/benches/encode-speed.js`.
 * Each tinybench task encodes the same request BATCH times, because one encode takes a few
 * microseconds and tinybench's timer costs about 40 ns a call (docs/method.md); the figure is
 * the task's mean latency / BATCH, and the margin is tinybench's relative margin of error (rme,
 * a 95% interval on the mean of the batch samples). Two requests: empty, and pids at 4 levels
 * (caller at depth 3) with a flag above bit 31 where the interface has room for one.
 */
import { Bench } from 'tinybench';
import { PROPOSALS } from '../abi/proposals/index.js';
import { encode, encoderFor } from '../src/encode/encode.js';
import { EncodeRefusal } from '../src/encode/types.js';
import { CLONE_FLAGS } from '../src/proposal/flags.js';
import { hostTarget, resolveProposal, splitList, targetById } from '../src/registry.js';
import { EMPTY_REQUEST, makeRequest, type CloneRequest } from '../src/request/types.js';
import { table } from '../src/text/table.js';

const BATCH = 100;
const targets = (splitList(process.env.CLONEBENCH_TARGETS) ?? [hostTarget().id, 'i386']).map(targetById);
const rows: string[][] = [];

for (const target of targets) {
  const bench = new Bench({ time: 300, warmupTime: 50 });
  const labels: string[] = [];
  for (const decl of PROPOSALS) {
    const rp = resolveProposal(decl);
    const room = encoderFor(decl.id).capacity(target, rp).flagBits > 32;
    const pids4: CloneRequest = makeRequest({ depth: 3, flags: room ? CLONE_FLAGS.CLONE_CLEAR_SIGHAND : 0n, pids: [0, 1, 2, 3].map((level) => ({ level, pid: 100 + level })) });
    for (const [what, req] of [['empty', EMPTY_REQUEST], ['pids@4', pids4]] as const) {
      const label = `${decl.id} ${what} ${target.id}`;
      try {
        encode(req, target, rp);
      } catch (e) {
        if (!(e instanceof EncodeRefusal)) throw e;
        rows.push([decl.id, target.id, what, 'refused', e.limit]);
        continue;
      }
      labels.push(label);
      bench.add(label, () => {
        for (let i = 0; i < BATCH; i++) encode(req, target, rp);
      });
    }
  }
  await bench.run();
  for (const task of bench.tasks) {
    const r = task.result as { latency?: { mean: number; rme: number; samplesCount?: number } } | undefined;
    const [id, what, t] = task.name.split(' ');
    if (!r?.latency) {
      rows.push([id, t, what, 'failed', '']);
      continue;
    }
    const ns = (r.latency.mean * 1e6) / BATCH;
    rows.push([id, t, what, ns.toFixed(0), `±${r.latency.rme.toFixed(1)}%`]);
  }
}

process.stdout.write(`encode() speed, ${BATCH} encodes per tinybench sample, node ${process.version}\n\n`);
process.stdout.write(`${table(['interface', 'target', 'request', 'ns/encode', 'margin (rme) / refusal'], rows, ['l', 'l', 'l', 'r', 'l'])}\n`);
