/**
 * A parsed header and its annotations as a proposal: the ProposalDecl every command reads
 * (structs, syscall, semantics for the review) and the GenericSemantics the generic encoder and
 * decoder follow. Every annotation is checked against the header here, so a reference to a
 * missing member, a count that is not a count, or a check without what it checks is an error at
 * the annotation's file:line:col. The annotation language is documented in the README
 * ("Bring your own proposal").
 */
import { basename } from 'node:path';
import type { FieldDecl, StructDecl } from '../ctype/model.js';
import { layoutStruct } from '../ctype/layout.js';
import { validateStructs } from '../ctype/model.js';
import { REQUEST_ROLES, refText, sameRef, type Check, type FlagGroup, type GenericSemantics, type RequestRole, type ValueRef } from '../encode/generic-plan.js';
import type { CountedArray, FlagWords, PidSemantics, ProposalDecl, ProposalSemantics, SizeVersioning } from '../proposal/types.js';
import { selectTargets } from '../registry.js';
import { typeString, type ParsedHeader, type RecordDef } from './ast.js';
import { integer, noMore, oneOf, options, word } from './annotation-args.js';
import type { Annotation } from './annotations.js';
import { parseCheck, type CheckContext } from './checks.js';
import { boundConstants, recordToStruct } from './records.js';
import { elementOf, HeaderRefs, isPointer, isRecord, isScalar, pointee, type Resolved } from './refs.js';
import { fail, type Pos } from './tokens.js';

export interface HeaderProposal {
  file: string;
  declaration: ProposalDecl;
  semantics: GenericSemantics;
  /** Where the id comes from (@id, or the syscall's name), for a clash with another proposal. */
  idPos: Pos;
}

const STATUSES: ReadonlyArray<ProposalSemantics['status']> = ['merged', 'posted, never merged', 'RFC', 'userspace strategy'];
const ADVISORY_IDS = ['SC-01', 'SC-11', 'SC-12', 'SC-13', 'SC-14', 'SC-15', 'SC-26', 'SC-27', 'SC-28'] as const;
const LEGACY_ARGS = ['flags', 'stack', 'parent_tid', 'child_tid', 'tls'];

export function toDeclaration(h: ParsedHeader, annotations: readonly Annotation[]): HeaderProposal {
  return new DeclarationBuilder(h, annotations).build();
}

class DeclarationBuilder {
  private readonly sys;
  private readonly refs: HeaderRefs;
  private readonly structs: StructDecl[];
  private readonly meta: Partial<Record<'id' | 'title' | 'summary' | 'source' | 'when' | 'privilege', string>> = {};
  private idPos?: Pos;
  private status: ProposalSemantics['status'] = 'RFC';
  private numbers?: Record<string, number>;
  private parameters?: NonNullable<ProposalDecl['parameters']>;
  private legacyOrder = false;
  private readonly groups: Array<{ group: FlagGroup; words: FlagWords; pos: Pos; explicitUnknown: boolean }> = [];
  private rejects?: { value: ProposalSemantics['rejectsUnknownFlags']; note?: string };
  private knownFlags: Record<string, bigint> = {};
  private readonly roles: GenericSemantics['roles'] = [];
  private pids?: { transport: NonNullable<GenericSemantics['pids']>; semantics: PidSemantics; pos: Pos; count?: Resolved; pointer?: Resolved; zeroOk: boolean };
  private readonly nullable: ValueRef[] = [];
  private readonly zero: ValueRef[] = [];
  private size?: { sv: SizeVersioning; pos: Pos };
  private readonly arrays: CountedArray[] = [];
  private readonly advisory: NonNullable<ProposalSemantics['advisory']> = {};
  private readonly checks: Check[] = [];
  private readonly constants: Record<string, number>;
  private readonly seenOnce = new Map<string, Pos>();

