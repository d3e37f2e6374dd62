/** The HTML report's sections, in the issue's order, each rendered from the view model. Every
 * chart is followed by a table with its numbers. */
import { figure, NOISE_MARK, ns, nsWithCi, pct, pctWithCi } from '../document/units.js';
import type { AnswerClone, AnswerRow, AnswerView, DeclarationsView, Estimate, ReportModel, RunView, StructView } from '../view-model/types.js';
import { answerChart, cloneChart, copyFitChart, pidsChart, type VegaLiteSpec } from './charts.js';
import { html, type HtmlPart, type SafeHtml } from './escape.js';
import type { PageChart } from './page.js';

/** Collects the charts of a page as sections place them. */
export class ChartSink {
  readonly charts: PageChart[] = [];
  place(spec: VegaLiteSpec | null, kind: string, caption: string): SafeHtml {
    if (!spec) return html`<p class="muted">No chart: nothing measured for it in this run.</p>`;
    const id = `chart-${this.charts.length + 1}`;
    this.charts.push({ id, spec });
    return html`<figure class="chart"><div id="${id}" class="vega" data-chart="${kind}"></div><figcaption>${caption}</figcaption></figure>`;
  }
}

const num = (v: HtmlPart) => html`<td class="num">${v}</td>`;
const est = (e: Estimate | null, fallback = '-') => num(e ? nsWithCi(e) : fallback);
const tableOf = (head: HtmlPart, rows: HtmlPart, cls = '') => html`<div class="table-wrap"><table class="${cls}"><thead>${head}</thead><tbody>${rows}</tbody></table></div>`;
const th = (cells: Array<string | [string, 'num']>) => html`<tr>${cells.map((c) => (Array.isArray(c) ? html`<th class="num">${c[0]}</th>` : html`<th>${c}</th>`))}</tr>`;

const NOISE_TITLE: Readonly<Record<string, string>> = {
  below: 'the copy cost\'s interval lies below clone\'s own noise',
  overlaps: 'the copy cost\'s interval overlaps clone\'s own noise',
  above: 'the copy cost\'s interval lies above clone\'s own noise',
};

function shareCells(r: AnswerRow, i: number, withCi: boolean): SafeHtml {
  const o = r.overheads[i];
  if (r.status === 'zero') return html`${num('0')}<td class="mark"></td>`;
  if (!o?.ratio) return html`${num('-')}<td class="mark"></td>`;
  const title = `${pctWithCi(o.ratio)}; ${NOISE_TITLE[o.versusNoise ?? ''] ?? 'noise not judged'}`;
  return html`<td class="num" title="${title}">${withCi ? pctWithCi(o.ratio) : `${pct(o.ratio.estimate)}%`}</td><td class="mark" title="${title}">${NOISE_MARK[o.versusNoise ?? ''] ?? ''}</td>`;
}

