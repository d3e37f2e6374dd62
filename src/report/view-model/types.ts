/**
 * The report's view model: what every format renders, with no knowledge of the results file's
 * shape. Only `src/report/view-model/` reads results files (schema version 2: placements, worker
 * processes, the `answer` with every clone, multi-term models, the boundary, encode variants,
 * CPU flags, warnings, declarations); when the results schema changes, these builders are the
 * one place to adapt, and the formats keep rendering the same model.
 *
 * Numbers stay numbers here (ns, ratios, counts); each format chooses how to print them.
 */

/** A point estimate with its interval (95% unless a `ciLevel` says otherwise). */
export interface Estimate {
  estimate: number;
  ciLow: number;
  ciHigh: number;
}

/** Which results file a column or section comes from. */
export interface RunLabel {
  /** The path the file was read from, as given. */
  file: string;
  host: string;
  cpu: string;
  cores: number;
  kernel: string;
  createdAt: string;
  /** Stopped by Ctrl-C: some variants have fewer rounds than planned. */
  interrupted: boolean;
  /** "host, CPU, Linux kernel": how columns of several files are headed. */
  title: string;
  /** The CPU flags that matter here, named beside the figures: "pti no, pcid yes, ...". */
  cpuFlags: string;
}

/** How a paired or unpaired figure compares with clone's own noise. */
export type NoiseMark = 'below' | 'above' | 'overlaps';

/** One clone variant an answer row is set against (legacy clone, every shape, each parent). */
export interface AnswerClone {
  /** The clone variant's id (the key overheads refer to). */
  key: string;
  shape: string;
  /** "thread-like", "CLONE_NEWPID". */
  shapeLabel: string;
  where: string;
  /** "Node parent", "small C parent". */
  whereLabel: string;
  /** "thread-like clone, Node parent". */
  label: string;
  median: Estimate | null;
  /** Half the width of the median's interval: clone's own noise, ns. */
  noiseNs: number | null;
}

export interface AnswerOverhead {
  /** An AnswerClone key. */
  clone: string;
  /** Copy cost / clone median. */
  ratio: Estimate | null;
  versusNoise: NoiseMark | null;
}

export type AnswerStatus = 'measured' | 'zero' | 'refused' | 'skipped';

/** What a copy model predicts for a plan: the estimate with its 95% prediction interval. */
export interface ModelPrediction extends Estimate {
  /** The fit's id (a CopyFitView key). */
  fit: string;
}

/** One interface x request x placement of the RFC's question. */
export interface AnswerRow {
  key: string;
  proposal: string;
  /** "empty", "pids@4". */
  request: string;
  /** Pid-namespace levels with a chosen pid (0 = the empty request). */
  levels: number;
  /** Where the request's memory sat: co-located (the answer), scattered, page-end. */
  placement: string;
  status: AnswerStatus;
  /** The plan's copy_from_user calls and bytes (as the kernel side reads them). */
  copies: number | null;
  bytes: number | null;
  /** The set_tid-path probes that executed it, the bytes they copy and the pages they touch
   * beyond their own struct's page (what the model charges). */
  probes: number | null;
  probeBytes: number | null;
  pageTouches: number | null;
  /** Paired copy cost per request in ns (0 for a plan without reads). */
  cost: Estimate | null;
  /** The cost relative to the in-batch baseline (the set_tid = 0 probes). */
  relative: Estimate | null;
  /** The placement's copy model for the probes, or null (modelNote says why). */
  model: ModelPrediction | null;
  modelNote: string | null;
  /** Measured and model intervals overlap; false = the model does not explain this plan. */
  agrees: boolean | null;
  /** In the order of `AnswerView.clones`; an entry per clone. */
  overheads: AnswerOverhead[];
  /** Why a row is refused or skipped (or why it is 0). */
  reason: string | null;
}

/** A term of a copy model with its fitted coefficient. */
export interface ModelTerm {
  name: string;
  label: string;
  unit: string;
  coefficient: Estimate | null;
}

export interface AnswerView {
  /** The placement that answers the question (co-located: as a caller lays its arguments out). */
  headlinePlacement: string;
  /** Every placement with a row, headline first. */
  placements: string[];
  clones: AnswerClone[];
  /** The cheapest clone measured (the worst case for the question), or null. */
  headlineClone: string | null;
  /** The copy models the rows' predictions come from. */
  models: CopyFitView[];
  /** Every row: interface x request x placement, in the file's order. */
  rows: AnswerRow[];
  ciMethod: string | null;
}

/** The page-end experiment: what a short copy ending at a page end before a non-present page
 * costs over the same copy mid-page, and the verdict. */
export interface BoundaryView {
  rows: Array<{ variant: string; bytes: number; extraNs: Estimate; relative: Estimate | null }>;
  /** yes / no / unclear, or null when its variants were not measured. */
  slowPath: 'yes' | 'no' | 'unclear' | null;
  thresholdNs: number;
  /** The file's own sentence, shown as it is. */
  note: string;
}