  constructor(
    private readonly h: ParsedHeader,
    private readonly annotations: readonly Annotation[],
  ) {
    if (!h.syscall) fail(h.end, `found end of file, expected a syscall prototype (long sys_NAME(...); or SYSCALL_DEFINEn(NAME, type, arg, ...)) that names the proposal`);
    this.sys = h.syscall;
    this.refs = new HeaderRefs(h, h.syscall);
    this.structs = h.records.map(recordToStruct);
    this.constants = boundConstants(h.records.flatMap((r) => r.members.map((m) => m.type)));
  }

  build(): HeaderProposal {
    // Checks refer to what the other annotations declare, wherever they are in the file.
    for (const a of this.annotations.filter((x) => x.key !== 'errno')) this.annotation(a);
    for (const g of this.groups) g.group.zero = this.zero.some((z) => sameRef(z, g.group.at));
    const context: CheckContext = {
      refs: this.refs,
      size: this.size?.sv,
      pids: this.pids,
      groups: this.groups,
      roles: this.roles,
      zero: this.zero,
      knownFlags: this.knownFlags,
      unknownOf: (g) => this.unknownOf(g),
    };
    for (const a of this.annotations.filter((x) => x.key === 'errno')) this.checks.push(parseCheck(a, context));
    return { file: this.h.file, declaration: this.declaration(), semantics: this.semantics(), idPos: this.idPos ?? this.sys.pos };
  }

  private once(a: Annotation): void {
    const first = this.seenOnce.get(a.key);
    if (first) fail(a.pos, `found a second @${a.key} (the first at ${first.line}:${first.col}), expected one`);
    this.seenOnce.set(a.key, a.pos);
  }

  private field(r: Resolved): FieldDecl {
    const ref = r.ref as Extract<ValueRef, { kind: 'member' }>;
    return this.structs.find((s) => s.name === ref.struct)!.fields.find((f) => f.name === ref.member)!;
  }

  // ---- annotations ----

  private annotation(a: Annotation): void {
    const handler = this.handlers[a.key];
    if (!handler) fail(a.pos, `found @${a.key}, expected an annotation: ${[...Object.keys(this.handlers), 'errno'].map((k) => `@${k}`).join(', ')}`);
    handler(a);
  }

