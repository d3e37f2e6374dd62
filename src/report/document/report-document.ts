/**
 * What the plain-text and markdown reports say, in order: the answer first (at the headline
 * placement, with the model and whether they agree), every disagreement, the boundary verdict,
 * the plans at every placement, then the key figures (floor, copy models per term, clone per
 * shape, chosen pids), skips, and the environment in three lines naming the CPU flags. Narrow by
 * design: the text is pasted into mailing-list replies that wrap at 72 columns, and it is what
 * `clonebench run` prints after a run (the HTML report carries every column and chart).
 */
import { disagreements, judged, rowsAt } from '../view-model/answer.js';
import type { AnswerRow, AnswerView, BoundaryView, CopyFitView, KeyGroup, ReportModel, RunView, SideBySideGroup } from '../view-model/types.js';
import { heading, list, paragraph, table, type Block, type TableRow } from './blocks.js';
import { figure, NOISE_MARK, ns, nsWithCi, pct } from './units.js';

const rowName = (r: AnswerRow) => `${r.proposal} ${r.request}`;

/** A measured cost in a narrow cell: "78.9 [78.1, 79.5]"; the reason's code otherwise. */
function costCell(r: AnswerRow): string {
  if (r.status === 'zero') return '0 (no reads)';
  if (r.status === 'refused') return 'refused';
  return r.cost ? nsWithCi(r.cost).replace(/ ns /, ' ') : 'skipped';
}

const agreeCell = (r: AnswerRow) => (r.agrees === null ? '-' : r.agrees ? 'yes' : 'NO');

function shareCell(r: AnswerRow, clone: number): string {
  if (r.status === 'zero') return '0';
  const o = clone >= 0 ? r.overheads[clone] : undefined;
  if (!o?.ratio) return '-';
  const mark = NOISE_MARK[o.versusNoise ?? ''];
  return `${pct(o.ratio.estimate)}${mark ? ` ${mark}` : ''}`;
}

/** "clone3 pids@4 at co-located: 110.8 ns [110.4, 111.5], model 80.7 [79.5, 81.8]" */
function disagreementLine(r: AnswerRow): string {
  const model = r.model ? `model ${nsWithCi(r.model).replace(/ ns /, ' ')} (${r.model.fit})` : 'no model';
  return `${rowName(r)} at ${r.placement}: ${r.cost ? nsWithCi(r.cost) : '-'}, ${model}${r.modelNote ? `; ${r.modelNote}` : ''}`;
}

export function boundaryLine(b: BoundaryView | null): string {
  if (!b) return 'Page end: the boundary experiment did not run.';
  return `Page end: ${b.note}.`;
}

function byProposal(rows: readonly AnswerRow[], cells: (r: AnswerRow) => string[]): TableRow[] {
  const out: TableRow[] = [];
  const width = cells(rows[0]).length + 1;
  for (const proposal of [...new Set(rows.map((r) => r.proposal))]) {
    out.push({ cells: [proposal, ...Array<string>(width - 1).fill('')], group: true });
    for (const r of rows.filter((x) => x.proposal === proposal)) out.push({ cells: [`  ${r.request}`, ...cells(r)] });
  }
  return out;
}

