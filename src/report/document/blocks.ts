/**
 * A small document model shared by the plain-text and markdown formats, so both say the same
 * things: headings, paragraphs, lists and tables. Strings here are untrusted (they carry ids,
 * host names and reasons from a results file); each renderer escapes them for its medium.
 */
export type Align = 'l' | 'r';

export interface TableRow {
  cells: string[];
  /** A row that only names a group (the first cell); the rows below it belong to it. */
  group?: boolean;
}

export type Block =
  | { kind: 'heading'; level: 1 | 2; text: string }
  | { kind: 'paragraph'; text: string }
  /** Short lines kept as lines (each wrapped on its own if too long). */
  | { kind: 'lines'; lines: string[] }
  | { kind: 'list'; items: string[] }
  | {
      kind: 'table';
      header: string[];
      align: Align[];
      rows: TableRow[];
      /** Columns repeated in each part when a table too wide for the medium is split. */
      keyColumns: number;
    };

export const heading = (text: string, level: 1 | 2 = 2): Block => ({ kind: 'heading', level, text });
export const paragraph = (text: string): Block => ({ kind: 'paragraph', text });
export const list = (items: string[]): Block => ({ kind: 'list', items });
export const table = (header: string[], rows: Array<string[] | TableRow>, align?: Align[], keyColumns = 1): Block => ({
  kind: 'table',
  header,
  align: align ?? header.map((_, i) => (i === 0 ? 'l' : 'r')),
  rows: rows.map((r) => (Array.isArray(r) ? { cells: r } : r)),
  keyColumns,
});
