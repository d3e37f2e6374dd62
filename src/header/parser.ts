/**
 * A recursive-descent parser for the C subset of uapi headers: struct and union (nested,
 * anonymous), fixed and flexible arrays with constant-expression bounds, typedef, enum, the
 * kernel's fixed-width and __kernel_* types, pointers, __attribute__((aligned(N))) and packed,
 * and one syscall prototype, `long sys_NAME(...)` or `SYSCALL_DEFINEn(NAME, type, arg, ...)`.
 * Anything else is an InputError "file:line:col: found X, expected Y".
 */
import { layoutStruct, typeSizeAlign } from '../ctype/layout.js';
import { resolveType, SCALARS, UNMODELLED_KERNEL_TYPES, validateStructs } from '../ctype/model.js';
import { selectTargets } from '../registry.js';
import { typeString, type ArrayBound, type EnumDef, type MemberDef, type ParsedHeader, type RecordDef, type SyscallProto, type TypeRef } from './ast.js';
import { parseConstExpr, type ConstEnv } from './const-expr.js';
import { Cursor } from './cursor.js';
import { macroValue, preprocess } from './preprocess.js';
import { boundConstants, recordToStruct } from './records.js';
import { describe, fail, tokenize, type Pos, type Token } from './tokens.js';

/** Qualifiers and annotations that do not change a layout. */
const QUALIFIERS = new Set(['const', 'volatile', '__user', '__restrict', 'restrict', '__restrict__', '__extension__', '__const', '__volatile__', 'extern', '__force', '__iomem']);
/** C keywords outside the subset, with what to write instead. */
const REFUSED: Readonly<Record<string, string>> = {
  float: 'floating point has no place in a syscall ABI',
  _Bool: 'use __u8',
  bool: 'use __u8',
  _Complex: 'outside the subset',
  _Atomic: 'outside the subset',
  static: 'storage classes are outside the subset',
  inline: 'function bodies are outside the subset',
  register: 'storage classes are outside the subset',
  auto: 'storage classes are outside the subset',
  typeof: 'outside the subset',
  __typeof__: 'outside the subset',
  _Alignas: 'write __attribute__((aligned(N)))',
};
const TYPE_KEYWORDS = new Set(['signed', 'unsigned', 'short', 'long', 'int', 'char', 'void', 'double', '__signed__']);
const isAttribute = (t: Token) => t.kind === 'ident' && (t.text === '__attribute__' || t.text === '__attribute');

interface Attributes {
  packed?: boolean;
  align?: number;
  pos?: Pos;
}

interface Spec {
  type: Omit<TypeRef, 'pos'>;
  /** A struct/union defined here without a name, to be named by the declaration. */
  anonymous?: RecordDef;
  attrs: Attributes;
  pos: Pos;
}

export function parseHeader(source: string, file: string): ParsedHeader {
  const lexed = tokenize(source, file);
  const pp = preprocess(lexed.tokens, lexed.comments, source);
  return new HeaderParser(file, pp.tokens, pp.defines, pp.comments).parse();
}

class HeaderParser {
  private readonly c: Cursor;
  private readonly records: RecordDef[] = [];
  private readonly tags = new Map<string, RecordDef | EnumDef>();
  private readonly typedefs = new Map<string, { type: TypeRef; pos: Pos }>();
  private readonly enums = new Map<string, EnumDef>();
  private readonly enumConstants = new Map<string, { value: bigint; pos: Pos }>();
  private syscall?: SyscallProto;
  private readonly targets = selectTargets();

  constructor(
    readonly file: string,
    tokens: Token[],
    private readonly defines: ParsedHeader['defines'],
    private readonly comments: ParsedHeader['comments'],
  ) {
    this.c = new Cursor(tokens);
  }

