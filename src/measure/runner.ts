import { readFileSync } from 'node:fs';
import { collectEnvironment, readSteal } from '../env/environment.js';
import { describeErrno, HARNESS_UNSUPPORTED } from '../native/errno.js';
import { loadHarness, type Harness } from '../native/harness.js';
import { CloneHelper } from '../native/helper.js';
import { PidnsDriver } from '../native/pidns.js';
import type { CopyPlanRecord, PidChoiceRecord, ResultsFile, SkipRecord, SuiteRun, VariantResult } from '../results/schema.js';
import { RESULTS_SCHEMA_ID, RESULTS_SCHEMA_VERSION } from '../results/schema.js';
import { deriveRng, shuffled } from '../stats/prng.js';
import { computeFit, summariseVariants } from './analysis.js';
import { computeProposalCosts } from './copy-plan/proposal-costs.js';
import { makeExecutor, ProbeMemoryPool, type Executor } from './executors.js';
import { planSuites, type SuitePlan } from './plan.js';
import { SkipError } from './skip.js';
import type { SuiteDecl, VariantDecl } from './types.js';

/** Set `requested` (e.g. from a SIGINT handler) to stop after the current batch. */
export interface StopFlag {
  requested: boolean;
}

/** Progress is counted in rounds (warm-up included) over all suites. */
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
  /** Pin Node's main thread and the helper to one CPU (default true). */
  pin?: boolean;
  stop?: StopFlag;
  progress?: ProgressSink;
  harness?: Harness;
}

/** Largest batch, whatever the calibration says (bounds the time of one koffi call). */
const MAX_ITERS = 50_000_000;
const MAX_CLONE_ITERS = 100_000;

interface VariantState {
  decl: VariantDecl;
  suite: string;
  exec: Executor | null;
  iters: number;
  samples: number[];
  /** In-batch paired deltas and baseline means (interleaved probes only). */
  pairDeltas: number[];
  pairBaselines: number[];
  skip: SkipRecord | null;
  parent: VariantResult['parent'];
  copyPlan: CopyPlanRecord | null;
  pidChoice: PidChoiceRecord | null;
}

function skipFromRet(ret: number, detail: string): SkipRecord {
  return { ...describeErrno(ret), detail };
}

