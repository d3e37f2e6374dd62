/**
 * Results files for the report tests, generated (seeded, no committed JSON): every suite of a
 * default run, optionally with skips, hostile strings, another host, or one variant's samples
 * scaled. The object is validated with ResultsFileSchema before it is returned, so when the
 * results schema changes this function is the one place to update.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ResultsFileSchema, type ResultsFile, type VariantResult, type VariantSpec } from '../src/results/schema.js';
import { deriveRng, normal, summarise, type Rng } from '../src/stats/index.js';

export interface FixtureOptions {
  seed?: number;
  host?: string;
  cpuModel?: string;
  kernelRelease?: string;
  virtualisation?: string;
  /** Rounds per variant (samples per series). */
  rounds?: number;
  /** Skip what an unprivileged container without clone3 or user namespaces would skip. */
  skips?: boolean;
  /** Put this string into the host, ids, descriptions and reasons (hostile-input tests). */
  inject?: string;
  /** Multiply the samples (and so the medians) of the variants whose id matches. */
  scale?: { match: RegExp; factor: number };
}

const RESAMPLES = 200;

export const PROPOSALS = ['clone', 'clone_with_pids', 'eclone', 'clone3', 'ns_last_pid'] as const;
export const LEVELS = [0, 1, 4, 32] as const;
export const requestName = (levels: number) => (levels === 0 ? 'empty' : `pids@${levels}`);

function series(rng: Rng, mean: number, n: number, cv = 0.05): number[] {
  return Array.from({ length: n }, () => Math.max(mean * 0.2, normal(rng, mean, mean * cv)));
}

interface Builder {
  rng: Rng;
  rounds: number;
  variants: VariantResult[];
  o: FixtureOptions;
}

function add(b: Builder, v: { id: string; suite: string; spec: VariantSpec; mean: number; baseline?: { id: string; mean: number; method: 'interleaved' | 'rounds' } }): VariantResult {
  const tag = b.o.inject ?? '';
  const factor = b.o.scale?.match.test(v.id) ? b.o.scale.factor : 1;
  const samples = series(b.rng, v.mean, b.rounds).map((x) => x * factor);
  let delta: VariantResult['delta'] = null;
  if (v.baseline) {
    const base = series(b.rng, v.baseline.mean, b.rounds, 0.03);
    const samplesNs = samples.map((x, i) => x - base[i]);
    const rel = samplesNs.map((d, i) => d / base[i]);
    delta = {
      method: v.baseline.method,
      samplesNs,
      baselineNsPerIter: base,
      summary: summarise(samplesNs, b.rng, { resamples: RESAMPLES }),
      relative: { samples: rel, summary: summarise(rel, b.rng, { resamples: RESAMPLES }) },
    };
  }
  const out: VariantResult = {
    id: v.id,
    suite: v.suite,
    description: `${v.id} described${tag}`,
    spec: v.spec,
    status: 'measured',
    complete: true,
    skip: null,
    itersPerBatch: 1000,
    samplesNsPerIter: samples,
    summary: summarise(samples, b.rng, { resamples: RESAMPLES }),
    baseline: v.baseline?.id ?? null,
    delta,
    parent: null,
  };
  b.variants.push(out);
  return out;
}

function skipped(b: Builder, id: string, suite: string, spec: VariantSpec, code: string, meaning: string, extra: Partial<VariantResult> = {}): VariantResult {
  const v: VariantResult = {
    id,
    suite,
    description: `${id} described${b.o.inject ?? ''}`,
    spec,
    status: 'skipped',
    complete: false,
    skip: { errno: code === 'EPERM' ? 1 : code === 'ENOSYS' ? 38 : 0, code, meaning: `${meaning}${b.o.inject ?? ''}`, detail: 'on the first call' },
    itersPerBatch: 0,
    samplesNsPerIter: [],
    summary: null,
    baseline: null,
    delta: null,
    parent: null,
    ...extra,
  };
  b.variants.push(v);
  return v;
}

const estimate = (s: { median: number; ciLow: number; ciHigh: number }) => ({ estimate: s.median, ciLow: s.ciLow, ciHigh: s.ciHigh });

