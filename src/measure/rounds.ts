/**
 * Runs one suite's variants for a number of rounds in this process: calibration, warm-up, then
 * measured rounds, each round one batch of every variant in a seeded shuffled order, so slow
 * drift and the VM's fast/slow phases hit every variant alike and a probe and its baseline
 * share each round. The main process runs suites this way, and so does each worker process
 * (worker-main.ts) with its share of the rounds. Returns raw records; nothing is summarised here.
 */
import { describeErrno, HARNESS_UNSUPPORTED } from '../native/errno.js';
import type { Harness } from '../native/harness.js';
import type { CloneHelper } from '../native/helper.js';
import type { PidnsDriver } from '../native/pidns.js';
import type { CopyPlanRecord, PidChoiceRecord, SkipRecord, VariantResult } from '../results/schema.js';
import { deriveRng, shuffled } from '../stats/prng.js';
import { makeExecutor, type Executor, type ProbeMemoryPool } from './executors.js';
import { callOf, SkipError } from './skip.js';
import type { SuiteConfig, VariantDecl } from './types.js';

/** Set `requested` (e.g. from a signal handler) to stop after the current batch. */
export interface StopFlag {
  requested: boolean;
}

/** Largest batch, whatever the calibration says (bounds the time of one koffi call). */
const MAX_ITERS = 50_000_000;
const MAX_CLONE_ITERS = 100_000;

/** What one process measured of one variant. */
export interface RawVariant {
  id: string;
  iters: number;
  /** Per measured batch: mean ns per iteration, and the (suite-wide) round it belongs to. */
  samples: number[];
  rounds: number[];
  /** In-batch paired deltas and baseline means (interleaved variants), one per batch. */
  pairDeltas: number[];
  pairBaselines: number[];
  skip: SkipRecord | null;
  parent: VariantResult['parent'];
  copyPlan: CopyPlanRecord | null;
  pidChoice: PidChoiceRecord | null;
}

export interface SuiteRoundsOptions {
  suite: string;
  variants: readonly VariantDecl[];
  config: SuiteConfig;
  /** Suite-wide number of this process's first measured round. */
  firstRound: number;
  /** Measured rounds to run here (warm-up rounds come on top). */
  rounds: number;
  seed: number;
  /** Labels this process's streams (order, placements): the worker index. */
  worker: number;
  harness: Harness;
  memory: ProbeMemoryPool;
  helper: () => Promise<CloneHelper>;
  pidns: () => Promise<PidnsDriver>;
  stop: StopFlag;
  /** After each round, warm-up included. */
  onRound?: () => void;
}

interface State {
  decl: VariantDecl;
  exec: Executor | null;
  raw: RawVariant;
}

function skipFromRet(ret: number, detail: string): SkipRecord {
  return { ...describeErrno(ret), detail };
}

