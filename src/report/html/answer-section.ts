/**
 * The answer section: the headline placement first (per interface and request: copy ns, model,
 * agree, share of the cheapest clone), then the shares of every clone variant, then the same
 * plans at every placement with the boundary verdict beside them, and the chart. A plan that
 * disagrees with its model is said so in the page's text, not only in a tooltip.
 */
import { nsWithCi, NOISE_MARK, ns, pct, pctWithCi } from '../document/units.js';
import { disagreements, judged, rowsAt } from '../view-model/answer.js';
import { PLACEMENT_LABELS, label } from '../view-model/labels.js';
import type { AnswerClone, AnswerRow, AnswerView, BoundaryView, RunLabel } from '../view-model/types.js';
import { answerChart } from './charts.js';
import { html, type SafeHtml } from './escape.js';
import { ChartSink, num, tableOf } from './parts.js';

const NOISE_TITLE: Readonly<Record<string, string>> = {
  below: 'the copy cost\'s interval lies below clone\'s own noise',
  overlaps: 'the copy cost\'s interval overlaps clone\'s own noise',
  above: 'the copy cost\'s interval lies above clone\'s own noise',
};

/** A share of a clone with its noise mark in one cell (the interval too when asked). */
function shareCell(r: AnswerRow, i: number, withCi: boolean): SafeHtml {
  const o = r.overheads[i];
  if (r.status === 'zero') return num('0');
  if (!o?.ratio) return num('-');
  const mark = NOISE_MARK[o.versusNoise ?? ''] ?? '';
  const title = `${pctWithCi(o.ratio)}; ${NOISE_TITLE[o.versusNoise ?? ''] ?? 'noise not judged'}`;
  return html`<td class="num" title="${title}">${withCi ? pctWithCi(o.ratio) : `${pct(o.ratio.estimate)}%`}${mark ? html` <strong>${mark}</strong>` : ''}</td>`;
}

const costText = (r: AnswerRow) => (r.status === 'zero' ? '0 (no reads)' : r.status === 'refused' ? 'refused' : r.cost ? nsWithCi(r.cost) : 'skipped');
const modelText = (r: AnswerRow, withCi: boolean) => (r.model ? (withCi ? nsWithCi(r.model) : ns(r.model.estimate)) : r.status === 'measured' ? 'no model' : '-');

/** "yes" / "NO" (a disagreement, marked in red and bold) / "-". */
const agreeCell = (r: AnswerRow) =>
  r.agrees === null ? html`<td class="agree">-</td>` : r.agrees ? html`<td class="agree">yes</td>` : html`<td class="agree no">NO</td>`;

const rowClass = (r: AnswerRow) => (r.agrees === false ? 'disagree' : r.status === 'refused' || r.status === 'skipped' ? 'muted' : '');

const cloneHead = (c: AnswerClone) =>
  html`${c.shapeLabel}<br><span class="muted">${c.median ? ns(c.median.estimate) : 'not measured'}${c.noiseNs !== null ? html`<br>+-${ns(c.noiseNs)}` : ''}</span>`;

/** "2 / 20", "1 / 2 (4 copied)": the plan's calls and bytes, and the probes' bytes where set_tid's
 * whole pids copy more than the plan reads. */
const callsBytes = (r: AnswerRow) =>
  r.copies === null ? '-' : `${r.copies} / ${r.bytes}${r.probeBytes !== null && r.probeBytes !== r.bytes ? ` (${r.probeBytes} copied)` : ''}`;

function headlineTable(a: AnswerView, head: number): SafeHtml {
  const headline = head >= 0 ? a.clones[head] : null;
  const rows = rowsAt(a).map(
    (r) =>
      html`<tr class="${rowClass(r)}"><td>${r.proposal}</td><td>${r.request}</td>${num(callsBytes(r))}${num(costText(r))}${num(modelText(r, true))}${agreeCell(r)}${
        head >= 0 ? shareCell(r, head, true) : ''
      }</tr>`,
  );
  const thead = html`<tr><th>interface</th><th>request</th><th class="num">calls / bytes</th><th class="num">copy ns [95% CI]</th><th class="num">model ns [95% PI]</th><th>agree</th>${
    headline ? html`<th class="num">% of the cheapest clone [95% CI]<br><span class="muted">${headline.label}, ${headline.median ? ns(headline.median.estimate) : ''}</span></th>` : ''
  }</tr>`;
  return tableOf(thead, rows, 'answer-headline');
}

