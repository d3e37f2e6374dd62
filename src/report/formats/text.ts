/**
 * Plain ASCII at most 72 columns wide: what a kernel developer pastes into a mailing-list reply.
 * Every string from a results file is reduced to printable ASCII (no control characters, no
 * terminal escapes); a table too wide is split into parts that repeat its key columns, and a
 * row that still does not fit is printed as a record.
 */
import { compareDocument } from '../document/compare-document.js';
import { reportDocument } from '../document/report-document.js';
import type { Block, TableRow } from '../document/blocks.js';
import type { ReportFormat } from '../types.js';

export const TEXT_WIDTH = 72;
const GAP = '  ';

/** Printable ASCII only: anything else (tabs, newlines, escapes, non-ASCII) becomes '?' or a space. */
export const asciiOnly = (s: string): string => s.replace(/[\t\n\r]/g, ' ').replace(/[^\x20-\x7e]/g, '?');

/** Greedy word wrap; a word longer than a line is cut. */
export function wrap(text: string, width = TEXT_WIDTH, indent = '', first = ''): string[] {
  const lines: string[] = [];
  let line = first;
  let empty = true;
  for (let word of asciiOnly(text).split(' ').filter(Boolean)) {
    const room = () => width - line.length - (empty ? 0 : 1);
    if (!empty && word.length > room()) {
      lines.push(line);
      line = indent;
      empty = true;
    }
    while (word.length > width - line.length) {
      const cut = width - line.length - (empty ? 0 : 1);
      line += (empty ? '' : ' ') + word.slice(0, cut);
      lines.push(line);
      word = word.slice(cut);
      line = indent;
      empty = true;
    }
    line += (empty ? '' : ' ') + word;
    empty = false;
  }
  if (!empty || lines.length === 0) lines.push(line);
  return lines;
}

function renderRows(header: string[], rows: TableRow[], align: string[], cols: number[]): string[] {
  const widths = cols.map((c) => Math.max(header[c].length, ...rows.filter((r) => !r.group).map((r) => (r.cells[c] ?? '').length)));
  const fmt = (cells: string[]) =>
    cols
      .map((c, i) => (align[c] === 'l' ? (cells[c] ?? '').padEnd(widths[i]) : (cells[c] ?? '').padStart(widths[i])))
      .join(GAP)
      .trimEnd();
  const out = [fmt(header), widths.map((w) => '-'.repeat(w)).join(GAP)];
  for (const r of rows) out.push(...(r.group ? wrap(r.cells[0]) : [fmt(r.cells)]));
  return out;
}

const tableWidth = (header: string[], rows: TableRow[], cols: number[]) =>
  cols.reduce((sum, c) => sum + Math.max(header[c].length, ...rows.filter((r) => !r.group).map((r) => (r.cells[c] ?? '').length)), 0) + GAP.length * (cols.length - 1);

function renderTable(b: Extract<Block, { kind: 'table' }>): string[] {
  const header = b.header.map(asciiOnly);
  const rows = b.rows.map((r) => ({ ...r, cells: r.cells.map(asciiOnly) }));
  const all = header.map((_, i) => i);
  if (tableWidth(header, rows, all) <= TEXT_WIDTH) return renderRows(header, rows, b.align, all);
  // Split: the key columns, then as many of the others as fit, part after part.
  const keys = all.slice(0, b.keyColumns);
  const parts: number[][] = [];
  let part = [...keys];
  for (const c of all.slice(b.keyColumns)) {
    if (part.length > keys.length && tableWidth(header, rows, [...part, c]) > TEXT_WIDTH) {
      parts.push(part);
      part = [...keys];
    }
    part.push(c);
  }
  parts.push(part);
  if (parts.every((p) => tableWidth(header, rows, p) <= TEXT_WIDTH)) return parts.flatMap((p, i) => [...(i ? [''] : []), ...renderRows(header, rows, b.align, p)]);
  // Some cell is too long for any table: one record per row.
  return rows.flatMap((r) =>
    r.group ? wrap(r.cells[0]) : [...wrap(r.cells[0].trim()), ...r.cells.slice(1).flatMap((c, i) => wrap(`${header[i + 1]}: ${c}`, TEXT_WIDTH, '      ', '    '))],
  );
}

function renderBlock(b: Block): string[] {
  switch (b.kind) {
    case 'heading': {
      const lines = wrap(b.text);
      return [...lines, (b.level === 1 ? '=' : '-').repeat(Math.max(...lines.map((l) => l.length)))];
    }
    case 'paragraph':
      return wrap(b.text);
    case 'lines':
      return b.lines.flatMap((l) => wrap(l, TEXT_WIDTH, '    '));
    case 'list':
      return b.items.flatMap((item) => wrap(item, TEXT_WIDTH, '  ', '- '));
    case 'table':
      return renderTable(b);
  }
}

export function renderText(blocks: readonly Block[]): string {
  return `${blocks.map((b) => renderBlock(b).join('\n')).join('\n\n')}\n`;
}

export const text: ReportFormat = {
  id: 'text',
  description: 'plain ASCII, at most 72 columns, for mailing lists',
  extension: 'txt',
  report: (model) => renderText(reportDocument(model)),
  compare: (model) => renderText(compareDocument(model)),
};