function answerSection(a: AnswerView | null, sink: ChartSink, id: string): SafeHtml {
  const title = html`<h2 id="${id}">The answer: what copying a request's arguments costs</h2>`;
  if (!a) return html`${title}<p>Not in this run: the proposals suite did not run.</p>`;
  const head = a.clones.findIndex((c) => c.key === a.headlineClone);
  const headline = head >= 0 ? a.clones[head] : null;
  const cloneHead = (c: AnswerClone) => html`${c.label}<br><span class="muted">${c.median ? nsWithCi(c.median) : 'not measured'}${c.noiseNs !== null ? `, noise +-${ns(c.noiseNs)}` : ''}</span>`;
  const rows = a.rows.map((r) => {
    const cost = r.status === 'zero' ? '0 (no reads)' : r.status === 'refused' ? 'refused' : r.cost ? nsWithCi(r.cost) : 'skipped';
    return html`<tr><td>${r.proposal}</td><td>${r.request}</td>${num(r.copies ?? '-')}${num(r.bytes ?? '-')}${num(cost)}${num(r.modelNs === null ? '-' : r.modelNs.toFixed(1))}${
      head >= 0 ? shareCells(r, head, true) : ''
    }</tr>`;
  });
  const mainHead = html`<tr><th>interface</th><th>request</th><th class="num">calls</th><th class="num">bytes</th><th class="num">copy ns [95% CI]</th><th class="num">model ns</th>${
    headline ? html`<th class="num" colspan="2">% of the cheapest clone: ${cloneHead(headline)}</th>` : ''
  }</tr>`;
  // Every clone measured, the share only (its interval in the cell's title): one column each.
  const everyClone =
    a.clones.length > 1
      ? html`<h3>Share of every clone measured</h3>${tableOf(
          html`<tr><th>interface</th><th>request</th>${a.clones.map((c) => html`<th class="num" colspan="2">% of ${cloneHead(c)}</th>`)}</tr>`,
          a.rows.filter((r) => r.status !== 'refused').map((r) => html`<tr><td>${r.proposal}</td><td>${r.request}</td>${a.clones.map((_, i) => shareCells(r, i, false))}</tr>`),
        )}`
      : '';
  const reasons = [...new Set(a.rows.filter((r) => r.status === 'refused' || r.status === 'skipped').map((r) => `${r.proposal}: ${r.reason ?? 'no reason given'}`))];
  return html`${title}
<p>Each interface's copy plan for a request (the reads its kernel side makes) executed as real <code>copy_from_user</code> calls from the encoder's own memory, minus as many empty probes, paired per batch: ns per request, median with 95% interval. ${
    a.model ? `Model: calls x ${a.model.perCallNs.toFixed(2)} ns + bytes x ${a.model.perByteNs.toFixed(4)} ns, from ${a.model.fit}. ` : 'No copy fit in this run, so no model. '
  }The share of a clone is the copy cost's median over the clone's median, with a bootstrap interval${
    headline ? `; the cheapest clone measured, ${headline.label}, is the worst case` : ''
  }. Mark: none = the copy cost lies below clone's own noise (half the width of its interval), ~ = overlaps it, * = above it.</p>
${sink.place(answerChart(a), 'answer', 'Measured copy cost per interface and request; the dark tick is the model. Refused requests are not drawn (see the table).')}
${tableOf(mainHead, rows)}
${reasons.length ? html`<ul>${reasons.map((x) => html`<li>${x}</li>`)}</ul>` : ''}
${everyClone}`;
}

function copySection(run: RunView, sink: ChartSink, id: string): SafeHtml {
  const c = run.copy;
  const fits = c.fits.map((f) => {
    const line = f.intercept && f.slope ? `${figure('ns', f.intercept, true)} + ${figure('ns/B', f.slope, true)} x ${f.xLabel}` : `not fitted: ${f.skip ?? 'no fit'}`;
    return html`<h3>${f.label}</h3><p>${f.description}. Fit: ${line}.</p>
${sink.place(copyFitChart(f), 'copy-fit', `${f.yLabel}: median and 95% interval of the paired delta at each point; dashed: the least-squares line.`)}
${tableOf(th(['variant', [f.xLabel, 'num'], [`${f.yLabel} [95% CI]`, 'num']]), f.points.map((p) => html`<tr><td>${p.variant}</td>${num(p.x)}${est(p.y, 'not measured')}</tr>`))}`;
  });
  const variants = c.variants.map(
    (v) =>
      html`<tr><td>${v.key}</td><td>${v.description}</td>${est(v.value, v.note ?? '-')}${est(v.delta)}${num(v.relative ? pctWithCi(v.relative) : '-')}<td>${v.baseline ?? ''}</td></tr>`,
  );
  return html`<h2 id="${id}">Copy cost against size</h2>
${c.fits.length ? fits : html`<p class="muted">No copy fit in this run.</p>`}
${c.variants.length ? html`<h3>Every copy probe</h3>${tableOf(th(['variant', 'what', ['ns per call [95% CI]', 'num'], ['delta ns [95% CI]', 'num'], ['delta / baseline', 'num'], 'baseline']), variants)}` : ''}`;
}

