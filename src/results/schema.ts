import { z } from 'zod';
import { PLACEMENTS } from '../encode/placement.js';

/** Bump on any incompatible change; readResults refuses other versions by name.
 * Version 2: placements, worker processes (per-sample worker and round), multi-term fits, the
 * `answer` (every clone variant) replacing `proposalCosts`, the boundary experiment, encode
 * variants, CPU flags. */
export const RESULTS_SCHEMA_ID = 'clonebench.results';
export const RESULTS_SCHEMA_VERSION = 2;

const finite = z.number().refine(Number.isFinite, 'must be a finite number');
const count = z.number().int().nonnegative();

export const SummarySchema = z.object({
  n: count.min(1),
  median: finite,
  ciLow: finite,
  ciHigh: finite,
  ciLevel: z.number().gt(0).lt(1),
  ciMethod: z.string(),
  resamples: count,
  min: finite,
  max: finite,
  p90: finite,
  p99: finite,
  mean: finite,
  sd: z.number().nonnegative(),
  cv: z.number().nonnegative().nullable(),
  /** Worker processes the samples came from; the interval resamples them first, then their
   * rounds (1: an ordinary bootstrap over rounds). */
  groups: count.min(1),
  /** Where another run's median should fall (95%), from the spread between the worker
   * processes' medians (src/stats/next-run.ts); null with fewer than 2 workers. */
  nextRun: z.object({ low: finite, high: finite, method: z.string() }).nullable(),
});

const PlacementSchema = z.enum(PLACEMENTS);

export const ProbeSpecSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('empty') }),
  z.object({ kind: z.literal('getppid') }),
  z.object({ kind: z.literal('getppid-raw') }),
  z.object({
    kind: z.literal('clone3-probe'),
    /** Size passed to clone3; 0 fails before any copy. */
    structSize: z.number().int().min(0).max(4096),
    /** set_tid_size (the set_tid pointer aims at a harness buffer of up to 32 pids). */
    setTidCount: z.number().int().min(0).max(32),
    /** Where the set_tid array sits (src/encode/placement.ts): co-located = right after the
     * probe struct on its page; scattered = its own page, clear of the end; page-end = ending
     * at a PROT_NONE page. Absent when nothing is copied through set_tid. */
    placement: PlacementSchema.optional(),
  }),
  z.object({
    /** A proposal's copy plan for one request, executed as set_tid-path probes pointed into
     * the encoder's materialised image (benches/proposals.ts). */
    kind: z.literal('copy-plan'),
    proposal: z.string().min(1),
    /** Target ABI of the image: always the host's (materialise refuses any other). */
    target: z.string().min(1),
    /** Pids chosen at levels 0..levels-1 by a caller at depth levels-1; 0 = the empty request. */
    levels: z.number().int().min(0).max(32),
    placement: PlacementSchema,
  }),
  z.object({
    /** The caller's side: encoding a request in JavaScript (`encode`), or encoding and writing
     * it into fresh native memory through koffi with its pointers fixed up (`materialise`: an
     * mmap, a copy, the fixups, the munmap), as the proposals suite does before it measures. */
    kind: z.literal('encode'),
    proposal: z.string().min(1),
    target: z.string().min(1),
    levels: z.number().int().min(0).max(32),
    step: z.enum(['encode', 'materialise']),
  }),
  z.object({
    kind: z.literal('clone'),
    shape: z.enum(['fork', 'vfork', 'thread', 'newpid']),
    via: z.enum(['legacy', 'clone3']),
    where: z.enum(['node', 'helper']),
    /** The flags word as passed to legacy clone (exit signal in the low byte), hex. */
    flags: z.string(),
  }),
  z.object({
    /** Fork-like clone3 + wait4 run by the init of pid namespaces of the run's own
     * (build/pidns, benches/pids.ts). */
    kind: z.literal('pids'),
    /** plain: no pid chosen; set_tid: the pid chosen at every level; ns_last_pid: N-1 written to
     * /proc/sys/kernel/ns_last_pid by pwrite on an fd opened once, then clone3; ns_last_pid-open:
     * the same with open/write/close each time, as CRIU's fork_with_pid. */
    method: z.enum(['plain', 'set_tid', 'ns_last_pid', 'ns_last_pid-open']),
    /** Pid namespaces nested below the run's own; the loop runs in the innermost one. */
    levels: z.number().int().min(1).max(8),
  }),
]);