function answerBlocks(a: AnswerView, boundary: BoundaryView | null): Block[] {
  const out: Block[] = [heading('The answer: what copying the arguments costs')];
  const head = a.clones.findIndex((c) => c.key === a.headlineClone);
  const clone = head >= 0 ? a.clones[head] : null;
  const rows = rowsAt(a);
  const fits = [...new Set(rows.flatMap((r) => (r.model ? [r.model.fit] : [])))];
  out.push(
    paragraph(
      `Each interface's copy plan for a request, run as real copy_from_user calls with its memory ${a.headlinePlacement} ` +
        '(as a caller lays its arguments out): ns per request over as many empty probes, median [95% CI]. ' +
        (fits.length
          ? `model = what the copy model (${fits.join(', ')}) predicts for the plan's probes at the plan's own speed; agree = measured and model overlap as shares of the plan's in-batch baseline (95% intervals). `
          : 'No copy model in this run, so no prediction. ') +
        (clone?.median
          ? `% clone = share of the cheapest clone measured, ${clone.label}: ${nsWithCi(clone.median)}` +
            (clone.noiseNs !== null ? `, noise +-${ns(clone.noiseNs)}` : '') +
            '; ~ = the copy cost overlaps that noise, * = above it, none = below.'
          : 'No clone variant was measured, so no share of clone.'),
    ),
  );
  if (rows.length)
    out.push(
      table(
        ['request', 'calls/B', 'copy ns [95% CI]', 'model', 'agree', '% clone'],
        byProposal(rows, (r) => [
          r.copies === null ? '-' : `${r.copies}/${r.bytes}`,
          costCell(r),
          r.model ? r.model.estimate.toFixed(1) : '-',
          agreeCell(r),
          shareCell(r, head),
        ]),
        ['l', 'r', 'r', 'r', 'r', 'r'],
      ),
    );
  const wrong = disagreements(a);
  out.push(
    wrong.length
      ? paragraph(`${wrong.length} plan${wrong.length === 1 ? '' : 's'} DISAGREE${wrong.length === 1 ? 'S' : ''} with ${wrong.length === 1 ? 'its' : 'their'} model (the intervals do not overlap):`)
      : judged(a).length
        ? paragraph(`Every measured plan agrees with its model, at every placement (${a.placements.join(', ')}).`)
        : paragraph('No plan was set against a model: no copy model in this run (the copy suite did not run or was skipped).'),
  );
  if (wrong.length) out.push(list(wrong.map(disagreementLine)));
  out.push(paragraph(boundaryLine(boundary)));
  const others = a.placements.filter((p) => p !== a.headlinePlacement);
  if (others.length) {
    const measured = (r: AnswerRow) => r.status === 'measured' || r.status === 'zero';
    const cell = (proposal: string, levels: number, placement: string) => {
      const r = a.rows.find((x) => x.proposal === proposal && x.levels === levels && x.placement === placement);
      if (!r) return '-';
      if (!measured(r)) return r.status;
      return `${r.status === 'zero' ? '0' : r.cost ? r.cost.estimate.toFixed(1) : '-'}${r.agrees === false ? '!' : ''}`;
    };
    const planned = rows.filter(measured);
    out.push(
      paragraph(`The same plans at every placement (median ns; ! = disagrees with its model; ${others.join(' and ')} ${others.length === 1 ? 'is' : 'are'} not where a caller's arguments sit):`),
      table(['request', ...a.placements], byProposal(planned, (r) => a.placements.map((p) => cell(r.proposal, r.levels, p))), ['l', ...a.placements.map((): 'r' => 'r')]),
    );
  }
  // The other clones, as the largest share any request takes of each.
  const shares = a.clones
    .map((c, i) => ({ c, i }))
    .filter(({ c, i }) => i !== head && c.median)
    .map(({ c, i }) => {
      const s = rows.flatMap((r) => (r.status === 'measured' && r.overheads[i]?.ratio ? [r.overheads[i].ratio!.estimate] : []));
      return `${c.label}, ${nsWithCi(c.median!)}: ${s.length ? `at most ${pct(Math.max(...s))}%` : 'no share measured'}`;
    });
  if (shares.length) out.push(paragraph('Against every other clone measured (largest share of any request):'), list(shares));
  const unmeasured = a.clones.filter((c) => !c.median).map((c) => c.label);
  if (unmeasured.length) out.push(paragraph(`Not measured, so no share: ${unmeasured.join('; ')}.`));
  const refused = new Map<string, string[]>();
  for (const r of rows.filter((x) => x.status === 'refused' || x.status === 'skipped')) {
    const key = `${r.proposal}: ${r.status}: ${r.reason ?? 'no reason given'}`;
    refused.set(key, [...(refused.get(key) ?? []), r.request]);
  }
  if (refused.size) out.push(paragraph('Not measured:'), list([...refused].map(([why, reqs]) => `${reqs.join(', ')} of ${why}`)));
  return out;
}

const GROUP_ORDER: ReadonlyArray<KeyGroup['id']> = ['floor', 'copy', 'clone', 'pids'];

/** A copy model: its terms with intervals, and how far it misses its own points. */
function modelBlocks(f: CopyFitView): Block[] {
  const head = `${f.key}, ${f.label}${f.residualNs !== null ? `, residual ${ns(f.residualNs)}` : ''}${f.skip ? `: not fitted: ${f.skip}` : ':'}`;
  if (f.skip || f.terms.every((t) => !t.coefficient)) return [paragraph(head)];
  // A list, not a table: a term's label and its interval together are wider than 72 columns.
  return [paragraph(head), list(f.terms.map((t) => `${t.label}: ${t.coefficient ? figure(t.unit === 'ns/B' ? 'ns/B' : 'ns', t.coefficient, true) : 'not fitted'}`))];
}

function keyFigureBlocks(run: RunView): Block[] {
  const out: Block[] = [heading('Key figures')];
  for (const id of GROUP_ORDER) {
    const g = run.keyFigures.find((x) => x.id === id);
    if (!g) continue;
    out.push(paragraph(`${g.title}:`));
    if (id === 'copy') {
      for (const f of run.copy.fits) out.push(...modelBlocks(f));
      continue;
    }
    // A figure not measured says its code here; the reasons are listed once, under "Skipped".
    const missing = (note: string | null) => (note ? `skipped: ${note.split(':')[0]}` : 'not measured');
    out.push(table(['figure', 'median [95% CI]'], g.figures.map((f) => [f.label, f.value ? figure(f.unit === 'text' ? 'ns' : f.unit, f.value, true) : missing(f.note)]), ['l', 'r']));
    if (id === 'pids') {
      const notes = pidNotes(run);
      if (notes.length) out.push(list(notes));
    }
  }
  if (out.length === 1) out.push(paragraph('none: this run measured no floor, copy, clone or pids suite'));
  return out;
}

