/**
 * The run: plans the suites, measures each (in this process, or shared between worker
 * processes one after the other), and returns the results file: raw records plus what the
 * analysis stage (src/analysis/) derives from them. Nothing here summarises.
 */
import { readFileSync } from 'node:fs';
import { analyse } from '../analysis/index.js';
import { collectEnvironment, readSteal } from '../env/environment.js';
import { loadHarness, type Harness } from '../native/harness.js';
import { CloneHelper } from '../native/helper.js';
import { PidnsDriver } from '../native/pidns.js';
import type { ResultsFile, SkipRecord, SuiteRun, VariantResult } from '../results/schema.js';
import { RESULTS_SCHEMA_ID, RESULTS_SCHEMA_VERSION } from '../results/schema.js';
import { deriveRng } from '../stats/prng.js';
import { ProbeMemoryPool } from './executors.js';
import { planSuites, type SuitePlan } from './plan.js';
import { runSuiteRounds, type RawVariant, type StopFlag } from './rounds.js';
import { runWorker } from './worker-client.js';
import type { SuiteDecl } from './types.js';

export type { StopFlag };

/** Progress is counted in rounds (warm-up included, per worker) over all suites. */
export interface ProgressSink {
  start(totalRounds: number): void;
  tick(label: string): void;
  stop(): void;
}

export interface RunOptions {
  suites: readonly SuiteDecl[];
  quick?: boolean;
  filter?: RegExp | null;
  rounds?: number | null;
  warmupRounds?: number | null;
  seed?: number;
  targetBatchMs?: number | null;
  /** Overrides the suites' worker counts. */
  workers?: number | null;
  /** Pin Node's main thread, the workers and the helpers to one CPU (default true). */
  pin?: boolean;
  /** The CPU to pin to (default: chooseCpu over the allowed ones). */
  cpu?: number | null;
  /** Header files whose proposals were registered in this process (the workers register them too). */
  headers?: readonly string[];
  stop?: StopFlag;
  progress?: ProgressSink;
  /** A harness to measure with instead of build/harness.so (tests: a fake with chosen
   * timings). Every suite then runs in this process: a fake cannot cross into a worker. */
  harness?: Harness;
}

/** A worker that finishes no round for this long is killed (a round lasts well under 1 s). */
const WORKER_IDLE_TIMEOUT_MS = 60_000;

/** The CPUs this process may run on (Cpus_allowed_list, e.g. "0-3,6"). */
export function allowedCpus(): { list: string; cpus: number[] } {
  const list = /^Cpus_allowed_list:\s*(\S+)/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? '';
  const cpus = list.split(',').flatMap((part) => {
    const [a, b] = part.split('-').map(Number);
    if (!Number.isFinite(a)) return [];
    return Number.isFinite(b) ? Array.from({ length: b - a + 1 }, (_, i) => a + i) : [a];
  });
  return { list, cpus };
}

/** The last allowed CPU (the first often takes more interrupts) not in `avoid`, else the last. */
export function chooseCpu(allowed: readonly number[], avoid: readonly number[] = []): number | null {
  if (allowed.length === 0) return null;
  const free = allowed.filter((c) => !avoid.includes(c));
  return Math.max(...(free.length ? free : allowed));
}

/** The suite's rounds shared out: worker w runs rounds [start(w), start(w + 1)). */
export function shareRounds(rounds: number, workers: number): Array<{ first: number; count: number }> {
  return Array.from({ length: workers }, (_, w) => {
    const first = Math.floor((rounds * w) / workers);
    return { first, count: Math.floor((rounds * (w + 1)) / workers) - first };
  });
}

interface Collected {
  raw: RawVariant;
  workers: number[];
  /** Workers that stopped measuring it (a refusal or failure), with their reason. */
  skippedBy: Array<{ worker: number; skip: SkipRecord }>;
  /** Workers that measured it, for averaging their copy plans' page touches. */
  measuredBy: number;
}

/** Adds one process's records of a suite to what the earlier ones measured. */
function collect(into: Map<string, Collected>, records: readonly RawVariant[], worker: number): void {
  for (const r of records) {
    const c = into.get(r.id);
    if (!c) {
      into.set(r.id, {
        raw: { ...r, samples: [...r.samples], rounds: [...r.rounds], pairDeltas: [...r.pairDeltas], pairBaselines: [...r.pairBaselines] },
        workers: r.samples.map(() => worker),
        skippedBy: r.skip ? [{ worker, skip: r.skip }] : [],
        measuredBy: r.samples.length ? 1 : 0,
      });
      continue;
    }
    if (r.skip) c.skippedBy.push({ worker, skip: r.skip });
    c.raw.samples.push(...r.samples);
    c.raw.rounds.push(...r.rounds);
    c.raw.pairDeltas.push(...r.pairDeltas);
    c.raw.pairBaselines.push(...r.pairBaselines);
    c.workers.push(...r.samples.map(() => worker));
    if (!c.raw.iters) c.raw.iters = r.iters;
    c.raw.skip ??= r.skip;
    c.raw.parent ??= r.parent;
    c.raw.pidChoice ??= r.pidChoice;
    if (!c.raw.copyPlan) c.raw.copyPlan = r.copyPlan;
    else if (r.copyPlan && r.samples.length) {
      // Mean over the workers that measured it: each drew its own placements.
      c.raw.copyPlan = { ...c.raw.copyPlan, pageTouches: (c.raw.copyPlan.pageTouches * c.measuredBy + r.copyPlan.pageTouches) / (c.measuredBy + 1) };
    }
    if (r.samples.length) c.measuredBy++;
  }
}