export const SkipSchema = z.object({
  errno: count,
  code: z.string(),
  meaning: z.string(),
  detail: z.string(),
});

export const ParentSchema = z.object({
  /** pidns-init: pid 1 of the innermost namespace of a pids variant (pid: as the run sees it);
   * worker: a worker process of the run (copy, proposals). */
  where: z.enum(['node', 'helper', 'pidns-init', 'worker']),
  pid: count,
  rssKiB: z.number().int(),
  vmaCount: z.number().int(),
});

/** What a copy-plan variant executed: the encoder's plan and the probes it became. */
export const CopyPlanSchema = z.object({
  placement: PlacementSchema,
  /** Bytes each probe copies (whole pids), in plan order. */
  probeSizes: z.array(count),
  /** Pages per plan iteration that the probes' copies touch beyond their own probe struct's
   * page (mean over the placement copies used): the page-table walks the model charges. */
  pageTouches: z.number().nonnegative(),
  /** From planTotals: copy_from_user calls and bytes of the plan, bytes only scanned for zero. */
  copies: count,
  bytes: count,
  zeroChecked: count,
  syscalls: count,
  /** set_tid-path probes per iteration and the bytes they copy (whole 4-byte pids). */
  probes: count,
  probeBytes: count,
  /** Reads longer than 128 bytes (set_tid's limit), each executed as several probes. */
  splitReads: count,
  reads: z.array(
    z.object({
      segment: z.string(),
      offset: count,
      length: count,
      kind: z.enum(['copy', 'zero-check']),
      why: z.string(),
      /** Probes this read became (0 for a zero-check: not executed, see `notes`). */
      probes: count,
    }),
  ),
  notes: z.array(z.string()),
});

/** What a pids variant's namespaces were and whether the children got the pids chosen, counted
 * over every batch of the run (calibration and warm-up included). */
export const PidChoiceSchema = z.object({
  /** root: CAP_SYS_ADMIN in the run's user namespace; user-namespace: in one the run made. */
  privilege: z.enum(['root', 'user-namespace']),
  /** The namespaces' inits as the run's pid namespace sees them, outermost first. */
  inits: z.array(count),
  /** Level i (0 = innermost) gets firstPid + i * rangeSize + k, k cycling over the range. */
  firstPid: count,
  rangeSize: count,
  /** Creates that chose a pid (0 for plain), and those whose child got another pid: for
   * set_tid a kernel bug, for ns_last_pid a race with another fork in the namespace. */
  creates: count,
  mismatches: count,
  /** Untimed set_tid creates whose pid at every level was read back (pidfd fdinfo NSpid):
   * checks made, levels confirmed in total, checks that found a wrong pid. */
  checks: count,
  checkedLevels: count,
  checkFailures: count,
  /** The syscall the creates used: clone3, or legacy clone where clone3 is refused (plain and
   * ns_last_pid only; set_tid needs clone3). */
  createdVia: z.enum(['clone3', 'legacy clone']),
});

const IntervalSchema = z.object({ estimate: finite, ciLow: finite, ciHigh: finite });

