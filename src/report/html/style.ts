/** The page's one stylesheet (inline, allowed by its hash): readable at 1280 px, printable. */
export const STYLESHEET = `
:root { --fg: #1d2125; --muted: #5c6670; --line: #d8dde2; --bg-alt: #f5f7f9; --accent: #2f5f8f;
  --pass: #d9f0dc; --warn: #fcefc7; --fail: #f8d3d0; --note: #dbe8f6; --na: #eef0f2; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--fg); background: #fff; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; }
main { max-width: 1260px; margin: 0 auto; padding: 24px 20px 64px; }
header.page { border-bottom: 2px solid var(--accent); margin-bottom: 16px; }
h1 { font-size: 26px; margin: 8px 0 4px; }
h2 { font-size: 21px; margin: 40px 0 8px; padding-top: 8px; border-top: 1px solid var(--line); }
h3 { font-size: 17px; margin: 24px 0 6px; }
h4 { font-size: 15px; margin: 16px 0 4px; }
p, li { max-width: 80ch; }
.muted, .run-meta { color: var(--muted); }
code, .mono, pre { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 13px; }
nav.toc { font-size: 14px; margin: 8px 0 0; }
nav.toc ol { columns: 2; margin: 4px 0; }
nav.toc a { color: var(--accent); }
table { border-collapse: collapse; margin: 8px 0 16px; font-size: 13.5px; font-variant-numeric: tabular-nums; }
th, td { border-bottom: 1px solid var(--line); padding: 3px 8px; vertical-align: top; }
th { text-align: left; background: var(--bg-alt); font-weight: 600; }
td.num, th.num { text-align: right; white-space: nowrap; }
tr.group td { background: var(--bg-alt); font-weight: 600; }
td.mark { text-align: center; font-weight: 700; }
.table-wrap { overflow-x: auto; }
figure.chart { margin: 12px 0 4px; }
figure.chart figcaption { color: var(--muted); font-size: 13px; max-width: 80ch; }
.vega { min-height: 40px; }
.vega svg { max-width: 100%; height: auto; }
.verdict-pass { background: var(--pass); }
.verdict-warn { background: var(--warn); }
.verdict-fail { background: var(--fail); }
.verdict-note { background: var(--note); }
.verdict-na { background: var(--na); color: var(--muted); }
.status-met { background: var(--pass); }
.status-partly { background: var(--warn); }
.status-not-met { background: var(--fail); }
table.matrix td { text-align: center; padding: 2px 6px; }
table.matrix td.name, table.matrix td.rule { text-align: left; }
table.matrix td.rule { color: var(--muted); font-size: 12.5px; max-width: 46ch; }
table.pahole td { padding: 1px 10px; font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 12.5px; }
table.pahole tr.hole td, table.pahole tr.padding td { background: var(--fail); font-style: italic; }
.layout-groups { display: flex; flex-wrap: wrap; gap: 0 24px; }
.regressed { background: var(--fail); }
tr.disagree td { background: var(--fail); }
td.agree { text-align: center; }
td.agree.no, td.num.no { color: #a40000; font-weight: 700; }
tr.muted td { color: var(--muted); }
.env-line { color: var(--muted); font-size: 13.5px; margin-top: 0; }
.agrees-all { color: #1e6b2e; font-weight: 600; }
.disagreements ul { margin: 4px 0; }
.beside { display: flex; flex-wrap: wrap; gap: 0 20px; align-items: flex-start; }
.verdict-box { display: block; max-width: 100ch; margin: 8px 0; padding: 6px 12px; border: 1px solid var(--line); border-left: 4px solid var(--accent); background: var(--bg-alt); font-size: 14px; }
.verdict-box.slow-yes { border-left-color: #d95f02; background: var(--warn); }
.verdict-box.slow-no { border-left-color: #2ca02c; }
table.answer-every-clone th.clone { font-weight: 600; font-size: 12.5px; white-space: nowrap; }
table.answer-every-clone th.parent { text-align: center; border-left: 1px solid var(--line); }
table.answer-placements th.placement { text-align: center; border-left: 1px solid var(--line); }
table.requirements tr.top td.name { font-weight: 600; }
table.requirements tr.sub td.name { padding-left: 22px; }
.improved { background: var(--pass); }
.warning { background: var(--warn); padding: 6px 10px; border-left: 4px solid #d4a017; }
#vg-tooltip-element, .vg-tooltip { position: fixed; z-index: 10; background: #fff; border: 1px solid var(--line); padding: 4px 8px; font-size: 12px; pointer-events: none; }
#vg-tooltip-element.visible, .vg-tooltip.visible { visibility: visible; }
#vg-tooltip-element:not(.visible) { visibility: hidden; }
#vg-tooltip-element table { margin: 0; }
@media print {
  body { font-size: 11pt; }
  main { max-width: none; padding: 0; }
  nav.toc { display: none; }
  h2 { break-after: avoid; }
  h3, h4 { break-after: avoid; }
  figure.chart, tr { break-inside: avoid; }
  .table-wrap { overflow: visible; }
  a { color: inherit; text-decoration: none; }
}
`;
