/**
 * Integer constant expressions, as C writes them in #if, #define, enum values and array
 * bounds: literals, names, unary and binary operators, ?:, casts and sizeof. Values are
 * bigints (no wrap-around): a flag such as 1ULL << 40 stays exact. Precedence climbing over a
 * Cursor; what a name or a type means is the caller's business (ConstEnv).
 */
import { Cursor } from './cursor.js';
import { describe, fail, type Token } from './tokens.js';

export interface ConstEnv {
  /** The value of a name (a macro, an enumerator); fails if it has none. */
  name(t: Token): bigint;
  /** `defined X` / `defined(X)`: only in #if. */
  defined?(t: Token): boolean;
  /** Does a type name start here (for casts and sizeof)? */
  isTypeStart?(c: Cursor): boolean;
  /** Parses a type name and returns sizeof it (the same on every ABI, or an error). */
  sizeofType?(c: Cursor, at: Token): bigint;
  /** Parses a type name for a cast; the value is not truncated. */
  skipType?(c: Cursor): void;
}

/** Parses an integer literal: decimal, octal, hex, with U/L suffixes. */
export function literalValue(t: Token): bigint {
  const digits = t.text.replace(/[uUlL]+$/, '');
  if (/^0[xX]/.test(digits)) return BigInt(digits);
  if (/^0[0-7]+$/.test(digits)) return BigInt(`0o${digits.slice(1)}`);
  if (/^[0-9]+$/.test(digits) && !/^0[0-9]/.test(digits)) return BigInt(digits);
  fail(t.pos, `found ${describe(t)}, expected an integer constant (8 and 9 are not octal digits)`);
}

const BINARY: Record<string, number> = {
  '||': 1,
  '&&': 2,
  '|': 3,
  '^': 4,
  '&': 5,
  '==': 6,
  '!=': 6,
  '<': 7,
  '>': 7,
  '<=': 7,
  '>=': 7,
  '<<': 8,
  '>>': 8,
  '+': 9,
  '-': 9,
  '*': 10,
  '/': 10,
  '%': 10,
};

const truth = (v: bigint) => (v !== 0n ? 1n : 0n);

function apply(op: Token, a: bigint, b: bigint): bigint {
  switch (op.text) {
    case '||':
      return truth(a) || truth(b) ? 1n : 0n;
    case '&&':
      return truth(a) && truth(b) ? 1n : 0n;
    case '|':
      return a | b;
    case '^':
      return a ^ b;
    case '&':
      return a & b;
    case '==':
      return a === b ? 1n : 0n;
    case '!=':
      return a !== b ? 1n : 0n;
    case '<':
      return a < b ? 1n : 0n;
    case '>':
      return a > b ? 1n : 0n;
    case '<=':
      return a <= b ? 1n : 0n;
    case '>=':
      return a >= b ? 1n : 0n;
    case '<<':
    case '>>':
      if (b < 0n || b > 4096n) fail(op.pos, `found a shift by ${b}, expected a shift count in 0..4096`);
      return op.text === '<<' ? a << b : a >> b;
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
    case '%':
      if (b === 0n) fail(op.pos, `found a division by zero in a constant expression`);
      return op.text === '/' ? a / b : a % b;
  }
  fail(op.pos, `found ${describe(op)}, expected an operator`);
}

export function parseConstExpr(c: Cursor, env: ConstEnv): bigint {
  return conditional(c, env);
}

/** Evaluates a whole token list (a #if line, a macro body); anything left over is an error. */
export function evaluateTokens(tokens: readonly Token[], env: ConstEnv, endPos: Token['pos']): bigint {
  const c = new Cursor(tokens, endPos);
  if (c.atEnd()) fail(endPos, 'found nothing, expected a constant expression');
  const v = parseConstExpr(c, env);
  if (!c.atEnd()) c.fail('the end of the constant expression');
  return v;
}

function conditional(c: Cursor, env: ConstEnv): bigint {
  const cond = binary(c, env, 1);
  if (!c.accept('?')) return cond;
  const yes = conditional(c, env);
  c.expect(':');
  const no = conditional(c, env);
  return cond !== 0n ? yes : no;
}

function binary(c: Cursor, env: ConstEnv, min: number): bigint {
  let left = unary(c, env);
  for (;;) {
    const op = c.peek();
    const prec = op.kind === 'punct' ? BINARY[op.text] : undefined;
    if (prec === undefined || prec < min) return left;
    c.next();
    const right = binary(c, env, prec + 1);
    left = apply(op, left, right);
  }
}

function unary(c: Cursor, env: ConstEnv): bigint {
  const t = c.peek();
  if (t.kind === 'punct') {
    switch (t.text) {
      case '-':
        c.next();
        return -unary(c, env);
      case '+':
        c.next();
        return unary(c, env);
      case '~':
        c.next();
        return ~unary(c, env);
      case '!':
        c.next();
        return unary(c, env) === 0n ? 1n : 0n;
      case '(': {
        if (env.isTypeStart && env.skipType && env.isTypeStart(new Cursor(c.tokens.slice(c.index + 1)))) {
          c.next();
          env.skipType(c);
          c.expect(')', '")" after the type of a cast');
          return unary(c, env);
        }
        c.next();
        const v = parseConstExpr(c, env);
        c.expect(')');
        return v;
      }
    }
  }
  return primary(c, env);
}

function primary(c: Cursor, env: ConstEnv): bigint {
  const t = c.next();
  if (t.kind === 'number') return literalValue(t);
  if (t.kind === 'char') {
    const body = t.text.slice(1, -1);
    if (body.length === 1) return BigInt(body.charCodeAt(0));
    fail(t.pos, `found ${describe(t)}, expected a plain one-character constant`);
  }
  if (t.kind === 'ident') {
    if (t.text === 'defined') {
      if (!env.defined) fail(t.pos, 'found "defined", which is only meaningful in #if');
      const paren = c.accept('(');
      const name = c.ident('a macro name after "defined"');
      if (paren) c.expect(')');
      return env.defined(name) ? 1n : 0n;
    }
    if (t.text === 'sizeof') {
      if (!env.sizeofType) fail(t.pos, 'found "sizeof", which the preprocessor cannot evaluate (#if has no types)');
      c.expect('(', '"(" and a type name after sizeof');
      const v = env.sizeofType(c, t);
      c.expect(')', '")" after the type name of sizeof');
      return v;
    }
    if (c.is('(')) fail(t.pos, `found a call of ${t.text}(...), expected a constant expression (function-like macros are outside the subset)`);
    return env.name(t);
  }
  fail(t.pos, `found ${describe(t)}, expected a constant expression`);
}
