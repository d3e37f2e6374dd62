/**
 * What the plain-text and markdown reports say, in order: the answer first, then the key
 * figures (floor, copy per call and per byte, clone per shape, chosen pids), skips, and the
 * environment in three lines. Narrow by design: the text is pasted into mailing-list replies
 * that wrap at 72 columns (the HTML report carries every column and chart).
 */
import type { AnswerView, KeyGroup, ReportModel, RunView, SideBySideGroup } from '../view-model/types.js';
import { heading, list, paragraph, table, type Block, type TableRow } from './blocks.js';
import { figure, NOISE_MARK, ns, nsWithCi, pct } from './units.js';

function answerBlocks(a: AnswerView): Block[] {
  const out: Block[] = [heading('The answer: what copying the arguments costs')];
  const head = a.clones.findIndex((c) => c.key === a.headlineClone);
  const clone = head >= 0 ? a.clones[head] : null;
  out.push(
    paragraph(
      'Each interface\'s copy plan for a request, executed as real copy_from_user calls: ' +
        'ns per request, paired with as many empty probes (median [95% CI]); ' +
        (a.model ? `model = calls x ${a.model.perCallNs.toFixed(2)} ns + bytes x ${a.model.perByteNs.toFixed(4)} ns (${a.model.fit}); ` : 'no copy fit in this run, so no model; ') +
        (clone?.median
          ? `"% clone" = share of the cheapest clone measured, ${clone.label}: ${nsWithCi(clone.median)}` +
            (clone.noiseNs !== null ? `, noise +-${ns(clone.noiseNs)}` : '') +
            '; mark ~ = the copy cost overlaps that noise, * = above it, none = below.'
          : 'no clone variant was measured, so no share of clone.'),
    ),
  );
  const rows: TableRow[] = [];
  for (const proposal of [...new Set(a.rows.map((r) => r.proposal))]) {
    rows.push({ cells: [proposal, '', '', '', ''], group: true });
    for (const r of a.rows.filter((x) => x.proposal === proposal)) {
      const o = head >= 0 ? r.overheads[head] : undefined;
      const cost = r.status === 'zero' ? '0 (no reads)' : r.status === 'refused' ? 'refused' : r.cost ? nsWithCi(r.cost).replace(/ ns /, ' ') : 'skipped';
      const share = r.status === 'zero' ? '0' : o?.ratio ? `${pct(o.ratio.estimate)}${NOISE_MARK[o.versusNoise ?? ''] ? ` ${NOISE_MARK[o.versusNoise ?? '']}` : ''}` : '-';
      rows.push({
        cells: [`  ${r.request}`, r.copies === null ? '-' : `${r.copies}/${r.bytes}`, cost, r.modelNs === null ? '-' : r.modelNs.toFixed(1), share],
      });
    }
  }
  out.push(table(['request', 'calls/B', 'copy ns [95% CI]', 'model', '% clone'], rows, ['l', 'r', 'r', 'r', 'r']));
  // The other clones, as the largest share any request takes of each.
  const others = a.clones
    .map((c, i) => ({ c, i }))
    .filter(({ c, i }) => i !== head && c.median)
    .map(({ c, i }) => {
      const shares = a.rows.flatMap((r) => (r.status === 'measured' && r.overheads[i]?.ratio ? [r.overheads[i].ratio!.estimate] : []));
      return `${c.label}, ${nsWithCi(c.median!)}: ${shares.length ? `at most ${pct(Math.max(...shares))}%` : 'no share measured'}`;
    });
  if (others.length) out.push(paragraph('Against the other clones measured (largest share of any request):'), list(others));
  const refused = new Map<string, string[]>();
  for (const r of a.rows.filter((x) => x.status === 'refused' || x.status === 'skipped')) {
    const key = `${r.proposal}: ${r.status}: ${r.reason ?? 'no reason given'}`;
    refused.set(key, [...(refused.get(key) ?? []), r.request]);
  }
  if (refused.size) out.push(paragraph('Not measured:'), list([...refused].map(([why, reqs]) => `${reqs.join(', ')} of ${why}`)));
  return out;
}