export const VariantResultSchema = z
  .object({
    id: z.string().min(1),
    suite: z.string().min(1),
    description: z.string(),
    spec: ProbeSpecSchema,
    status: z.enum(['measured', 'skipped']),
    /** False when the run was interrupted before this variant's planned rounds. */
    complete: z.boolean(),
    skip: SkipSchema.nullable(),
    /** Iterations per batch, as calibrated (by the first worker, where several ran it). */
    itersPerBatch: count,
    /** One value per batch: mean ns per iteration of that batch. */
    samplesNsPerIter: z.array(finite),
    /** For each sample: the measured round it was taken in (0-based, counted over the whole
     * suite) and the worker process that took it (0 for suites run in the main process). */
    sampleRounds: z.array(count),
    sampleWorkers: z.array(count),
    summary: SummarySchema.nullable(),
    baseline: z.string().nullable(),
    /** Variant minus its baseline. `interleaved`: both ran in alternating blocks inside each
     * batch (ABBA), one sample per batch = the median over its block pairs (same rounds and
     * workers as samplesNsPerIter); `rounds`: the variant's and its baseline's batches of the
     * same round subtracted. `relative` is delta / in-batch baseline per sample, which the VM's
     * fast/slow phases (every syscall x1.35) leave unchanged. */
    delta: z
      .object({
        method: z.enum(['interleaved', 'rounds']),
        samplesNs: z.array(finite),
        baselineNsPerIter: z.array(finite),
        sampleRounds: z.array(count),
        sampleWorkers: z.array(count),
        summary: SummarySchema.nullable(),
        relative: z.object({ samples: z.array(finite), summary: SummarySchema.nullable() }).nullable(),
      })
      .nullable(),
    parent: ParentSchema.nullable(),
    /** copy-plan variants only (absent for a request the encoder refused). */
    copyPlan: CopyPlanSchema.optional(),
    /** pids variants that got their namespaces. */
    pidChoice: PidChoiceSchema.optional(),
  })
  .superRefine((v, ctx) => {
    const same = (a: unknown[], b: unknown[], path: string[]) => {
      if (a.length !== b.length) ctx.addIssue({ code: 'custom', path, message: `has ${b.length} entries for ${a.length} samples` });
    };
    same(v.samplesNsPerIter, v.sampleRounds, ['sampleRounds']);
    same(v.samplesNsPerIter, v.sampleWorkers, ['sampleWorkers']);
    if (v.delta) {
      same(v.delta.samplesNs, v.delta.baselineNsPerIter, ['delta', 'baselineNsPerIter']);
      same(v.delta.samplesNs, v.delta.sampleRounds, ['delta', 'sampleRounds']);
      same(v.delta.samplesNs, v.delta.sampleWorkers, ['delta', 'sampleWorkers']);
    }
  });

/** A linear model y = sum(coefficient_i * x_i) fitted through the paired-delta medians of some
 * variants, e.g. copy cost = calls * c_call + bytes * c_byte + extra pages * c_page. */
export const FitResultSchema = z.object({
  id: z.string(),
  description: z.string(),
  /** The placement its points were measured at (null: not a set_tid placement fit). */
  placement: PlacementSchema.nullable(),
  /** The placements whose copy plans this model predicts in the answer. */
  predicts: z.array(PlacementSchema),
  yLabel: z.string(),
  /** The model's terms: `call` is the constant term (x = 1 per copy). */
  terms: z.array(z.object({ name: z.string(), label: z.string(), unit: z.string() })).min(1),
  points: z.array(z.object({ variant: z.string(), x: z.array(finite), medianY: finite })),
  /** One per term, or null when not fitted (skip says why). */
  coefficients: z.array(IntervalSchema).nullable(),
  /** Standard error of the points about the model (ns): how far it misses its own points.
   * A plan's prediction interval adds t(0.975, n - k) times this per copy (root sum of squares
   * with the coefficients' bootstrap spread). */
  residualNs: z.number().nonnegative().nullable(),
  /** The same model fitted on the deltas relative to their in-batch baseline probe (units of
   * one baseline probe): what the answer judges plans with, since a VM's speed can change
   * between the copy suite and the proposals suite and move every ns figure alike. */
  relative: z.object({ coefficients: z.array(IntervalSchema), residual: z.number().nonnegative() }).nullable(),
  ciLevel: z.number().gt(0).lt(1),
  ciMethod: z.string(),
  resamples: count,
  skip: z.string().nullable(),
});

/** A proposal's copy cost next to one clone variant's median, measured in the same run. */
export const OverheadSchema = z.object({
  clone: z.string(),
  /** plan cost median / clone median. */
  ratio: IntervalSchema.nullable(),
  ciMethod: z.string(),
  /** `below`: the plan cost's interval lies under clone's noise (half the width of the clone
   * median's 95% interval); `above`: over it; `overlaps`. */
  versusNoise: z.enum(['below', 'above', 'overlaps']).nullable(),
  skip: z.string().nullable(),
});

