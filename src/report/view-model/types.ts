/**
 * The report's view model: what every format renders, with no knowledge of the results file's
 * shape. Only `src/report/view-model/` reads results files; when the results schema changes
 * (version 2: placements, an `answer` block, multi-term fits, declarations), these builders are
 * the one place to adapt, and the formats keep rendering the same model.
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
}

/** How a paired or unpaired figure compares with clone's own noise. */
export type NoiseMark = 'below' | 'above' | 'overlaps';

/** One clone variant an answer row is set against. */
export interface AnswerClone {
  /** The clone variant's id (the key overheads refer to). */
  key: string;
  /** "thread-like clone3, Node parent". */
  label: string;
  /** The results file's own words for the role, when it has them. */
  role: string | null;
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

/** One interface x request of the RFC's question. */
export interface AnswerRow {
  key: string;
  proposal: string;
  /** "empty", "pids@4". */
  request: string;
  /** Pid-namespace levels with a chosen pid (0 = the empty request). */
  levels: number;
  status: AnswerStatus;
  copies: number | null;
  bytes: number | null;
  probes: number | null;
  /** Paired copy cost per request in ns (0 for a plan without reads). */
  cost: Estimate | null;
  /** calls x c0 + bytes x c1 from the copy fit of the same run. */
  modelNs: number | null;
  /** In the order of `AnswerView.clones`; an entry per clone. */
  overheads: AnswerOverhead[];
  /** Why a row is refused or skipped (or why it is 0). */
  reason: string | null;
}

export interface AnswerView {
  clones: AnswerClone[];
  /** The cheapest clone measured (the worst case for the question), or null. */
  headlineClone: string | null;
  model: { fit: string; perCallNs: number; perByteNs: number } | null;
  rows: AnswerRow[];
  ciMethod: string | null;
}

export type KeyGroupId = 'answer-cost' | 'answer-share' | 'floor' | 'copy' | 'clone' | 'pids';

/** A figure worth putting side by side across runs. */
export interface KeyFigure {
  /** Stable across files of the same schema (a variant id, a fit term). */
  key: string;
  label: string;
  unit: 'ns' | 'ns/B' | 'ratio';
  value: Estimate | null;
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
  x: number;
  /** The paired delta's median and interval (ns over the baseline probe). */
  y: Estimate | null;
}

export interface CopyFitView {
  key: string;
  /** "set_tid", "struct-tail". */
  label: string;
  description: string;
  xLabel: string;
  yLabel: string;
  intercept: Estimate | null;
  slope: Estimate | null;
  points: CopyPoint[];
  skip: string | null;
}

export interface CopyVariantRow {
  key: string;
  description: string;
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
  /** interfaces x requirements (when the review carries them). */
  requirements: { columns: string[]; rows: Array<{ proposal: string; cells: Record<string, RequirementCell> }> } | null;
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
  /** Two or three short lines for plain text. */
  summary: string[];
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
}

export interface MethodView {
  ciMethods: string[];
  /** How paired deltas were taken ('interleaved', 'rounds') and for how many variants. */
  pairing: Array<{ method: string; variants: number }>;
  suites: SuiteView[];
  options: string;
  interrupted: boolean;
  durationMs: number;
}

/** Everything one results file says, ready to render. */
export interface RunView {
  label: RunLabel;
  answer: AnswerView | null;
  floor: FloorRow[];
  copy: CopyView;
  clones: CloneRow[];
  pids: PidsRow[];
  plans: CopyPlanView[];
  declarations: DeclarationsView;
  keyFigures: KeyGroup[];
  environment: EnvironmentView;
  method: MethodView;
  skips: SkipView[];
}

/** One row of a side-by-side table: a key figure across runs (null = absent there). */
export interface SideBySideRow {
  key: string;
  label: string;
  unit: KeyFigure['unit'];
  cells: Array<Estimate | null>;
  notes: Array<string | null>;
}

export interface SideBySideGroup {
  id: KeyGroupId;
  title: string;
  rows: SideBySideRow[];
}

export interface ReportModel {
  schema: 'clonebench.report';
  version: 1;
  runs: RunView[];
  /** Present with two or more runs: one column per run. */
  sideBySide: { columns: RunLabel[]; groups: SideBySideGroup[] } | null;
}
