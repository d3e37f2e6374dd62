/**
 * Results files (schema version 2) for the report tests, generated and seeded, no committed
 * JSON. The raw records are made the way `clonebench run` makes them: the variants, baselines
 * and fit declarations are the default suites' own (benches/), each copy plan is the encoder's
 * real plan for the host, samples carry their rounds and worker processes, and then the real
 * analysis stage (src/analysis) derives the summaries, paired deltas, the fits, the answer and
 * the boundary verdict, exactly as after a run. Only the timings are invented, from a small cost
 * model shaped on one default run on a 2-core AMD EPYC KVM VM (Linux 6.18; pti off, pcid, fsrm,
 * erms), with knobs for what the tests need: skips, no clone3, hostile strings, another host or CPU,
 * a slow path at page ends, a plan that disagrees with its model, one variant made slower.
 * The object is validated with ResultsFileSchema before it is returned, so when the results
 * schema changes this file is the one place to update.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultSuites } from '../benches/index.js';
import { analyse } from '../src/analysis/index.js';
import { encodePlan } from '../src/measure/copy-plan/executor.js';
import type { SuiteDecl } from '../src/measure/types.js';
import { declarationsFor, measuredProposals } from '../src/results/declarations.js';
import { ResultsFileSchema, type ResultsEnvironment, type ResultsFile, type VariantResult, type VariantSpec } from '../src/results/schema.js';
import { deriveRng, normal, type Rng } from '../src/stats/index.js';

export interface FixtureOptions {
  seed?: number;
  host?: string;
  cpuModel?: string;
  cpuId?: string;
  cpuFlags?: Partial<ResultsEnvironment['cpuFlags']>;
  kernelRelease?: string;
  virtualisation?: string;
  /** Measured rounds per suite (samples per series); default 16. */
  rounds?: number;
  /** Worker processes of the floor, copy and proposals suites; default 2. */
  workers?: number;
  /** What an unprivileged container skips: CLONE_NEWPID (EPERM), clone3 clone variants
   * (ENOSYS), every pids variant (user namespaces off, EPERM). */
  skips?: boolean;
  /** A kernel without clone3 (ENOSYS): every clone3 probe, copy plan, clone3 clone and set_tid
   * is skipped; plain pids and ns_last_pid fall back to legacy clone. */
  noClone3?: boolean;
  /** Put this string into the host, descriptions, reasons, notes, a proposal id and the stored
   * declarations (hostile-input tests). */
  inject?: string;
  /** Multiply the samples (and an interleaved delta's samples) of the variants whose id matches. */
  scale?: { match: RegExp; factor: number };
  /** Short copies ending at a page end pay this many ns more (an Intel FSRM CPU's slow path). */
  slowPathNs?: number;
  /** Copy plans whose id matches cost this much more than the copy model predicts. */
  disagree?: { match: RegExp; extraNs: number };
  /** Only these suites ran (default: all six). */
  suites?: readonly string[];
  /** Store the layouts and review in the file, as `run` does (default true). */
  declarations?: boolean;
  warnings?: string[];
}

/** The cost model (ns), shaped on that run: invented figures for tests, not claims. */
const COST = {
  floor: { empty: 0.28, getppid: 168, 'getppid-raw': 119, 'clone3-probe': 92 } as Record<string, number>,
  noCopy: 92,
  /** The struct path: 60 ns up to 88 bytes, then per tail byte. */
  structPath: 58,
  structTailByte: 0.04,
  setTidBase: 149,
  call: 38,
  byte: 0.05,
  page: 0.3,
  clone: {
    node: { thread: 15_700, vfork: 35_000, fork: 517_000, newpid: 543_000 },
    helper: { thread: 16_100, vfork: 24_100, fork: 79_600, newpid: 86_700 },
  },
  clone3Extra: 150,
  pidsPlain: (levels: number) => 80_000 + 3_000 * levels,
  pidsExtra: { plain: 0, set_tid: 60, ns_last_pid: 2_400, 'ns_last_pid-open': 7_000 } as Record<string, number>,
  encode: (levels: number) => 2_000 + 200 * levels,
  materialise: (levels: number) => 20_000 + 300 * levels,
};

