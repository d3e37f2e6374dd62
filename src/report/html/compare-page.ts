/** The HTML form of `compare`: the verdict, warnings, a forest plot of every change with its
 * interval against the threshold band, and the table of every metric. */
import type { CompareModel, MetricChange } from '../compare/model.js';
import { changeText, metricGroup, metricLabel, verdictLine } from '../document/compare-document.js';
import { figure } from '../document/units.js';
import type { VegaLiteSpec } from './charts.js';
import { html, type SafeHtml } from './escape.js';
import type { PageChart } from './page.js';

function changeChart(c: CompareModel): VegaLiteSpec | null {
  const values = c.metrics
    .filter((m) => m.change && m.method)
    .map((m) => {
      const shift = m.method === 'ratio' ? 1 : 0;
      return { metric: m.id, verdict: m.verdict, pct: (m.change!.estimate - shift) * 100, lo: (m.change!.ciLow - shift) * 100, hi: (m.change!.ciHigh - shift) * 100 };
    });
  if (!values.length) return null;
  const t = c.threshold * 100;
  const color = { field: 'verdict', type: 'nominal', title: 'verdict', scale: { domain: ['regressed', 'improved', 'no change'], range: ['#d62728', '#2ca02c', '#7f7f7f'] } };
  const y = { field: 'metric', type: 'nominal', sort: null, title: null };
  return {
    title: { text: 'Change of every metric (% of base, 95% CI); band: the threshold', anchor: 'start', fontSize: 14 },
    width: 700,
    height: { step: 12 },
    config: { axis: { labelFontSize: 10, labelLimit: 360 }, legend: { orient: 'bottom' } },
    layer: [
      { data: { values: [{ lo: -t, hi: t }] }, mark: { type: 'rect', color: '#eee' }, encoding: { x: { field: 'lo', type: 'quantitative' }, x2: { field: 'hi' } } },
      { data: { values }, mark: { type: 'rule' }, encoding: { y, x: { field: 'lo', type: 'quantitative', title: 'change, %' }, x2: { field: 'hi' }, color } },
      { data: { values }, mark: { type: 'point', filled: true, size: 30 }, encoding: { y, x: { field: 'pct', type: 'quantitative' }, color, tooltip: [{ field: 'metric' }, { field: 'pct', format: '.2f' }, { field: 'lo', format: '.2f' }, { field: 'hi', format: '.2f' }] } },
    ],
  };
}

const value = (m: MetricChange, which: 'base' | 'next') => {
  const e = m[which];
  return e ? figure(m.unit === 'ns' ? 'ns' : 'ratio', e, true) : '-';
};

export function compareBody(c: CompareModel): { body: SafeHtml; charts: PageChart[] } {
  const charts: PageChart[] = [];
  const spec = changeChart(c);
  if (spec) charts.push({ id: 'chart-1', spec });
  const rows = c.metrics.map(
    (m) =>
      html`<tr class="${m.verdict === 'regressed' ? 'regressed' : m.verdict === 'improved' ? 'improved' : ''}"><td>${metricGroup(m)}</td><td>${metricLabel(m)}</td><td class="num">${value(m, 'base')}</td><td class="num">${value(m, 'next')}</td><td class="num">${changeText(m)}</td><td>${m.verdict}</td><td class="muted">${m.note ?? ''}</td></tr>`,
  );
  const warnings = [...c.environment.map((d) => `environments differ: ${d.label} (${d.field}): ${d.base} -> ${d.next}`), ...c.warnings];
  const body = html`<main><header class="page"><h1>clonebench compare</h1>
<p class="run-meta">base: ${c.base.title} (${c.base.file})<br>new: ${c.next.title} (${c.next.file})</p></header>
<p><strong>${verdictLine(c)}</strong></p>
<p>A change counts only when its whole 95% interval lies beyond the threshold of ${(c.threshold * 100).toFixed(1)}%. Change = median(new) / median(base) - 1; every figure is a cost, so + is slower. Interval: ${c.ciMethod}, ${c.resamples} resamples. "delta" is a paired delta over the in-batch baseline in ns, "rel" the same delta divided by that baseline; b marks a delta whose base interval reaches 0, compared as the difference of medians as a share of the baseline.</p>
${warnings.length ? html`<div class="warning"><ul>${warnings.map((w) => html`<li>${w}</li>`)}</ul></div>` : ''}
${spec ? html`<figure class="chart"><div id="chart-1" class="vega" data-chart="compare"></div><figcaption>Each metric's change with its interval; grey band: within the threshold.</figcaption></figure>` : ''}
<div class="table-wrap"><table><thead><tr><th>group</th><th>metric</th><th class="num">base [95% CI]</th><th class="num">new [95% CI]</th><th class="num">change [95% CI]</th><th>verdict</th><th>note</th></tr></thead><tbody>${rows}</tbody></table></div>
</main>`;
  return { body, charts };
}