/** A clone variant the answer sets the copy costs against. */
export const AnswerCloneSchema = z.object({
  variant: z.string(),
  shape: z.enum(['fork', 'vfork', 'thread', 'newpid']),
  via: z.enum(['legacy', 'clone3']),
  where: z.enum(['node', 'helper']),
  median: finite.nullable(),
  ciLow: finite.nullable(),
  ciHigh: finite.nullable(),
  /** Half the width of the median's 95% interval: clone's own noise in ns. */
  noiseNs: finite.nullable(),
});

/** One row of the answer: interface x request x placement -> measured copy cost, model,
 * whether they agree, and the cost as a share of every clone variant measured. */
export const AnswerRowSchema = z.object({
  variant: z.string(),
  proposal: z.string(),
  levels: z.number().int().nonnegative(),
  placement: PlacementSchema,
  /** measured: the plan ran as probes; zero: no reads (0 ns by construction, not measured);
   * refused: the interface cannot express the request; skipped: any other reason. */
  status: z.enum(['measured', 'zero', 'refused', 'skipped']),
  copies: count.nullable(),
  bytes: count.nullable(),
  probes: count.nullable(),
  probeBytes: count.nullable(),
  pageTouches: z.number().nonnegative().nullable(),
  /** Paired copy cost per plan iteration (median of batch deltas) with its 95% interval. */
  costNs: IntervalSchema.nullable(),
  /** The same relative to the in-batch baseline (the set_tid = 0 probes). */
  relative: IntervalSchema.nullable(),
  /** The placement's model for this plan's probes (fit named), with its 95% prediction
   * interval (coefficients' bootstrap and the fit's residual per probe), in ns at the speed the
   * plan's own baseline probes ran at: the relative model's prediction times the plan's
   * in-batch baseline; null when no fit ran (modelNote says why). */
  model: z.object({ estimate: finite, ciLow: finite, ciHigh: finite, fit: z.string() }).nullable(),
  /** The relative model's prediction for the plan, in the units of `relative` (plan delta over
   * its in-batch baseline): what `agrees` compares with the measured `relative`. */
  modelRelative: IntervalSchema.nullable(),
  modelNote: z.string().nullable(),
  /** The measured relative cost's interval and the relative model's prediction interval
   * overlap, and the model fits its own points (null when either is missing). */
  agrees: z.boolean().nullable(),
  overheads: z.array(OverheadSchema),
  reason: z.string().nullable(),
});

export const AnswerSchema = z.object({
  /** The placement that answers the RFC's question (what a caller's layout costs). */
  headlinePlacement: PlacementSchema,
  clones: z.array(AnswerCloneSchema),
  rows: z.array(AnswerRowSchema),
});

/** Does a short copy ending at a page end before a non-present page take a slow path here? */
export const BoundarySchema = z.object({
  rows: z.array(
    z.object({
      variant: z.string(),
      bytes: count,
      /** (page end before a PROT_NONE page) - (the same copy mid-page), ns per copy. */
      extraNs: IntervalSchema,
      /** The same relative to the mid-page copy's whole probe. */
      relative: IntervalSchema.nullable(),
    }),
  ),
  /** yes: some copy under 128 bytes pays more than SLOW_PATH_NS with its interval clear of it;
   * no: every interval lies below it; unclear: otherwise; null: not measured. */
  slowPath: z.enum(['yes', 'no', 'unclear']).nullable(),
  thresholdNs: finite,
  note: z.string(),
});

const StealSchema = z.object({ at: z.string(), stealTicks: count, totalTicks: count });
const CompileInfoSchema = z.object({ cc: z.string(), version: z.string(), flags: z.array(z.string()), source: z.string() });

