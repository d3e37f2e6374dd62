/**
 * A worker process: runs one suite's share of rounds with fresh memory placements (its own
 * address space, its own seeded offsets) and sends the raw records back. Several workers one
 * after the other give the runner samples from several processes, so an interval can cover the
 * spread between processes (method.md: the same loop in fresh processes scatters by a few
 * percent). Ctrl-C reaches the whole process group: the worker ignores SIGINT and stops when
 * the runner says so, after its current batch, reporting what it measured.
 */
import { registerHeaders } from '../header/load.js';
import { loadHarness } from '../native/harness.js';
import { ProbeMemoryPool } from './executors.js';
import { runSuiteRounds, type StopFlag } from './rounds.js';
import { deriveRng } from '../stats/prng.js';
import type { FromWorker, ToWorker } from './worker-protocol.js';

const stop: StopFlag = { requested: false };
const send = (m: FromWorker) => new Promise<void>((resolve) => process.send!(m, undefined, {}, () => resolve()));

process.on('SIGINT', () => {});
process.on('SIGTERM', () => (stop.requested = true));
process.on('SIGHUP', () => (stop.requested = true));
process.on('disconnect', () => process.exit(0)); // the runner is gone

process.on('message', (m: ToWorker) => {
  if (m.type === 'stop') {
    stop.requested = true;
    return;
  }
  void (async () => {
    try {
      if (m.headers.length) registerHeaders(m.headers);
      const harness = loadHarness();
      if (m.pinCpu !== null) harness.pinCpu(m.pinCpu);
      const variants = await runSuiteRounds({
        suite: m.suite,
        variants: m.variants,
        config: m.config,
        firstRound: m.firstRound,
        rounds: m.rounds,
        seed: m.seed,
        worker: m.worker,
        harness,
        memory: new ProbeMemoryPool(harness, deriveRng(m.seed, `probe-memory:${m.worker}`)),
        helper: () => Promise.reject(new Error('no clone helper in a worker process')),
        pidns: () => Promise.reject(new Error('no pidns driver in a worker process')),
        stop,
        onRound: () => void send({ type: 'round' }),
      });
      await send({ type: 'done', variants });
    } catch (err) {
      await send({ type: 'error', message: (err as Error).message ?? String(err) });
    }
    process.exit(0);
  })();
});