function skipFromError(err: unknown, detail: string): SkipRecord {
  if (err instanceof SkipError) return err.skip;
  return { errno: 0, code: (err as Error).name ?? 'Error', meaning: (err as Error).message ?? String(err), detail };
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Picks the last CPU this process may run on (the first often takes more interrupts). */
function allowedCpus(): { list: string; last: number | null } {
  const list = /^Cpus_allowed_list:\s*(\S+)/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? '';
  const nums = list.split(',').flatMap((part) => {
    const [a, b] = part.split('-').map(Number);
    return Number.isFinite(b) ? [b] : Number.isFinite(a) ? [a] : [];
  });
  return { list, last: nums.length ? Math.max(...nums) : null };
}

/** Runs one batch and turns a refusal or a helper failure into a skip. */
async function runBatch(v: VariantState, detail: string, record: boolean): Promise<void> {
  if (!v.exec || v.skip) return;
  try {
    const r = await v.exec.batch(v.iters);
    if (r.ret !== v.exec.expectedRet || r.done < 1) {
      v.skip = skipFromRet(r.ret, detail);
      return;
    }
    if (!record) return;
    v.samples.push(r.ns / r.done);
    if (r.pair) {
      v.pairDeltas.push(r.pair.deltaNs);
      v.pairBaselines.push(r.pair.baselineNsPerIter);
    }
  } catch (err) {
    v.skip = skipFromError(err, detail);
  }
}

/** Grows the batch tenfold until it lasts a tenth of the target, then scales to the target. */
async function calibrate(v: VariantState, targetNs: number, cap: number): Promise<void> {
  v.iters = 1;
  for (let step = 0; step < 12 && !v.skip; step++) {
    let ns: number;
    try {
      const r = await v.exec!.batch(v.iters);
      if (r.ret !== v.exec!.expectedRet || r.done < 1) {
        v.skip = skipFromRet(r.ret, step === 0 ? 'refused on the first call' : 'refused during calibration');
        return;
      }
      ns = r.ns;
    } catch (err) {
      v.skip = skipFromError(err, 'failed during calibration');
      return;
    }
    if (ns >= targetNs / 10 || v.iters >= cap) {
      v.iters = Math.max(1, Math.min(cap, Math.round((targetNs * v.iters) / Math.max(ns, 1))));
      return;
    }
    v.iters *= 10;
  }
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
  });
  const harness = opts.harness ?? loadHarness();
  const environment = collectEnvironment();
  const stealBefore = readSteal();
  const cpus = allowedCpus();
  const pinnedCpu = opts.pin === false || cpus.last === null ? null : cpus.last;
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

  const memory = new ProbeMemoryPool(harness);
  const states: VariantState[] = [];
  const suiteRuns: SuiteRun[] = [];
  opts.progress?.start(plans.reduce((n, p) => n + p.config.rounds + p.config.warmupRounds, 0));
  if (pinnedCpu !== null) harness.pinCpu(pinnedCpu);
  try {
    for (const plan of plans) {
      const { config } = plan;
      const targetNs = config.targetBatchMs * 1e6;
      const suiteStates: VariantState[] = plan.variants.map((decl) => ({
        decl,
        suite: plan.suite.name,
        exec: null,
        iters: 0,
        samples: [],
        pairDeltas: [],
        pairBaselines: [],
        skip: null,
        parent: null,
        copyPlan: null,
        pidChoice: null,
      }));
      states.push(...suiteStates);
      const run: SuiteRun = {
        name: plan.suite.name,
        description: plan.suite.description,
        plannedRounds: config.rounds,
        completedRounds: 0,
        warmupRounds: config.warmupRounds,
        targetBatchMs: config.targetBatchMs,
        variants: plan.variants.map((v) => v.id),
      };
      suiteRuns.push(run);
      if (stop.requested) break;

      for (const v of suiteStates) {
        if (!harness.supported) {
          v.skip = skipFromRet(-HARNESS_UNSUPPORTED, `host is ${process.arch}`);
          continue;
        }
        const baseline = plan.variants.find((b) => b.id === v.decl.baseline)?.spec;
        let made: ReturnType<typeof makeExecutor>;
        try {
          made = makeExecutor(
            v.decl.spec,
            {
              harness,
              helper: getHelper,
              pidns: getPidns,
              // Generous: a batch lasts ~targetBatchMs; only a stuck helper gets near this.
              helperTimeoutMs: Math.max(10_000, 100 * config.targetBatchMs),
            },
            memory,
            baseline,
          );
        } catch (err) {
          v.skip = skipFromError(err, 'could not be prepared');
          continue;
        }
        v.copyPlan = made.copyPlan ?? null;
        // A refused request or an empty copy plan: recorded with its reason, never run.
        if ('unmeasured' in made) {
          v.skip = made.unmeasured;
          continue;
        }
        v.exec = made;
        await calibrate(v, targetNs, v.decl.spec.kind === 'clone' || v.decl.spec.kind === 'pids' ? MAX_CLONE_ITERS : MAX_ITERS);
        await yieldToEventLoop();
        if (stop.requested) break;
      }

      // Warm-up then measured rounds; each round runs one batch of every variant, in an
      // order shuffled per round (seeded), so slow drift and the VM's fast/slow phases hit
      // every variant alike and a probe and its baseline share each round.
      const rng = deriveRng(seed, `order:${plan.suite.name}`);
      const total = config.warmupRounds + config.rounds;
      for (let round = 0; round < total && !stop.requested; round++) {
        const warm = round < config.warmupRounds;
        for (const v of shuffled(suiteStates, rng)) {
          if (stop.requested) break;
          await runBatch(v, `refused in ${warm ? 'warm-up' : 'measured'} round ${round + 1}`, !warm);
          await yieldToEventLoop(); // lets a SIGINT handler run between batches
        }
        if (!warm && !stop.requested) run.completedRounds++;
        opts.progress?.tick(plan.suite.name);
      }

      for (const v of suiteStates) {
        if (v.skip || !v.exec) continue;
        try {
          v.parent = await v.exec.parent();
        } catch {
          v.parent = null;
        }
      }
      for (const v of suiteStates) v.pidChoice = v.exec?.pidChoice?.() ?? null;
      // Images are freed once their suite is done: each adds mappings (segments and guard
      // pages) to this process, and fork's cost grows with the parent's VMA count.
      for (const v of suiteStates) v.exec?.dispose?.();
    }
  } finally {
    // Also on errors and Ctrl-C (dispose is idempotent).
    for (const v of states) v.exec?.dispose?.();
    if (pinnedCpu !== null) harness.unpinCpu();
    opts.progress?.stop();
    if (helperStart) await helperStart.catch(() => null);
    if (helper) await (helper as CloneHelper).close();
    if (pidnsStart) await pidnsStart.catch(() => null);
    // The driver reaps every chain before it exits (each within 2 s, else SIGKILL).
    if (pidns) await (pidns as PidnsDriver).close(10_000);
  }

  const variants: VariantResult[] = states.map((v) => {
    const measured = !v.skip && v.samples.length > 0;
    const planned = plans.find((p) => p.suite.name === v.suite)!.config.rounds;
    return {
      id: v.decl.id,
      suite: v.suite,
      description: v.decl.description,
      spec: v.decl.spec,
      status: measured ? 'measured' : 'skipped',
      complete: measured && v.samples.length >= planned,
      skip: measured ? null : (v.skip ?? { errno: 0, code: 'INTERRUPTED', meaning: 'the run was stopped before this variant ran', detail: 'stopped' }),
      itersPerBatch: v.iters,
      samplesNsPerIter: measured ? v.samples : [],
      summary: null,
      baseline: v.decl.baseline ?? null,
      delta: measured && v.pairDeltas.length
        ? { method: 'interleaved' as const, samplesNs: v.pairDeltas, baselineNsPerIter: v.pairBaselines, summary: null, relative: null }
        : null,
      parent: measured ? v.parent : null,
      ...(v.copyPlan ? { copyPlan: v.copyPlan } : {}),
      ...(v.pidChoice ? { pidChoice: v.pidChoice } : {}),
    };
  });
  summariseVariants(variants, seed);
  const fits = plans.flatMap((p) => p.suite.fits.map((f) => computeFit(f, variants, seed)));
  const proposalCosts = computeProposalCosts(variants, fits, seed);
  const finished = new Date();
  const helperInfo = variants.some((v) => v.spec.kind === 'clone' && v.spec.where === 'helper') ? CloneHelper.compileInfo() : null;
  return {
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
            : `Node's main thread (sched_setaffinity from the harness) and the helper process pinned to CPU ${pinnedCpu} for every suite, clone included; children inherit it`,
      },
    },
    suites: suiteRuns,
    variants,
    fits,
    ...(proposalCosts ? { proposalCosts } : {}),
  };
}
