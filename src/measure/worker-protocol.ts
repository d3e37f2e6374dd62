/** Messages between the runner and its worker processes (Node IPC, JSON). */
import type { RawVariant } from './rounds.js';
import type { SuiteConfig, VariantDecl } from './types.js';

export interface WorkerJob {
  type: 'run';
  suite: string;
  variants: VariantDecl[];
  config: SuiteConfig;
  firstRound: number;
  rounds: number;
  seed: number;
  worker: number;
  /** CPU to pin to (the runner's), or null. */
  pinCpu: number | null;
  /** Headers the run registered proposals from (`run --header`): the worker registers them too. */
  headers: string[];
}

/** Runner -> worker: `run` once, then possibly `stop` (finish the current batch, report). */
export type ToWorker = WorkerJob | { type: 'stop' };

/** Worker -> runner: `round` after each round (progress), then `done` or `error`. */
export type FromWorker = { type: 'round' } | { type: 'done'; variants: RawVariant[] } | { type: 'error'; message: string };
