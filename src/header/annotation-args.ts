/** Reading an annotation's words: positional words, key=value options, integers, choices. */
import type { Annotation, Word } from './annotations.js';
import { fail } from './tokens.js';

/** Options of an annotation: `key=value` words and bare flags; other words are positional. */
export function options(a: Annotation, allowed: readonly string[], from = 0): { positional: Word[]; opts: Map<string, Word> } {
  const positional: Word[] = [];
  const opts = new Map<string, Word>();
  for (const w of a.words.slice(from)) {
    const eq = w.text.indexOf('=');
    const key = eq < 0 ? w.text : w.text.slice(0, eq);
    if (eq < 0 && !allowed.includes(key)) {
      positional.push(w);
      continue;
    }
    if (!allowed.includes(key)) fail(w.pos, `found option ${key} in @${a.key}, expected one of ${allowed.join(', ')}`);
    if (opts.has(key)) fail(w.pos, `found ${key} twice in @${a.key}, expected it once`);
    opts.set(key, { text: eq < 0 ? '' : w.text.slice(eq + 1), pos: { ...w.pos, col: w.pos.col + eq + 1 } });
  }
  return { positional, opts };
}

export function integer(w: Word, what: string, min = 0): number {
  if (!/^(0x[0-9a-fA-F]+|[0-9]+)$/.test(w.text) || Number(w.text) < min) fail(w.pos, `found ${JSON.stringify(w.text)}, expected ${what} (an integer >= ${min})`);
  return Number(w.text);
}

export function oneOf<T extends string>(w: Word, values: readonly T[], what: string): T {
  if (!values.includes(w.text as T)) fail(w.pos, `found ${JSON.stringify(w.text)}, expected ${what}: ${values.join(', ')}`);
  return w.text as T;
}

/** The i-th word, which must be there. */
export function word(a: Annotation, i: number, what: string): Word {
  const w = a.words[i];
  if (!w) fail(a.pos, `found @${a.key} without ${what}, expected @${a.key} ${what}`);
  return w;
}

/** No word from `from` on. */
export function noMore(a: Annotation, from: number): void {
  const w = a.words[from];
  if (w) fail(w.pos, `found ${JSON.stringify(w.text)} after @${a.key}, expected the end of the annotation`);
}
