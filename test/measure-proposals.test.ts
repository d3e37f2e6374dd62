/**
 * The proposals suite: every interface's copy plan executed as set_tid-path probes into its own
 * materialised image, and the overhead record built from it. Tiny configurations; nothing here
 * asserts on how long anything takes.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PROPOSALS } from '../abi/proposals/index.js';
import { cloneSuite, copySuite, makeProposalsSuite } from '../benches/index.js';
import { proposalVariantId } from '../benches/proposals.js';
import { answerClones, computeAnswer, versusNoise } from '../src/analysis/index.js';
import { encode, planTotals } from '../src/encode/encode.js';
import { PLACEMENTS } from '../src/encode/placement.js';
import { materialise } from '../src/encode/materialise.js';
import { EncodeRefusal, type UserImage } from '../src/encode/types.js';
import { makeCopyPlanExecutor, type CopyPlanExecutor } from '../src/measure/copy-plan/executor.js';
import { probeSteps } from '../src/measure/copy-plan/probe-steps.js';
import { requestForLevels, REQUEST_LEVELS, shapeName } from '../src/measure/copy-plan/request-shapes.js';
import { runBenchmarks } from '../src/measure/index.js';
import { renderReport } from '../src/report/index.js';
import { loadHarness } from '../src/native/harness.js';
import { hostTarget, proposalById, resolveProposal } from '../src/registry.js';
import { ResultsFileSchema, type FitResult, type VariantResult } from '../src/results/schema.js';
import { EMPTY_REQUEST } from '../src/request/types.js';
import { median, mulberry32, summarise } from '../src/stats/index.js';
import { childrenOf } from './measure-procs.js';

const proposalsSuite = makeProposalsSuite();
const rng = () => mulberry32(3);

const x86 = process.arch === 'x64';
const EINVAL = 22;
const EFAULT = 14;

/** What the encoder itself says for an interface and a request shape. */
function encoded(proposal: string, levels: number): { img: UserImage } | { refusal: EncodeRefusal } {
  try {
    return { img: encode(requestForLevels(levels), hostTarget(), resolveProposal(proposalById(proposal))) };
  } catch (e) {
    if (e instanceof EncodeRefusal) return { refusal: e };
    throw e;
  }
}

test('the suite declares every interface x request shape x placement on the host target', { skip: !x86 && 'x86_64 only' }, () => {
  assert.equal(proposalsSuite.variants.length, PROPOSALS.length * REQUEST_LEVELS.length * PLACEMENTS.length);
  for (const p of PROPOSALS)
    for (const levels of REQUEST_LEVELS)
      for (const placement of PLACEMENTS) {
        const v = proposalsSuite.variants.find((x) => x.id === `proposals/${p.id}/${shapeName(levels)}@${placement}`);
        assert.deepEqual(v?.spec, { kind: 'copy-plan', proposal: p.id, target: hostTarget().id, levels, placement });
      }
});

test('probe steps: long reads split at 128 bytes, odd lengths end at the read end, zero-checks listed not run', () => {
  const bytes = (n: number) => new Uint8Array(n);
  const img: UserImage = {
    proposal: 'synthetic', target: 'x86_64', endian: 'little', pointerBytes: 8, fixups: [], calls: [],
    segments: [
      { name: 'big', ctype: 'pid_t[75]', bytes: bytes(300), align: 4 },
      { name: 'str', ctype: 'char[2]', bytes: bytes(2), align: 1 },
    ],
    plan: [
      { segment: 'big', offset: 0, length: 300, kind: 'copy', why: 'long' },
      { segment: 'str', offset: 0, length: 2, kind: 'copy', why: 'sysctl string' },
    ],
  };
  const s = probeSteps(img);
  assert.deepEqual(s.steps.map((x) => [x.read, x.segment, x.offset, x.count]), [
    [0, 'big', 0, 32],
    [0, 'big', 128, 32],
    [0, 'big', 256, 11],
    // 4 bytes ending where the 2-byte segment ends (at its guard page), not past it.
    [1, 'str', -2, 1],
  ]);
  assert.equal(s.splitReads, 1);
  assert.equal(s.probeBytes, 128 + 128 + 44 + 4);
  // A real zero-check: clone3 with a 4096-byte struct scans 4008 tail bytes, then copies 88.
  const big = encode(EMPTY_REQUEST, hostTarget(), resolveProposal(proposalById('clone3')), { structSize: 4096 });
  const z = probeSteps(big);
  assert.deepEqual(z.notExecuted.map((n) => n.read), [big.plan.findIndex((r) => r.kind === 'zero-check')]);
  assert.match(z.notExecuted[0].why, /not a copy/);
  assert.deepEqual(z.steps.map((x) => [x.offset, x.count]), [[0, 22]]);
});