export function makeResults(o: FixtureOptions = {}): ResultsFile {
  const b: Builder = { rng: deriveRng(o.seed ?? 1, o.host ?? 'fixture'), rounds: o.rounds ?? 24, variants: [], o };
  const tag = o.inject ?? '';
  // floor
  add(b, { id: 'floor/empty', suite: 'floor', spec: { kind: 'empty' }, mean: 0.4 });
  add(b, { id: 'floor/getppid', suite: 'floor', spec: { kind: 'getppid' }, mean: 210 });
  add(b, { id: 'floor/getppid-raw', suite: 'floor', spec: { kind: 'getppid-raw' }, mean: 140 });
  add(b, { id: 'floor/clone3-nocopy', suite: 'floor', spec: { kind: 'clone3-probe', structSize: 0, setTidCount: 0 }, mean: 104 });
  // copy: the set_tid path and its fit
  add(b, { id: 'copy/set_tid-0', suite: 'copy', spec: { kind: 'clone3-probe', structSize: 88, setTidCount: 0 }, mean: 190 });
  const setTid = [1, 2, 4, 8, 16, 32].map((k) =>
    add(b, {
      id: `copy/set_tid-${k}`,
      suite: 'copy',
      spec: { kind: 'clone3-probe', structSize: 88, setTidCount: k },
      mean: 190 + 42 + 0.06 * 4 * k,
      baseline: { id: 'copy/set_tid-0', mean: 190, method: 'interleaved' },
    }),
  );
  // clone: four shapes x two interfaces x two parents
  const clones = new Map<string, VariantResult>();
  const costs = { thread: 19_000, vfork: 50_000, fork: 1_100_000, newpid: 1_200_000 } as const;
  for (const where of ['node', 'helper'] as const)
    for (const shape of ['thread', 'vfork', 'fork', 'newpid'] as const)
      for (const via of ['legacy', 'clone3'] as const) {
        const id = `clone/${where}/${shape}-${via}`;
        const spec: VariantSpec = { kind: 'clone', shape, via, where, flags: '0x11' };
        const mean = costs[shape] * (where === 'helper' ? (shape === 'fork' || shape === 'newpid' ? 0.1 : 1.05) : 1);
        if (o.skips && (shape === 'newpid' || via === 'clone3')) {
          skipped(b, id, 'clone', spec, shape === 'newpid' ? 'EPERM' : 'ENOSYS', shape === 'newpid' ? 'operation not permitted: CLONE_NEWPID needs CAP_SYS_ADMIN' : 'clone3 is not implemented by this kernel');
          continue;
        }
        const v = add(b, { id, suite: 'clone', spec, mean, baseline: via === 'clone3' ? { id: `clone/${where}/${shape}-legacy`, mean, method: 'rounds' } : undefined });
        v.parent = { where, pid: 100, rssKiB: where === 'node' ? 66_000 : 1_500, vmaCount: where === 'node' ? 181 : 25 };
        clones.set(id, v);
      }
  // proposals: each interface's plan per request, and the answer
  const thread = clones.get('clone/node/thread-legacy')!;
  const fork = clones.get('clone/helper/fork-legacy')!;
  const answerClones = [thread, fork];
  const rows: NonNullable<ResultsFile['proposalCosts']>['rows'] = [];
  for (const proposal of PROPOSALS)
    for (const levels of LEVELS) {
      const id = `proposals/${proposal}/${requestName(levels)}${tag}`;
      const spec: VariantSpec = { kind: 'copy-plan', proposal, target: 'x86_64', levels };
      const refused = (proposal === 'clone' && levels > 0) || (proposal === 'ns_last_pid' && levels > 1);
      const zero = !refused && levels === 0 && (proposal === 'clone' || proposal === 'clone_with_pids' || proposal === 'ns_last_pid');
      const copies = zero ? 0 : levels === 0 ? 1 : proposal === 'ns_last_pid' ? 1 : 2;
      const bytes = zero ? 0 : proposal === 'ns_last_pid' ? 2 : 64 + 4 * levels;
      const copyPlan = {
        copies, bytes, zeroChecked: 0, syscalls: 1, probes: copies, probeBytes: bytes, splitReads: 0, notes: [] as string[],
        reads: Array.from({ length: copies }, (_, i) => ({ segment: i ? 'pids' : 'args', offset: 0, length: i ? 4 * levels : 64, kind: 'copy' as const, why: `read ${i}${tag}`, probes: 1 })),
      };
      const base = { proposal, levels, variant: id, modelNote: null };
      if (refused) {
        skipped(b, id, 'proposals', spec, 'REFUSED', `${proposal} cannot express this request`);
        rows.push({ ...base, status: 'refused', copies: null, bytes: null, probes: null, costNs: null, modelNs: null, overheads: [], reason: `${proposal} cannot express this request${tag}` });
        continue;
      }
      if (zero) {
        skipped(b, id, 'proposals', spec, 'EMPTY_PLAN', 'no reads', { copyPlan });
        const zeroRatio = { estimate: 0, ciLow: 0, ciHigh: 0 };
        rows.push({
          ...base, status: 'zero', copies: 0, bytes: 0, probes: 0, costNs: zeroRatio, modelNs: 0, reason: 'EMPTY_PLAN: no reads',
          overheads: answerClones.map((c) => ({ clone: c.id, ratio: zeroRatio, ciMethod: 'test', cloneNoiseNs: 100, versusNoise: 'below' as const, skip: null })),
        });
        continue;
      }
      const cost = 40 * copies + 0.06 * bytes;
      const v = add(b, { id, suite: 'proposals', spec, mean: 300 + cost, baseline: { id: 'proposals/baseline', mean: 300, method: 'interleaved' } });
      v.baseline = null; // copy-plan variants carry their paired baseline inside the batch
      v.copyPlan = copyPlan;
      const c = estimate(v.delta!.summary!);
      rows.push({
        ...base, status: 'measured', copies, bytes, probes: copies, costNs: c, modelNs: cost * 1.05, reason: null,
        overheads: answerClones.map((cl) => {
          const m = cl.summary!.median;
          return { clone: cl.id, ratio: { estimate: c.estimate / m, ciLow: c.ciLow / m, ciHigh: c.ciHigh / m }, ciMethod: 'test', cloneNoiseNs: (cl.summary!.ciHigh - cl.summary!.ciLow) / 2, versusNoise: 'below' as const, skip: null };
        }),
      });
    }
  // pids
  const pidChoice = (creates: number, levels: number, checks: number) => ({
    privilege: 'root' as const, inits: Array.from({ length: levels }, (_, i) => 4000 + i), firstPid: 1000, rangeSize: 1000,
    creates, mismatches: 0, checks, checkedLevels: checks * levels, checkFailures: 0,
  });
  for (const levels of [1, 2]) {
    const plain = `pids/clone3-plain-d${levels}`;
    const spec = (method: 'plain' | 'set_tid' | 'ns_last_pid' | 'ns_last_pid-open'): VariantSpec => ({ kind: 'pids', method, levels });
    if (o.skips) {
      skipped(b, plain, 'pids', spec('plain'), 'EPERM', 'user namespaces are off: unshare(CLONE_NEWUSER) failed');
      continue;
    }
    add(b, { id: plain, suite: 'pids', spec: spec('plain'), mean: 100_000 }).pidChoice = pidChoice(0, levels, 0);
    add(b, { id: `pids/clone3-set_tid-d${levels}`, suite: 'pids', spec: spec('set_tid'), mean: 100_300, baseline: { id: plain, mean: 100_000, method: 'interleaved' } }).pidChoice = pidChoice(3000, levels, 30);
    if (levels === 1)
      add(b, { id: 'pids/ns_last_pid', suite: 'pids', spec: spec('ns_last_pid'), mean: 102_400, baseline: { id: plain, mean: 100_000, method: 'interleaved' } }).pidChoice = pidChoice(2000, 1, 0);
  }
  const suites = ['floor', 'copy', 'proposals', 'clone', 'pids'].map((name) => ({
    name, description: `the ${name} suite`, plannedRounds: b.rounds, completedRounds: b.rounds, warmupRounds: 2, targetBatchMs: 2,
    variants: b.variants.filter((v) => v.suite === name).map((v) => v.id),
  }));
  const fitPoints = setTid.map((v, i) => ({ variant: v.id, x: 4 * [1, 2, 4, 8, 16, 32][i], medianY: v.delta!.summary!.median }));
  const steal = (at: string, t: number) => ({ at, stealTicks: t, totalTicks: 10_000 + t });
  const compile = (source: string) => ({ cc: 'cc', version: 'cc (Debian 12.2.0) 12.2.0', flags: ['-O2'], source });
  const file = {
    schema: 'clonebench.results',
    version: 1,
    createdAt: '2026-12-01T21:37:22.142Z',
    finishedAt: '2026-12-01T21:38:02.381Z',
    durationMs: 40_239,
    interrupted: false,
    options: { quick: false, filter: null, rounds: null, seed: o.seed ?? 1, targetBatchMs: null },
    environment: {
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
      capEff: '000001ffffffffff',
      clockTicksPerSecond: 100,
      steal: { before: steal('2026-12-01T21:37:22.168Z', 10), after: steal('2026-12-01T21:38:02.381Z', 95) },
      harness: compile('native/harness.c'),
      helper: compile('native/clonehelper.main.c'),
      pidns: compile('native/pidns.main.c'),
      affinity: { allowed: '0-1', pinnedCpu: 1, note: `pinned${tag}` },
    },
    suites,
    variants: b.variants,
    fits: [
      {
        id: 'copy/set_tid-fit', description: `one copy_from_user of n bytes${tag}`, xLabel: 'bytes copied', yLabel: 'ns over the set_tid = 0 probe',
        points: fitPoints,
        fit: { intercept: { estimate: 42, ciLow: 41.5, ciHigh: 42.5 }, slope: { estimate: 0.06, ciLow: 0.055, ciHigh: 0.065 }, ciLevel: 0.95, ciMethod: 'test', resamples: 100, rounds: b.rounds },
        skip: null,
      },
    ],
    proposalCosts: {
      fit: { id: 'copy/set_tid-fit', c0: 42, c1: 0.06 },
      clones: answerClones.map((c) => ({ variant: c.id, role: c === thread ? 'thread-like (cheapest clone)' : 'fork from the small C helper', median: c.summary!.median, ciLow: c.summary!.ciLow, ciHigh: c.summary!.ciHigh })),
      rows,
    },
  };
  return ResultsFileSchema.parse(file);
}

/** Writes results files into a fresh temp directory; returns their paths. */
export function writeFixtures(files: Record<string, unknown>): { dir: string; paths: Record<string, string> } {
  const dir = mkdtempSync(join(tmpdir(), 'clonebench-report-'));
  const paths: Record<string, string> = {};
  for (const [name, data] of Object.entries(files)) {
    paths[name] = join(dir, name);
    writeFileSync(paths[name], typeof data === 'string' ? data : JSON.stringify(data));
  }
  return { dir, paths };
}

/** The answer rows a fixture has: one per interface and request. */
export const ANSWER_ROWS = PROPOSALS.length * LEVELS.length;
