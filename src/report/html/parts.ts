/** Pieces every HTML section uses: the chart sink, table cells and tables. */
import { nsWithCi } from '../document/units.js';
import type { Estimate } from '../view-model/types.js';
import type { VegaLiteSpec } from './charts.js';
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

export const num = (v: HtmlPart, cls = '') => html`<td class="num${cls ? ` ${cls}` : ''}">${v}</td>`;
export const est = (e: Estimate | null, fallback = '-') => num(e ? nsWithCi(e) : fallback);
export const tableOf = (head: HtmlPart, rows: HtmlPart, cls = '') =>
  html`<div class="table-wrap"><table class="${cls}"><thead>${head}</thead><tbody>${rows}</tbody></table></div>`;
export const th = (cells: Array<string | [string, 'num']>) =>
  html`<tr>${cells.map((c) => (Array.isArray(c) ? html`<th class="num">${c[0]}</th>` : html`<th>${c}</th>`))}</tr>`;