  parse(): ParsedHeader {
    const c = this.c;
    while (!c.atEnd()) {
      if (c.accept(';')) continue;
      const t = c.peek();
      if (t.kind === 'ident' && /^SYSCALL_DEFINE[0-9]$/.test(t.text)) this.syscallDefine();
      else if (t.kind === 'ident' && t.text === 'typedef') this.typedef();
      else this.declaration();
    }
    for (const r of this.records)
      for (const m of r.members) {
        const name = /^(struct|union) (\w+)$/.exec(m.type.base)?.[2];
        const target = name ? this.tags.get(name) : undefined;
        if (target && 'complete' in target && !target.complete) fail(m.pos, `found ${m.type.base}, which is declared but never defined, expected its definition in this header`);
      }
    for (const a of this.syscall?.args ?? []) {
      const name = /^(struct|union) (\w+)$/.exec(a.type.base)?.[2];
      const target = name ? this.tags.get(name) : undefined;
      if (target && 'complete' in target && !target.complete) fail(a.pos, `found ${a.type.base}, which is declared but never defined, expected its definition in this header`);
    }
    return {
      file: this.file,
      records: this.records,
      typedefs: this.typedefs,
      enums: this.enums,
      enumConstants: this.enumConstants,
      defines: this.defines,
      comments: this.comments,
      syscall: this.syscall,
      end: c.peek().pos,
      constant: (name, use) => this.constantByName(name, use),
    };
  }

  // ---- constants ----

  private constantByName(name: string, use?: Pos): bigint | undefined {
    const e = this.enumConstants.get(name);
    if (e) return e.value;
    const d = this.defines.get(name);
    if (!d) return undefined;
    const tok: Token = { kind: 'ident', text: name, pos: use ?? d.pos, bol: false, start: 0, end: 0 };
    return macroValue(this.defines, tok, [], { ...this.env, fallback: (t) => this.enumConstants.get(t.text)?.value });
  }

  private readonly env: ConstEnv = {
    name: (t) => {
      const v = this.constantByName(t.text, t.pos);
      if (v === undefined) fail(t.pos, `found ${t.text}, expected a constant: ${t.text} is neither #defined nor an enumerator`);
      return v;
    },
    isTypeStart: (c) => this.isTypeStart(c.peek()),
    skipType: (c) => void this.typeName(c),
    sizeofType: (c, at) => {
      const type = this.typeName(c);
      return BigInt(this.sizeEverywhere(type, at.pos));
    },
  };

  private isTypeStart(t: Token): boolean {
    if (t.kind !== 'ident') return false;
    return TYPE_KEYWORDS.has(t.text) || t.text === 'struct' || t.text === 'union' || t.text === 'enum' || QUALIFIERS.has(t.text) || this.typedefs.has(t.text) || (SCALARS[t.text] !== undefined && !t.text.includes(' '));
  }

  /** A type name (specifiers and pointers, an optional array), as in sizeof and casts. */
  private typeName(c: Cursor): TypeRef {
    const spec = this.specifiers(c);
    let pointers = spec.type.pointers;
    while (c.accept('*')) {
      pointers++;
      while (c.peek().kind === 'ident' && QUALIFIERS.has(c.peek().text)) c.next();
    }
    const type: TypeRef = { ...spec.type, pointers, pos: spec.pos };
    if (c.is('[')) {
      if (spec.type.array) fail(c.peek().pos, 'found a second array dimension, expected one (arrays of arrays are outside the subset)');
      type.array = this.arrayBound(c);
    }
    return type;
  }

  /** sizeof a type, which must be the same on every ABI to be a constant of the header. */
  private sizeEverywhere(type: TypeRef, pos: Pos): number {
    if (type.array?.flex) fail(pos, 'found sizeof of a flexible array, expected a complete type');
    const structs = this.records.filter((r) => r.complete).map(recordToStruct);
    const scope = validateStructs(structs, boundConstants(this.records.flatMap((r) => r.members.map((m) => m.type))), this.file);
    const text = typeString(type);
    const ctype = resolveType(text, { ...scope, constants: { ...scope.constants, ...boundConstants([type]) } }, `${pos.file}:${pos.line}:${pos.col}`);
    const sizes = new Map<number, string[]>();
    for (const t of this.targets) {
      const size = ctype.kind === 'struct' ? layoutStruct(ctype.decl, t, scope).size : typeSizeAlign(ctype, t, scope).size;
      sizes.set(size, [...(sizes.get(size) ?? []), t.id]);
    }
    if (sizes.size > 1)
      fail(pos, `found sizeof(${text}), which differs between ABIs (${[...sizes].map(([n, ids]) => `${n} on ${ids.join(', ')}`).join('; ')}), expected a size that is the same on all ${this.targets.length}`);
    return [...sizes.keys()][0];
  }