const EXTRA_PAGE: Record<string, number> = { 'co-located': 0, scattered: 1, 'page-end': 1 };
const SHORT_COPY = 128;

interface Built {
  rng: Rng;
  o: FixtureOptions;
  tag: string;
}

/** `n` samples around `mean`: each worker process a little above or below the others (as fresh
 * placements make it), then per-batch noise. A time stays positive; a delta (`sdFloor` > 0) may
 * fall either side of 0, as a measured delta of nothing does. */
function noisy(b: Built, mean: number, n: number, cv: number, workerOf: (i: number) => number, sdFloor = 0): number[] {
  const offsets = new Map<number, number>();
  return Array.from({ length: n }, (_, i) => {
    const w = workerOf(i);
    if (!offsets.has(w)) offsets.set(w, normal(b.rng, 0, cv / 3));
    const x = mean * (1 + offsets.get(w)!) + normal(b.rng, 0, Math.abs(mean) * cv + sdFloor);
    return sdFloor > 0 ? x : Math.max(mean * 0.2, x);
  });
}

const probeDelta = (o: FixtureOptions, bytes: number, placement: string) =>
  COST.call + COST.byte * bytes + COST.page * (EXTRA_PAGE[placement] ?? 0) + (placement === 'page-end' && bytes < SHORT_COPY ? (o.slowPathNs ?? 0) : 0);

/** What a variant costs per iteration (a copy plan: its probes and as many set_tid = 0 probes). */
function costOf(spec: VariantSpec, o: FixtureOptions, plan?: VariantResult['copyPlan']): number {
  switch (spec.kind) {
    case 'empty':
    case 'getppid':
    case 'getppid-raw':
      return COST.floor[spec.kind];
    case 'clone3-probe': {
      if (spec.structSize === 0) return COST.noCopy;
      if (spec.setTidCount === 0)
        return spec.structSize === 88 ? COST.setTidBase : COST.noCopy + COST.structPath + Math.max(0, spec.structSize - 88) * COST.structTailByte;
      return COST.setTidBase + probeDelta(o, 4 * spec.setTidCount, spec.placement ?? 'co-located');
    }
    case 'copy-plan': {
      const sizes = plan?.probeSizes ?? [];
      return sizes.reduce((s, bytes) => s + COST.setTidBase + probeDelta(o, bytes, spec.placement), 0);
    }
    case 'clone':
      return COST.clone[spec.where][spec.shape] + (spec.via === 'clone3' ? COST.clone3Extra : 0);
    case 'pids':
      return COST.pidsPlain(spec.levels) + COST.pidsExtra[spec.method];
    case 'encode':
      return spec.step === 'encode' ? COST.encode(spec.levels) : COST.materialise(spec.levels);
  }
}

/** Kinds whose delta is taken inside the batch (ABBA), as the executors do. */
const INTERLEAVED: ReadonlySet<VariantSpec['kind']> = new Set(['clone3-probe', 'copy-plan', 'pids']);

const skipRecord = (errno: number, code: string, meaning: string, detail: string, tag: string) => ({ errno, code, meaning: `${meaning}${tag}`, detail });

/** Why a variant is not measured under the options (null: it is). */
function skipOf(spec: VariantSpec, o: FixtureOptions, tag: string): VariantResult['skip'] {
  const enosys = (what: string) => skipRecord(38, 'ENOSYS', 'function not implemented', `${what} answered ENOSYS on the first call`, tag);
  const eperm = (what: string) => skipRecord(1, 'EPERM', 'operation not permitted', what, tag);
  if (o.noClone3) {
    if (spec.kind === 'clone3-probe' || spec.kind === 'copy-plan') return enosys('the clone3 probe');
    if (spec.kind === 'clone' && spec.via === 'clone3') return enosys('clone3');
    if (spec.kind === 'pids' && spec.method === 'set_tid') return enosys('clone3 with set_tid (no fallback: choosing pids this way needs clone3)');
  }
  if (o.skips) {
    if (spec.kind === 'clone' && spec.shape === 'newpid') return eperm('CLONE_NEWPID needs CAP_SYS_ADMIN');
    if (spec.kind === 'clone' && spec.via === 'clone3') return skipRecord(38, 'ENOSYS', 'clone3 is not implemented by this kernel', 'on the first call', tag);
    if (spec.kind === 'pids') return eperm('user namespaces are off: unshare(CLONE_NEWUSER) failed');
  }
  return null;
}