/** Every clone variant's share, one column each (the interval in the cell's title). */
function everyCloneTable(a: AnswerView): SafeHtml {
  const rows = rowsAt(a)
    .filter((r) => r.status === 'measured' || r.status === 'zero')
    .map((r) => html`<tr><td>${r.proposal}</td><td>${r.request}</td>${a.clones.map((_, i) => shareCell(r, i, false))}</tr>`);
  // Two header rows: the parents, then each clone's shape with its median and noise.
  const parents: Array<{ label: string; span: number }> = [];
  for (const c of a.clones) {
    const last = parents[parents.length - 1];
    if (last?.label === c.whereLabel) last.span++;
    else parents.push({ label: c.whereLabel, span: 1 });
  }
  const thead = html`<tr><th rowspan="2">interface</th><th rowspan="2">request</th>${parents.map((p) => html`<th class="parent" colspan="${p.span}">% of a clone from the ${p.label}</th>`)}</tr><tr>${a.clones.map(
    (c) => html`<th class="num clone" data-clone="${c.key}">${cloneHead(c)}</th>`,
  )}</tr>`;
  return tableOf(thead, rows, 'answer-every-clone');
}

/** The same plans at every placement: measured / model / agree side by side. */
function placementsTable(a: AnswerView): SafeHtml {
  const cells = (proposal: string, levels: number, placement: string) => {
    const r = a.rows.find((x) => x.proposal === proposal && x.levels === levels && x.placement === placement);
    if (!r) return html`<td class="num">-</td><td class="num">-</td><td class="agree">-</td>`;
    const cost = r.status === 'measured' && r.cost ? nsWithCi(r.cost).replace(/ ns /, ' ') : costText(r);
    return html`${num(cost, r.agrees === false ? 'no' : '')}${num(r.model ? r.model.estimate.toFixed(1) : '-')}${agreeCell(r)}`;
  };
  const rows = rowsAt(a)
    .filter((r) => r.status === 'measured' || r.status === 'zero')
    .map((r) => html`<tr><td>${r.proposal}</td><td>${r.request}</td>${a.placements.map((p) => cells(r.proposal, r.levels, p))}</tr>`);
  const thead = html`<tr><th rowspan="2">interface</th><th rowspan="2">request</th>${a.placements.map(
    (p) => html`<th colspan="3" class="placement" data-placement="${p}">${label(PLACEMENT_LABELS, p)}</th>`,
  )}</tr><tr>${a.placements.map(() => html`<th class="num">ns [95% CI]</th><th class="num">model</th><th>agree</th>`)}</tr>`;
  return tableOf(thead, rows, 'answer-placements');
}

function boundaryBox(b: BoundaryView | null, id: string): SafeHtml {
  if (!b) return html`<aside class="verdict-box" id="${id}"><strong>Page end:</strong> the boundary experiment did not run.</aside>`;
  const cls = b.slowPath === 'yes' ? 'slow-yes' : b.slowPath === 'no' ? 'slow-no' : 'slow-unclear';
  return html`<aside class="verdict-box ${cls}" id="${id}"><strong>Page end: slow path on this CPU? ${b.slowPath ?? 'not measured'}.</strong> ${b.note}. <span class="muted">(A short copy ending at a page end before a non-present page against the same copy mid-page, in one batch; threshold ${b.thresholdNs} ns per copy; see the copy section.)</span></aside>`;
}