function cloneSection(run: RunView, sink: ChartSink, id: string): SafeHtml {
  if (!run.clones.length) return html`<h2 id="${id}">clone and clone3 per shape and parent</h2><p class="muted">The clone suite did not run.</p>`;
  const rows = run.clones.map(
    (c) =>
      html`<tr><td>${c.shapeLabel}</td><td>${c.via}</td><td>${c.whereLabel}</td>${est(c.value, c.note ?? 'skipped')}${num(c.p99 === null ? '-' : ns(c.p99))}${num(c.n ?? '-')}${num(
        c.parent ? `${(c.parent.rssKiB / 1024).toFixed(1)} MiB, ${c.parent.vmaCount} VMAs` : '-',
      )}${est(c.delta)}</tr>`,
  );
  return html`<h2 id="${id}">clone and clone3 per shape and parent</h2>
<p>Create and reap a child, timed in C: from the Node process (what an FFI caller pays) and from a small C process, whose address space makes fork much cheaper. The delta column is clone3 minus legacy clone with the same flags, paired by round.</p>
${sink.place(cloneChart(run.clones), 'clone', 'Boxes: quartiles of the per-round batch means; whiskers: min and max.')}
${tableOf(th(['shape', 'via', 'parent', ['median [95% CI]', 'num'], ['p99', 'num'], ['n', 'num'], ['parent size', 'num'], ['vs legacy clone [95% CI]', 'num']]), rows)}`;
}

function pidsSection(run: RunView, sink: ChartSink, id: string): SafeHtml {
  if (!run.pids.length) return html`<h2 id="${id}">Chosen pids by depth</h2><p class="muted">The pids suite did not run.</p>`;
  const rows = run.pids.map((p) => {
    const back = p.readBack ? `${p.readBack.levelsRight}/${p.readBack.levelsExpected}${p.readBack.failures ? `, ${p.readBack.failures} failed` : ''}` : '-';
    return html`<tr><td>${p.methodLabel}</td>${num(p.levels)}${est(p.value, p.note ?? 'skipped')}${est(p.baseline ? p.delta : null)}${num(p.relative ? pctWithCi(p.relative) : '-')}${num(
      p.chosen ?? '-',
    )}${num(p.mismatches === null || !p.baseline ? '-' : p.mismatches)}${num(back)}</tr>`;
  });
  const privilege = run.pids.find((p) => p.privilege)?.privilege;
  return html`<h2 id="${id}">Chosen pids by depth</h2>
<p>Creating a process with a chosen pid, as CRIU does on restore, run by the init of pid namespaces the run made for itself${
    privilege ? ` (${privilege === 'root' ? 'as root' : 'inside a user namespace of the run'})` : ''
  }. Each method alternates in blocks with plain clone3 at the same depth; the delta is paired per batch. Correctness is counted over every create: pids chosen, children that got another pid (a kernel bug for set_tid, a race for ns_last_pid), and for set_tid the levels read back right through a pidfd's NSpid.</p>
${sink.place(pidsChart(run.pids), 'pids', 'Extra cost of choosing the pid over plain clone3 at the same depth.')}
${tableOf(th(['method', ['levels', 'num'], ['create + reap [95% CI]', 'num'], ['+ over plain [95% CI]', 'num'], ['+ / plain', 'num'], ['chosen', 'num'], ['wrong pid', 'num'], ['NSpid right', 'num']]), rows)}`;
}

function plansSection(run: RunView, id: string): SafeHtml {
  if (!run.plans.length) return html`<h2 id="${id}">Copy plans</h2><p class="muted">The proposals suite did not run.</p>`;
  const plans = run.plans.map((p) => {
    const rows = p.requests.flatMap((r) => [
      html`<tr class="group"><td colspan="7">${r.request}: ${
        r.status === 'refused' ? `refused: ${r.reason}` : r.status === 'empty' ? 'no reads' : `${r.copies} ${r.copies === 1 ? 'copy' : 'copies'}, ${r.bytes} bytes`
      }</td></tr>`,
      ...r.reads.map(
        (x, i) => html`<tr><td class="num">${i + 1}</td><td>${x.segment}</td>${num(x.offset)}${num(x.length)}<td>${x.kind}</td>${num(x.probes)}<td>${x.why}</td></tr>`,
      ),
      ...r.notes.map((n) => html`<tr><td></td><td colspan="6" class="muted">${n}</td></tr>`),
    ]);
    return html`<h3>${p.proposal} <span class="muted">(${p.target})</span></h3>${tableOf(th([['#', 'num'], 'segment', ['offset', 'num'], ['length', 'num'], 'kind', ['probes', 'num'], 'why']), rows)}`;
  });
  return html`<h2 id="${id}">Copy plans</h2><p>The reads each interface's kernel side makes for each request, in order: the segment of the user image, offset, length and why. Each copy became one or more set_tid-path probes of the same bytes.</p>${plans}`;
}

