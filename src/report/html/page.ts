/**
 * The page shell: one self-contained file. Scripts and the stylesheet are inline and allowed by
 * their SHA-256 hashes in a Content-Security-Policy that forbids everything else (no network, no
 * eval, no inline event handlers); the data travels as JSON in a non-executed script element.
 */
import { createHash } from 'node:crypto';
import { chartScripts } from './assets.js';
import type { VegaLiteSpec } from './charts.js';
import { html, jsonForScript, trusted, type SafeHtml } from './escape.js';
import { STYLESHEET } from './style.js';

export interface PageChart {
  id: string;
  spec: VegaLiteSpec;
}

export interface PageInput {
  title: string;
  body: SafeHtml;
  charts: PageChart[];
}

/**
 * Draws every chart with vega-embed: SVG (printable, countable marks), no actions menu (its
 * links go to the network), no injected default style (the stylesheet has what it needs; an
 * injected <style> would break the CSP), and `ast: true`, with which vega-embed evaluates
 * expressions with its bundled interpreter instead of compiling them with `new Function`.
 */
const BOOT = `(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var options = {
    renderer: 'svg',
    actions: false,
    defaultStyle: false,
    ast: true,
    tooltip: { disableDefaultStyle: true },
    logLevel: 1
  };
  var jobs = data.charts.map(function (chart) {
    var el = document.getElementById(chart.id);
    return vegaEmbed(el, chart.spec, options).then(
      function () { el.setAttribute('data-rendered', 'ok'); },
      function (err) {
        el.setAttribute('data-rendered', 'error');
        el.textContent = 'This chart could not be drawn: ' + err.message + ' (its numbers are in the table below).';
        console.error('chart ' + chart.id + ': ' + err.message);
      });
  });
  Promise.all(jobs).then(function () { document.body.setAttribute('data-charts', 'done'); });
})();
`;

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

export function renderPage(p: PageInput): string {
  const scripts = [...chartScripts().scripts.map((s) => s.code), BOOT];
  const csp = [
    "default-src 'none'",
    `script-src ${scripts.map(sha256).join(' ')}`,
    `style-src ${sha256(STYLESHEET)}`,
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  const data = jsonForScript({ charts: p.charts });
  return `<!DOCTYPE html>
${html`<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${p.title}</title>
<style>${trusted(STYLESHEET)}</style>
</head>
<body>
${p.body}
<script type="application/json" id="report-data">${trusted(data)}</script>
${scripts.map((code) => html`<script>${trusted(code)}</script>\n`)}</body>
</html>
`}`;
}
