/** The view model, and the plain-text and markdown reports built from it (results schema 2). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pidsSuite } from '../benches/index.js';
import { renderReport } from '../src/report/index.js';
import { rowsAt } from '../src/report/view-model/answer.js';
import { buildReportModel } from '../src/report/view-model/index.js';
import { ANSWER_ROWS, LEVELS, makeResults, PLACEMENTS_MEASURED, PROPOSALS, requestName, type FixtureOptions } from './report-fixtures.js';

const one = (path: string, o: FixtureOptions = {}) => ({ path, results: makeResults(o) });
const HOSTILE = '</script><script>alert(1)</script>\u001b[2J\u2028|*_`<b>\t\nx'.repeat(2);
/** clone3 pids@4 co-located costs 30 ns more than the copy model says. */
const DISAGREE: FixtureOptions = { disagree: { match: /^proposals\/clone3\/pids@4@co-located/, extraNs: 30 } };

function assertMailable(text: string, what: string): void {
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    assert.ok(line.length <= 72, `${what}: line ${i + 1} has ${line.length} columns: ${JSON.stringify(line)}`);
    assert.match(line, /^[\x20-\x7e]*$/, `${what}: line ${i + 1} is not printable ASCII: ${JSON.stringify(line)}`);
  });
}

/** The text as a reader sees it once each wrapped list item or line is joined to its start. */
const joined = (text: string) => text.replace(/\n {2,4}(?=\S)/g, ' ');

/** Each block (paragraph, list, table) on one line: what wrapping split, joined again. */
const flowed = (text: string) => text.replace(/([^\n])\n {0,4}(?=[^\n])/g, '$1 ');

const section = (text: string, from: string, to: string) => {
  const a = text.indexOf(from);
  assert.ok(a >= 0, `missing: ${from}`);
  const b = text.indexOf(to, a + from.length);
  return text.slice(a, b < 0 ? undefined : b);
};

test('view model: one answer row per interface, request and placement; the headline placement and the cheapest clone; key figures per suite', () => {
  const m = buildReportModel([one('a.json')]);
  const run = m.runs[0];
  const a = run.answer!;
  assert.equal(m.sideBySide, null);
  assert.equal(m.version, 2);
  assert.equal(a.headlinePlacement, 'co-located');
  assert.deepEqual(a.placements, ['co-located', 'scattered', 'page-end']);
  assert.equal(a.rows.length, ANSWER_ROWS * PLACEMENTS_MEASURED.length);
  assert.deepEqual(
    rowsAt(a).map((r) => `${r.proposal} ${r.request} ${r.placement}`),
    PROPOSALS.flatMap((p) => LEVELS.map((l) => `${p} ${requestName(l)} co-located`)),
  );
  // Every legacy clone variant measured, each parent and shape; thread-like from Node is cheapest.
  assert.deepEqual(a.clones.map((c) => c.key), ['node', 'helper'].flatMap((w) => ['thread', 'vfork', 'fork', 'newpid'].map((s) => `clone/${w}/${s}-legacy`)));
  assert.equal(a.headlineClone, 'clone/node/thread-legacy');
  assert.deepEqual(run.keyFigures.map((g) => g.id), ['answer-cost', 'answer-share', 'boundary', 'floor', 'copy', 'clone', 'pids']);
  const share = run.keyFigures.find((g) => g.id === 'answer-share')!.figures.find((f) => f.key === 'proposals/clone3/pids@32@co-located')!;
  const row = a.rows.find((r) => r.key === 'proposals/clone3/pids@32@co-located')!;
  assert.ok(Math.abs(share.value!.estimate - row.cost!.estimate / a.clones[0].median!.estimate) < 1e-9, 'the headline share is cost / the thread-like median');
  // The model: the caller model's prediction for the plan's probes, and it agrees.
  assert.equal(row.model!.fit, 'copy/model-caller');
  assert.equal(row.agrees, true);
  assert.equal(row.probes, 2);
  assert.equal(a.rows.find((r) => r.key === 'proposals/clone3/pids@32@page-end')!.model!.fit, 'copy/model-page-end');
  // The copy models with their terms, and one line per placement the caller model spans.
  const caller = run.copy.fits.find((f) => f.key === 'copy/model-caller')!;
  assert.deepEqual(caller.terms.map((t) => t.name), ['call', 'byte', 'page']);
  assert.deepEqual(caller.lines.map((l) => l.label), ['co-located', 'scattered']);
  assert.equal(caller.axis!.title, 'bytes copied');
  const [c0, c1, c2] = caller.terms.map((t) => t.coefficient!.estimate);
  const scattered = caller.lines[1].points.at(-1)!;
  assert.ok(Math.abs(scattered.y - (c0 + c1 * 128 + c2)) < 1e-9, 'the scattered line is the model at page = 1');
  assert.equal(run.copy.boundary!.slowPath, 'no');
  // Chosen pids at depth 8 too, created by clone3.
  assert.deepEqual([...new Set(run.pids.map((p) => p.levels))], [1, 2, 4, 8]);
  assert.ok(run.pids.every((p) => p.createdVia === 'clone3'));
  // The caller's side, beside the kernel's copy cost of the same request.
  const side = run.callerSide.find((x) => x.proposal === 'clone3' && x.levels === 4)!;
  assert.ok(side.encode && side.materialise && side.kernelCopy);
  assert.match(run.callerSide.find((x) => x.proposal === 'clone' && x.levels === 4)!.note!, /^refused: /);
});