const INTERRUPTED: SkipRecord = { errno: 0, code: 'INTERRUPTED', meaning: 'the run was stopped before this variant ran', detail: 'stopped' };

function toResult(plan: SuitePlan, c: Collected | undefined, id: string): VariantResult {
  const decl = plan.variants.find((v) => v.id === id)!;
  const raw = c?.raw;
  const measured = !!raw && raw.samples.length > 0;
  const interleaved = measured && raw.pairDeltas.length === raw.samples.length && raw.pairDeltas.length > 0;
  return {
    id,
    suite: plan.suite.name,
    description: decl.description,
    spec: decl.spec,
    status: measured ? 'measured' : 'skipped',
    complete: measured && raw.samples.length >= plan.config.rounds,
    // A variant some worker could not run, but others did, stays measured with their samples.
    skip: measured ? null : (raw?.skip ?? INTERRUPTED),
    itersPerBatch: raw?.iters ?? 0,
    samplesNsPerIter: measured ? raw.samples : [],
    sampleRounds: measured ? raw.rounds : [],
    sampleWorkers: measured ? c!.workers : [],
    summary: null,
    baseline: decl.baseline ?? null,
    delta: interleaved
      ? { method: 'interleaved', samplesNs: raw.pairDeltas, baselineNsPerIter: raw.pairBaselines, sampleRounds: raw.rounds, sampleWorkers: c!.workers, summary: null, relative: null }
      : null,
    parent: measured ? raw.parent : null,
    ...(raw?.copyPlan ? { copyPlan: raw.copyPlan } : {}),
    ...(raw?.pidChoice ? { pidChoice: raw.pidChoice } : {}),
  };
}