function skipFromError(err: unknown, detail: string): SkipRecord {
  if (err instanceof SkipError) return err.skip;
  return { errno: 0, code: (err as Error).name ?? 'Error', meaning: (err as Error).message ?? String(err), detail };
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Runs one batch; a refusal or a helper failure becomes the variant's skip. */
async function runBatch(v: State, detail: string, round: number | null): Promise<void> {
  if (!v.exec || v.raw.skip) return;
  try {
    const r = await v.exec.batch(v.raw.iters);
    if (r.ret !== v.exec.expectedRet || r.done < 1) {
      v.raw.skip = skipFromRet(r.ret, `${callOf(v.decl.spec)} ${detail}`);
      return;
    }
    if (round === null) return;
    v.raw.samples.push(r.ns / r.done);
    v.raw.rounds.push(round);
    if (r.pair) {
      v.raw.pairDeltas.push(r.pair.deltaNs);
      v.raw.pairBaselines.push(r.pair.baselineNsPerIter);
    }
  } catch (err) {
    v.raw.skip = skipFromError(err, detail);
  }
}

/** Grows the batch tenfold until it lasts a tenth of the target, then scales to the target. */
async function calibrate(v: State, targetNs: number, cap: number): Promise<void> {
  v.raw.iters = 1;
  for (let step = 0; step < 12 && !v.raw.skip; step++) {
    let ns: number;
    try {
      const r = await v.exec!.batch(v.raw.iters);
      if (r.ret !== v.exec!.expectedRet || r.done < 1) {
        v.raw.skip = skipFromRet(r.ret, `${callOf(v.decl.spec)} ${step === 0 ? 'refused on the first call' : 'refused during calibration'}`);
        return;
      }
      ns = r.ns;
    } catch (err) {
      v.raw.skip = skipFromError(err, 'failed during calibration');
      return;
    }
    if (ns >= targetNs / 10 || v.raw.iters >= cap) {
      v.raw.iters = Math.max(1, Math.min(cap, Math.round((targetNs * v.raw.iters) / Math.max(ns, 1))));
      return;
    }
    v.raw.iters *= 10;
  }
}

export async function runSuiteRounds(o: SuiteRoundsOptions): Promise<RawVariant[]> {
  const targetNs = o.config.targetBatchMs * 1e6;
  const states: State[] = o.variants.map((decl) => ({
    decl,
    exec: null,
    raw: { id: decl.id, iters: 0, samples: [], rounds: [], pairDeltas: [], pairBaselines: [], skip: null, parent: null, copyPlan: null, pidChoice: null },
  }));
  try {
    for (const v of states) {
      if (o.stop.requested) break;
      if (!o.harness.supported) {
        v.raw.skip = skipFromRet(-HARNESS_UNSUPPORTED, `host is ${process.arch}`);
        continue;
      }
      const baseline = o.variants.find((b) => b.id === v.decl.baseline)?.spec;
      let made: ReturnType<typeof makeExecutor>;
      try {
        made = makeExecutor(
          v.decl.spec,
          {
            harness: o.harness,
            helper: o.helper,
            pidns: o.pidns,
            // Generous: a batch lasts ~targetBatchMs; only a stuck helper gets near this.
            helperTimeoutMs: Math.max(10_000, 100 * o.config.targetBatchMs),
            rng: deriveRng(o.seed, `placements:${o.worker}:${v.decl.id}`),
          },
          o.memory,
          baseline,
        );
      } catch (err) {
        v.raw.skip = skipFromError(err, 'could not be prepared');
        continue;
      }
      v.raw.copyPlan = made.copyPlan ?? null;
      // A refused request or an empty copy plan: recorded with its reason, never run.
      if ('unmeasured' in made) {
        v.raw.skip = made.unmeasured;
        continue;
      }
      v.exec = made;
      const kind = v.decl.spec.kind;
      await calibrate(v, targetNs, kind === 'clone' || kind === 'pids' || kind === 'encode' ? MAX_CLONE_ITERS : MAX_ITERS);
      await yieldToEventLoop();
    }

    const rng = deriveRng(o.seed, `order:${o.suite}:${o.worker}`);
    const total = o.config.warmupRounds + o.rounds;
    for (let r = 0; r < total && !o.stop.requested; r++) {
      const warm = r < o.config.warmupRounds;
      const round = warm ? null : o.firstRound + r - o.config.warmupRounds;
      for (const v of shuffled(states, rng)) {
        if (o.stop.requested) break;
        await runBatch(v, `refused in ${warm ? 'warm-up' : 'measured'} round ${r + 1}`, round);
        await yieldToEventLoop(); // lets a signal handler run between batches
      }
      o.onRound?.();
    }

    for (const v of states) {
      if (v.raw.skip || !v.exec) continue;
      try {
        v.raw.parent = await v.exec.parent();
      } catch {
        v.raw.parent = null;
      }
    }
    for (const v of states) v.raw.pidChoice = v.exec?.pidChoice?.() ?? null;
  } finally {
    // Images are freed once their suite is done: each adds mappings to this process, and
    // fork's cost grows with the parent's VMA count. Also on errors and stops (idempotent).
    for (const v of states) v.exec?.dispose?.();
  }
  return states.map((s) => s.raw);
}