  // ---- attributes ----

  private attributes(c: Cursor, into: Attributes = {}): Attributes {
    while (isAttribute(c.peek())) {
      const at = c.next();
      into.pos ??= at.pos;
      c.expect('(', '"((" after __attribute__');
      c.expect('(', '"((" after __attribute__');
      do {
        if (c.is(')')) break;
        const a = c.ident('an attribute name (packed or aligned(N))');
        const name = a.text.replace(/^__(.*)__$/, '$1');
        if (name === 'packed') into.packed = true;
        else if (name === 'aligned') {
          if (!c.accept('(')) fail(a.pos, 'found aligned without a value, expected aligned(N) (a bare aligned means the largest alignment of the target, which differs between ABIs)');
          const v = parseConstExpr(c, this.env);
          c.expect(')');
          if (v < 1n || v > 4096n || (v & (v - 1n)) !== 0n) fail(a.pos, `found aligned(${v}), expected a power of two from 1 to 4096`);
          into.align = Math.max(into.align ?? 1, Number(v));
        } else fail(a.pos, `found attribute ${a.text}, expected packed or aligned(N) (other attributes are outside the subset)`);
      } while (c.accept(','));
      c.expect(')', '"))" closing __attribute__');
      c.expect(')', '"))" closing __attribute__');
    }
    return into;
  }

  // ---- specifiers ----

  /** Declaration specifiers: a builtin, a typedef, struct/union/enum (possibly defined here), qualifiers, attributes. */
  private specifiers(c: Cursor): Spec {
    const start = c.peek();
    const keywords: Token[] = [];
    let named: Omit<TypeRef, 'pos'> | undefined;
    let anonymous: RecordDef | undefined;
    const attrs: Attributes = {};
    for (;;) {
      const t = c.peek();
      if (isAttribute(t)) {
        this.attributes(c, attrs);
        continue;
      }
      if (t.kind !== 'ident') break;
      if (QUALIFIERS.has(t.text)) {
        c.next();
        continue;
      }
      if (REFUSED[t.text]) fail(t.pos, `found ${describe(t)}, expected a type of the subset (${REFUSED[t.text]})`);
      if (TYPE_KEYWORDS.has(t.text)) {
        if (named) fail(t.pos, `found ${describe(t)} after the type ${named.base}, expected a declarator`);
        keywords.push(c.next());
        continue;
      }
      if (named || keywords.length) break; // the declarator's name
      if (t.text === 'struct' || t.text === 'union') {
        const r = this.record(c);
        named = { base: `${r.kind} ${r.name}`, pointers: 0 };
        if (r.synthesized && r.name === '') anonymous = r;
        continue;
      }
      if (t.text === 'enum') {
        named = this.enumSpecifier(c);
        continue;
      }
      const td = this.typedefs.get(t.text);
      if (td) {
        c.next();
        named = { ...td.type };
        continue;
      }
      if (SCALARS[t.text] && !t.text.includes(' ')) {
        c.next();
        named = { base: t.text, pointers: 0 };
        continue;
      }
      if (UNMODELLED_KERNEL_TYPES[t.text]) fail(t.pos, `found ${t.text}, which differs between ABIs (${UNMODELLED_KERNEL_TYPES[t.text]}), expected a fixed-width type such as __u32`);
      if (this.defines.get(t.text)?.params) fail(t.pos, `found function-like macro ${t.text}, expected a type (function-like macros are outside the subset)`);
      fail(t.pos, `found unknown type ${describe(t)}, expected a type: a builtin (__u8..__u64, __s8..__s64, __aligned_u64, __kernel_*, pid_t, size_t, int, long, char, ...), a typedef, struct, union or enum`);
    }
    if (!named && keywords.length === 0) {
      const t = c.peek();
      fail(t.pos, `found ${describe(t)}, expected a type`);
    }
    const base = named ?? { base: this.keywordType(keywords), pointers: 0 };
    return { type: base, anonymous, attrs, pos: start.pos };
  }