function rawVariants(b: Built, suites: readonly SuiteDecl[]): VariantResult[] {
  const o = b.o;
  const rounds = o.rounds ?? 16;
  const out: VariantResult[] = [];
  for (const suite of suites) {
    const workers = suite.defaults.workers > 1 ? (o.workers ?? 2) : 1;
    // Workers share a suite's rounds one after the other (worker 0 takes the first block).
    const workerOf = (i: number) => Math.floor((i * workers) / rounds);
    for (const decl of suite.variants) {
      const spec = decl.spec;
      const id = spec.kind === 'copy-plan' && spec.proposal === 'clone3' && spec.levels === 4 && spec.placement === 'co-located' ? `${decl.id}${b.tag}` : decl.id;
      const v: VariantResult = {
        id,
        suite: suite.name,
        description: `${decl.description}${b.tag}`,
        spec,
        status: 'measured',
        complete: true,
        skip: null,
        itersPerBatch: 1000,
        samplesNsPerIter: [],
        sampleRounds: [],
        sampleWorkers: [],
        summary: null,
        baseline: decl.baseline ?? null,
        delta: null,
        parent: null,
      };
      out.push(v);
      let plan: VariantResult['copyPlan'];
      if (spec.kind === 'copy-plan') {
        const encoded = encodePlan(spec);
        plan = 'unmeasured' in encoded ? encoded.copyPlan : encoded.record;
        if (plan) v.copyPlan = { ...plan, pageTouches: plan.probes * EXTRA_PAGE[spec.placement], notes: plan.notes.map((n) => `${n}${b.tag}`) };
        if ('unmeasured' in encoded) {
          v.status = 'skipped';
          v.complete = false;
          v.skip = { ...encoded.unmeasured, meaning: `${encoded.unmeasured.meaning}${b.tag}` };
          continue;
        }
      }
      if (spec.kind === 'encode') {
        const encoded = encodePlan({ kind: 'copy-plan', proposal: spec.proposal, target: spec.target, levels: spec.levels, placement: 'co-located' });
        if ('unmeasured' in encoded && encoded.unmeasured.code === 'REFUSED') {
          v.status = 'skipped';
          v.complete = false;
          v.skip = { ...encoded.unmeasured, meaning: `${encoded.unmeasured.meaning}${b.tag}` };
          continue;
        }
      }
      const skip = skipOf(spec, o, b.tag);
      if (skip) {
        Object.assign(v, { status: 'skipped', complete: false, skip, itersPerBatch: 0 });
        continue;
      }
      const factor = o.scale?.match.test(id) ? o.scale.factor : 1;
      const extra = spec.kind === 'copy-plan' && o.disagree?.match.test(id) ? o.disagree.extraNs : 0;
      const mean = costOf(spec, o, v.copyPlan);
      const baseSpec = suite.variants.find((x) => x.id === decl.baseline)?.spec;
      const base = spec.kind === 'copy-plan' ? COST.setTidBase * (v.copyPlan?.probes ?? 0) : baseSpec && INTERLEAVED.has(spec.kind) ? costOf(baseSpec, o) : undefined;
      v.sampleRounds = Array.from({ length: rounds }, (_, i) => i);
      v.sampleWorkers = v.sampleRounds.map(workerOf);
      const cv = spec.kind === 'clone' || spec.kind === 'pids' ? 0.03 : 0.01;
      if (base !== undefined) {
        // Interleaved in one batch: the delta per batch is precise, the batch time is not.
        const baseline = noisy(b, base, rounds, cv, workerOf);
        const raw = noisy(b, mean - base + extra, rounds, 0.01, workerOf, 0.3);
        const deltas = raw.map((d) => d * factor);
        v.samplesNsPerIter = baseline.map((x, i) => (x + raw[i]) * factor);
        v.delta = { method: 'interleaved', samplesNs: deltas, baselineNsPerIter: baseline, sampleRounds: v.sampleRounds, sampleWorkers: v.sampleWorkers, summary: null, relative: null };
      } else {
        v.samplesNsPerIter = noisy(b, mean, rounds, cv, workerOf).map((x) => x * factor);
      }
      if (spec.kind === 'clone') v.parent = { where: spec.where, pid: 100, rssKiB: spec.where === 'node' ? 65_000 : 1_500, vmaCount: spec.where === 'node' ? 174 : 25 };
      if (spec.kind === 'pids') {
        const levels = spec.levels;
        v.parent = { where: 'pidns-init', pid: 4000 + levels, rssKiB: 1_500, vmaCount: 25 };
        const chooses = spec.method !== 'plain';
        const checks = spec.method === 'set_tid' ? 30 : 0;
        v.pidChoice = {
          privilege: 'root',
          inits: Array.from({ length: levels }, (_, i) => 4000 + i),
          firstPid: 1000,
          rangeSize: 1000,
          creates: chooses ? 100 * rounds : 0,
          mismatches: 0,
          checks,
          checkedLevels: checks * levels,
          checkFailures: 0,
          createdVia: o.noClone3 ? 'legacy clone' : 'clone3',
        };
      }
    }
  }
  return out;
}