function pidNotes(run: RunView): string[] {
  const notes = run.pids
    .filter((p) => p.baseline && p.chosen !== null)
    .map((p) => {
      const wrong = p.method.startsWith('ns_last_pid') ? 'races' : 'mismatches';
      const back = p.readBack ? `, ${p.readBack.levelsRight}/${p.readBack.levelsExpected} levels read back right (pidfd NSpid)` : '';
      return `${p.method} d${p.levels}: ${p.chosen} pids chosen, ${p.mismatches} ${wrong}${back}`;
    });
  const legacy = run.pids.filter((p) => p.createdVia === 'legacy clone').map((p) => `${p.method} d${p.levels}`);
  if (legacy.length) notes.push(`created by legacy clone (clone3 refused): ${legacy.join(', ')}`);
  return notes;
}

function singleRun(run: RunView): Block[] {
  const m = run.method;
  const out: Block[] = [
    heading(`clonebench report: ${run.label.title}`, 1),
    paragraph(`from ${run.label.file}: ${m.options.startsWith('--quick') ? 'a --quick' : 'a'} run of ${(m.durationMs / 1000).toFixed(1)} s on ${run.label.createdAt.replace(/:\d\d(\.\d+)?Z$/, 'Z').replace('T', ' ')}`),
  ];
  if (run.warnings.length) out.push(list(run.warnings.map((w) => `warning: ${w}`)));
  out.push(...(run.answer ? answerBlocks(run.answer, run.copy.boundary) : [heading('The answer'), paragraph('Not in this run: the proposals suite did not run.'), paragraph(boundaryLine(run.copy.boundary))]));
  out.push(...keyFigureBlocks(run));
  if (run.skips.length) out.push(heading('Skipped'), list(run.skips.map((s) => `${s.key}: ${s.code}: ${s.meaning}${s.detail ? ` (${s.detail})` : ''}`)));
  if (run.label.interrupted) out.push(paragraph('This run was interrupted: some variants have fewer rounds than planned.'));
  const partial = run.method.incomplete;
  if (partial.length)
    out.push(
      heading('Incomplete'),
      list(partial.map((x) => `${x.key}: ${x.samples} of ${x.planned} rounds (from worker${x.workers.length === 1 ? '' : 's'} ${x.workers.join(', ')})`)),
    );
  out.push(heading('Environment'), { kind: 'lines', lines: run.environment.summary });
  return out;
}

function sideBySideTable(g: SideBySideGroup, columns: number): Block[] {
  const header = ['figure', ...Array.from({ length: columns }, (_, i) => `[${i + 1}]`)];
  const rows = g.rows.map((r) => [
    r.label,
    ...r.cells.map((c, i) => r.texts[i] ?? (c && r.unit !== 'text' ? figure(r.unit, c, false) : (r.notes[i] ?? '-').split(':')[0])),
  ]);
  return [paragraph(`${g.title}:`), table(header, rows, header.map((_, i) => (i === 0 ? 'l' : 'r')))];
}

function severalRuns(model: ReportModel): Block[] {
  const sbs = model.sideBySide!;
  const out: Block[] = [heading(`clonebench report: ${model.runs.length} runs side by side`, 1)];
  out.push(paragraph('Medians (0: a plan that reads nothing); the intervals are in each run\'s own report. Columns:'));
  out.push(list(sbs.columns.map((c, i) => `[${i + 1}] ${c.title} (${c.file}); ${c.cpuFlags}`)));
  for (const g of sbs.groups) out.push(...sideBySideTable(g, sbs.columns.length));
  const wrong = model.runs.flatMap((run, i) => (run.answer ? disagreements(run.answer).map((r) => `[${i + 1}] ${disagreementLine(r)}`) : []));
  const compared = model.runs.some((run) => run.answer && judged(run.answer).length);
  out.push(paragraph(wrong.length ? 'Plans that disagree with their model:' : compared ? 'Every measured plan agrees with its model, in every run.' : 'No plan was set against a model in any run.'));
  if (wrong.length) out.push(list(wrong));
  for (const w of model.runs.flatMap((run, i) => run.warnings.map((x) => `[${i + 1}] warning: ${x}`))) out.push(paragraph(w));
  out.push(heading('Environments'));
  model.runs.forEach((run, i) => out.push({ kind: 'lines', lines: [`[${i + 1}] ${run.environment.summary[0]}`, ...run.environment.summary.slice(1).map((l) => `    ${l}`)] }));
  return out;
}

export function reportDocument(model: ReportModel): Block[] {
  return model.runs.length === 1 ? singleRun(model.runs[0]) : severalRuns(model);
}