test('the probes point into the materialised image: a segment cut short at its guard page gives EFAULT', { skip: !x86 && 'x86_64 only' }, async () => {
  const h = loadHarness();
  const spec = { kind: 'copy-plan' as const, proposal: 'clone3', target: hostTarget().id, levels: 4, placement: 'page-end' as const };
  const made: UserImage[] = [];
  const whole = makeCopyPlanExecutor(spec, h, { rng: rng(), materialise: (img) => (made.push(img), materialise(img, hostTarget())) }) as CopyPlanExecutor;
  assert.ok('images' in whole);
  const r = await whole.batch(4);
  assert.equal(r.ret, -EINVAL);
  assert.ok(r.done >= 1 && Number.isFinite(r.pair!.deltaNs));
  // The set_tid read is 16 bytes from the segment's first byte; keep 12 of them, so the 16th
  // byte would be on the guard page: only a probe aimed at that very address faults.
  const cut = makeCopyPlanExecutor(spec, h, { rng: rng(), materialise: (img) => materialise(img, hostTarget(), { truncate: { set_tid: 12 } }) }) as CopyPlanExecutor;
  assert.equal((await cut.batch(4)).ret, -EFAULT);
  const exact = makeCopyPlanExecutor(spec, h, { rng: rng(), materialise: (img) => materialise(img, hostTarget(), { truncate: { set_tid: 16 } }) }) as CopyPlanExecutor;
  assert.equal((await exact.batch(4)).ret, -EINVAL);
  for (const e of [whole, cut, exact]) {
    e.dispose();
    assert.ok(e.images.every((im) => im.disposed));
    await assert.rejects(e.batch(1), /after dispose/);
  }
  assert.equal(made.length, whole.images.length);
  assert.deepEqual(whole.copyPlan.reads.map((x) => x.probes), [1, 1]);
  assert.deepEqual(whole.copyPlan.probeSizes, [80, 16]);
  // Page-end: every probe's bytes on a page of their own, beyond their probe struct's.
  assert.equal(whole.copyPlan.pageTouches, 2);
});

test('co-located plans put the probe structs beside the segments: no extra page; scattered: one per probe', { skip: !x86 && 'x86_64 only' }, () => {
  const h = loadHarness();
  for (const [placement, touches] of [['co-located', 0], ['scattered', 2]] as const) {
    const e = makeCopyPlanExecutor({ kind: 'copy-plan', proposal: 'clone3', target: hostTarget().id, levels: 4, placement }, h, { rng: rng() }) as CopyPlanExecutor;
    assert.equal(e.copyPlan.placement, placement);
    assert.equal(e.copyPlan.pageTouches, touches, placement);
    for (const im of e.images) assert.equal(im.placement, placement);
    e.dispose();
  }
});

test('refused and empty plans are not executed, with the reason', { skip: !x86 && 'x86_64 only' }, () => {
  const h = loadHarness();
  const refused = makeCopyPlanExecutor({ kind: 'copy-plan', proposal: 'clone', target: hostTarget().id, levels: 1, placement: 'co-located' }, h, { rng: rng() });
  assert.ok('unmeasured' in refused);
  const e = encoded('clone', 1);
  assert.ok('refusal' in e);
  assert.equal(refused.unmeasured.code, 'REFUSED');
  assert.equal(refused.unmeasured.meaning, e.refusal.message);
  const empty = makeCopyPlanExecutor({ kind: 'copy-plan', proposal: 'clone', target: hostTarget().id, levels: 0, placement: 'co-located' }, h, { rng: rng() });
  assert.ok('unmeasured' in empty);
  assert.equal(empty.unmeasured.code, 'EMPTY_PLAN');
  assert.equal(empty.copyPlan?.copies, 0);
});

