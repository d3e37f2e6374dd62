/**
 * The small preprocessing step a pasted uapi header needs: include guards and other
 * conditionals (#if/#ifdef/#ifndef/#elif/#else/#endif), #define/#undef, and #include of the
 * headers whose types clonebench already knows (<linux/types.h> and friends). Object-like
 * macros are expanded in declarations, except inside [...] where an array bound keeps its
 * name (so pahole shows CLONE_FLAGS_WORDS and a parameter can change it); constant expressions
 * look macros up by name. A conditional on the target ABI (__x86_64__, __BITS_PER_LONG, ...)
 * is refused: one declaration is laid out on all 14 ABIs.
 */
import { evaluateTokens, type ConstEnv } from './const-expr.js';
import { describe, fail, type Comment, type Pos, type Token } from './tokens.js';

export interface Define {
  name: string;
  /** Parameter names of a function-like macro (which clonebench does not expand). */
  params?: string[];
  body: Token[];
  pos: Pos;
}

export interface Preprocessed {
  /** Tokens of the active regions, object-like macros expanded outside brackets; ends with eof. */
  tokens: Token[];
  defines: Map<string, Define>;
  /** Comments in active regions. */
  comments: Comment[];
}

/** Headers whose declarations are the builtin types of the model (linux/types.h and what it includes). */
export const KNOWN_INCLUDES: ReadonlySet<string> = new Set([
  'linux/types.h',
  'asm/types.h',
  'asm-generic/types.h',
  'asm-generic/int-ll64.h',
  'linux/posix_types.h',
  'asm/posix_types.h',
  'asm-generic/posix_types.h',
  'linux/stddef.h',
]);

/** Macros whose value depends on the target: a declaration that tests them differs per ABI. */
export const TARGET_MACROS: ReadonlySet<string> = new Set([
  '__x86_64__', '__i386__', '__ILP32__', '__LP64__', '_LP64', '__aarch64__', '__arm__', '__ARMEB__', '__ARMEL__',
  '__powerpc__', '__powerpc64__', '__PPC64__', '__PPC__', '__s390__', '__s390x__', '__mips__', '_MIPS_SIM', '_ABIO32',
  '_ABIN32', '_ABI64', '__mips64', '__sparc__', '__sparc_v9__', '__arch64__', '__m68k__', '__mc68000__', '__riscv',
  '__riscv_xlen', '__BYTE_ORDER__', '__ORDER_BIG_ENDIAN__', '__ORDER_LITTLE_ENDIAN__', '__BIG_ENDIAN', '__LITTLE_ENDIAN',
  '__BIG_ENDIAN_BITFIELD', '__LITTLE_ENDIAN_BITFIELD', '__BITS_PER_LONG', 'BITS_PER_LONG', '__SIZEOF_LONG__',
  '__SIZEOF_POINTER__', '__WORDSIZE', 'CONFIG_64BIT', 'CONFIG_COMPAT', '__CHAR_UNSIGNED__',
]);

interface Conditional {
  /** Is the enclosing region active? */
  outer: boolean;
  /** Is this branch active? */
  active: boolean;
  /** Has any branch of this #if been taken? */
  taken: boolean;
  elseSeen: boolean;
  pos: Pos;
  directive: string;
}

const sameBody = (a: Define, b: Define) =>
  JSON.stringify([a.params, a.body.map((t) => t.text)]) === JSON.stringify([b.params, b.body.map((t) => t.text)]);