  private readonly handlers: Record<string, (a: Annotation) => void> = {
    id: (a) => {
      this.once(a);
      const w = word(a, 0, 'NAME');
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(w.text)) fail(w.pos, `found ${JSON.stringify(w.text)}, expected a proposal id (letters, digits, _)`);
      noMore(a, 1);
      this.meta.id = w.text;
      this.idPos = w.pos;
    },
    title: (a) => this.text(a, 'title'),
    summary: (a) => this.text(a, 'summary'),
    source: (a) => this.text(a, 'source'),
    when: (a) => this.text(a, 'when'),
    privilege: (a) => this.text(a, 'privilege'),
    status: (a) => {
      this.once(a);
      if (!STATUSES.includes(a.rest as ProposalSemantics['status'])) fail(a.pos, `found @status ${JSON.stringify(a.rest)}, expected one of: ${STATUSES.join(' | ')}`);
      this.status = a.rest as ProposalSemantics['status'];
    },
    advisory: (a) => {
      const id = oneOf(word(a, 0, 'SC-NN TEXT'), ADVISORY_IDS, 'an advisory rule');
      const text = a.rest.slice(id.length).trim();
      if (!text) fail(a.pos, `found @advisory ${id} without text, expected what the design says about ${id}`);
      this.advisory[id] = text;
    },
    numbers: (a) => {
      this.once(a);
      const ids = selectTargets().map((t) => t.id);
      this.numbers = {};
      for (const w of a.words) {
        const [t, n] = w.text.split('=');
        if (!ids.includes(t) || n === undefined) fail(w.pos, `found ${JSON.stringify(w.text)}, expected TARGET=NUMBER with a target among ${ids.join(', ')}`);
        this.numbers[t] = integer({ text: n, pos: w.pos }, 'a syscall number');
      }
    },
    parameter: (a) => {
      const name = word(a, 0, 'CONST min=N max=N');
      if (this.constants[name.text] === undefined) fail(name.pos, `found ${name.text}, which is not an array bound of this header, expected a constant that sizes an array (${Object.keys(this.constants).join(', ') || 'none'})`);
      const { positional, opts } = options(a, ['min', 'max'], 1);
      if (positional[0]) fail(positional[0].pos, `found ${JSON.stringify(positional[0].text)}, expected min=N or max=N`);
      const min = opts.get('min') ? integer(opts.get('min')!, 'min', 1) : 1;
      const max = opts.get('max') ? integer(opts.get('max')!, 'max', min) : fail(a.pos, `found @parameter ${name.text} without max=N, expected its range`);
      this.parameters = { ...this.parameters, [name.text]: { doc: a.text ?? `${name.text} (from ${basename(this.h.file)})`, min, max } };
    },
    'legacy-clone-order': (a) => {
      this.once(a);
      noMore(a, 0);
      const names = this.sys.args.map((x) => x.name);
      if (names.length !== 5 || !LEGACY_ARGS.every((n) => names.includes(n)))
        fail(a.pos, `found @legacy-clone-order on sys_${this.sys.name}(${names.join(', ')}), expected the five arguments ${LEGACY_ARGS.join(', ')} (any order), which each ABI orders as legacy clone does`);
      this.legacyOrder = true;
    },
    flags: (a) => this.flags(a),
    'unknown-flags': (a) => {
      this.once(a);
      const w = oneOf(word(a, 0, 'rejected|ignored|partly'), ['rejected', 'ignored', 'partly'] as const, 'how the kernel treats unknown flag bits');
      noMore(a, 1);
      this.rejects = { value: w === 'rejected' ? true : w === 'ignored' ? false : 'partly', note: a.text };
    },
    'known-flags': (a) => this.knownFlagsAnnotation(a),
    carries: (a) => {
      const r = this.refs.resolve(word(a, 0, 'REF ROLE'));
      const role = oneOf(word(a, 1, 'ROLE'), REQUEST_ROLES, 'what it carries');
      const { positional, opts } = options(a, ['flag'], 2);
      if (positional[0]) fail(positional[0].pos, `found ${JSON.stringify(positional[0].text)}, expected flag=NAME or the end of @carries`);
      if (!(isScalar(r.type) || isPointer(r.type))) fail(r.pos, `found ${r.text} of type ${typeString(r.type)}, expected a scalar or pointer to carry ${role}`);
      const other = this.roles.find((x) => x.role === role);
      if (other) fail(r.pos, `found a second member carrying ${role} (${refText(other.at)}), expected one`);
      const flag = opts.get('flag');
      this.roles.push({ at: r.ref, role: role as RequestRole, ...(flag ? { flag: { name: flag.text, value: this.refs.singleBit(flag) } } : {}) });
    },
    pids: (a) => this.pidsAnnotation(a),
    nullable: (a) => {
      if (!a.words.length) fail(a.pos, 'found @nullable without a reference, expected @nullable REF...');
      for (const w of a.words) {
        const r = this.refs.resolve(w);
        if (!isPointer(r.type) || !isRecord({ ...r.type, pointers: 0 })) fail(w.pos, `found ${r.text} of type ${typeString(r.type)}, expected a pointer to a struct (an array pointer is NULL exactly when its count is 0)`);
        this.nullable.push(r.ref);
      }
    },
    zero: (a) => {
      if (!a.words.length) fail(a.pos, 'found @zero without a reference, expected @zero REF...');
      for (const w of a.words) {
        const r = this.refs.resolve(w);
        if (!isScalar(r.type) && !(r.type.array && !r.type.array.flex)) fail(w.pos, `found ${r.text} of type ${typeString(r.type)}, expected a scalar or array member that must be 0`);
        if (r.ref.kind === 'member') this.field(r).mustBeZero = true;
        this.zero.push(r.ref);
      }
    },
    size: (a) => this.sizeAnnotation(a),
    since: (a) => {
      const r = this.refs.resolve(word(a, 0, 'struct.member VERSION'));
      const v = word(a, 1, 'VERSION');
      noMore(a, 2);
      if (!this.size) fail(a.pos, 'found @since without @size, expected @size ... versions=... first (anywhere in the file)');
      const sv = this.size.sv;
      if (r.ref.kind !== 'member' || r.ref.struct !== sv.struct) fail(r.pos, `found ${r.text}, expected a member of struct ${sv.struct} (the size-versioned struct)`);
      if (!sv.versions.some((x) => x.name === v.text)) fail(v.pos, `found ${v.text}, expected one of the versions of @size: ${sv.versions.map((x) => x.name).join(', ')}`);
      const f = this.field(r);
      f.since = v.text;
      if (a.text) f.zeroMeans = a.text;
    },
    array: (a) => {
      const p = this.refs.resolve(word(a, 0, 'REF count=REF element=TYPE'));
      const { positional, opts } = options(a, ['count', 'element'], 1);
      if (positional[0]) fail(positional[0].pos, `found ${JSON.stringify(positional[0].text)}, expected count=REF or element=TYPE`);
      const countWord = opts.get('count') ?? fail(a.pos, 'found @array without count=REF, expected the member or argument that counts the elements');
      const count = this.refs.resolve(countWord);
      if (!isScalar(count.type)) fail(countWord.pos, `found ${count.text} of type ${typeString(count.type)}, expected a scalar count`);
      const element = opts.get('element')?.text ?? (isPointer(p.type) ? pointee(p.type) : fail(a.pos, `found @array ${p.text} without element=TYPE, expected the element type (${p.text} is not a pointer)`));
      this.arrays.push({ pointer: p.text, count: count.text, element });
    },
  };

  private text(a: Annotation, key: 'title' | 'summary' | 'source' | 'when' | 'privilege'): void {
    this.once(a);
    if (!a.rest) fail(a.pos, `found @${key} without text, expected @${key} TEXT`);
    this.meta[key] = a.rest;
  }

  private flags(a: Annotation): void {
    const r = this.refs.resolve(word(a, 0, 'REF'));
    const { positional, opts } = options(a, ['bits', 'count', 'max', 'csignal', 'unknown', 'element'], 1);
    if (positional[0]) fail(positional[0].pos, `found ${JSON.stringify(positional[0].text)}, expected bits=N, count=N|CONST|member, max=N, csignal, unknown=... or element=TYPE`);
    if (this.groups.some((g) => sameRef(g.group.at, r.ref))) fail(r.pos, `found a second @flags for ${r.text}, expected one`);
    if (this.groups.some((g) => g.group.count.kind === 'counted')) fail(a.pos, 'found @flags after a group with a variable word count, expected that group last (its bits run to the end)');
    const countWord = opts.get('count');
    const counted = countWord && !/^(0x[0-9a-fA-F]+|[0-9]+)$/.test(countWord.text) && this.h.constant(countWord.text) === undefined ? this.refs.resolve(countWord, 'a number, a constant, or the member that counts the words') : undefined;
    let storage: FlagGroup['storage'];
    let element: string;
    if (r.type.array && !r.type.array.flex) {
      storage = 'array';
      element = elementOf(r.type);
    } else if (isPointer(r.type)) {
      storage = 'pointer';
      element = pointee(r.type);
    } else if (isScalar(r.type) && counted) {
      // A u64 that carries a pointer to the words (u64_to_user_ptr).
      storage = 'pointer';
      element = opts.get('element')?.text ?? fail(a.pos, `found @flags ${r.text} with a counted number of words, expected element=TYPE (${r.text} is ${typeString(r.type)}, a pointer carried in an integer)`);
    } else if (isScalar(r.type)) {
      storage = 'value';
      element = typeString(r.type);
    } else fail(r.pos, `found ${r.text} of type ${typeString(r.type)}, expected a scalar, an array of words or a pointer to words`);
    if (opts.get('element') && storage !== 'pointer') fail(opts.get('element')!.pos, `found element= for ${r.text}, whose type already says it (${typeString(r.type)})`);
    let count: FlagGroup['count'];
    let wordsCount: FlagWords['count'];
    if (counted) {
      if (storage === 'value') fail(countWord!.pos, `found a counted word count for ${r.text}, which holds one word`);
      if (!isScalar(counted.type)) fail(countWord!.pos, `found ${counted.text} of type ${typeString(counted.type)}, expected a scalar count`);
      if (r.ref.kind !== 'member' || counted.ref.kind !== 'member' || counted.ref.struct !== r.ref.struct)
        fail(countWord!.pos, `found count=${counted.text}, expected a member of the same struct as ${r.text} (the review ties a word count to its struct)`);
      const maxWord = opts.get('max');
      const max = maxWord ? integer(maxWord, 'the largest word count', 1) : storage === 'array' && r.type.array && !r.type.array.flex ? r.type.array.length : fail(a.pos, `found @flags ${r.text} with count=${counted.text} and no max=N, expected the largest word count the kernel accepts (it bounds the flags the interface can carry)`);
      count = { kind: 'counted', at: counted.ref, max };
      wordsCount = counted.ref.member;
    } else {
      if (opts.get('max')) fail(opts.get('max')!.pos, 'found max= with a fixed word count, expected max= only with count=member');
      if (countWord) {
        const n = /^(0x[0-9a-fA-F]+|[0-9]+)$/.test(countWord.text) ? integer(countWord, 'a word count', 1) : countWord.text;
        count = { kind: 'fixed', words: n };
      } else if (storage === 'array') {
        const b = r.type.array as { length: number; name?: string };
        count = { kind: 'fixed', words: b.name ?? b.length };
      } else if (storage === 'pointer') fail(a.pos, `found @flags ${r.text}, a pointer, without count=..., expected how many words it points to`);
      else count = { kind: 'fixed', words: 1 };
      if (storage === 'value' && count.words !== 1) fail(countWord!.pos, `found count=${countWord!.text} for ${r.text}, which holds one word`);
      if (typeof count.words === 'string' && this.constants[count.words] === undefined) fail(countWord!.pos, `found count=${count.words}, expected a number or a constant that sizes an array of this header`);
      wordsCount = count.words;
    }
    const bitsWord = opts.get('bits');
    const usedBits = bitsWord ? integer(bitsWord, 'the bits the kernel reads of each word', 1) : undefined;
    const unknownWord = opts.get('unknown');
    const unknown = unknownWord ? oneOf(unknownWord, ['rejected', 'ignored', 'unspecified'] as const, 'what the kernel does with unknown bits') : undefined;
    if (opts.has('csignal') && this.groups.length) fail(opts.get('csignal')!.pos, 'found csignal on a flag group that is not the first, expected it on the one holding bits 0-7');
    if (opts.get('csignal')?.text) fail(opts.get('csignal')!.pos, 'found csignal=..., expected the bare word csignal');
    const group: FlagGroup = { at: r.ref, storage, element, ...(usedBits ? { usedBits } : {}), count, csignal: opts.has('csignal'), zero: false, unknown: unknown ?? 'unspecified' };
    const words: FlagWords = {
      where: r.ref.kind === 'arg' ? 'register' : 'memory',
      name: r.text,
      type: element,
      count: wordsCount,
      ...(group.csignal ? { reservedLowBits: 8 } : {}),
      ...(usedBits ? { usedBitsPerWord: usedBits } : {}),
      ...(unknown ? { unknownBits: unknown } : {}),
    };
    this.groups.push({ group, words, pos: a.pos, explicitUnknown: unknown !== undefined });
    if (counted && storage === 'pointer') this.arrays.push({ pointer: r.text, count: counted.text, element });
  }

  private knownFlagsAnnotation(a: Annotation): void {
    if (!a.words.length) fail(a.pos, 'found @known-flags without names, expected NAME, PREFIX* or -NAME');
    const names = [...this.h.defines.keys(), ...this.h.enumConstants.keys()];
    for (const w of a.words) {
      if (w.text.startsWith('-')) {
        const name = w.text.slice(1);
        if (this.knownFlags[name] === undefined) fail(w.pos, `found -${name}, but ${name} is not among the known flags so far, expected a name listed before it`);
        delete this.knownFlags[name];
      } else if (w.text.endsWith('*')) {
        const prefix = w.text.slice(0, -1);
        const matched = names.filter((n) => n.startsWith(prefix)).flatMap((n) => {
          let v: bigint | undefined;
          try {
            v = this.h.constant(n, w.pos);
          } catch {
            v = undefined; // not a constant: not a flag
          }
          return v !== undefined && v > 0n && (v & (v - 1n)) === 0n ? [[n, v] as const] : [];
        });
        if (!matched.length) fail(w.pos, `found ${w.text}, which matches no single-bit #define or enumerator, expected flag constants`);
        for (const [n, v] of matched) this.knownFlags[n] = v;
      } else this.knownFlags[w.text] = this.refs.singleBit(w);
    }
  }

  private pidsAnnotation(a: Annotation): void {
    this.once(a);
    const { positional, opts } = options(a, ['via', 'count', 'order', 'levels', 'max', 'taken', 'element'], 0);
    const via = opts.get('via');
    if (via) {
      if (via.text !== 'ns_last_pid') fail(via.pos, `found via=${via.text}, expected via=ns_last_pid (or a pid array: @pids REF count=REF order=...)`);
      const extra = positional[0] ?? [...opts.entries()].find(([k]) => k !== 'via')?.[1];
      if (extra) fail(extra.pos, `found ${JSON.stringify(extra.text)}, expected nothing else with via=ns_last_pid (one level, the writer's active namespace)`);
      this.pids = { transport: { via: 'ns_last_pid' }, semantics: { order: 'active-namespace-only', levelsOf: 'caller', maxPids: 1, takenErrno: 'none' }, pos: a.pos, zeroOk: false };
      return;
    }
    if (!positional[0]) fail(a.pos, 'found @pids without a reference, expected @pids REF count=REF order=outermost-first|innermost-first (or via=ns_last_pid)');
    if (positional[1]) fail(positional[1].pos, `found ${JSON.stringify(positional[1].text)}, expected key=value options`);
    const r = this.refs.resolve(positional[0]);
    const countWord = opts.get('count') ?? fail(a.pos, `found @pids ${r.text} without count=REF, expected the member or argument that counts the pids`);
    const count = this.refs.resolve(countWord);
    if (!isScalar(count.type)) fail(countWord.pos, `found ${count.text} of type ${typeString(count.type)}, expected a scalar count`);
    const orderWord = opts.get('order') ?? fail(a.pos, `found @pids ${r.text} without order=..., expected order=outermost-first or order=innermost-first`);
    const order = oneOf(orderWord, ['outermost-first', 'innermost-first'] as const, 'the pid order');
    let storage: 'array' | 'pointer';
    let element: string;
    let capacity: number | undefined;
    if (r.type.array && !r.type.array.flex) {
      if (r.ref.kind !== 'member') fail(r.pos, `found ${r.text}, expected a member`);
      storage = 'array';
      element = elementOf(r.type);
      capacity = r.type.array.length;
    } else if (isPointer(r.type)) {
      storage = 'pointer';
      element = pointee(r.type);
    } else if (isScalar(r.type) && opts.get('element')) {
      storage = 'pointer'; // a u64 carrying the pointer (clone3's set_tid)
      element = opts.get('element')!.text;
    } else if (r.type.array?.flex) fail(r.pos, `found ${r.text}, a flexible array member, expected a pointer or a fixed array (a struct whose size depends on the request is outside the generic encoder)`);
    else fail(r.pos, `found ${r.text} of type ${typeString(r.type)}, expected a pointer to pids, a fixed array, or an integer carrying a pointer with element=TYPE`);
    if (opts.get('element') && !isScalar(r.type)) fail(opts.get('element')!.pos, `found element= for ${r.text}, whose type already says it (${typeString(r.type)})`);
    if (!['pid_t', '__s32', '__u32', 'int', '__kernel_pid_t', 'unsigned int'].includes(element)) fail(opts.get('element')?.pos ?? r.pos, `found pid element type ${element}, expected a 32-bit integer (pid_t, __s32, __u32, int)`);
    const levelsWord = opts.get('levels');
    const levelsOf = levelsWord ? oneOf(levelsWord, ['caller', 'child'] as const, 'whose levels the pids count') : order === 'outermost-first' ? 'caller' : 'child';
    const maxWord = opts.get('max');
    const max = maxWord ? integer(maxWord, 'the most pids one call carries', 1) : capacity;
    if (capacity !== undefined && max !== undefined && max > capacity) fail(maxWord!.pos, `found max=${max}, expected at most ${capacity}, the length of ${r.text}`);
    const takenWord = opts.get('taken');
    const takenErrno = takenWord ? oneOf(takenWord, ['EBUSY', 'EEXIST'] as const, 'the errno for a pid in use') : order === 'outermost-first' ? 'EBUSY' : 'EEXIST';
    this.pids = {
      transport: { via: 'array', at: r.ref, storage, count: count.ref, element },
      semantics: { order, levelsOf, ...(max !== undefined ? { maxPids: max } : {}), ...(a.text ? { zeroEntry: a.text } : {}), takenErrno },
      pos: a.pos,
      count,
      pointer: r,
      zeroOk: order === 'outermost-first',
    };
    this.arrays.push({ pointer: r.text, count: count.text, element });
  }

  private sizeAnnotation(a: Annotation): void {
    this.once(a);
    const argWord = word(a, 0, 'ARG struct=NAME rule=copy-struct-from-user|exact');
    const arg = this.refs.resolve(argWord, 'the argument that carries the size');
    if (arg.ref.kind !== 'arg' || !isScalar(arg.type)) fail(argWord.pos, `found ${arg.text}, expected a scalar syscall argument that carries the struct's size`);
    const { positional, opts } = options(a, ['struct', 'rule', 'versions', 'max'], 1);
    if (positional[0]) fail(positional[0].pos, `found ${JSON.stringify(positional[0].text)}, expected struct=, rule=, versions= or max=`);
    const structWord = opts.get('struct') ?? fail(a.pos, 'found @size without struct=NAME, expected the struct whose size the argument carries');
    const rec = this.refs.recordNamed(structWord.text) ?? fail(structWord.pos, `found struct=${structWord.text}, expected a struct of this header`);
    if (!this.sys.args.some((x) => x.type.pointers === 1 && x.type.base === `${rec.kind} ${rec.name}`)) fail(structWord.pos, `found struct=${rec.name}, expected a struct that a syscall argument points to`);
    const rule = oneOf(opts.get('rule') ?? fail(a.pos, 'found @size without rule=..., expected rule=copy-struct-from-user or rule=exact'), ['copy-struct-from-user', 'exact'] as const, 'the size rule');
    const sizes = this.sizeEverywhere(rec, structWord.pos);
    const versionsWord = opts.get('versions');
    const versions = versionsWord
      ? versionsWord.text.split(',').map((v, i) => {
          const w = { text: v, pos: { ...versionsWord.pos, col: versionsWord.pos.col + versionsWord.text.split(',').slice(0, i).join(',').length + (i ? 1 : 0) } };
          const size = Number(this.refs.constantValue(w, 'a size constant or number'));
          return { name: /^[0-9]/.test(v) ? `${v} bytes` : v, size };
        })
      : sizes !== undefined
        ? [{ name: `sizeof(struct ${rec.name})`, size: sizes }]
        : fail(a.pos, `found @size without versions=..., and sizeof(struct ${rec.name}) differs between ABIs, expected versions=SIZE,...`);
    const maxWord = opts.get('max');
    if (maxWord && maxWord.text !== 'PAGE_SIZE') fail(maxWord.pos, `found max=${maxWord.text}, expected max=PAGE_SIZE`);
    this.size = { sv: { sizeArg: arg.text, struct: rec.name, rule, versions, ...(maxWord ? { maxSize: 'PAGE_SIZE' as const } : {}) }, pos: a.pos };
  }

  /** sizeof a record if it is the same on every ABI. */
  private sizeEverywhere(rec: RecordDef, pos: Pos): number | undefined {
    const scope = validateStructs(this.structs, this.constants, `${pos.file}:${pos.line}:${pos.col}`);
    const sizes = new Set(selectTargets().map((t) => layoutStruct(scope.structs.get(rec.name)!, t, scope).size));
    return sizes.size === 1 ? [...sizes][0] : undefined;
  }

  private unknownOf(g: FlagGroup): 'rejected' | 'ignored' | 'unspecified' {
    if (this.groups.find((x) => x.group === g)?.explicitUnknown) return g.unknown;
    const all = this.rejectsUnknownFlags();
    return all === true ? 'rejected' : all === false ? 'ignored' : 'unspecified';
  }

  private rejectsUnknownFlags(): ProposalSemantics['rejectsUnknownFlags'] {
    if (this.rejects) return this.rejects.value;
    const explicit = this.groups.map((g) => (g.explicitUnknown ? g.group.unknown : undefined));
    if (explicit.length === 0) return false;
    if (explicit.every((u) => u === 'rejected')) return true;
    if (explicit.every((u) => u === 'ignored')) return false;
    return 'partly';
  }

  // ---- the results ----

  private declaration(): ProposalDecl {
    const sys = this.sys;
    const id = this.meta.id ?? sys.name;
    const root = sys.args.find((a) => a.type.pointers === 1 && isRecord(a.type) && this.refs.records.has(a.type.base.split(' ')[1]));
    const semantics: ProposalSemantics = {
      status: this.status,
      when: this.meta.when ?? `declared in ${basename(this.h.file)}`,
      flags: this.groups.map((g) => g.words),
      rejectsUnknownFlags: this.rejectsUnknownFlags(),
      ...(this.rejects?.note ? { rejectsUnknownFlagsNote: this.rejects.note } : {}),
      ...(this.pids ? { pids: this.pids.semantics } : {}),
      ...(this.size ? { sizeVersioning: this.size.sv } : {}),
      // Filled in from the generic encoder's plans (src/header/load.ts).
      copies: { empty: 0, full: 0 },
      errors: this.checks.map((c) => ({ errno: c.errno, when: c.when })),
      ...(this.meta.privilege ? { privilege: this.meta.privilege } : {}),
      ...(this.arrays.length ? { arrays: this.arrays } : {}),
      ...(Object.keys(this.advisory).length ? { advisory: this.advisory } : {}),
    };
    return {
      id,
      title: this.meta.title ?? `${sys.name}() from ${basename(this.h.file)}`,
      summary: this.meta.summary ?? `declared in the C header ${basename(this.h.file)}`,
      source: this.meta.source ?? this.h.file,
      ...(Object.keys(this.constants).length ? { constants: this.constants } : {}),
      ...(this.parameters ? { parameters: this.parameters } : {}),
      structs: this.structs,
      ...(root ? { rootStruct: root.type.base.split(' ')[1] } : {}),
      syscall: {
        name: sys.name,
        ...(this.legacyOrder ? { targetOrdered: true } : {}),
        args: sys.args.map((a) => ({ name: a.name, type: typeString(a.type) })),
        returns: sys.returns,
        ...(this.numbers ? { numbers: this.numbers } : {}),
      },
      semantics,
    };
  }

  private semantics(): GenericSemantics {
    return {
      roles: this.roles,
      flags: this.groups.map((g) => ({ ...g.group, unknown: this.unknownOf(g.group) })),
      ...(this.pids ? { pids: this.pids.transport } : {}),
      nullable: this.nullable,
      zero: this.zero,
      checks: this.checks,
      knownFlags: this.knownFlags,
    };
  }
}