test('a tiny run: plans measured, recorded against planTotals, refusals skipped, answer consistent', { skip: !x86 && 'x86_64 only' }, async () => {
  const r = await runBenchmarks({
    suites: [copySuite, proposalsSuite, cloneSuite],
    filter: /^copy\/set_tid-\d+@|^proposals\/|^clone\/node\/thread-legacy$|^clone\/helper\/fork-legacy$/,
    rounds: 4,
    warmupRounds: 1,
    // Long enough for ~20 ABBA block pairs per batch: a batch's delta is their median, so a
    // preemption (npm test runs two files pinned to the same CPU) spoils one pair, not the sign.
    targetBatchMs: 1,
    workers: 2,
    seed: 11,
  });
  assert.equal(ResultsFileSchema.safeParse(r).success, true);
  const plans = r.variants.filter((v) => v.suite === 'proposals');
  assert.equal(plans.length, proposalsSuite.variants.length);
  const bytesByLevels = new Map<string, number[]>();
  for (const v of plans) {
    assert.equal(v.spec.kind, 'copy-plan');
    if (v.spec.kind !== 'copy-plan') continue;
    const e = encoded(v.spec.proposal, v.spec.levels);
    if ('refusal' in e) {
      assert.equal(v.status, 'skipped');
      assert.equal(v.skip?.code, 'REFUSED');
      assert.equal(v.skip?.meaning, e.refusal.message);
      assert.equal(v.copyPlan, undefined);
      continue;
    }
    const t = planTotals(e.img);
    assert.deepEqual({ copies: v.copyPlan?.copies, bytes: v.copyPlan?.bytes, zeroChecked: v.copyPlan?.zeroChecked }, { copies: t.copies, bytes: t.bytes, zeroChecked: t.zeroChecked });
    if (v.spec.placement === 'co-located') (bytesByLevels.get(v.spec.proposal) ?? bytesByLevels.set(v.spec.proposal, []).get(v.spec.proposal)!).push(t.bytes);
    if (t.copies === 0) {
      assert.equal(v.status, 'skipped');
      assert.equal(v.skip?.code, 'EMPTY_PLAN');
      continue;
    }
    assert.equal(v.status, 'measured', `${v.id}: ${JSON.stringify(v.skip)}`);
    assert.equal(v.copyPlan?.probes, t.copies, 'no default request has a read above 128 bytes');
    assert.equal(v.copyPlan?.placement, v.spec.placement);
    assert.equal(v.delta?.method, 'interleaved');
    assert.equal(v.delta?.samplesNs.length, 4);
    assert.deepEqual(new Set(v.sampleWorkers), new Set([0, 1]));
    const d = v.delta!.summary!.median;
    // Only finiteness: the sign of a 4-sample timing is noise, and timings never decide a test.
    assert.ok(Number.isFinite(d), `${v.id}: delta ${d}`);
  }
  // More pids, more bytes copied: every interface that takes pids at 1, 4 and 32 levels.
  for (const [proposal, bytes] of bytesByLevels) {
    const withPids = bytes.slice(1);
    if (withPids.length === 3) assert.ok(withPids[0] < withPids[1] && withPids[1] < withPids[2], `${proposal}: ${bytes}`);
  }
  assert.ok([...bytesByLevels.values()].filter((b) => b.length === 4).length >= 4);

  const answer = r.answer!;
  assert.ok(answer, 'answer recorded');
  assert.equal(answer.headlinePlacement, 'co-located');
  assert.equal(answer.rows.length, plans.length);
  assert.deepEqual(answer.clones.map((c) => c.variant), ['clone/node/thread-legacy', 'clone/helper/fork-legacy']);
  for (const c of answer.clones) {
    const s = r.variants.find((v) => v.id === c.variant)!.summary!;
    assert.equal(c.median, s.median);
    assert.equal(c.noiseNs, (s.ciHigh - s.ciLow) / 2);
  }
  for (const row of answer.rows) {
    const v = plans.find((x) => x.id === row.variant)!;
    assert.equal(row.overheads.length, answer.clones.length);
    if (row.status === 'refused') {
      assert.equal(row.costNs, null);
      assert.equal(row.reason, v.skip!.meaning);
      continue;
    }
    if (row.status === 'zero') {
      assert.deepEqual(row.costNs, { estimate: 0, ciLow: 0, ciHigh: 0 });
      continue;
    }
    assert.equal(row.status, 'measured');
    assert.equal(row.costNs!.estimate, v.delta!.summary!.median);
    assert.equal(row.model?.fit, row.placement === 'page-end' ? 'copy/model-page-end' : 'copy/model-caller');
    assert.ok(row.model!.ciLow <= row.model!.estimate && row.model!.estimate <= row.model!.ciHigh);
    // Judged in units of the plan's own baseline (robust to the VM's speed between suites).
    const rel = row.relative!;
    const mr = row.modelRelative!;
    assert.equal(row.agrees, !row.modelNote && rel.ciLow <= mr.ciHigh && mr.ciLow <= rel.ciHigh);
    // The ns model is the relative one at the plan's own speed: the same ratio to the ns cost.
    const perProbe = median(v.delta!.baselineNsPerIter) / row.probes!;
    assert.ok(Math.abs(row.model!.estimate - mr.estimate * row.probes! * perProbe) < 1e-6 * Math.abs(row.model!.estimate) + 1e-9);
    row.overheads.forEach((o, i) => {
      const clone = answer.clones[i];
      assert.equal(o.clone, clone.variant);
      assert.ok(Math.abs(o.ratio!.estimate - row.costNs!.estimate / clone.median!) <= 1e-12 * Math.abs(o.ratio!.estimate) + 1e-15);
      assert.ok(o.ratio!.ciLow <= o.ratio!.ciHigh);
      assert.equal(o.versusNoise, versusNoise(row.costNs!, clone.noiseNs!));
    });
  }
  const text = renderReport([{ path: 'tiny.json', results: r }], 'text');
  assert.match(text.replace(/\s+/g, ' '), /of clone: refused: clone cannot express this request: it cannot choose pids/);
  assert.deepEqual(childrenOf(process.pid), []);
});