  /** int, unsigned long, long long, ... in the model's spelling. */
  private keywordType(words: readonly Token[]): string {
    const n = (w: string) => words.filter((t) => t.text === w || (w === 'signed' && t.text === '__signed__')).length;
    const [signed, unsigned, short, long, int, char, voidN, double] = ['signed', 'unsigned', 'short', 'long', 'int', 'char', 'void', 'double'].map(n);
    const bad = (why: string): never => fail(words[0].pos, `found "${words.map((t) => t.text).join(' ')}", expected a C type (${why})`);
    if (signed && unsigned) bad('signed and unsigned');
    if (words.length !== new Set(words.map((t) => t.text)).size + Math.max(0, long - 1)) bad('a repeated keyword');
    if (voidN) return words.length === 1 ? 'void' : bad('void stands alone');
    if (double) return long ? bad('long double differs between ABIs and has no place in a syscall ABI') : words.length === 1 ? 'double' : bad('double stands alone');
    if (char) return short || long || int ? bad('char with short, long or int') : signed ? 'signed char' : unsigned ? 'unsigned char' : 'char';
    if (short) return long ? bad('short and long') : unsigned ? 'unsigned short' : 'short';
    if (long > 2) bad('long long long');
    if (long === 2) return unsigned ? 'unsigned long long' : 'long long';
    if (long === 1) return unsigned ? 'unsigned long' : 'long';
    return unsigned ? 'unsigned int' : 'int';
  }

  // ---- struct and union ----

  private record(c: Cursor): RecordDef {
    const kw = c.next();
    const kind = kw.text as 'struct' | 'union';
    const attrs = this.attributes(c);
    const nameTok = c.peek().kind === 'ident' && !isAttribute(c.peek()) ? c.next() : undefined;
    this.attributes(c, attrs);
    if (!c.is('{')) {
      if (!nameTok) c.fail(`a ${kind} name or "{"`);
      const known = this.tags.get(nameTok.text);
      if (known && !('kind' in known)) fail(nameTok.pos, `found ${kind} ${nameTok.text}, but ${nameTok.text} is an enum (${known.pos.line}:${known.pos.col})`);
      if (known && 'kind' in known) {
        if (known.kind !== kind) fail(nameTok.pos, `found ${kind} ${nameTok.text}, but ${nameTok.text} is a ${known.kind} (${known.pos.line}:${known.pos.col})`);
        return known;
      }
      // A forward declaration: complete later, or usable only behind a pointer.
      const fwd: RecordDef = { kind, name: nameTok.text, synthesized: false, members: [], pos: nameTok.pos, complete: false, cName: `${kind} ${nameTok.text}` };
      this.tags.set(nameTok.text, fwd);
      return fwd;
    }
    const open = c.next();
    let rec: RecordDef;
    if (nameTok) {
      const known = this.tags.get(nameTok.text);
      if (known && (!('complete' in known) || known.complete)) fail(nameTok.pos, `found a second definition of ${kind} ${nameTok.text} (the first at ${known.pos.line}:${known.pos.col}), expected one`);
      if (known && 'kind' in known && known.kind !== kind) fail(nameTok.pos, `found ${kind} ${nameTok.text}, but ${nameTok.text} was declared a ${known.kind} (${known.pos.line}:${known.pos.col})`);
      rec = known && 'kind' in known ? known : { kind, name: nameTok.text, synthesized: false, members: [], pos: nameTok.pos, complete: false };
      rec.cName = `${kind} ${nameTok.text}`;
      this.tags.set(nameTok.text, rec);
    } else {
      rec = { kind, name: '', synthesized: true, members: [], pos: kw.pos, complete: false };
    }
    if (attrs.packed) rec.packed = true;
    if (attrs.align) rec.align = attrs.align;
    let anonymousCount = 0;
    const seen = new Map<string, Pos>();
    const addName = (name: string, pos: Pos) => {
      const first = seen.get(name);
      if (first) fail(pos, `found a second member ${name} in ${kind} ${rec.name || '(anonymous)'} (the first at ${first.line}:${first.col}), expected distinct member names`);
      seen.set(name, pos);
    };
    while (!c.accept('}')) {
      const t = c.peek();
      if (t.kind === 'eof') fail(t.pos, `found end of file, expected "}" closing ${kind} ${rec.name || '(anonymous)'} opened at ${open.pos.line}:${open.pos.col}`);
      if (c.accept(';')) continue;
      const last = rec.members[rec.members.length - 1];
      if (last?.type.array?.flex) fail(t.pos, `found a member after the flexible array member ${last.name} (${last.pos.line}:${last.pos.col}), expected "}": a flexible array member must be last`);
      const spec = this.specifiers(c);
      if (c.is(';') && spec.anonymous) {
        // C11 anonymous member: its members are members of this record.
        c.next();
        anonymousCount++;
        const inner = spec.anonymous;
        for (const n of this.reachableNames(inner)) addName(n.name, n.pos);
        const member: MemberDef = { name: `__anon${anonymousCount}`, anonymous: true, type: { base: inner.kind, pointers: 0, pos: spec.pos }, pos: spec.pos };
        rec.members.push(member);
        this.anonymousChild.set(member, inner);
        this.nameNested(rec, inner, `anon${anonymousCount}`, member);
        continue;
      }
      if (c.is(';')) fail(c.peek().pos, `found ";", expected a member name after ${spec.type.base}`);
      do {
        const member = this.declarator(c, spec, rec);
        if (member.type.base === 'void' && member.type.pointers === 0) fail(member.pos, `found member ${member.name} of type void, expected a type with a size`);
        if (member.type.array?.flex && rec.kind === 'union') fail(member.pos, `found flexible array member ${member.name} in a union, expected it last in a struct`);
        this.requireComplete(member.type, member.pos, rec);
        addName(member.name, member.pos);
        rec.members.push(member);
      } while (c.accept(','));
      c.expect(';', '";" after a member declaration');
    }
    this.attributes(c, rec);
    if (rec.members.length === 0) fail(rec.pos, `found an empty ${kind} ${rec.name || '(anonymous)'}, expected at least one member`);
    const flex = rec.members.findIndex((m) => m.type.array?.flex);
    if (flex === 0) fail(rec.members[0].pos, `found flexible array member ${rec.members[0].name} alone, expected another member before it`);
    rec.complete = true;
    // An unnamed record is recorded once the declaration that follows names it (nameRecord).
    if (!rec.synthesized) this.records.push(rec);
    return rec;
  }

