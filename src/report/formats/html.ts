/** One self-contained HTML page (charts inlined, no network, strict CSP); see src/report/html/. */
import { compareBody } from '../html/compare-page.js';
import { html as h } from '../html/escape.js';
import { renderPage } from '../html/page.js';
import { ChartSink, runSections, sideBySideSection, toc } from '../html/sections.js';
import type { ReportFormat } from '../types.js';
import type { ReportModel } from '../view-model/types.js';

function reportPage(model: ReportModel): string {
  const sink = new ChartSink();
  const several = model.runs.length > 1;
  const runs = model.runs.map((run, i) => {
    const prefix = several ? `run${i + 1}-` : '';
    return h`${several ? h`<h1 id="run${i + 1}">[${i + 1}] ${run.label.title}</h1><p class="run-meta">${run.label.file}, ${run.label.createdAt}</p>` : ''}<nav class="toc">${toc(prefix)}</nav>${runSections(run, sink, prefix)}`;
  });
  const title = several ? `clonebench: ${model.runs.length} runs side by side` : `clonebench: ${model.runs[0].label.title}`;
  const header = several
    ? h`<header class="page"><h1>${title}</h1><p class="run-meta">${model.runs.map((r, i) => `[${i + 1}] ${r.label.file}`).join('  ')}</p></header>`
    : h`<header class="page"><h1>${title}</h1><p class="run-meta">${model.runs[0].label.file}, run ${model.runs[0].label.createdAt}</p></header>`;
  const body = h`<main>${header}${several ? sideBySideSection(model) : ''}${runs}</main>`;
  return renderPage({ title, body, charts: sink.charts });
}

export const html: ReportFormat = {
  id: 'html',
  description: 'one self-contained page with charts (default)',
  extension: 'html',
  report: reportPage,
  compare: (model) => {
    const { body, charts } = compareBody(model);
    return renderPage({ title: 'clonebench compare', body, charts });
  },
};