test('an answer without the copy and clone suites: no model, no clone, said so', () => {
  const summary = summarise([30, 31, 29], mulberry32(1), { resamples: 50 });
  const v: VariantResult = {
    id: proposalVariantId('clone3', 1, 'co-located'), suite: 'proposals', description: 'd',
    spec: { kind: 'copy-plan', proposal: 'clone3', target: 'x86_64', levels: 1, placement: 'co-located' },
    status: 'measured', complete: true, skip: null, itersPerBatch: 10, samplesNsPerIter: [900, 910, 905], sampleRounds: [0, 1, 2], sampleWorkers: [0, 0, 0],
    summary, baseline: null,
    delta: { method: 'interleaved', samplesNs: [30, 31, 29], baselineNsPerIter: [870, 880, 875], sampleRounds: [0, 1, 2], sampleWorkers: [0, 0, 0], summary, relative: null },
    parent: null,
    copyPlan: { placement: 'co-located', probeSizes: [80, 4], pageTouches: 0, copies: 2, bytes: 84, zeroChecked: 0, syscalls: 1, probes: 2, probeBytes: 84, splitReads: 0, reads: [], notes: [] },
  };
  const a = computeAnswer([v], [], 1)!;
  assert.equal(a.rows[0].model, null);
  assert.match(a.rows[0].modelNote!, /no co-located copy model in this run/);
  assert.equal(a.rows[0].agrees, null);
  assert.deepEqual(a.clones, []);
  assert.deepEqual(a.rows[0].overheads, []);
  assert.equal(computeAnswer([], [], 1), null);
  assert.deepEqual(answerClones([v]), []);
  assert.equal(versusNoise({ ciLow: 10, ciHigh: 20 }, 50), 'below');
  assert.equal(versusNoise({ ciLow: 60, ciHigh: 70 }, 50), 'above');
  assert.equal(versusNoise({ ciLow: 40, ciHigh: 70 }, 50), 'overlaps');
});