  /**
   * Names an unnamed record once its typedef or member name is known, then the unnamed records
   * nested in it (<name>__anonN, <name>__<member>), and records them, nested ones first.
   */
  private nameRecord(rec: RecordDef, name: string): void {
    let unique = name;
    for (let n = 2; this.tags.has(unique); n++) unique = `${name}_${n}`;
    rec.name = unique;
    this.tags.set(unique, rec);
    for (const p of this.pending.get(rec) ?? []) {
      this.nameRecord(p.child, `${unique}__${p.suffix}`);
      p.member.type.base = `${p.child.kind} ${p.child.name}`;
    }
    this.pending.delete(rec);
    this.records.push(rec);
  }

  /** Unnamed records inside a record that has no name yet, named with it. */
  private readonly pending = new Map<RecordDef, Array<{ child: RecordDef; suffix: string; member: MemberDef }>>();

  /** Names `child` after `owner` now, or when `owner` gets its name. */
  private nameNested(owner: RecordDef, child: RecordDef, suffix: string, member: MemberDef): void {
    if (owner.name) {
      this.nameRecord(child, `${owner.name}__${suffix}`);
      member.type.base = `${child.kind} ${child.name}`;
    } else this.pending.set(owner, [...(this.pending.get(owner) ?? []), { child, suffix, member }]);
  }

  /** The record of each anonymous member. */
  private readonly anonymousChild = new Map<MemberDef, RecordDef>();

  /** Member names a record makes visible, through its anonymous members. */
  private reachableNames(r: RecordDef): Array<{ name: string; pos: Pos }> {
    return r.members.flatMap((m) => (m.anonymous ? this.reachableNames(this.anonymousChild.get(m)!) : [{ name: m.name, pos: m.pos }]));
  }

  /** A struct member or variable of record type must be complete: no struct contains itself. */
  private requireComplete(t: TypeRef, pos: Pos, inside?: RecordDef): void {
    if (t.pointers > 0) return;
    const m = /^(struct|union) (\w+)$/.exec(t.base);
    if (!m) return;
    const r = this.tags.get(m[2]);
    if (r && 'complete' in r && !r.complete) {
      if (r === inside) fail(pos, `found ${t.base} inside its own definition, expected a complete type (a ${r.kind} cannot contain itself; use a pointer)`);
      fail(pos, `found ${t.base}, which is not defined yet, expected a complete type (define it before it is used by value)`);
    }
  }

