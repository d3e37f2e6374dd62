/** Starts a worker process (worker-main.ts), hands it a job and collects its raw records. */
import { fork } from 'node:child_process';
import { WORKER_PATH } from '../native/paths.js';
import type { RawVariant, StopFlag } from './rounds.js';
import type { FromWorker, WorkerJob } from './worker-protocol.js';

export type WorkerOutcome = { ok: true; variants: RawVariant[] } | { ok: false; failure: string };

export interface WorkerRunOptions {
  stop: StopFlag;
  onRound?: () => void;
  /** Longest silence (no round finished) before the worker is killed. */
  idleTimeoutMs: number;
  /** Entry point (tests point it elsewhere). */
  path?: string;
}

export function runWorker(job: WorkerJob, o: WorkerRunOptions): Promise<WorkerOutcome> {
  return new Promise((resolve) => {
    const child = fork(o.path ?? WORKER_PATH, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'json' });
    let outcome: WorkerOutcome | null = null;
    let stopSent = false;
    let idle: NodeJS.Timeout;
    const arm = () => {
      clearTimeout(idle);
      idle = setTimeout(() => {
        outcome ??= { ok: false, failure: `worker ${job.worker} of suite ${job.suite} went ${o.idleTimeoutMs / 1000} s without finishing a round; killed` };
        child.kill('SIGKILL');
      }, o.idleTimeoutMs);
    };
    // The stop flag is set by a signal handler; pass it on between messages.
    const poll = setInterval(() => {
      if (o.stop.requested && !stopSent && child.connected) {
        stopSent = true;
        child.send({ type: 'stop' });
      }
    }, 20);
    arm();
    child.on('message', (m: FromWorker) => {
      if (m.type === 'round') {
        arm();
        o.onRound?.();
      } else if (m.type === 'done') outcome ??= { ok: true, variants: m.variants };
      else if (m.type === 'error') outcome ??= { ok: false, failure: `worker ${job.worker} of suite ${job.suite} failed: ${m.message}` };
    });
    child.once('error', (err) => {
      outcome ??= { ok: false, failure: `worker ${job.worker} of suite ${job.suite} could not start: ${err.message}` };
    });
    child.once('exit', (code, signal) => {
      clearTimeout(idle);
      clearInterval(poll);
      resolve(outcome ?? { ok: false, failure: `worker ${job.worker} of suite ${job.suite} exited (${signal ?? `code ${code}`}) before reporting` });
    });
    child.send(job);
  });
}