const GROUP_ORDER: ReadonlyArray<KeyGroup['id']> = ['floor', 'copy', 'clone', 'pids'];

function keyFigureBlocks(run: RunView): Block[] {
  const out: Block[] = [heading('Key figures')];
  for (const id of GROUP_ORDER) {
    const g = run.keyFigures.find((x) => x.id === id);
    if (!g) continue;
    out.push(paragraph(`${g.title}:`));
    // A figure not measured says its code here; the reasons are listed once, under "Skipped".
    const missing = (note: string | null) => (note ? `skipped: ${note.split(':')[0]}` : 'not measured');
    out.push(table(['figure', 'median [95% CI]'], g.figures.map((f) => [f.label, f.value ? figure(f.unit, f.value, true) : missing(f.note)]), ['l', 'r']));
    const notes: string[] = [];
    if (id === 'copy') notes.push(...run.copy.fits.map((f) => `${f.label}: ${f.description}; x = ${f.xLabel}`));
    if (id === 'pids') notes.push(...pidNotes(run));
    if (notes.length) out.push(list(notes));
  }
  if (out.length === 1) out.push(paragraph('none: this run measured no floor, copy, clone or pids suite'));
  return out;
}

function pidNotes(run: RunView): string[] {
  return run.pids
    .filter((p) => p.baseline && p.chosen !== null)
    .map((p) => {
      const wrong = p.method.startsWith('ns_last_pid') ? 'races' : 'mismatches';
      const back = p.readBack ? `, ${p.readBack.levelsRight}/${p.readBack.levelsExpected} levels read back right (pidfd NSpid)` : '';
      return `${p.method} d${p.levels}: ${p.chosen} pids chosen, ${p.mismatches} ${wrong}${back}`;
    });
}

function singleRun(run: RunView): Block[] {
  const out: Block[] = [heading(`clonebench report: ${run.label.title}`, 1), paragraph(`from ${run.label.file}`)];
  out.push(...(run.answer ? answerBlocks(run.answer) : [heading('The answer'), paragraph('not in this run: the proposals suite did not run')]));
  out.push(...keyFigureBlocks(run));
  if (run.skips.length) out.push(heading('Skipped'), list(run.skips.map((s) => `${s.key}: ${s.code}: ${s.meaning}${s.detail ? ` (${s.detail})` : ''}`)));
  if (run.label.interrupted) out.push(paragraph('This run was interrupted (Ctrl-C): some variants have fewer rounds than planned.'));
  out.push(heading('Environment'), { kind: 'lines', lines: run.environment.summary });
  return out;
}

function sideBySideTable(g: SideBySideGroup, columns: number): Block[] {
  const header = [g.title, ...Array.from({ length: columns }, (_, i) => `[${i + 1}]`)];
  const rows = g.rows.map((r) => [r.label, ...r.cells.map((c, i) => (c ? figure(r.unit, c, false) : (r.notes[i] ?? '-').split(':')[0]))]);
  return [table(header, rows, header.map((_, i) => (i === 0 ? 'l' : 'r')))];
}

function severalRuns(model: ReportModel): Block[] {
  const sbs = model.sideBySide!;
  const out: Block[] = [heading(`clonebench report: ${model.runs.length} runs side by side`, 1)];
  out.push(paragraph('Medians; the intervals are in each run\'s own report. Columns:'));
  out.push(list(sbs.columns.map((c, i) => `[${i + 1}] ${c.title} (${c.file})`)));
  for (const g of sbs.groups) out.push(...sideBySideTable(g, sbs.columns.length));
  out.push(heading('Environments'));
  model.runs.forEach((run, i) => out.push({ kind: 'lines', lines: [`[${i + 1}] ${run.environment.summary[0]}`, ...run.environment.summary.slice(1).map((l) => `    ${l}`)] }));
  return out;
}

export function reportDocument(model: ReportModel): Block[] {
  return model.runs.length === 1 ? singleRun(model.runs[0]) : severalRuns(model);
}