test('view model: layouts, review and the requirements matrix come from the file when it stores them, else from the built-in declarations', () => {
  const stored = buildReportModel([one('a.json')]).runs[0].declarations;
  const computed = buildReportModel([one('b.json', { declarations: false })]).runs[0].declarations;
  assert.equal(stored.source, 'file');
  assert.equal(computed.source, 'computed');
  for (const d of [stored, computed]) {
    assert.deepEqual(d.notes, []);
    // clone_with_pids' pid_set has a hole on x86_64, none on i386.
    const pidSet = d.structs.find((s) => s.proposal === 'clone_with_pids' && s.name === 'pid_set')!;
    assert.deepEqual(pidSet.groups.find((g) => g.targets.includes('x86_64'))!.lines.map((l) => l.kind), ['member', 'hole', 'member']);
    assert.ok(!pidSet.groups.find((g) => g.targets.includes('i386'))!.lines.some((l) => l.kind === 'hole'));
    assert.ok(d.review!.rows.some((r) => r.proposal === 'clone3' && r.verdicts['SC-18'] === 'pass'));
    // The requirements: rows in order with their parents, a cell per interface.
    const req = d.requirements!;
    assert.deepEqual(req.columns.slice(0, 2).map((c) => [c.id, c.parent]), [['1', null], ['1.flags', '1']]);
    assert.equal(req.rows.find((r) => r.proposal === 'clone3')!.cells['2.new-namespace'].status, 'met');
    assert.equal(req.rows.find((r) => r.proposal === 'clone')!.cells['2.own-level'].status, 'not met');
  }
  // A file whose stored declarations are in a shape nobody knows: noted, not trusted, no crash.
  const hostile = makeResults();
  hostile.declarations = { abi: { targets: 'x86_64', proposals: 7 }, review: { rules: [{ id: 1 }], requirements: { interfaces: [] } } };
  const d = buildReportModel([{ path: 'h.json', results: hostile }]).runs[0].declarations;
  assert.deepEqual(d.structs, []);
  assert.equal(d.review, null);
  assert.equal(d.notes.length, 2, d.notes.join('; '));
  assert.match(renderReport([{ path: 'h.json', results: hostile }], 'text'), /The answer/);
});

test('text: every line at most 72 columns of printable ASCII: every suite, skips, no clone3, hostile strings, a disagreement, a slow path, three runs', () => {
  assertMailable(renderReport([one('results/full.json')], 'text'), 'full run');
  assertMailable(renderReport([one('results/skips.json', { skips: true })], 'text'), 'run with skips');
  assertMailable(renderReport([one('results/noclone3.json', { noClone3: true })], 'text'), 'no clone3');
  assertMailable(renderReport([one(`results/${HOSTILE}.json`, { inject: HOSTILE, warnings: ['worker 1 exited with signal 9'] })], 'text'), 'hostile strings');
  assertMailable(renderReport([one('results/d.json', { ...DISAGREE, slowPathNs: 90 })], 'text'), 'disagreement and slow path');
  const three = renderReport([one('a.json'), one('b.json', { host: 'b' }), one('c.json', { skips: true, host: 'c' })], 'text');
  assertMailable(three, 'three runs');
});

