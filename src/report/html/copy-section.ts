/**
 * Copy cost against size: the set_tid path at every placement with the models that predict the
 * plans (each model's terms with intervals and its residual), the struct path, the page-end
 * boundary experiment, every copy probe; and the caller's side (encode, materialise) beside the
 * kernel's copy cost.
 */
import { figure, ns, nsWithCi, pctWithCi } from '../document/units.js';
import type { CopyFitView, RunView } from '../view-model/types.js';
import { boundaryChart, copyFitChart } from './charts.js';
import { html, type SafeHtml } from './escape.js';
import { ChartSink, est, num, tableOf, th } from './parts.js';

const termValue = (unit: string, e: { estimate: number; ciLow: number; ciHigh: number } | null) => (e ? figure(unit === 'ns/B' ? 'ns/B' : 'ns', e, true) : 'not fitted');

function modelBlock(f: CopyFitView): SafeHtml {
  const terms = tableOf(
    th(['term', ['coefficient [95% CI]', 'num']]),
    f.terms.map((t) => html`<tr><td>${t.label} <span class="muted">(${t.name})</span></td>${num(termValue(t.unit, t.coefficient))}</tr>`),
    'model-terms',
  );
  const points = tableOf(
    th(['point', 'placement', ...f.terms.map((t): [string, 'num'] => [`x: ${t.name}`, 'num']), [`${f.yLabel} [95% CI]`, 'num']]),
    f.points.map((p) => html`<tr><td>${p.variant}</td><td>${p.placement ?? '-'}</td>${p.x.map((x) => num(x))}${est(p.y, 'not measured')}</tr>`),
  );
  return html`<h4>${f.label} <span class="muted">(${f.key})</span></h4>
<p>${f.description}.${f.predicts.length ? ` Predicts the plans at: ${f.predicts.join(', ')}.` : ''} ${
    f.skip ? html`<strong>Not fitted: ${f.skip}.</strong>` : html`Residual (standard error of the points about the model): ${f.residualNs === null ? '-' : ns(f.residualNs)}.`
  }</p>
<div class="beside">${terms}${points}</div>`;
}

export function copySection(run: RunView, sink: ChartSink, id: string): SafeHtml {
  const c = run.copy;
  const placementFits = c.fits.filter((f) => f.placement !== null);
  const otherFits = c.fits.filter((f) => f.placement === null);
  const setTid = placementFits.length
    ? html`<h3>set_tid path at every placement</h3>
<p>One <code>copy_from_user</code> of 4 to 128 bytes (set_tid of 1 to 32 pids), paired with set_tid = 0 in the same batch, at each placement: points with their 95% intervals, dashed lines the models (the caller model's line for co-located and for scattered, which differ by its page term; page-end its own).</p>
${sink.place(copyFitChart(placementFits, 'set_tid copy: ns over set_tid = 0 against bytes copied, by placement'), 'copy-fit', 'Median and 95% interval of the paired delta at each point, coloured by placement; dashed: each model\'s prediction.')}
${placementFits.map(modelBlock)}`
    : '';
  const others = otherFits.map(
    (f) => html`<h3>${f.label}</h3>
${sink.place(copyFitChart([f], `${f.label}: ${f.yLabel} against ${f.axis?.title ?? 'x'}`), 'copy-fit', `${f.yLabel}: median and 95% interval of the paired delta at each point; dashed: the model.`)}
${modelBlock(f)}`,
  );
  const b = c.boundary;
  const boundary = b
    ? html`<h3 id="${id}-boundary">Page end: the boundary experiment</h3>
<p><strong>Slow path on this CPU: ${b.slowPath ?? 'not measured'}.</strong> ${b.note}. (CPU flags: ${run.label.cpuFlags}.)</p>
${sink.place(boundaryChart(b), 'boundary', 'Extra cost of a copy ending exactly at a page end before a PROT_NONE page, over the same copy mid-page, interleaved in one batch.')}
${tableOf(
  th(['variant', ['bytes', 'num'], ['extra ns per copy [95% CI]', 'num'], ['relative to the whole probe', 'num']]),
  b.rows.map((r) => html`<tr><td>${r.variant}</td>${num(r.bytes)}${num(nsWithCi(r.extraNs))}${num(r.relative ? pctWithCi(r.relative) : '-')}</tr>`),
)}`
    : '';
  const variants = c.variants.map(
    (v) =>
      html`<tr><td>${v.key}</td><td>${v.placement ?? '-'}</td><td>${v.description}</td>${est(v.value, v.note ?? '-')}${est(v.delta)}${num(v.relative ? pctWithCi(v.relative) : '-')}<td>${v.baseline ?? ''}</td></tr>`,
  );
  return html`<h2 id="${id}">Copy cost against size</h2>
${c.fits.length ? html`${setTid}${others}` : html`<p class="muted">No copy model in this run.</p>`}
${boundary}
${c.variants.length ? html`<h3>Every copy probe</h3>${tableOf(th(['variant', 'placement', 'what', ['ns per call [95% CI]', 'num'], ['delta ns [95% CI]', 'num'], ['delta / baseline', 'num'], 'baseline']), variants)}` : ''}`;
}

export function callerSection(run: RunView, id: string): SafeHtml {
  const title = html`<h2 id="${id}">The caller's side</h2>`;
  if (!run.callerSide.length) return html`${title}<p class="muted">The encode suite did not run.</p>`;
  const placement = run.answer?.headlinePlacement ?? 'co-located';
  const rows = run.callerSide.map((r) =>
    !r.encode && !r.materialise
      ? html`<tr class="muted"><td>${r.proposal}</td><td>${r.request}</td><td colspan="4" class="note">${r.note ?? 'not measured'}</td></tr>`
      : html`<tr><td>${r.proposal}</td><td>${r.request}</td>${est(r.encode, 'not measured')}${est(r.materialise, 'not measured')}${
          r.kernelCopy && r.kernelCopy.ciHigh === 0 && r.kernelCopy.ciLow === 0 ? num('0 (no reads)') : est(r.kernelCopy)
        }${num(
          r.materialise && r.kernelCopy && r.kernelCopy.estimate > 0 ? `${(r.materialise.estimate / r.kernelCopy.estimate).toFixed(0)}x` : '-',
        )}</tr>`,
  );
  return html`${title}
<p>What the calling process pays to lay a request out, next to what the kernel pays to copy it: encoding the request in JavaScript (this tool's encoders), and encoding plus writing it into fresh native memory through koffi with its pointers fixed up (an mmap, the copies, the munmap). These are this tool's costs (JavaScript and koffi), measured in the same run: the scale of the caller's work beside the kernel's copies, not what a C caller filling a struct on its stack would pay.</p>
${tableOf(
  th(['interface', 'request', ['encode (JS) [95% CI]', 'num'], ['encode + materialise [95% CI]', 'num'], [`kernel copy, ${placement} [95% CI]`, 'num'], ['materialise / copy', 'num']]),
  rows,
  'caller-side',
)}`;
}