/** The caller's side of one interface and request: encoding it in JavaScript, and encoding plus
 * writing it into fresh native memory, next to the kernel's copy cost at the headline placement. */
export interface CallerSideRow {
  proposal: string;
  request: string;
  levels: number;
  encode: Estimate | null;
  materialise: Estimate | null;
  /** The kernel's copy cost of the same request (headline placement), for scale. */
  kernelCopy: Estimate | null;
  note: string | null;
}

export type KeyGroupId = 'answer-cost' | 'answer-share' | 'boundary' | 'floor' | 'copy' | 'clone' | 'pids';

/** A figure worth putting side by side across runs. */
export interface KeyFigure {
  /** Stable across files of the same schema (a variant id, a fit term). */
  key: string;
  label: string;
  unit: 'ns' | 'ns/B' | 'ratio' | 'text';
  value: Estimate | null;
  /** A verdict rather than a number (unit 'text'), e.g. the boundary's "no". */
  text?: string | null;
  /** Why there is no value (skipped, refused, not in this run). */
  note: string | null;
}

export interface KeyGroup {
  id: KeyGroupId;
  title: string;
  figures: KeyFigure[];
}

export interface FloorRow {
  key: string;
  label: string;
  description: string;
  value: Estimate | null;
  p99: number | null;
  n: number | null;
  note: string | null;
}

export interface CopyPoint {
  variant: string;
  /** The point's set_tid placement (null for a struct-path point). */
  placement: string | null;
  /** One value per model term. */
  x: number[];
  /** The paired delta's median and interval (ns over the baseline probe). */
  y: Estimate | null;
}

/** A line of a copy model across the axis term, the other terms held at `fixed`. */
export interface CopyFitLine {
  /** What the fixed terms stand for: a placement ("co-located") or the fit's label. */
  label: string;
  fixed: number[];
  points: Array<{ x: number; y: number }>;
}

/** A multi-term copy model: y = sum(coefficient_i * x_i). */
export interface CopyFitView {
  key: string;
  /** "model-caller", "struct-tail". */
  label: string;
  description: string;
  /** The placement its points were measured at (null: not a set_tid placement fit). */
  placement: string | null;
  /** The placements whose plans it predicts in the answer. */
  predicts: string[];
  yLabel: string;
  terms: ModelTerm[];
  /** Standard error of the points about the model, ns. */
  residualNs: number | null;
  /** The term plotted on the x axis (bytes), its index and axis title. */
  axis: { term: number; title: string } | null;
  points: CopyPoint[];
  /** The fitted lines over the axis term, one per combination of the other terms' values
   * among the points (the caller model: co-located at page 0, scattered at page 1). */
  lines: CopyFitLine[];
  ciMethod: string;
  skip: string | null;
}

export interface CopyVariantRow {
  key: string;
  description: string;
  /** The set_tid placement, where there is one. */
  placement: string | null;
  baseline: string | null;
  /** Median per call of the probe itself. */
  value: Estimate | null;
  /** Paired delta over the baseline, ns, and as a share of the in-batch baseline. */
  delta: Estimate | null;
  relative: Estimate | null;
  note: string | null;
}

export interface CopyView {
  fits: CopyFitView[];
  variants: CopyVariantRow[];
  boundary: BoundaryView | null;
}

export interface ParentView {
  where: string;
  rssKiB: number;
  vmaCount: number;
}

export interface CloneRow {
  key: string;
  shape: string;
  /** "thread-like", "CLONE_NEWPID". */
  shapeLabel: string;
  via: string;
  where: string;
  /** "Node parent", "small C parent". */
  whereLabel: string;
  value: Estimate | null;
  p99: number | null;
  n: number | null;
  /** Per-round samples: ns per create, one per batch. */
  samples: number[];
  parent: ParentView | null;
  /** The other interface with the same flags, paired by round. */
  delta: Estimate | null;
  note: string | null;
}

export interface PidsRow {
  key: string;
  method: string;
  /** "clone3 set_tid", "ns_last_pid (pwrite)". */
  methodLabel: string;
  levels: number;
  baseline: string | null;
  /** Create + reap, ns. */
  value: Estimate | null;
  /** Paired delta over plain clone3 at the same depth, ns per create. */
  delta: Estimate | null;
  relative: Estimate | null;
  /** Per-round paired deltas (ns). */
  deltaSamples: number[];
  privilege: string | null;
  /** The syscall the creates used: clone3, or legacy clone where clone3 is refused. */
  createdVia: string | null;
  chosen: number | null;
  /** Children that got another pid (set_tid: a bug; ns_last_pid: a race). */
  mismatches: number | null;
  /** set_tid creates read back through pidfd NSpid: checks, levels right, levels expected. */
  readBack: { checks: number; levelsRight: number; levelsExpected: number; failures: number } | null;
  note: string | null;
}