/** Measures the planned suites; returns a complete results object (not yet written). */
export async function runBenchmarks(opts: RunOptions): Promise<ResultsFile> {
  const started = new Date();
  const seed = opts.seed ?? 1;
  const stop = opts.stop ?? { requested: false };
  const plans: SuitePlan[] = planSuites(opts.suites, {
    quick: opts.quick ?? false,
    filter: opts.filter ?? null,
    rounds: opts.rounds ?? null,
    warmupRounds: opts.warmupRounds ?? null,
    targetBatchMs: opts.targetBatchMs ?? null,
    workers: opts.harness ? 1 : (opts.workers ?? null),
  });
  if (opts.harness) for (const p of plans) p.config.workers = 1;
  const harness = opts.harness ?? loadHarness();
  const environment = collectEnvironment();
  const stealBefore = readSteal();
  const cpus = allowedCpus();
  const pinnedCpu = opts.pin === false ? null : opts.cpu !== undefined ? opts.cpu : chooseCpu(cpus.cpus);
  let helper: CloneHelper | null = null;
  let helperStart: Promise<CloneHelper> | null = null;
  const getHelper = (): Promise<CloneHelper> => {
    helperStart ??= (async () => {
      helper = CloneHelper.start();
      if (pinnedCpu !== null) await helper.pin(pinnedCpu);
      return helper;
    })();
    return helperStart;
  };
  // build/pidns, started as the helper on first use and pinned before it makes any namespace
  // (the inits inherit its affinity).
  let pidns: PidnsDriver | null = null;
  let pidnsStart: Promise<PidnsDriver> | null = null;
  const getPidns = (): Promise<PidnsDriver> => {
    pidnsStart ??= (async () => {
      pidns = PidnsDriver.start();
      if (pinnedCpu !== null) await pidns.pin(pinnedCpu);
      return pidns;
    })();
    return pidnsStart;
  };

  const memory = new ProbeMemoryPool(harness, deriveRng(seed, 'probe-memory:main'));
  const variants: VariantResult[] = [];
  const suiteRuns: SuiteRun[] = [];
  const failures: string[] = []; // worker processes that failed
  const warnings: string[] = []; // everything that went wrong without stopping the run
  opts.progress?.start(plans.reduce((n, p) => n + p.config.rounds + p.config.warmupRounds * p.config.workers, 0));
  if (pinnedCpu !== null) harness.pinCpu(pinnedCpu);
  try {
    for (const plan of plans) {
      const { config } = plan;
      const run: SuiteRun = {
        name: plan.suite.name,
        description: plan.suite.description,
        plannedRounds: config.rounds,
        completedRounds: 0,
        warmupRounds: config.warmupRounds,
        targetBatchMs: config.targetBatchMs,
        workers: config.workers,
        variants: plan.variants.map((v) => v.id),
      };
      suiteRuns.push(run);
      const collected = new Map<string, Collected>();
      const tick = () => opts.progress?.tick(plan.suite.name);
      if (!stop.requested && config.workers === 1) {
        const records = await runSuiteRounds({
          suite: plan.suite.name,
          variants: plan.variants,
          config,
          firstRound: 0,
          rounds: config.rounds,
          seed,
          worker: 0,
          harness,
          memory,
          helper: getHelper,
          pidns: getPidns,
          stop,
          onRound: tick,
        });
        collect(collected, records, 0);
      } else {
        for (const [w, share] of shareRounds(config.rounds, config.workers).entries()) {
          if (stop.requested) break;
          const outcome = await runWorker(
            { type: 'run', suite: plan.suite.name, variants: plan.variants, config, firstRound: share.first, rounds: share.count, seed, worker: w, pinCpu: pinnedCpu, headers: [...(opts.headers ?? [])] },
            { stop, onRound: tick, idleTimeoutMs: WORKER_IDLE_TIMEOUT_MS },
          );
          if (outcome.ok) collect(collected, outcome.variants, w);
          else {
            failures.push(outcome.failure);
            warnings.push(outcome.failure);
          }
        }
      }
      const roundsSeen = new Set([...collected.values()].flatMap((c) => c.raw.rounds));
      run.completedRounds = roundsSeen.size;
      for (const v of plan.variants) {
        const c = collected.get(v.id);
        const r = toResult(plan, c, v.id);
        // Measured, but not by every process or not in every round: say why, or its interval
        // would silently rest on fewer samples than planned.
        if (r.status === 'measured' && c?.skippedBy.length)
          for (const { worker, skip } of c.skippedBy)
            warnings.push(`${v.id}: ${config.workers > 1 ? `worker ${worker} ` : ''}stopped measuring it (${skip.code}: ${skip.meaning}; ${skip.detail}); ${r.samplesNsPerIter.length} of ${config.rounds} rounds kept`);
        // A variant no worker could measure because the workers failed says so.
        if (r.status === 'skipped' && r.skip?.code === 'INTERRUPTED' && failures.length && !stop.requested)
          r.skip = { errno: 0, code: 'WORKER_FAILED', meaning: failures[failures.length - 1], detail: 'no worker process reported it' };
        variants.push(r);
      }
    }
  } finally {
    if (pinnedCpu !== null) harness.unpinCpu();
    opts.progress?.stop();
    if (helperStart) await helperStart.catch(() => null);
    if (helper) await (helper as CloneHelper).close();
    if (pidnsStart) await pidnsStart.catch(() => null);
    // The driver reaps every chain before it exits (each within 2 s, else SIGKILL).
    if (pidns) await (pidns as PidnsDriver).close(10_000);
  }

  const finished = new Date();
  const helperInfo = variants.some((v) => v.spec.kind === 'clone' && v.spec.where === 'helper') ? CloneHelper.compileInfo() : null;
  const raw: ResultsFile = {
    schema: RESULTS_SCHEMA_ID,
    version: RESULTS_SCHEMA_VERSION,
    createdAt: started.toISOString(),
    finishedAt: finished.toISOString(),
    durationMs: finished.getTime() - started.getTime(),
    interrupted: stop.requested,
    options: {
      quick: opts.quick ?? false,
      filter: opts.filter ? opts.filter.source : null,
      rounds: opts.rounds ?? null,
      seed,
      targetBatchMs: opts.targetBatchMs ?? null,
      workers: opts.workers ?? null,
    },
    environment: {
      ...environment,
      steal: { before: stealBefore, after: readSteal() },
      harness: harness.compileInfo(),
      helper: helperInfo,
      ...(variants.some((v) => v.spec.kind === 'pids') ? { pidns: PidnsDriver.compileInfo() } : {}),
      affinity: {
        allowed: cpus.list,
        pinnedCpu,
        note:
          pinnedCpu === null
            ? 'not pinned'
            : `Node's main thread (sched_setaffinity from the harness), the worker processes and the helpers pinned to CPU ${pinnedCpu} for every suite, clone included; children inherit it`,
      },
    },
    suites: suiteRuns,
    variants,
    fits: [],
    answer: null,
    boundary: null,
    warnings,
  };
  return analyse(raw, { seed, fits: plans.flatMap((p) => p.suite.fits) });
}
