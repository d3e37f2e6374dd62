/**
 * Annotation comments: `/*@ ... *\/` or `//@ ...`. Inside one, each annotation starts with
 * `@keyword` and runs to the end of the line; a line that does not start with `@` continues the
 * previous annotation. Words keep their file:line:col; ` -- ` starts free text. Other comments
 * (kernel-doc's `@member:` included) are never read.
 */
import { fail, type Comment, type Pos } from './tokens.js';

export interface Word {
  text: string;
  pos: Pos;
}

export interface Annotation {
  key: string;
  pos: Pos;
  words: Word[];
  /** Everything after the key, verbatim (for free-text annotations). */
  rest: string;
  /** Text after ` -- `, if any. */
  text?: string;
}

export function parseAnnotations(comments: readonly Comment[]): Annotation[] {
  const out: Annotation[] = [];
  for (const c of comments.filter((x) => x.annotation)) {
    let current: Annotation | undefined;
    c.body.split('\n').forEach((raw, i) => {
      // Column of the line's first character; the first line starts after the "@" marker.
      const lineCol = i === 0 ? c.bodyPos.col + 1 : 1;
      let line = i === 0 ? raw.slice(1) : raw;
      let col = lineCol;
      const lead = /^[ \t]*(\*(?!\/)[ \t]?)?[ \t]*/.exec(line)![0];
      line = line.slice(lead.length);
      col += lead.length;
      line = line.replace(/\s+$/, '');
      if (!line) return;
      const pos: Pos = { file: c.pos.file, line: c.bodyPos.line + i, col };
      if (line.startsWith('@')) {
        const m = /^@([A-Za-z][A-Za-z0-9-]*)/.exec(line);
        if (!m) fail(pos, `found ${JSON.stringify(line.split(/\s/)[0])}, expected @keyword`);
        current = { key: m[1], pos, words: [], rest: '' };
        out.push(current);
        addWords(current, line.slice(m[0].length), { ...pos, col: col + m[0].length });
        return;
      }
      if (!current) fail(pos, `found ${JSON.stringify(line.split(/\s/)[0])} in an annotation comment, expected @keyword (annotation comments start with /*@ or //@)`);
      addWords(current, ` ${line}`, { ...pos, col: col - 1 });
    });
  }
  return out;
}

function addWords(a: Annotation, text: string, start: Pos): void {
  a.rest = `${a.rest} ${text.trim()}`.trim();
  if (a.text !== undefined) {
    a.text = `${a.text} ${text.trim()}`.trim();
    return;
  }
  const re = /\S+/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m[0] === '--') {
      a.text = text.slice(m.index + 2).trim();
      return;
    }
    a.words.push({ text: m[0], pos: { ...start, col: start.col + m.index } });
  }
}