/** C declarator from the declared type string, as pahole prints it: "pid_t *pids", "unsigned long flags[N]". */
function declarator(type: string, name: string): string {
  const array = /^(.*?)\s*((?:\[[^\]]*\])+)$/.exec(type);
  if (array) return `${declarator(array[1], name)}${array[2]}`;
  if (type.endsWith('*')) return `${type.replace(/\s*\*+$/, '')} ${type.slice(type.search(/\*+$/))}${name}`;
  return `${type} ${name}`;
}

function layoutBlock(s: StructView): SafeHtml {
  const groups = s.groups.map((g) => {
    const rows = g.lines.map((l) =>
      l.kind === 'member'
        ? html`<tr><td>${declarator(l.type, l.name)};</td>${num(l.offset)}${num(l.size)}</tr>`
        : html`<tr class="${l.kind}"><td>/* XXX ${l.size} byte${l.size === 1 ? '' : 's'} ${l.kind === 'hole' ? 'hole' : 'tail padding'} */</td>${num(l.offset)}${num(l.size)}</tr>`,
    );
    return html`<div><p class="mono muted">/* ${g.targets.join(', ')} */</p><table class="pahole"><thead><tr><th>struct ${s.name} {</th><th class="num">offset</th><th class="num">size</th></tr></thead><tbody>${rows}<tr><td>}; /* size: ${g.size}, align: ${g.align} */</td><td></td><td></td></tr></tbody></table></div>`;
  });
  return html`<h4>${s.proposal}: struct ${s.name} <span class="muted">${
    s.groups.length === 1 ? '(the same on every ABI)' : s.sameEverywhere ? '(the same offsets on every ABI; the alignment differs)' : `(${s.groups.length} different layouts)`
  }</span></h4><div class="layout-groups">${groups}</div>`;
}

const verdictClass = (v: string) => `verdict-${v === 'n/a' ? 'na' : v}`;
const statusClass = (s: string) => `status-${s.replace(/\s+/g, '-')}`;

function declarationsSection(d: DeclarationsView, id: string): SafeHtml {
  const source =
    d.source === 'file'
      ? 'As stored in the results file by the run.'
      : html`Computed now from the built-in declarations (this results file stores none), with the functions <code>clonebench abi</code> and <code>clonebench review</code> use.`;
  // Rules as rows, interfaces as columns: 26 rules fit down a page, not across it.
  const review = d.review
    ? html`<h3>Review against the syscall-design rules</h3>${tableOf(
        html`<tr><th>rule</th>${d.review.rows.map((row) => html`<th>${row.proposal}</th>`)}<th>what it requires</th></tr>`,
        [
          ...d.review.rules.map(
            (r) =>
              html`<tr><td class="name">${r.id}</td>${d.review!.rows.map((row) => {
                const v = row.verdicts[r.id] ?? 'n/a';
                return html`<td class="${verdictClass(v)}" title="${row.proposal}, ${r.id}: ${r.statement}">${v}</td>`;
              })}<td class="rule">${r.statement}</td></tr>`,
          ),
          html`<tr><td class="name">findings</td>${d.review.rows.map((row) => num(row.findings))}<td></td></tr>`,
        ],
        'matrix',
      )}<p class="muted"><code>./clonebench review</code> prints each finding with the target, struct and field it concerns and a fix.</p>`
    : '';
  const req = d.requirements
    ? html`<h3>Requirements</h3>${tableOf(
        html`<tr><th>interface</th>${d.requirements.columns.map((c) => html`<th>${c}</th>`)}</tr>`,
        d.requirements.rows.map(
          (row) =>
            html`<tr><td class="name">${row.proposal}</td>${d.requirements!.columns.map((c) => {
              const cell = row.cells[c];
              return cell ? html`<td class="${statusClass(cell.status)}" title="${cell.reason}${cell.abis.length ? ` (${cell.abis.join(', ')})` : ''}">${cell.status}</td>` : html`<td>-</td>`;
            })}</tr>`,
        ),
        'matrix',
      )}`
    : '';
  return html`<h2 id="${id}">Layouts per ABI and the review</h2>
<p>${source} Layouts pahole style on ${d.targets.length} ABIs: targets that lay a struct out the same way share one printout; holes and tail padding are marked.</p>
${d.notes.length ? html`<ul>${d.notes.map((n) => html`<li>${n}</li>`)}</ul>` : ''}
${d.structs.length ? d.structs.map(layoutBlock) : html`<p class="muted">No structs: the interfaces shown pass everything in registers.</p>`}
${review}${req}`;
}

