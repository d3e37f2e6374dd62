/** A cursor over tokens for the recursive-descent parsers, with "found X, expected Y" errors. */
import { describe, fail, type Pos, type Token } from './tokens.js';

export class Cursor {
  private at = 0;

  constructor(
    readonly tokens: readonly Token[],
    /** Where the input ends, for a token list that is part of a file (a directive, a macro body). */
    private readonly endPos?: Pos,
  ) {}

  peek(ahead = 0): Token {
    const i = this.at + ahead;
    if (i < this.tokens.length) return this.tokens[i];
    const last = this.tokens[this.tokens.length - 1];
    const pos = this.endPos ?? last?.pos ?? { file: '?', line: 1, col: 1 };
    return { kind: 'eof', text: '', pos, bol: true, start: last?.end ?? 0, end: last?.end ?? 0 };
  }

  next(): Token {
    const t = this.peek();
    if (this.at < this.tokens.length) this.at++;
    return t;
  }

  get index(): number {
    return this.at;
  }

  reset(index: number): void {
    this.at = index;
  }

  atEnd(): boolean {
    return this.peek().kind === 'eof';
  }

  is(text: string, ahead = 0): boolean {
    const t = this.peek(ahead);
    return (t.kind === 'punct' || t.kind === 'ident') && t.text === text;
  }

  accept(text: string): Token | undefined {
    return this.is(text) ? this.next() : undefined;
  }

  expect(text: string, what = `"${text}"`): Token {
    const t = this.peek();
    if (!this.is(text)) fail(t.pos, `found ${describe(t)}, expected ${what}`);
    return this.next();
  }

  ident(what = 'a name'): Token {
    const t = this.peek();
    if (t.kind !== 'ident') fail(t.pos, `found ${describe(t)}, expected ${what}`);
    return this.next();
  }

  /** Fails at the current token. */
  fail(expected: string): never {
    const t = this.peek();
    fail(t.pos, `found ${describe(t)}, expected ${expected}`);
  }
}