function environment(o: FixtureOptions, tag: string): ResultsEnvironment {
  const steal = (at: string, t: number) => ({ at, stealTicks: t, totalTicks: 10_000 + t });
  const compile = (source: string) => ({ cc: 'cc', version: 'cc (Debian 12.2.0-14+deb12u1) 12.2.0', flags: ['-O2', '-std=gnu11'], source });
  return {
    host: `${o.host ?? 'fixture-host'}${tag}`,
    arch: 'x64',
    kernelRelease: o.kernelRelease ?? '6.18.44',
    kernelVersion: '#1 SMP PREEMPT_DYNAMIC',
    cpuModel: o.cpuModel ?? 'AMD EPYC',
    cores: 2,
    virtualisation: o.virtualisation ?? 'vm: kvm',
    vulnerabilities: { meltdown: 'Not affected', spectre_v2: `Mitigation: Retpolines${tag}` },
    clockSource: 'tsc',
    governor: null,
    nodeVersion: 'v20.20.2',
    koffiVersion: '3.3.4',
    uid: 0,
    gid: 0,
    capEff: '000001fffeffffff',
    clockTicksPerSecond: 100,
    cpuId: o.cpuId ?? 'AuthenticAMD family 25 model 17 stepping 1',
    cpuFlags: { pti: false, pcid: true, invpcid: true, fsrm: true, erms: true, ...o.cpuFlags },
    steal: { before: steal('2026-12-01T21:37:22.168Z', 10), after: steal('2026-12-01T21:38:02.381Z', 95) },
    harness: compile('native/harness.c'),
    helper: compile('native/clonehelper.main.c'),
    pidns: compile('native/pidns.main.c'),
    affinity: { allowed: '0-1', pinnedCpu: 1, note: `pinned${tag}` },
  };
}

let storedDeclarations: { ids: string; value: { abi: unknown; review: unknown } | null } | null = null;

/** The declarations `run` stores, computed once per test process (they depend on nothing here). */
function declarations(raw: Pick<ResultsFile, 'variants'>, tag: string): ResultsFile['declarations'] {
  const ids = measuredProposals(raw);
  if (storedDeclarations?.ids !== ids.join()) storedDeclarations = { ids: ids.join(), value: declarationsFor(ids) };
  const d = storedDeclarations.value;
  if (!d) return undefined;
  const copy = structuredClone(d) as { abi: { proposals: Array<{ structs: Array<{ name: string }> }> }; review: { rules: Array<{ statement: string }> } };
  // A hostile file's strings reach the layouts and the review too.
  if (tag) {
    const struct = copy.abi.proposals.flatMap((p) => p.structs)[0];
    if (struct) struct.name += tag;
    copy.review.rules[0].statement += tag;
  }
  return copy as unknown as ResultsFile['declarations'];
}

/** Options that change only the environment block, applied after the analysis. */
const ENVIRONMENT_OPTIONS = ['host', 'cpuModel', 'cpuId', 'cpuFlags', 'kernelRelease', 'virtualisation', 'warnings'] as const;

