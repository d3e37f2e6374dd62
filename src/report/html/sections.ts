/** The HTML report's sections, in the issue's order, each rendered from the view model. Every
 * chart is followed by a table with its numbers. The answer and copy sections have files of
 * their own (answer-section.ts, copy-section.ts). */
import { figure, ns, pctWithCi } from '../document/units.js';
import type { DeclarationsView, ReportModel, RunView, StructView } from '../view-model/types.js';
import { answerSection } from './answer-section.js';
import { cloneChart, pidsChart } from './charts.js';
import { callerSection, copySection } from './copy-section.js';
import { html, type SafeHtml } from './escape.js';
import { ChartSink, est, num, tableOf, th } from './parts.js';

export { ChartSink } from './parts.js';

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
    return html`<tr><td>${p.methodLabel}${p.createdVia === 'legacy clone' ? html` <span class="muted">(by legacy clone)</span>` : ''}</td>${num(p.levels)}${est(p.value, p.note ?? 'skipped')}${est(p.baseline ? p.delta : null)}${num(p.relative ? pctWithCi(p.relative) : '-')}${num(
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
  // Requirements as rows (the RFC's three in bold, their parts indented under them), interfaces
  // as columns, as the review matrix: some twenty rows fit down a page, not across it.
  const req = d.requirements
    ? html`<h3>The RFC's requirements</h3>${tableOf(
        html`<tr><th>requirement</th>${d.requirements.rows.map((row) => html`<th>${row.proposal}</th>`)}</tr>`,
        d.requirements.columns.map(
          (c) =>
            html`<tr class="${c.parent ? 'sub' : 'top'}"><td class="name" title="${c.title}">${c.label}</td>${d.requirements!.rows.map((row) => {
              const cell = row.cells[c.id];
              return cell ? html`<td class="${statusClass(cell.status)}" title="${row.proposal}: ${cell.reason}${cell.abis.length ? ` (${cell.abis.join(', ')})` : ''}">${cell.status}</td>` : html`<td>-</td>`;
            })}</tr>`,
        ),
        'matrix requirements',
      )}<p class="muted">Hover a cell for its reason, or run <code>./clonebench review</code> for the reasons as text.</p>`
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
<p>Timing loops run in C over batches of a few milliseconds; each round runs one batch of every variant in a shuffled order, so drift hits them alike, after warm-up rounds that are discarded. A probe and its baseline alternate in ABBA blocks inside one batch (interleaved) and the delta is taken per batch; clone variants are paired by round instead. Copy costs come from clone3 calls that fail on flag bit 63 after copying and before any fork: real <code>copy_from_user</code>, no child. Every copy is measured at three placements of its memory: co-located (packed with the probe structs, present pages around, as a caller lays its arguments out: the answer), scattered (a page per segment, clear of the page end) and page-end (ending at a PROT_NONE page: adversarial, a slow path on some CPUs). Every figure is a median with a bootstrap 95% interval${
    m.workers ? html`; the floor, copy and proposals suites ran in several worker processes, and their intervals are a grouped bootstrap (workers first, then rounds)` : ''
  }.</p>
${m.workers ? html`<p class="workers">${m.workers}.</p>` : ''}
<ul>${m.ciMethods.map((c) => html`<li>${c}</li>`)}${m.pairing.map((p) => html`<li>${p.method} pairing: ${p.variants} variants</li>`)}<li>options: ${m.options}; took ${(m.durationMs / 1000).toFixed(1)} s${m.interrupted ? '; interrupted (Ctrl-C): partial rounds kept' : ''}</li></ul>
${tableOf(
  th(['suite', 'what', ['rounds', 'num'], ['workers', 'num'], ['warm-up', 'num'], ['batch ms', 'num'], ['variants', 'num']]),
  m.suites.map((s) => html`<tr><td>${s.name}</td><td>${s.description}</td>${num(s.rounds)}${num(s.workers)}${num(s.warmupRounds)}${num(s.batchMs)}${num(s.variants)}</tr>`),
)}
${m.incomplete.length ? html`<h3>Incomplete variants</h3><p>Measured with fewer rounds than their suite planned: their intervals rest on fewer samples (and workers).</p>${tableOf(
  th(['variant', ['rounds', 'num'], ['planned', 'num'], 'from workers']),
  m.incomplete.map((x) => html`<tr><td>${x.key}</td>${num(x.samples)}${num(x.planned)}<td>${x.workers.join(', ')}</td></tr>`),
)}` : ''}
<h3>Warnings</h3>
${run.warnings.length ? html`<ul class="warning">${run.warnings.map((w) => html`<li>${w}</li>`)}</ul>` : html`<p>None: nothing went wrong during the run.</p>`}
<h3>Skipped</h3>
${run.skips.length ? tableOf(th(['variant', 'code', 'why', 'detail']), run.skips.map((s) => html`<tr><td>${s.key}</td><td>${s.code}</td><td>${s.meaning}</td><td>${s.detail}</td></tr>`)) : html`<p>Nothing was skipped.</p>`}`;
}

const SECTIONS = [
  ['answer', 'The answer'],
  ['copy', 'Copy cost against size'],
  ['caller', 'The caller\'s side'],
  ['clone', 'clone per shape and parent'],
  ['pids', 'Chosen pids by depth'],
  ['plans', 'Copy plans'],
  ['layouts', 'Layouts and review'],
  ['environment', 'Environment, method, skips'],
] as const;

export function runSections(run: RunView, sink: ChartSink, prefix: string): SafeHtml {
  const id = (s: string) => `${prefix}${s}`;
  return html`${run.warnings.length ? html`<div class="warning"><p><strong>Warnings from the run:</strong></p><ul>${run.warnings.map((w) => html`<li>${w}</li>`)}</ul></div>` : ''}
${answerSection(run.answer, run.copy.boundary, run.label, sink, id('answer'))}
${copySection(run, sink, id('copy'))}
${callerSection(run, id('caller'))}
${cloneSection(run, sink, id('clone'))}
${pidsSection(run, sink, id('pids'))}
${plansSection(run, id('plans'))}
${declarationsSection(run.declarations, id('layouts'))}
${environmentSection(run, id('environment'))}`;
}

export const toc = (prefix: string) => html`<ol>${SECTIONS.map(([s, t]) => html`<li><a href="#${prefix}${s}">${t}</a></li>`)}</ol>`;

export function sideBySideSection(model: ReportModel): SafeHtml {
  const sbs = model.sideBySide!;
  const head = html`<tr><th>figure</th>${sbs.columns.map((c, i) => html`<th class="num">[${i + 1}] ${c.host}<br><span class="muted">${c.cpu}, Linux ${c.kernel}<br>${c.cpuFlags}</span></th>`)}</tr>`;
  const groups = sbs.groups.map(
    (g) =>
      html`<h3>${g.title}</h3>${tableOf(
        head,
        g.rows.map((r) => html`<tr><td>${r.label}</td>${r.cells.map((c, i) => num(r.texts[i] ?? (c && r.unit !== 'text' ? figure(r.unit, c, true) : (r.notes[i] ?? '-'))))}</tr>`),
      )}`,
  );
  return html`<section id="side-by-side"><h2>Side by side</h2>
<p>One column per results file; medians with 95% intervals, each from its own run (0: a plan that reads nothing). Compare figures within a run first: absolute times on a VM drift between runs.</p>
<ol>${sbs.columns.map((c) => html`<li>${c.title}; ${c.cpuFlags} <span class="muted">(${c.file}, ${c.createdAt})</span></li>`)}</ol>
${groups}</section>`;
}

