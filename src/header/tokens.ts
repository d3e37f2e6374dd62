/**
 * The tokenizer for the C subset of uapi headers: identifiers, integer literals, strings,
 * punctuators, with a position (file:line:col) on each; comments are kept apart, because
 * annotation comments (`/*@ ... *\/`, `//@ ...`) carry the interface's semantics. Each token
 * kind is one sticky regular expression; nothing here looks at more than one token.
 */
import { InputError } from '../errors.js';

export interface Pos {
  file: string;
  line: number;
  col: number;
}

export type TokenKind = 'ident' | 'number' | 'string' | 'char' | 'punct' | 'eof';

export interface Token {
  kind: TokenKind;
  text: string;
  pos: Pos;
  /** The first token of a logical line (a backslash-newline does not start one): where `#` opens a directive. */
  bol: boolean;
  /** Offsets in the source, for a directive's raw text. */
  start: number;
  end: number;
}

export interface Comment {
  /** The text between the delimiters. */
  body: string;
  pos: Pos;
  /** Where the body starts (after the delimiter), for positions inside it. */
  bodyPos: Pos;
  /** `/*@` or `//@`: an annotation comment. */
  annotation: boolean;
}

/** Throws the InputError every front-end module uses: `file:line:col: message`. */
export function fail(pos: Pos, message: string): never {
  throw new InputError(`${pos.file}:${pos.line}:${pos.col}: ${message}`);
}

/** How a token is named in "found ..." messages. */
export function describe(t: Token): string {
  if (t.kind === 'eof') return 'end of file';
  if (t.kind === 'number') return `number ${t.text}`;
  return `"${t.text}"`;
}

const PATTERNS: ReadonlyArray<[TokenKind | 'space' | 'newline' | 'continuation' | 'block' | 'line' | 'badnumber', RegExp]> = [
  ['space', /[ \t\f\v\r]+/y],
  ['newline', /\n/y],
  ['continuation', /\\\r?\n/y],
  ['block', /\/\*/y],
  ['line', /\/\/[^\n]*/y],
  ['ident', /[A-Za-z_][A-Za-z0-9_]*/y],
  // An integer literal; anything else that starts with a digit (1.5, 1e3, 0x1p3, 12abc) is not one.
  ['number', /(?:0[xX][0-9A-Fa-f]+|[0-9]+)(?:[uU](?:ll|LL|l|L)?|(?:ll|LL|l|L)[uU]?)?(?![A-Za-z0-9_.])/y],
  ['badnumber', /\.?[0-9][0-9A-Za-z_.]*/y],
  ['string', /"(?:[^"\\\n]|\\.)*"/y],
  ['char', /'(?:[^'\\\n]|\\.)+'/y],
  ['punct', /\.\.\.|<<=|>>=|<<|>>|<=|>=|==|!=|&&|\|\||##|->|\+\+|--|[{}()[\];,*=<>+\-/%&|^~!?:.#]/y],
];

export function tokenize(source: string, file: string): { tokens: Token[]; comments: Comment[] } {
  const tokens: Token[] = [];
  const comments: Comment[] = [];
  let at = 0;
  let line = 1;
  let lineStart = 0;
  let bol = true;
  const posOf = (offset: number): Pos => ({ file, line, col: offset - lineStart + 1 });
  while (at < source.length) {
    let matched = false;
    for (const [kind, re] of PATTERNS) {
      re.lastIndex = at;
      const m = re.exec(source);
      if (!m) continue;
      matched = true;
      const text = m[0];
      const pos = posOf(at);
      switch (kind) {
        case 'space':
          break;
        case 'newline':
          line++;
          lineStart = at + 1;
          bol = true;
          break;
        case 'continuation':
          line++;
          lineStart = at + text.length;
          break;
        case 'block': {
          const close = source.indexOf('*/', at + 2);
          if (close < 0) fail(pos, 'found an unterminated comment ("/*" without "*/"), expected "*/" before the end of file');
          const body = source.slice(at + 2, close);
          comments.push({ body, pos, bodyPos: { file, line, col: pos.col + 2 }, annotation: body.startsWith('@') });
          for (let i = at; i < close; i++) {
            if (source[i] === '\n') {
              line++;
              lineStart = i + 1;
            }
          }
          at = close + 2;
          continue;
        }
        case 'line':
          comments.push({ body: text.slice(2), pos, bodyPos: { file, line, col: pos.col + 2 }, annotation: text.startsWith('//@') });
          break;
        case 'badnumber':
          fail(pos, `found "${text}", expected an integer constant (no floating point, no suffix other than U, L, UL, LL, ULL)`);
        // falls through (fail never returns)
        default:
          tokens.push({ kind, text, pos, bol, start: at, end: at + text.length });
          bol = false;
      }
      at += text.length;
      break;
    }
    if (!matched) {
      const ch = source[at];
      if (ch === '"') fail(posOf(at), 'found an unterminated string, expected a closing " on the same line');
      if (ch === "'") fail(posOf(at), "found an unterminated character constant, expected a closing ' on the same line");
      fail(posOf(at), `found unexpected character ${JSON.stringify(ch)}, expected C tokens`);
    }
  }
  tokens.push({ kind: 'eof', text: '', pos: posOf(at), bol: true, start: at, end: at });
  return { tokens, comments };
}