export const EnvironmentSchema = z.object({
  host: z.string(),
  arch: z.string(),
  kernelRelease: z.string(),
  kernelVersion: z.string(),
  cpuModel: z.string(),
  cores: count,
  virtualisation: z.string(),
  vulnerabilities: z.record(z.string(), z.string()),
  clockSource: z.string(),
  governor: z.string().nullable(),
  nodeVersion: z.string(),
  koffiVersion: z.string(),
  uid: z.number().int(),
  gid: z.number().int(),
  capEff: z.string(),
  clockTicksPerSecond: count,
  cpuId: z.string(),
  cpuFlags: z.object({
    pti: z.boolean().nullable(),
    pcid: z.boolean().nullable(),
    invpcid: z.boolean().nullable(),
    fsrm: z.boolean().nullable(),
    erms: z.boolean().nullable(),
  }),
  steal: z.object({ before: StealSchema, after: StealSchema }),
  harness: CompileInfoSchema,
  helper: CompileInfoSchema.nullable(),
  /** build/pidns, when a pids variant ran (absent in files from before the pids suite). */
  pidns: CompileInfoSchema.nullable().optional(),
  affinity: z.object({
    /** CPUs the process may run on (Cpus_allowed_list) before pinning. */
    allowed: z.string(),
    /** The CPU Node's main thread, the workers and the helpers were pinned to, or null. */
    pinnedCpu: z.number().int().nullable(),
    note: z.string(),
  }),
});

export const SuiteRunSchema = z.object({
  name: z.string(),
  description: z.string(),
  plannedRounds: count,
  completedRounds: count,
  warmupRounds: count,
  targetBatchMs: z.number().positive(),
  /** Worker processes the suite's rounds were shared between (1: the main process). */
  workers: count.min(1),
  variants: z.array(z.string()),
});

export const ResultsFileSchema = z.object({
  schema: z.literal(RESULTS_SCHEMA_ID),
  version: z.literal(RESULTS_SCHEMA_VERSION),
  createdAt: z.string(),
  finishedAt: z.string(),
  durationMs: z.number().nonnegative(),
  interrupted: z.boolean(),
  options: z.object({
    quick: z.boolean(),
    filter: z.string().nullable(),
    rounds: z.number().int().positive().nullable(),
    seed: z.number().int(),
    targetBatchMs: z.number().positive().nullable(),
    /** --workers: overrides the suites' worker counts (null: the suites' own). */
    workers: z.number().int().positive().nullable(),
  }),
  environment: EnvironmentSchema,
  suites: z.array(SuiteRunSchema),
  variants: z.array(VariantResultSchema),
  fits: z.array(FitResultSchema),
  /** Present when the proposals suite ran. */
  answer: AnswerSchema.nullable(),
  /** Present when the copy suite's boundary variants ran. */
  boundary: BoundarySchema.nullable(),
  /** Things that went wrong without stopping the run (a worker process that failed, ...). */
  warnings: z.array(z.string()),
  /** The measured interfaces' layouts and review as `clonebench abi --json` and `review --json`
   * print them (src/results/declarations.ts); absent when no interface was measured. Shapes
   * are those commands' and are checked by the report where it reads them. */
  declarations: z.object({ abi: z.record(z.string(), z.unknown()), review: z.record(z.string(), z.unknown()) }).optional(),
});

export type ResultsFile = z.infer<typeof ResultsFileSchema>;
export type VariantResult = z.infer<typeof VariantResultSchema>;
export type VariantSpec = z.infer<typeof ProbeSpecSchema>;
export type FitResult = z.infer<typeof FitResultSchema>;
export type SuiteRun = z.infer<typeof SuiteRunSchema>;
export type ResultsEnvironment = z.infer<typeof EnvironmentSchema>;
export type SummaryRecord = z.infer<typeof SummarySchema>;
export type SkipRecord = z.infer<typeof SkipSchema>;
export type CopyPlanRecord = z.infer<typeof CopyPlanSchema>;
export type PidChoiceRecord = z.infer<typeof PidChoiceSchema>;
export type Answer = z.infer<typeof AnswerSchema>;
export type AnswerRow = z.infer<typeof AnswerRowSchema>;
export type AnswerClone = z.infer<typeof AnswerCloneSchema>;
export type OverheadRecord = z.infer<typeof OverheadSchema>;
export type Boundary = z.infer<typeof BoundarySchema>;
export type Interval = z.infer<typeof IntervalSchema>;