  /** One declarator: pointers, name, one array dimension, attributes; bitfields refused. */
  private declarator(c: Cursor, spec: Spec, owner: RecordDef | undefined): MemberDef {
    let pointers = spec.type.pointers;
    while (c.accept('*')) {
      pointers++;
      while (c.peek().kind === 'ident' && QUALIFIERS.has(c.peek().text)) c.next();
    }
    if (c.is('(')) fail(c.peek().pos, 'found "(", expected a member name (function pointers and parenthesised declarators are outside the subset)');
    const name = c.ident('a member name');
    const anon = spec.anonymous;
    const type: TypeRef = { ...spec.type, base: anon ? `${anon.kind} ${anon.name}` : spec.type.base, pointers, pos: spec.pos };
    if (c.is('[')) {
      if (spec.type.array && pointers === spec.type.pointers) fail(c.peek().pos, 'found a second array dimension, expected one (arrays of arrays are outside the subset)');
      if (spec.type.array) fail(c.peek().pos, 'found an array of pointers to arrays, expected a simpler declarator (outside the subset)');
      type.array = this.arrayBound(c);
      if (c.is('[')) fail(c.peek().pos, 'found a second array dimension, expected one (arrays of arrays are outside the subset)');
    } else if (spec.type.array && pointers > spec.type.pointers) fail(name.pos, 'found a pointer to an array type, expected a simpler declarator (outside the subset)');
    if (c.is(':')) fail(c.peek().pos, `found ":" after ${name.text}, expected ";" (bitfields are outside the subset, and SC-22 advises against them in an ABI)`);
    if (c.is('=')) fail(c.peek().pos, `found "=" after ${name.text}, expected ";" (initialisers are outside the subset)`);
    const attrs = this.attributes(c, { ...spec.attrs });
    const member: MemberDef = { name: name.text, anonymous: false, type, ...(attrs.align ? { align: attrs.align } : {}), ...(attrs.packed ? { packed: true } : {}), pos: name.pos };
    // An unnamed struct takes its typedef's name, or <enclosing>__<member> inside a struct.
    if (anon && !anon.name) {
      if (owner) this.nameNested(owner, anon, name.text, member);
      else {
        this.nameRecord(anon, name.text);
        member.type.base = `${anon.kind} ${anon.name}`;
        // typedef struct { ... } name_t: C code names it name_t.
        if (type.pointers === 0 && !type.array && anon.name === name.text) anon.cName = name.text;
      }
    }
    return member;
  }

  private arrayBound(c: Cursor): ArrayBound {
    c.expect('[');
    if (c.accept(']')) return { flex: true };
    const first = c.peek();
    const single = first.kind === 'ident' && c.is(']', 1);
    const value = parseConstExpr(c, this.env);
    c.expect(']', '"]" closing the array bound');
    if (value === 0n) fail(first.pos, 'found array bound 0, expected a positive length (write a flexible array member as name[])');
    if (value < 0n || value > 0x7fffffffn) fail(first.pos, `found array bound ${value}, expected a positive length below 2^31`);
    return { flex: false, length: Number(value), ...(single ? { name: first.text } : {}) };
  }

  // ---- enum ----