export interface PlanRead {
  segment: string;
  offset: number;
  length: number;
  kind: string;
  why: string;
  probes: number;
}

export interface PlanRequest {
  request: string;
  levels: number;
  status: 'planned' | 'refused' | 'empty';
  copies: number | null;
  bytes: number | null;
  reads: PlanRead[];
  notes: string[];
  reason: string | null;
}

export interface CopyPlanView {
  proposal: string;
  target: string;
  requests: PlanRequest[];
}

/** A row of a pahole-style printout: a member, a hole after it, or tail padding. */
export type LayoutLine =
  | { kind: 'member'; type: string; name: string; offset: number; size: number }
  | { kind: 'hole'; offset: number; size: number }
  | { kind: 'padding'; offset: number; size: number };

export interface LayoutGroup {
  /** Targets on which the struct is laid out the same way. */
  targets: string[];
  size: number;
  align: number;
  lines: LayoutLine[];
}

export interface StructView {
  proposal: string;
  name: string;
  sameEverywhere: boolean;
  groups: LayoutGroup[];
}

export type VerdictName = 'pass' | 'warn' | 'fail' | 'note' | 'n/a';

export interface RequirementCell {
  status: string;
  reason: string;
  abis: string[];
}

export interface DeclarationsView {
  /** `file`: stored in the results file; `computed`: from the built-in declarations now. */
  source: 'file' | 'computed';
  targets: string[];
  structs: StructView[];
  review: {
    rules: Array<{ id: string; statement: string }>;
    rows: Array<{ proposal: string; verdicts: Record<string, VerdictName>; findings: number }>;
  } | null;
  /** interfaces x requirements (when the review carries them); a column with a parent refines
   * one of the RFC's three requirements. */
  requirements: {
    columns: Array<{ id: string; label: string; title: string; parent: string | null }>;
    rows: Array<{ proposal: string; cells: Record<string, RequirementCell> }>;
  } | null;
  /** Interfaces measured but not declared anywhere this report can see. */
  unknown: string[];
  notes: string[];
}

export interface SkipView {
  key: string;
  code: string;
  meaning: string;
  detail: string;
}

export interface EnvironmentView {
  /** Three short lines for plain text (the second names the CPU and its flags). */
  summary: string[];
  /** "pti no, pcid yes, fsrm yes, erms yes": the CPU flags the copy and syscall costs depend on. */
  cpuFlags: string;
  /** Every field, for a full table. */
  fields: Array<{ name: string; value: string }>;
}

export interface SuiteView {
  name: string;
  description: string;
  rounds: string;
  warmupRounds: number;
  batchMs: number;
  variants: number;
  /** Worker processes that shared the rounds (1: the main process). */
  workers: number;
}

export interface MethodView {
  ciMethods: string[];
  /** How paired deltas were taken ('interleaved', 'rounds') and for how many variants. */
  pairing: Array<{ method: string; variants: number }>;
  suites: SuiteView[];
  /** How intervals treat worker processes: a sentence, or null when every suite ran in one. */
  workers: string | null;
  options: string;
  interrupted: boolean;
  durationMs: number;
  /** Measured variants with fewer samples than their suite's rounds (a worker that lost them,
   * or an interrupted run): what they have, and from which workers. */
  incomplete: Array<{ key: string; samples: number; planned: number; workers: number[] }>;
}

/** Everything one results file says, ready to render. */
export interface RunView {
  label: RunLabel;
  answer: AnswerView | null;
  floor: FloorRow[];
  copy: CopyView;
  clones: CloneRow[];
  pids: PidsRow[];
  callerSide: CallerSideRow[];
  plans: CopyPlanView[];
  declarations: DeclarationsView;
  keyFigures: KeyGroup[];
  environment: EnvironmentView;
  method: MethodView;
  skips: SkipView[];
  /** What went wrong during the run without stopping it (a worker that failed, ...). */
  warnings: string[];
}

/** One row of a side-by-side table: a key figure across runs (null = absent there). */
export interface SideBySideRow {
  key: string;
  label: string;
  unit: KeyFigure['unit'];
  cells: Array<Estimate | null>;
  /** For unit 'text': the verdict per run. */
  texts: Array<string | null>;
  notes: Array<string | null>;
}

export interface SideBySideGroup {
  id: KeyGroupId;
  title: string;
  rows: SideBySideRow[];
}

export interface ReportModel {
  schema: 'clonebench.report';
  /** 2: placements, models with terms, the boundary, the caller's side (results schema 2). */
  version: 2;
  runs: RunView[];
  /** Present with two or more runs: one column per run. */
  sideBySide: { columns: RunLabel[]; groups: SideBySideGroup[] } | null;
}