export function preprocess(tokens: readonly Token[], comments: readonly Comment[], source: string): Preprocessed {
  const defines = new Map<string, Define>();
  const out: Token[] = [];
  const stack: Conditional[] = [];
  const inactiveLines: Array<[number, number]> = [];
  let inactiveFrom: number | undefined;
  const active = () => stack.every((c) => c.active);
  const eof = tokens[tokens.length - 1];

  const checkTargetMacro = (t: Token) => {
    if (TARGET_MACROS.has(t.text))
      fail(t.pos, `found a test of ${t.text}, which differs between ABIs; clonebench lays one declaration out on all 14 ABIs: declare fixed-width members instead`);
  };
  const ifEnv: ConstEnv = {
    defined: (t) => {
      checkTargetMacro(t);
      return defines.has(t.text);
    },
    name: (t) => {
      checkTargetMacro(t);
      // In #if an undefined name is 0, as in C.
      const zero = (u: Token) => (checkTargetMacro(u), 0n);
      return defines.has(t.text) ? macroValue(defines, t, [], { fallback: zero }) : 0n;
    },
  };

  let i = 0;
  while (i < tokens.length) {
    const t = tokens[i];
    if (t.kind === 'eof') break;
    if (!(t.kind === 'punct' && t.text === '#' && t.bol)) {
      if (active()) out.push(t);
      i++;
      continue;
    }
    // A directive: every token up to the next line.
    let j = i + 1;
    while (j < tokens.length && tokens[j].kind !== 'eof' && !tokens[j].bol) j++;
    const line = tokens.slice(i + 1, j);
    const endPos: Pos = line.length ? { ...line[line.length - 1].pos, col: line[line.length - 1].pos.col + line[line.length - 1].text.length } : { ...t.pos, col: t.pos.col + 1 };
    i = j;
    if (line.length === 0) continue; // the null directive
    const name = line[0];
    const args = line.slice(1);
    const wasActive = active();
    switch (name.text) {
      case 'if':
      case 'ifdef':
      case 'ifndef': {
        let on = false;
        if (wasActive) {
          if (name.text === 'if') on = evaluateTokens(args, ifEnv, endPos) !== 0n;
          else {
            if (args.length !== 1 || args[0].kind !== 'ident') fail(args[0]?.pos ?? endPos, `found ${args[0] ? describe(args[0]) : 'nothing'}, expected one macro name after #${name.text}`);
            checkTargetMacro(args[0]);
            on = defines.has(args[0].text) === (name.text === 'ifdef');
          }
        }
        stack.push({ outer: wasActive, active: on, taken: on, elseSeen: false, pos: t.pos, directive: `#${name.text}` });
        break;
      }
      case 'elif':
      case 'else': {
        const top = stack[stack.length - 1];
        if (!top) fail(t.pos, `found #${name.text} without an open #if, expected #if, #ifdef or #ifndef before it`);
        if (top.elseSeen) fail(t.pos, `found #${name.text} after #else (the #if at ${top.pos.line}:${top.pos.col}), expected #endif`);
        if (name.text === 'else') {
          if (args.length) fail(args[0].pos, `found ${describe(args[0])} after #else, expected the end of the line`);
          top.elseSeen = true;
          top.active = top.outer && !top.taken;
        } else {
          top.active = top.outer && !top.taken && evaluateTokens(args, ifEnv, endPos) !== 0n;
        }
        top.taken ||= top.active;
        break;
      }
      case 'endif':
        if (!stack.pop()) fail(t.pos, 'found #endif without an open #if, expected #if, #ifdef or #ifndef before it');
        break;
      default:
        if (!wasActive) break;
        directive(name, args, endPos);
    }
    // Comments inside inactive regions carry no annotations.
    const nowActive = active();
    if (wasActive && !nowActive) inactiveFrom = t.pos.line;
    if (!wasActive && nowActive && inactiveFrom !== undefined) {
      inactiveLines.push([inactiveFrom, t.pos.line]);
      inactiveFrom = undefined;
    }
  }
  const open = stack[stack.length - 1];
  if (open) fail(open.pos, `found ${open.directive} without #endif, expected #endif before the end of file`);

  function directive(name: Token, args: Token[], endPos: Pos) {
    switch (name.text) {
      case 'define': {
        const id = args[0];
        if (!id || id.kind !== 'ident') fail(id?.pos ?? endPos, `found ${id ? describe(id) : 'nothing'}, expected a macro name after #define`);
        let body = args.slice(1);
        let params: string[] | undefined;
        // Function-like only when "(" touches the name.
        if (body[0]?.text === '(' && body[0].start === id.end) {
          const close = body.findIndex((x) => x.text === ')');
          if (close < 0) fail(body[0].pos, 'found an unterminated parameter list, expected ")"');
          params = body.slice(1, close).filter((x) => x.text !== ',').map((x) => x.text);
          body = body.slice(close + 1);
        }
        const def: Define = { name: id.text, params, body, pos: id.pos };
        const old = defines.get(id.text);
        if (old && !sameBody(old, def)) fail(id.pos, `found a second, different #define of ${id.text} (the first at ${old.pos.line}:${old.pos.col}), expected one definition`);
        defines.set(id.text, def);
        return;
      }
      case 'undef':
        if (args.length !== 1 || args[0].kind !== 'ident') fail(args[0]?.pos ?? endPos, 'expected one macro name after #undef');
        defines.delete(args[0].text);
        return;
      case 'include': {
        const raw = source.slice(args[0]?.start ?? name.end, args[args.length - 1]?.end ?? name.end).trim();
        const m = /^[<"]([^>"]+)[>"]$/.exec(raw);
        if (!m) fail(args[0]?.pos ?? endPos, `found ${JSON.stringify(raw)}, expected <file.h> or "file.h" after #include`);
        if (!KNOWN_INCLUDES.has(m[1]))
          fail(name.pos, `found #include ${raw}, expected only headers whose types clonebench knows (${[...KNOWN_INCLUDES].map((x) => `<${x}>`).join(', ')}): paste the declarations you need from ${m[1]} instead`);
        return;
      }
      case 'pragma':
        if (args.length === 1 && args[0].text === 'once') return;
        fail(name.pos, `found #pragma ${args.map((x) => x.text).join(' ')}, expected only #pragma once (write __attribute__((packed)) instead of #pragma pack)`);
      // falls through (fail never returns)
      case 'error':
        fail(name.pos, `#error ${source.slice(args[0]?.start ?? name.end, args[args.length - 1]?.end ?? name.end)}`);
      // falls through
      case 'warning':
        return;
      default:
        fail(name.pos, `found #${name.text}, expected a directive of the subset (#define, #undef, #include, #if, #ifdef, #ifndef, #elif, #else, #endif, #pragma once)`);
    }
  }

  const inActive = (c: Comment) => !inactiveLines.some(([a, b]) => c.pos.line >= a && c.pos.line <= b);
  return { tokens: [...expandMacros(out, defines), eof], defines, comments: comments.filter(inActive) };
}