export function answerSection(a: AnswerView | null, boundary: BoundaryView | null, run: RunLabel, sink: ChartSink, id: string): SafeHtml {
  const title = html`<h2 id="${id}">The answer: what copying a request's arguments costs</h2><p class="env-line">${run.title}; CPU flags: ${run.cpuFlags}</p>`;
  if (!a) return html`${title}<p>Not in this run: the proposals suite did not run.</p>${boundaryBox(boundary, `${id}-boundary`)}`;
  const head = a.clones.findIndex((c) => c.key === a.headlineClone);
  const headline = head >= 0 ? a.clones[head] : null;
  const wrong = disagreements(a);
  const models = a.models.filter((f) => f.predicts.length);
  const disagreeBox = wrong.length
    ? html`<div class="warning disagreements"><p><strong>${wrong.length} plan${wrong.length === 1 ? '' : 's'} disagree${wrong.length === 1 ? 's' : ''} with ${wrong.length === 1 ? 'its' : 'their'} model</strong> (measured interval and the model's prediction interval do not overlap): the model does not explain ${wrong.length === 1 ? 'this cost' : 'these costs'}.</p><ul>${wrong.map(
        (r) => html`<li>${r.proposal} ${r.request} at ${r.placement}: measured ${r.cost ? nsWithCi(r.cost) : '-'}, model ${r.model ? nsWithCi(r.model) : '-'} (${r.model?.fit ?? 'no model'})${r.modelNote ? `; ${r.modelNote}` : ''}</li>`,
      )}</ul></div>`
    : judged(a).length
      ? html`<p class="agrees-all">Every measured plan agrees with its model, at every placement (${a.placements.join(', ')}).</p>`
      : html`<p class="muted">No plan was set against a model: no copy model in this run (the copy suite did not run or was skipped).</p>`;
  const reasons = [...new Set(rowsAt(a).filter((r) => r.status === 'refused' || r.status === 'skipped').map((r) => `${r.proposal} ${r.request}: ${r.reason ?? 'no reason given'}`))];
  const unmeasured = a.clones.filter((c) => !c.median);
  return html`${title}
<p>Each interface's copy plan for a request (the reads its kernel side makes), executed as real <code>copy_from_user</code> calls from the encoder's own memory and paired per batch with as many empty probes: ns per request, median with 95% interval, at the <strong>${a.headlinePlacement}</strong> placement, where a caller's arguments sit (the other placements below). Model: what the placement's copy model (${
    models.map((f) => `${f.key}: ${f.terms.map((t) => t.name).join(' + ')}`).join('; ') || 'none in this run'
  }) predicts for the plan's probes, with its 95% prediction interval, at the speed the plan's own baseline probes ran at; agree: measured and predicted overlap as shares of that baseline (so a VM that slows down between suites does not read as disagreement), and the model fits its own points. Share: the copy cost's median over the clone's median${
    headline ? html`; the cheapest clone measured, ${headline.label}, is the worst case` : ''
  }. Mark: none = below clone's own noise (half the width of its interval), ~ = overlaps it, * = above it.</p>
${disagreeBox}
<h3>At the ${a.headlinePlacement} placement</h3>
${headlineTable(a, head)}
${reasons.length ? html`<ul class="muted">${reasons.map((x) => html`<li>${x}</li>`)}</ul>` : ''}
<h3>Share of every clone variant measured</h3>
<p>The copy cost at the ${a.headlinePlacement} placement as a share of every clone variant of this run: thread-like, vfork-like, fork-like and CLONE_NEWPID, from the Node parent and from a small C parent. Under each clone: its median and its noise (+-, half the width of its 95% interval), against which the marks judge the copy cost.${
    unmeasured.length ? ` Not measured (no share): ${unmeasured.map((c) => c.label).join('; ')}.` : ''
  }</p>
${everyCloneTable(a)}
<h3>The same plans at every placement</h3>
<p>Measured cost, model and agreement of each plan with its memory co-located, scattered (a page per segment) and at a page end before a PROT_NONE page (adversarial: some CPUs take a slow path there), side by side. A caller's arguments sit as in co-located; the others show how much the answer depends on where the bytes are.</p>
${boundaryBox(boundary, `${id}-boundary`)}
${placementsTable(a)}
${sink.place(answerChart(a), 'answer', 'Measured copy cost per interface, request and placement (colour); grey bars: the model\'s 95% prediction interval; a triangle marks a plan that disagrees with its model. Refused requests are not drawn (see the tables).')}`;
}