/** Analysed files by the options that shape their records: the analysis (2000 bootstrap
 * resamples per series, as a run) takes about a second, the same file is asked for often. */
const cache = new Map<string, ResultsFile>();

function analysed(o: FixtureOptions): ResultsFile {
  const own = Object.fromEntries(Object.entries(o).filter(([k]) => !(ENVIRONMENT_OPTIONS as readonly string[]).includes(k)));
  const key = JSON.stringify(own, (_, v: unknown) => (v instanceof RegExp ? `/${v.source}/${v.flags}` : v));
  const hit = cache.get(key);
  if (hit) return structuredClone(hit);
  const tag = o.inject ?? '';
  const b: Built = { rng: deriveRng(o.seed ?? 1, 'fixture'), o, tag };
  const all = defaultSuites();
  const suites = o.suites ? all.filter((s) => o.suites!.includes(s.name)) : all;
  const rounds = o.rounds ?? 16;
  const variants = rawVariants(b, suites);
  const raw: ResultsFile = {
    schema: 'clonebench.results',
    version: 2,
    createdAt: '2026-12-01T21:37:22.142Z',
    finishedAt: '2026-12-01T21:38:02.381Z',
    durationMs: 33_731,
    interrupted: false,
    options: { quick: false, filter: null, rounds: null, seed: o.seed ?? 1, targetBatchMs: null, workers: null },
    environment: environment({ inject: o.inject }, tag),
    suites: suites.map((s) => ({
      name: s.name,
      description: `${s.description}${tag}`,
      plannedRounds: rounds,
      completedRounds: rounds,
      warmupRounds: s.defaults.warmupRounds,
      targetBatchMs: s.defaults.targetBatchMs,
      workers: s.defaults.workers > 1 ? (o.workers ?? 2) : 1,
      variants: variants.filter((v) => v.suite === s.name).map((v) => v.id),
    })),
    variants,
    fits: [],
    answer: null,
    boundary: null,
    warnings: [],
  };
  const decls = o.declarations === false ? undefined : declarations(raw, tag);
  if (decls) raw.declarations = decls;
  const file = analyse(raw, { seed: o.seed ?? 1, fits: suites.flatMap((s) => s.fits) });
  if (tag) {
    for (const f of file.fits) f.description += tag;
    if (file.boundary) file.boundary.note += tag;
  }
  cache.set(key, file);
  return structuredClone(file);
}

export function makeResults(o: FixtureOptions = {}): ResultsFile {
  const file = analysed(o);
  file.environment = environment(o, o.inject ?? '');
  file.warnings = (o.warnings ?? []).map((w) => `${w}${o.inject ?? ''}`);
  return ResultsFileSchema.parse(file);
}

/** The temp directories writeFixtures made, removed when the test process exits. */
const tempDirs: string[] = [];
process.on('exit', () => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

/** Writes results files into a fresh temp directory (removed at exit); returns their paths. */
export function writeFixtures(files: Record<string, unknown>): { dir: string; paths: Record<string, string> } {
  const dir = mkdtempSync(join(tmpdir(), 'clonebench-report-'));
  tempDirs.push(dir);
  const paths: Record<string, string> = {};
  for (const [name, data] of Object.entries(files)) {
    paths[name] = join(dir, name);
    writeFileSync(paths[name], typeof data === 'string' ? data : JSON.stringify(data));
  }
  return { dir, paths };
}

/** The interfaces the proposals suite measures, in its order, and its requests. */
export const PROPOSALS = [...new Set(defaultSuites().flatMap((s) => s.variants.flatMap((v) => (v.spec.kind === 'copy-plan' ? [v.spec.proposal] : []))))];
export const LEVELS = [0, 1, 4, 32] as const;
export const PLACEMENTS_MEASURED = ['co-located', 'scattered', 'page-end'] as const;
export const requestName = (levels: number) => (levels === 0 ? 'empty' : `pids@${levels}`);

/** The answer rows a fixture has at the headline placement: one per interface and request. */
export const ANSWER_ROWS = PROPOSALS.length * LEVELS.length;