/** Expands object-like macros in declaration tokens, except inside [...]; a use keeps its position. */
function expandMacros(tokens: readonly Token[], defines: ReadonlyMap<string, Define>): Token[] {
  const out: Token[] = [];
  let depth = 0;
  const expand = (t: Token, seen: ReadonlySet<string>) => {
    const def = t.kind === 'ident' && depth === 0 ? defines.get(t.text) : undefined;
    // A macro is not expanded inside its own expansion (C's rule); a function-like one is left to the parser to refuse.
    if (!def || def.params || seen.has(t.text)) {
      out.push(t);
      return;
    }
    for (const b of def.body) expand({ ...b, pos: t.pos, bol: false, start: t.start, end: t.end }, new Set([...seen, t.text]));
  };
  for (const t of tokens) {
    if (t.kind === 'punct' && t.text === '[') depth++;
    if (t.kind === 'punct' && t.text === ']') depth = Math.max(0, depth - 1);
    expand(t, new Set());
  }
  return out;
}

/** What a macro body may use besides other macros: names with values (enumerators), types for sizeof. */
export interface MacroContext extends Omit<ConstEnv, 'name' | 'defined'> {
  fallback?(t: Token): bigint | undefined;
}

/** The value of an object-like macro used in a constant expression; a macro that refers to itself is an error. */
export function macroValue(defines: ReadonlyMap<string, Define>, use: Token, chain: readonly string[], context: MacroContext = {}): bigint {
  const def = defines.get(use.text)!;
  if (chain.includes(use.text)) fail(use.pos, `found macro ${use.text} defined in terms of itself (${[...chain, use.text].join(' -> ')}), expected a constant`);
  if (def.params) fail(use.pos, `found function-like macro ${use.text}, expected a constant (function-like macros are outside the subset)`);
  const next = [...chain, use.text];
  const env: ConstEnv = {
    ...context,
    name: (t) => {
      if (defines.has(t.text)) return macroValue(defines, t, next, context);
      const v = context.fallback?.(t);
      if (v !== undefined) return v;
      fail(t.pos, `found ${t.text} in the definition of ${use.text} (${def.pos.line}:${def.pos.col}), expected a constant: ${t.text} is not defined`);
    },
  };
  if (def.body.length === 0) fail(use.pos, `found macro ${use.text}, which is empty, expected a constant`);
  return evaluateTokens(def.body, env, def.pos);
}