  private enumSpecifier(c: Cursor): Omit<TypeRef, 'pos'> {
    const kw = c.next();
    this.noPackedEnum(this.attributes(c));
    const nameTok = c.peek().kind === 'ident' ? c.next() : undefined;
    if (!c.is('{')) {
      if (!nameTok) c.fail('an enum name or "{"');
      const e = this.enums.get(nameTok.text);
      if (!e) fail(nameTok.pos, `found enum ${nameTok.text}, which is not defined, expected an enum defined before its use`);
      return this.enumType(e);
    }
    const open = c.next();
    let next = 0n;
    let min: bigint | undefined;
    let max: bigint | undefined;
    while (!c.accept('}')) {
      if (c.atEnd()) fail(c.peek().pos, `found end of file, expected "}" closing the enum opened at ${open.pos.line}:${open.pos.col}`);
      const id = c.ident('an enumerator name');
      if (this.enumConstants.has(id.text) || this.defines.has(id.text)) fail(id.pos, `found a second definition of ${id.text}, expected a new name`);
      const value = c.accept('=') ? parseConstExpr(c, this.env) : next;
      this.enumConstants.set(id.text, { value, pos: id.pos });
      min = min === undefined || value < min ? value : min;
      max = max === undefined || value > max ? value : max;
      next = value + 1n;
      if (!c.accept(',')) {
        c.expect('}', '"," or "}" after an enumerator');
        break;
      }
    }
    if (min === undefined || max === undefined) fail(open.pos, 'found an empty enum, expected at least one enumerator');
    if (min < -(1n << 63n) || max >= 1n << 64n) fail(kw.pos, 'found an enumerator beyond 64 bits, expected smaller values');
    const name = nameTok?.text ?? `anon_enum_${open.pos.line}`;
    const def: EnumDef = { name, min, max, pos: nameTok?.pos ?? kw.pos };
    if (nameTok) {
      if (this.tags.has(nameTok.text)) fail(nameTok.pos, `found a second definition of tag ${nameTok.text}, expected one`);
      this.tags.set(nameTok.text, def);
      this.enums.set(nameTok.text, def);
    }
    this.noPackedEnum(this.attributes(c));
    return this.enumType(def);
  }

  /** A packed enum is as small as its values allow, a size no other compiler flag reproduces here. */
  private noPackedEnum(a: Attributes): void {
    if (a.packed || a.align) fail(a.pos!, 'found an attribute on an enum, expected none (a packed or aligned enum is outside the subset)');
  }

  /** The integer type GCC gives an enum on Linux ABIs (no -fshort-enums): int-sized unless a value needs 64 bits. */
  private enumType(e: EnumDef): Omit<TypeRef, 'pos'> {
    const fitsInt = e.min >= -(1n << 31n) && e.max < 1n << 31n;
    const base = e.min >= 0n ? (e.max < 1n << 32n ? 'unsigned int' : 'unsigned long long') : fitsInt ? 'int' : 'long long';
    return { base, pointers: 0, enumType: { name: e.name, range: [e.min.toString(), e.max.toString()] } };
  }

  // ---- typedef, declarations, prototypes ----

  private typedef(): void {
    const c = this.c;
    const kw = c.next();
    const spec = this.specifiers(c);
    if (spec.anonymous && c.is(';')) fail(kw.pos, 'found a typedef without a name, expected a name before ";"');
    do {
      const start = c.peek();
      const d = this.declarator(c, spec, undefined);
      if (SCALARS[d.name] || TYPE_KEYWORDS.has(d.name)) fail(d.pos, `found typedef ${d.name}, expected a new name (${d.name} is a builtin type of linux/types.h)`);
      const old = this.typedefs.get(d.name);
      if (old && JSON.stringify({ ...old.type, pos: 0 }) !== JSON.stringify({ ...d.type, pos: 0 })) fail(d.pos, `found a second, different typedef ${d.name} (the first at ${old.pos.line}:${old.pos.col}), expected one`);
      if (d.packed) fail(d.pos, `found packed on typedef ${d.name}, expected it after the closing brace of the struct`);
      const align = Math.max(d.align ?? 0, d.type.align ?? 0);
      this.typedefs.set(d.name, { type: { ...d.type, ...(align ? { align } : {}) }, pos: start.pos });
    } while (c.accept(','));
    c.expect(';', '";" after a typedef');
  }