function environmentSection(run: RunView, id: string): SafeHtml {
  const m = run.method;
  return html`<h2 id="${id}">Environment, method and skips</h2>
${tableOf(th(['field', 'value']), run.environment.fields.map((f) => html`<tr><td>${f.name}</td><td>${f.value}</td></tr>`))}
<h3>How it was measured</h3>
<p>Timing loops run in C over batches of a few milliseconds; each round runs one batch of every variant in a shuffled order, so drift hits them alike, after warm-up rounds that are discarded. A probe and its baseline alternate in ABBA blocks inside one batch (interleaved) and the delta is taken per batch; clone variants are paired by round instead. Copy costs come from clone3 calls that fail on flag bit 63 after copying and before any fork: real <code>copy_from_user</code>, no child. Every figure is a median with a bootstrap 95% interval.</p>
<ul>${m.ciMethods.map((c) => html`<li>${c}</li>`)}${m.pairing.map((p) => html`<li>${p.method} pairing: ${p.variants} variants</li>`)}<li>options: ${m.options}; took ${(m.durationMs / 1000).toFixed(1)} s${m.interrupted ? '; interrupted (Ctrl-C): partial rounds kept' : ''}</li></ul>
${tableOf(
  th(['suite', 'what', ['rounds', 'num'], ['warm-up', 'num'], ['batch ms', 'num'], ['variants', 'num']]),
  m.suites.map((s) => html`<tr><td>${s.name}</td><td>${s.description}</td>${num(s.rounds)}${num(s.warmupRounds)}${num(s.batchMs)}${num(s.variants)}</tr>`),
)}
<h3>Skipped</h3>
${run.skips.length ? tableOf(th(['variant', 'code', 'why', 'detail']), run.skips.map((s) => html`<tr><td>${s.key}</td><td>${s.code}</td><td>${s.meaning}</td><td>${s.detail}</td></tr>`)) : html`<p>Nothing was skipped.</p>`}`;
}

const SECTIONS = [
  ['answer', 'The answer'],
  ['copy', 'Copy cost against size'],
  ['clone', 'clone per shape and parent'],
  ['pids', 'Chosen pids by depth'],
  ['plans', 'Copy plans'],
  ['layouts', 'Layouts and review'],
  ['environment', 'Environment, method, skips'],
] as const;

export function runSections(run: RunView, sink: ChartSink, prefix: string): SafeHtml {
  const id = (s: string) => `${prefix}${s}`;
  return html`${answerSection(run.answer, sink, id('answer'))}
${copySection(run, sink, id('copy'))}
${cloneSection(run, sink, id('clone'))}
${pidsSection(run, sink, id('pids'))}
${plansSection(run, id('plans'))}
${declarationsSection(run.declarations, id('layouts'))}
${environmentSection(run, id('environment'))}`;
}

export const toc = (prefix: string) => html`<ol>${SECTIONS.map(([s, t]) => html`<li><a href="#${prefix}${s}">${t}</a></li>`)}</ol>`;

export function sideBySideSection(model: ReportModel): SafeHtml {
  const sbs = model.sideBySide!;
  const head = html`<tr><th>figure</th>${sbs.columns.map((c, i) => html`<th class="num">[${i + 1}] ${c.host}<br><span class="muted">${c.cpu}, Linux ${c.kernel}</span></th>`)}</tr>`;
  const groups = sbs.groups.map(
    (g) =>
      html`<h3>${g.title}</h3>${tableOf(
        head,
        g.rows.map((r) => html`<tr><td>${r.label}</td>${r.cells.map((c, i) => num(c ? figure(r.unit, c, true) : (r.notes[i] ?? '-')))}</tr>`),
      )}`,
  );
  return html`<section id="side-by-side"><h2>Side by side</h2>
<p>One column per results file; medians with 95% intervals, each from its own run. Compare figures within a run first: absolute times on a VM drift between runs.</p>
<ol>${sbs.columns.map((c) => html`<li>${c.title} <span class="muted">(${c.file}, ${c.createdAt})</span></li>`)}</ol>
${groups}</section>`;
}

