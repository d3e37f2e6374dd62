/** GitHub-flavoured markdown: the same content as the text format, as GFM tables. Strings from
 * a results file are escaped (markdown punctuation, HTML, pipes) and kept on one line. */
import { compareDocument } from '../document/compare-document.js';
import { reportDocument } from '../document/report-document.js';
import type { Block } from '../document/blocks.js';
import type { ReportFormat } from '../types.js';

/** Backslash-escapes the characters that could start markup: emphasis, code, links (with the
 * brackets escaped a parenthesis cannot make one), HTML and entities, table cells, headings,
 * strikethrough. Control characters become spaces (a newline would end a table row). */
export const mdEscape = (s: string): string =>
  s
    .replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, ' ')
    .replace(/[\\`*_[\]<>#|~&]/g, (c) => `\\${c}`);

const cell = (s: string) => mdEscape(s.trim()) || ' ';

function renderBlock(b: Block): string {
  switch (b.kind) {
    case 'heading':
      return `${b.level === 1 ? '#' : '##'} ${mdEscape(b.text)}`;
    case 'paragraph':
      return mdEscape(b.text);
    case 'lines':
      return b.lines.map(mdEscape).join('  \n');
    case 'list':
      return b.items.map((i) => `- ${mdEscape(i)}`).join('\n');
    case 'table': {
      const head = `| ${b.header.map(cell).join(' | ')} |`;
      const rule = `|${b.align.map((a) => (a === 'r' ? ' ---: ' : ' --- ')).join('|')}|`;
      const rows = b.rows.map((r) => (r.group ? `| **${cell(r.cells[0])}** |${' |'.repeat(b.header.length - 1)}` : `| ${r.cells.map(cell).join(' | ')} |`));
      return [head, rule, ...rows].join('\n');
    }
  }
}

const render = (blocks: readonly Block[]) => `${blocks.map(renderBlock).join('\n\n')}\n`;

export const markdown: ReportFormat = {
  id: 'md',
  description: 'GitHub-flavoured markdown tables',
  extension: 'md',
  report: (model) => render(reportDocument(model)),
  compare: (model) => render(compareDocument(model)),
};
