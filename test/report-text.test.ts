/** The view model, and the plain-text and markdown reports built from it. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderReport } from '../src/report/index.js';
import { buildReportModel } from '../src/report/view-model/index.js';
import { ANSWER_ROWS, LEVELS, makeResults, PROPOSALS, requestName } from './report-fixtures.js';

const one = (path: string, o: Parameters<typeof makeResults>[0] = {}) => ({ path, results: makeResults(o) });
const HOSTILE = '</script><script>alert(1)</script>\u001b[2J\u2028|*_`<b>\t\nx'.repeat(2);

function assertMailable(text: string, what: string): void {
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    assert.ok(line.length <= 72, `${what}: line ${i + 1} has ${line.length} columns: ${JSON.stringify(line)}`);
    assert.match(line, /^[\x20-\x7e]*$/, `${what}: line ${i + 1} is not printable ASCII: ${JSON.stringify(line)}`);
  });
}

test('view model: one answer row per interface and request, the cheapest clone as the headline, key figures per suite', () => {
  const m = buildReportModel([one('a.json')]);
  const run = m.runs[0];
  assert.equal(m.sideBySide, null);
  assert.equal(run.answer!.rows.length, ANSWER_ROWS);
  assert.deepEqual(
    run.answer!.rows.map((r) => `${r.proposal} ${r.request}`),
    PROPOSALS.flatMap((p) => LEVELS.map((l) => `${p} ${requestName(l)}`)),
  );
  // thread-like (19 us) is cheaper than fork from the helper (110 us): the worst case.
  assert.equal(run.answer!.headlineClone, 'clone/node/thread-legacy');
  assert.deepEqual(run.keyFigures.map((g) => g.id), ['answer-cost', 'answer-share', 'floor', 'copy', 'clone', 'pids']);
  const share = run.keyFigures.find((g) => g.id === 'answer-share')!.figures.find((f) => f.key.startsWith('proposals/clone3/pids@4'))!;
  const cost = run.answer!.rows.find((r) => r.key.startsWith('proposals/clone3/pids@4'))!.cost!.estimate;
  const thread = run.answer!.clones[0].median!.estimate;
  assert.ok(Math.abs(share.value!.estimate - cost / thread) < 1e-12, 'the headline share is cost / the thread-like median');
  // Layouts computed from the built-in declarations: clone_with_pids' pid_set has a hole on x86_64.
  const pidSet = run.declarations.structs.find((s) => s.proposal === 'clone_with_pids' && s.name === 'pid_set')!;
  const x86 = pidSet.groups.find((g) => g.targets.includes('x86_64'))!;
  assert.deepEqual(x86.lines.map((l) => l.kind), ['member', 'hole', 'member']);
  assert.ok(!pidSet.groups.find((g) => g.targets.includes('i386'))!.lines.some((l) => l.kind === 'hole'), 'no hole on i386');
  assert.equal(run.declarations.source, 'computed');
  assert.ok(run.declarations.review!.rows.some((r) => r.proposal === 'clone3' && r.verdicts['SC-18'] === 'pass'));
});

test('text: every line at most 72 columns of printable ASCII, for a run with every suite, one with skips, and hostile strings', () => {
  const full = renderReport([one('results/full.json')], 'text');
  assertMailable(full, 'full run');
  const skips = renderReport([one('results/skips.json', { skips: true })], 'text');
  assertMailable(skips, 'run with skips');
  const hostile = renderReport([one(`results/${HOSTILE}.json`, { inject: HOSTILE })], 'text');
  assertMailable(hostile, 'hostile strings');
  const three = renderReport([one('a.json'), one('b.json', { host: 'b' }), one('c.json', { skips: true, host: 'c' })], 'text');
  assertMailable(three, 'three runs');
});

test('text: the answer comes first, then the key figures, then the environment in three lines', () => {
  const text = renderReport([one('results/full.json')], 'text');
  const at = (s: string) => {
    const i = text.indexOf(s);
    assert.ok(i >= 0, `missing: ${s}`);
    return i;
  };
  assert.ok(at('The answer') < at('Key figures') && at('Key figures') < at('floor (ns per call)'));
  assert.ok(at('floor (ns per call)') < at('copy_from_user (least') && at('copy_from_user (least') < at('clone + reap') && at('clone + reap') < at('chosen pids'));
  assert.ok(at('chosen pids') < at('Environment'));
  const env = text.slice(at('Environment')).trim().split('\n').slice(2).filter(Boolean);
  assert.equal(env.length, 3, env.join('\n'));
  // Every interface of the answer has its group line and its four requests.
  for (const p of PROPOSALS) assert.match(text, new RegExp(`^${p}$`, 'm'));
  assert.equal((text.match(/^ {2}(empty|pids@\d+) /gm) ?? []).length, ANSWER_ROWS);
  assert.match(text, /^ {2}pids@1 +- +refused/m);
  assert.match(text, /set_tid d1: 3000 pids chosen, 0 mismatches, 30\/30 levels read back/);
});

test('text: skipped variants say their code in the tables and their reason once', () => {
  const text = renderReport([one('results/skips.json', { skips: true })], 'text');
  assert.match(text, /^thread clone3 node +skipped: ENOSYS$/m);
  assert.match(text, /^plain d1 +skipped: EPERM$/m);
  assert.equal((text.match(/user namespaces are off/g) ?? []).length, 2, 'one reason line per skipped pids variant');
  assert.match(text, /^Skipped\n-------/m);
});

test('text: three results files give three columns per key figure, labelled by host, CPU and kernel', () => {
  const text = renderReport(
    [one('a.json', { host: 'alpha', kernelRelease: '6.1.0' }), one('b.json', { host: 'beta', cpuModel: 'Intel Xeon' }), one('c.json', { host: 'gamma', kernelRelease: '6.19.2' })],
    'text',
  );
  assert.match(text, /^- \[1\] alpha, AMD EPYC, Linux 6\.1\.0 \(a\.json\)$/m);
  assert.match(text, /^- \[2\] beta, Intel Xeon, Linux 6\.18\.44 \(b\.json\)$/m);
  assert.match(text, /^- \[3\] gamma, AMD EPYC, Linux 6\.19\.2 \(c\.json\)$/m);
  const header = text.split('\n').find((l) => l.startsWith('floor (ns per call)'))!;
  assert.match(header, /\[1\] +\[2\] +\[3\]$/);
  const getppid = text.split('\n').find((l) => l.startsWith('getppid() via glibc'))!;
  assert.equal(getppid.trim().split(/ {2,}/).length, 4, `a label and three values: ${getppid}`);
});

test('side by side: figures joined by key; a figure one run lacks is empty in its column', () => {
  const m = buildReportModel([one('a.json'), one('b.json', { skips: true }), one('c.json')]);
  const clone = m.sideBySide!.groups.find((g) => g.id === 'clone')!;
  const newpid = clone.rows.find((r) => r.key === 'clone/node/newpid-legacy')!;
  assert.equal(newpid.cells.length, 3);
  assert.ok(newpid.cells[0] && newpid.cells[2]);
  assert.equal(newpid.cells[1], null);
  assert.match(newpid.notes[1]!, /^EPERM/);
  const pids = m.sideBySide!.groups.find((g) => g.id === 'pids')!;
  assert.equal(pids.rows.find((r) => r.key === 'pids/ns_last_pid')!.notes[1], 'not in this run');
});

test('markdown: the same rows as GFM tables, strings from the file escaped and kept on one line', () => {
  const md = renderReport([one('results/x.json', { inject: '|<script>*x*' })], 'md');
  assert.match(md, /^\| request \| calls\/B \| copy ns \\\[95% CI\\\] \| model \| % clone \|$/m);
  assert.equal((md.match(/^\| (empty|pids@\d+) \|/gm) ?? []).length, ANSWER_ROWS);
  assert.ok(!md.includes('<script>'), 'no raw HTML from the file');
  assert.ok(md.includes('\\|\\<script\\>\\*x\\*'), 'pipes, angle brackets and emphasis escaped');
  // Every table row has as many cells as its header.
  for (const block of md.split('\n\n').filter((b) => b.startsWith('|'))) {
    const rows = block.split('\n');
    const cells = (r: string) => r.replace(/\\\|/g, '').split('|').length;
    for (const r of rows) assert.equal(cells(r), cells(rows[0]), `ragged row: ${r}`);
  }
});

test('json: the view model itself, versioned', () => {
  const parsed = JSON.parse(renderReport([one('a.json')], 'json')) as { schema: string; version: number; runs: Array<{ answer: { rows: unknown[] } }> };
  assert.equal(parsed.schema, 'clonebench.report');
  assert.equal(parsed.version, 1);
  assert.equal(parsed.runs[0].answer.rows.length, ANSWER_ROWS);
});
