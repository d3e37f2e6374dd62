import { z } from 'zod';

/** Bump on any incompatible change; readResults refuses other versions by name. Additions that
 * leave every version-1 file valid (the copy-plan and pids spec kinds, the optional copyPlan,
 * pidChoice, proposalCosts and environment.pidns fields) keep version 1. */
export const RESULTS_SCHEMA_ID = 'clonebench.results';
export const RESULTS_SCHEMA_VERSION = 1;

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
});

const EstimateSchema = z.object({ estimate: finite, ciLow: finite, ciHigh: finite });

export const LineFitSchema = z.object({
  intercept: EstimateSchema,
  slope: EstimateSchema,
  ciLevel: z.number().gt(0).lt(1),
  ciMethod: z.string(),
  resamples: count,
  rounds: count,
});

export const ProbeSpecSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('empty') }),
  z.object({ kind: z.literal('getppid') }),
  z.object({ kind: z.literal('getppid-raw') }),
  z.object({
    kind: z.literal('clone3-probe'),
    /** Size passed to clone3; 0 fails before any copy. */
    structSize: z.number().int().min(0).max(4096),
    /** set_tid_size (the set_tid pointer aims at a harness buffer of 32 pids). */
    setTidCount: z.number().int().min(0).max(32),
    /** The set_tid array on the struct's own page (already mapped in the TLB by the struct
     * copy) instead of a page of its own: a caller's pids next to its struct on the stack. */
    setTidOnStructPage: z.boolean().optional(),
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
  /** pidns-init: pid 1 of the innermost namespace of a pids variant (pid: as the run sees it). */
  where: z.enum(['node', 'helper', 'pidns-init']),
  pid: count,
  rssKiB: z.number().int(),
  vmaCount: z.number().int(),
});

/** What a copy-plan variant executed: the encoder's plan and the probes it became. */
export const CopyPlanSchema = z.object({
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
});

export const VariantResultSchema = z.object({
  id: z.string().min(1),
  suite: z.string().min(1),
  description: z.string(),
  spec: ProbeSpecSchema,
  status: z.enum(['measured', 'skipped']),
  /** False when the run was interrupted before this variant's planned rounds. */
  complete: z.boolean(),
  skip: SkipSchema.nullable(),
  itersPerBatch: count,
  /** One value per round: mean ns per iteration of that round's batch. */
  samplesNsPerIter: z.array(finite),
  summary: SummarySchema.nullable(),
  baseline: z.string().nullable(),
  /** Variant minus its baseline. `interleaved`: both ran in alternating blocks inside each
   * batch (ABBA), one sample per batch = the median over its block pairs; `rounds`: separate
   * batches of the same round subtracted. `relative` is delta / baseline per sample, which the
   * VM's fast/slow phases (every syscall x1.35) leave unchanged. */
  delta: z
    .object({
      method: z.enum(['interleaved', 'rounds']),
      samplesNs: z.array(finite),
      baselineNsPerIter: z.array(finite),
      summary: SummarySchema.nullable(),
      relative: z.object({ samples: z.array(finite), summary: SummarySchema.nullable() }).nullable(),
    })
    .nullable(),
  parent: ParentSchema.nullable(),
  /** copy-plan variants only (absent for a request the encoder refused). */
  copyPlan: CopyPlanSchema.optional(),
  /** pids variants that got their namespaces. */
  pidChoice: PidChoiceSchema.optional(),
});

export const FitResultSchema = z.object({
  id: z.string(),
  description: z.string(),
  xLabel: z.string(),
  yLabel: z.string(),
  points: z.array(z.object({ variant: z.string(), x: finite, medianY: finite })),
  fit: LineFitSchema.nullable(),
  skip: z.string().nullable(),
});

const IntervalSchema = z.object({ estimate: finite, ciLow: finite, ciHigh: finite });

/** A proposal's copy cost next to one clone variant's median, measured in the same run. */
export const OverheadSchema = z.object({
  clone: z.string(),
  /** plan cost median / clone median. */
  ratio: IntervalSchema.nullable(),
  ciMethod: z.string(),
  /** Half the width of the clone median's 95% interval: clone's own noise in ns. */
  cloneNoiseNs: finite.nullable(),
  /** `below`: the plan cost's interval lies under clone's noise; `above`: over it; `overlaps`. */
  versusNoise: z.enum(['below', 'above', 'overlaps']).nullable(),
  skip: z.string().nullable(),
});

/** One row of the answer: interface x request -> measured copy cost, model, overheads. */
export const ProposalCostRowSchema = z.object({
  variant: z.string(),
  proposal: z.string(),
  levels: z.number().int().nonnegative(),
  /** measured: the plan ran as probes; zero: no reads (0 ns by construction, not measured);
   * refused: the interface cannot express the request; skipped: any other reason (see variant). */
  status: z.enum(['measured', 'zero', 'refused', 'skipped']),
  copies: count.nullable(),
  bytes: count.nullable(),
  probes: count.nullable(),
  /** Paired copy cost per plan iteration (median of batch deltas) with its 95% interval. */
  costNs: IntervalSchema.nullable(),
  /** copies x c0 + bytes x c1 from the set_tid fit of the same run, or null (modelNote says why). */
  modelNs: finite.nullable(),
  modelNote: z.string().nullable(),
  overheads: z.array(OverheadSchema),
  reason: z.string().nullable(),
});

export const ProposalCostsSchema = z.object({
  fit: z.object({ id: z.string(), c0: finite, c1: finite }).nullable(),
  clones: z.array(z.object({ variant: z.string(), role: z.string(), median: finite.nullable(), ciLow: finite.nullable(), ciHigh: finite.nullable() })),
  rows: z.array(ProposalCostRowSchema),
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
  steal: z.object({ before: StealSchema, after: StealSchema }),
  harness: CompileInfoSchema,
  helper: CompileInfoSchema.nullable(),
  /** build/pidns, when a pids variant ran (absent in files from before the pids suite). */
  pidns: CompileInfoSchema.nullable().optional(),
  affinity: z.object({
    /** CPUs the process may run on (Cpus_allowed_list) before pinning. */
    allowed: z.string(),
    /** The CPU Node's main thread (and the helper) were pinned to for every batch, or null. */
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
  }),
  environment: EnvironmentSchema,
  suites: z.array(SuiteRunSchema),
  variants: z.array(VariantResultSchema),
  fits: z.array(FitResultSchema),
  /** Present when the proposals suite ran. */
  proposalCosts: ProposalCostsSchema.optional(),
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
export type ProposalCosts = z.infer<typeof ProposalCostsSchema>;
export type ProposalCostRow = z.infer<typeof ProposalCostRowSchema>;
export type OverheadRecord = z.infer<typeof OverheadSchema>;