  private declaration(): void {
    const c = this.c;
    if (c.is('asmlinkage')) c.next();
    const spec = this.specifiers(c);
    if (c.accept(';')) {
      if (spec.anonymous) fail(spec.pos, `found an unnamed ${spec.anonymous.kind} that declares nothing, expected a name or a typedef`);
      return;
    }
    let pointers = spec.type.pointers;
    while (c.accept('*')) pointers++;
    const name = c.ident('a declarator');
    if (!c.is('(')) fail(name.pos, `found the variable ${name.text}, expected a type definition or a syscall prototype (variables are outside the subset)`);
    if (!name.text.startsWith('sys_') || name.text.length <= 4) fail(name.pos, `found function ${name.text}(), expected a syscall prototype: long sys_NAME(...) or SYSCALL_DEFINEn(NAME, type, arg, ...)`);
    const returns = typeString({ ...spec.type, pointers, pos: spec.pos });
    const open = c.expect('(');
    const args: SyscallProto['args'] = [];
    if (c.is('void') && c.is(')', 1)) c.next();
    else if (!c.is(')')) {
      do {
        const aspec = this.specifiers(c);
        let ahead = 0;
        while (c.is('*', ahead) || (c.peek(ahead).kind === 'ident' && QUALIFIERS.has(c.peek(ahead).text))) ahead++;
        if (c.is(',', ahead) || c.is(')', ahead)) fail(c.peek(ahead).pos, `found ${describe(c.peek(ahead))}, expected a name for argument #${args.length + 1} (annotations refer to arguments by name)`);
        const d = this.declarator(c, aspec, undefined);
        // Array parameters are pointers.
        const type = d.type.array ? { ...d.type, array: undefined, pointers: d.type.pointers + 1 } : d.type;
        args.push({ name: d.name, type, pos: d.pos });
      } while (c.accept(','));
    }
    if (c.atEnd()) fail(c.peek().pos, `found end of file, expected ")" closing the parameters of ${name.text} opened at ${open.pos.line}:${open.pos.col}`);
    c.expect(')', '")" or "," in the parameter list');
    this.attributes(c);
    c.expect(';', '";" after the prototype');
    this.setSyscall({ name: name.text.slice(4), args, returns, pos: name.pos });
  }

  /** SYSCALL_DEFINEn(NAME, type, arg, ...), with an optional body that is skipped. */
  private syscallDefine(): void {
    const c = this.c;
    const kw = c.next();
    const n = Number(kw.text.slice(-1));
    if (n > 6) fail(kw.pos, `found ${kw.text}, expected SYSCALL_DEFINE0 to SYSCALL_DEFINE6`);
    const open = c.expect('(', `"(" after ${kw.text}`);
    const name = c.ident('the syscall name');
    const args: SyscallProto['args'] = [];
    while (c.accept(',')) {
      const spec = this.specifiers(c);
      let pointers = spec.type.pointers;
      while (c.accept('*')) {
        pointers++;
        while (c.peek().kind === 'ident' && QUALIFIERS.has(c.peek().text)) c.next();
      }
      c.expect(',', `"," between the type and the name of argument #${args.length + 1}`);
      const argName = c.ident(`the name of argument #${args.length + 1}`);
      args.push({ name: argName.text, type: { ...spec.type, pointers, pos: spec.pos }, pos: argName.pos });
    }
    if (c.atEnd()) fail(c.peek().pos, `found end of file, expected ")" closing ${kw.text}( opened at ${open.pos.line}:${open.pos.col}`);
    c.expect(')', '"," or ")" in the argument list');
    if (args.length !== n) fail(kw.pos, `found ${kw.text} with ${args.length} argument(s), expected ${n}`);
    if (c.is('{')) {
      // A body pasted with the definition: skipped, brace-balanced.
      const brace = c.next();
      for (let depth = 1; depth > 0; ) {
        const t = c.next();
        if (t.kind === 'eof') fail(brace.pos, `found end of file, expected "}" closing the body of ${kw.text}(${name.text}, ...)`);
        if (t.text === '{') depth++;
        if (t.text === '}') depth--;
      }
    } else c.accept(';');
    this.setSyscall({ name: name.text, args, returns: 'long', pos: name.pos });
  }

  private setSyscall(s: SyscallProto): void {
    if (this.syscall) fail(s.pos, `found a second syscall prototype (${s.name}; the first, ${this.syscall.name}, at ${this.syscall.pos.line}:${this.syscall.pos.col}), expected one syscall per header`);
    const seen = new Map<string, Pos>();
    for (const a of s.args) {
      const first = seen.get(a.name);
      if (first) fail(a.pos, `found a second argument ${a.name} (the first at ${first.line}:${first.col}), expected distinct argument names`);
      seen.set(a.name, a.pos);
      if (a.type.pointers === 0 && /^(struct|union) /.test(a.type.base)) fail(a.pos, `found argument ${a.name} of type ${a.type.base} passed by value, expected a pointer (an argument travels in a register)`);
      if (a.type.pointers === 0 && a.type.base === 'void') fail(a.pos, `found argument ${a.name} of type void, expected a type with a size`);
      this.requireComplete(a.type, a.pos);
    }
    this.syscall = s;
  }
}