test('text: the answer first (headline placement, model, agree), the agreement line, the boundary verdict, the placements, then key figures and three environment lines with the CPU flags', () => {
  const text = renderReport([one('results/full.json')], 'text');
  const at = (s: string) => {
    const i = text.indexOf(s);
    assert.ok(i >= 0, `missing: ${s}`);
    return i;
  };
  const order = [
    'The answer',
    'request    calls/B',
    'Every measured plan agrees with its model, at every placement',
    'Page end: no slow path at a page end on this CPU',
    'The same plans at every placement',
    'Key figures',
    'floor (ns per call)',
    'copy_from_user models',
    'clone + reap',
    'chosen pids',
    'Environment',
  ];
  order.reduce((prev, s) => {
    assert.ok(at(s) > prev, `"${s}" is out of order`);
    return at(s);
  }, -1);
  // The answer table: a group line per interface, its four requests, with model and agree.
  const answer = section(text, 'request    calls/B', 'Every measured plan');
  assert.match(answer.split('\n')[0], /^request +calls\/B +copy ns \[95% CI\] +model +agree +% clone$/);
  for (const p of PROPOSALS) assert.match(answer, new RegExp(`^${p}$`, 'm'));
  assert.equal((answer.match(/^ {2}(empty|pids@\d+) /gm) ?? []).length, ANSWER_ROWS);
  assert.match(answer, /^ {2}pids@4 +2\/96 +\d+\.\d \[\d+\.\d, \d+\.\d\] +\d+\.\d +yes +0\.\d+$/m);
  assert.match(answer, /^ {2}pids@1 +- +refused +- +- +-$/m);
  // The placements table: a column per placement.
  assert.match(section(text, 'The same plans at every placement', 'Against'), /^request +co-located +scattered +page-end$/m);
  // Copy models per term, clone per shape, chosen pids at depth 8.
  const models = section(text, 'copy_from_user models', 'clone + reap');
  assert.match(models, /^copy\/model-caller, caller model \(co-located, scattered\), residual \d/m);
  assert.match(models, /^- per copy_from_user call: \d+\.\d ns \[/m);
  assert.match(models, /^- per byte copied: \d\.\d{4} ns\/B \[/m);
  assert.match(models, /^- per page touched beyond the probe struct's own: /m);
  assert.match(text, /^\+ set_tid d8 +-?\d/m);
  assert.match(text, /set_tid d8: 1600 pids chosen, 0 mismatches, 240\/240 levels read back/);
  // Every other clone, and the environment in three lines naming the flags that matter.
  assert.equal((section(text, 'Against every other clone', 'Not measured').match(/^- /gm) ?? []).length, 7);
  const env = text.slice(at('Environment')).trim().split('\n').slice(2).filter(Boolean);
  assert.equal(env.length, 3, env.join('\n'));
  assert.match(env[1], /AuthenticAMD family 25 model 17 stepping 1/);
  assert.match(env[2], /^pti no, pcid yes, fsrm yes, erms yes; uid 0, CPU 1, steal \d+ ms$/);
  const intel = renderReport([one('i.json', { cpuFlags: { pti: true, pcid: false, fsrm: false, erms: null } })], 'text');
  assert.match(intel, /^pti yes, pcid no, fsrm no, erms unknown; /m);
});

test('text: a plan that disagrees with its model says NO in its row and is named in a line of its own; the other placements mark it', () => {
  const text = renderReport([one('results/d.json', DISAGREE)], 'text');
  assert.match(text, /^ {2}pids@4 +2\/96 +1\d\d\.\d \[[\d., ]+\] +\d+\.\d +NO +0\.\d+$/m);
  assert.equal((text.match(/ NO /g) ?? []).length, 1, 'only that row disagrees');
  assert.match(text, /^1 plan DISAGREES with its model \(the intervals do not overlap\):$/m);
  assert.match(joined(text), /^- clone3 pids@4 at co-located: 1\d\d\.\d ns \[[\d., ]+\], model \d+\.\d \[[\d., ]+\] \(copy\/model-caller\)$/m);
  assert.doesNotMatch(text, /Every measured plan agrees/);
  assert.match(section(text, 'The same plans at every placement', 'Against'), /^ {2}pids@4 +1\d\d\.\d! +\d+\.\d +\d+\.\d$/m);
});

test('text: the boundary verdict in one line: a slow path at page ends, or none, or not measured', () => {
  const slow = flowed(renderReport([one('s.json', { slowPathNs: 90 })], 'text'));
  assert.match(slow, /^Page end: this CPU takes a slow path for short copies ending at a page end before a non-present page: up to 9\d\.\d ns more per copy \(\d+ B\)\.$/m);
  const none = renderReport([one('n.json', { noClone3: true })], 'text');
  assert.match(none, /^Page end: the boundary variants were not measured/m);
  // Plans measured without the copy suite: no model to agree with, and the text says so.
  const noModel = flowed(renderReport([one('m.json', { suites: ['proposals'] })], 'text'));
  assert.match(noModel, /^No plan was set against a model: no copy model in this run/m);
  assert.doesNotMatch(noModel, /Every measured plan agrees/);
  const noCopy = renderReport([one('p.json', { suites: ['floor', 'clone'] })], 'text');
  assert.match(noCopy, /^Not in this run: the proposals suite did not run\.$/m);
  assert.match(noCopy, /^Page end: the boundary experiment did not run\.$/m);
});

test('text: skipped variants say their code in the tables and their reason once; no clone3 falls back to legacy clone', () => {
  const text = renderReport([one('results/skips.json', { skips: true })], 'text');
  assert.match(text, /^thread clone3 node +skipped: ENOSYS$/m);
  assert.match(text, /^plain d1 +skipped: EPERM$/m);
  assert.equal((joined(text).match(/^- pids\/.*: EPERM: .*user namespaces are off/gm) ?? []).length, pidsSuite.variants.length, 'one reason line per skipped pids variant');
  assert.match(text, /^Skipped\n-------/m);
  assert.match(flowed(text), /^Not measured, so no share: CLONE_NEWPID clone, Node parent; CLONE_NEWPID clone, small C parent\.$/m);
  const none = renderReport([one('results/n.json', { noClone3: true })], 'text');
  assert.match(none, /created by legacy clone \(clone3 refused\): plain d1, ns_last_pid d1/);
  assert.match(none, /^ {2}pids@4 +2\/96 +skipped +- +- +-$/m);
});

test('text: a variant measured with fewer rounds than planned is listed as incomplete, with the workers it came from', () => {
  const r = makeResults();
  const v = r.variants.find((x) => x.id === 'copy/struct-1024')!;
  const keep = v.sampleWorkers.map((w) => w === 0);
  for (const k of ['samplesNsPerIter', 'sampleRounds', 'sampleWorkers'] as const) v[k] = v[k].filter((_, i) => keep[i]) as number[];
  v.complete = false;
  const text = renderReport([{ path: 'i.json', results: r }], 'text');
  assert.match(text, /^Incomplete\n----------\n\n- copy\/struct-1024: 8 of 16 rounds \(from worker 0\)$/m);
  assert.doesNotMatch(renderReport([one('c.json')], 'text'), /^Incomplete$/m);
});

test('text: warnings from the run come before the answer', () => {
  const text = renderReport([one('w.json', { warnings: ['worker 2 of the copy suite exited with signal 9; its rounds were run by the others'] })], 'text');
  assert.ok(text.indexOf('- warning: worker 2 of the copy suite') < text.indexOf('The answer'));
});

test('text: three results files give three columns per key figure, labelled by host, CPU, kernel and CPU flags', () => {
  const text = renderReport(
    [
      one('a.json', { host: 'alpha', kernelRelease: '6.1.0' }),
      one('b.json', { host: 'beta', cpuModel: 'Intel Xeon', cpuFlags: { pti: true, pcid: false } }),
      one('c.json', { host: 'gamma', kernelRelease: '6.19.2' }),
    ],
    'text',
  );
  assert.match(joined(text), /^- \[1\] alpha, AMD EPYC, Linux 6\.1\.0 \(a\.json\); pti no, pcid yes, fsrm yes, erms yes$/m);
  assert.match(joined(text), /^- \[2\] beta, Intel Xeon, Linux 6\.18\.44 \(b\.json\); pti yes, pcid no, fsrm yes, erms yes$/m);
  assert.match(joined(text), /^- \[3\] gamma, AMD EPYC, Linux 6\.19\.2 \(c\.json\); /m);
  assert.match(text, /^floor \(ns per call\):\n\nfigure +\[1\] +\[2\] +\[3\]$/m);
  assert.match(text, /^copy cost of each interface and request, co-located \(ns, paired\):\n\nfigure +\[1\] +\[2\] +\[3\]$/m);
  const getppid = text.split('\n').find((l) => l.startsWith('getppid() via glibc'))!;
  assert.equal(getppid.trim().split(/ {2,}/).length, 4, `a label and three values: ${getppid}`);
  const slow = text.split('\n').find((l) => l.startsWith('slow path on this CPU'))!;
  assert.match(slow, /^slow path on this CPU +no +no +no$/);
  assert.match(text, /^Every measured plan agrees with its model, in every run\.$/m);
});

test('side by side: figures joined by key; a figure one run lacks is empty in its column', () => {
  const m = buildReportModel([one('a.json'), one('b.json', { skips: true }), one('c.json', { slowPathNs: 90 })]);
  const clone = m.sideBySide!.groups.find((g) => g.id === 'clone')!;
  const newpid = clone.rows.find((r) => r.key === 'clone/node/newpid-legacy')!;
  assert.equal(newpid.cells.length, 3);
  assert.ok(newpid.cells[0] && newpid.cells[2]);
  assert.equal(newpid.cells[1], null);
  assert.match(newpid.notes[1]!, /^EPERM/);
  const pids = m.sideBySide!.groups.find((g) => g.id === 'pids')!;
  assert.match(pids.rows.find((r) => r.key === 'pids/ns_last_pid')!.notes[1]!, /^EPERM/);
  assert.deepEqual(m.sideBySide!.groups.find((g) => g.id === 'boundary')!.rows[0].texts, ['no', 'no', 'yes']);
  const answer = m.sideBySide!.groups.find((g) => g.id === 'answer-cost')!;
  assert.ok(answer.rows.every((r) => r.key.endsWith('@co-located')), 'the answer at the headline placement only');
  assert.equal(answer.rows.length, ANSWER_ROWS);
});

test('markdown: the same rows as GFM tables, strings from the file escaped and kept on one line', () => {
  const md = renderReport([one('results/x.json', { inject: '|<script>*x*', ...DISAGREE })], 'md');
  assert.match(md, /^\| request \| calls\/B \| copy ns \\\[95% CI\\\] \| model \| agree \| % clone \|$/m);
  assert.equal((md.match(/^\| (empty|pids@\d+) \| [^|]+ \| [^|]+ \| [^|]+ \| (yes|NO|-) \|/gm) ?? []).length, ANSWER_ROWS);
  assert.match(md, /^\| pids@4 \| 2\/96 \| .* \| NO \|/m);
  assert.match(md, /^1 plan DISAGREES with its model/m);
  assert.ok(!md.includes('<script>'), 'no raw HTML from the file');
  assert.ok(md.includes('\\|\\<script\\>\\*x\\*'), 'pipes, angle brackets and emphasis escaped');
  // Every table row has as many cells as its header.
  for (const block of md.split('\n\n').filter((b) => b.startsWith('|'))) {
    const rows = block.split('\n');
    const cells = (r: string) => r.replace(/\\\|/g, '').split('|').length;
    for (const r of rows) assert.equal(cells(r), cells(rows[0]), `ragged row: ${r}`);
  }
});

test('json: the view model itself, version 2', () => {
  const parsed = JSON.parse(renderReport([one('a.json')], 'json')) as {
    schema: string;
    version: number;
    runs: Array<{ answer: { headlinePlacement: string; rows: Array<{ placement: string; agrees: boolean | null }> }; environment: { cpuFlags: string } }>;
  };
  assert.equal(parsed.schema, 'clonebench.report');
  assert.equal(parsed.version, 2);
  assert.equal(parsed.runs[0].answer.headlinePlacement, 'co-located');
  assert.equal(parsed.runs[0].answer.rows.filter((r) => r.placement === 'co-located').length, ANSWER_ROWS);
  assert.equal(parsed.runs[0].environment.cpuFlags, 'pti no, pcid yes, fsrm yes, erms yes');
});
