/**
 * Compiles a header proposal's bindings (GenericSemantics) into the plan that
 * native/decoder_generic.c interprets, for the host's layout: locations (registers, bytes of
 * copied objects), objects in the order the kernel copies them (the same walk as the generic
 * encoder), flag groups, the pid array and the checks in the header's order. The word layout
 * is documented in native/decoder_generic.c; the constants below must match it.
 */
import { constants as osConstants } from 'node:os';
import { layoutStruct, typeSizeAlign } from '../ctype/layout.js';
import { resolveType, type CType, type StructDecl } from '../ctype/model.js';
import { orderedArgs } from '../ctype/slots.js';
import type { TargetAbi } from '../ctype/target.js';
import { fixedWordCount, groupWordBits } from '../encode/generic.js';
import { refText, sameRef, type CheckKind, type GenericSemantics, type ValueRef } from '../encode/generic-plan.js';
import { InputError } from '../errors.js';
import { CLONE_FLAGS } from '../proposal/flags.js';
import type { ResolvedProposal } from '../registry.js';

export const PLAN_MAGIC = 0x43424731n;
const ROLE_ORDER = ['exit_signal', 'stack', 'stack_size', 'parent_tid', 'child_tid', 'tls', 'cgroup'] as const;
const CHECK_CODES: Readonly<Record<CheckKind, number>> = {
  'size-above-max': 1,
  'size-below-min': 2,
  'size-not-exact': 3,
  'tail-not-zero': 4,
  fault: 5,
  negative: 6,
  'above-max': 7,
  'null-mismatch': 8,
  'above-levels': 9,
  'not-zero': 10,
  'unknown-flags': 11,
  'exit-signal': 12,
  'flag-member': 13,
  'pid-range': 14,
  'pid-not-1': 15,
  unprivileged: 16,
  'pid-taken': 17,
  'flags-exclusive': 18,
  'flag-forbids': 19,
  'stack-pair': 20,
};
/** The decoder's buffers (native/decoder_generic.c). */
const OBJ_BYTES = 4096;
const MAX_LEVELS = 33;
const NEWPID_BIT = BigInt(CLONE_FLAGS.CLONE_NEWPID.toString(2).length - 1);

interface Loc {
  obj: number;
  offset: number;
  width: number;
  signed: boolean;
}

interface Obj {
  kind: 1 | 2;
  ptrLoc: number;
  nullable: boolean;
  size: number;
  countLoc: number;
  capacity: number;
  rule: 0 | 1 | 2;
  ksize: number;
  tailErrno: number;
}

const bitOf = (v: bigint) => v.toString(2).length - 1;

const errnoNumber = (name: string): number => {
  const n = (osConstants.errno as Record<string, number>)[name];
  if (n === undefined) throw new InputError(`no errno ${name} on this host`);
  return n;
};

export function compileDecoderPlan(rp: ResolvedProposal, sem: GenericSemantics, host: TargetAbi): BigInt64Array {
  const decl = rp.decl;
  const scope = rp.scope;
  const locs: Loc[] = [];
  const objs: Obj[] = [];
  const locOf = new Map<string, number>();
  const objByPointer = new Map<number, number>();
  const key = (r: ValueRef) => (r.kind === 'arg' ? `arg:${r.name}` : `member:${r.struct}.${r.member}`);
  const signed = (t: CType) => t.kind === 'scalar' && (t.signed === true || (t.signed === 'plain-char' && host.charSigned));
  const addLoc = (k: string, l: Loc) => {
    if (!locOf.has(k)) locOf.set(k, locs.push(l) - 1);
    return locOf.get(k)!;
  };
  const loc = (r: ValueRef): number => {
    const i = locOf.get(key(r));
    if (i === undefined) throw new InputError(`${decl.id}: ${refText(r)} is not reached from the syscall's arguments, so the decoder cannot read it`);
    return i;
  };
  const sv = decl.semantics.sizeVersioning;
  const pids = sem.pids?.via === 'array' ? sem.pids : undefined;
  const tailCheck = sem.checks.find((c) => c.kind === 'tail-not-zero');

  // Registers, in the host's order (legacy clone's differs between ABIs).
  orderedArgs(decl.syscall, host).forEach((a, i) => {
    const t = resolveType(a.type, scope, `${decl.id} argument ${a.name}`);
    addLoc(`arg:${a.name}`, { obj: -1, offset: i, width: Math.min(8, typeSizeAlign(t, host, scope).size), signed: signed(t) });
  });

  const arrayObj = (ptrLoc: number, countLoc: number, element: string, capacity: number) => {
    const size = typeSizeAlign(resolveType(element, scope, `${decl.id} element ${element}`), host, scope).size;
    objByPointer.set(ptrLoc, objs.push({ kind: 2, ptrLoc, nullable: true, size, countLoc, capacity: Math.min(capacity, Math.floor(OBJ_BYTES / size)), rule: 0, ksize: 0, tailErrno: 0 }) - 1);
  };

  // Objects in the generic encoder's order: arguments in turn, a struct then what it points to.
  const structObj = (s: StructDecl, ptrLoc: number, nullable: boolean) => {
    const layout = layoutStruct(s, host, scope);
    if (layout.size > OBJ_BYTES) throw new InputError(`${decl.id}: struct ${s.name} is ${layout.size} bytes, more than the generic decoder's ${OBJ_BYTES}`);
    const versioned = sv?.struct === s.name;
    const index = objs.length;
    objs.push({
      kind: 1,
      ptrLoc,
      nullable,
      size: layout.size,
      countLoc: versioned ? loc({ kind: 'arg', name: sv.sizeArg }) : -1,
      capacity: 0,
      rule: versioned ? (sv.rule === 'exact' ? 1 : 2) : 0,
      ksize: versioned ? sv.versions[sv.versions.length - 1].size : 0,
      tailErrno: tailCheck ? errnoNumber(tailCheck.errno) : errnoNumber('E2BIG'),
    });
    objByPointer.set(ptrLoc, index);
    const later: Array<() => void> = [];
    members(s, index, 0, later);
    for (const f of later) f();
  };
  const members = (s: StructDecl, obj: number, base: number, later: Array<() => void>) => {
    for (const f of layoutStruct(s, host, scope).fields) {
      const at: ValueRef = { kind: 'member', struct: s.name, member: f.name };
      const t = f.ctype;
      if (t.kind === 'struct') {
        members(t.decl, obj, base + f.offset, later);
        continue;
      }
      const element = t.kind === 'array' || t.kind === 'flex' ? t.of : t;
      const width = t.kind === 'array' || t.kind === 'flex' ? typeSizeAlign(element, host, scope).size : f.size;
      if (width > 8 || element.kind === 'struct') continue; // arrays of structs: not reachable by a binding
      const l = addLoc(key(at), { obj, offset: base + f.offset, width, signed: signed(element) });
      const group = sem.flags.find((g) => g.storage === 'pointer' && sameRef(g.at, at));
      if (pids?.storage === 'pointer' && sameRef(pids.at, at)) later.push(() => arrayObj(l, loc(pids.count), pids.element, MAX_LEVELS));
      else if (group && group.count.kind === 'counted') {
        const max = group.count.max;
        const countAt = group.count.at;
        later.push(() => arrayObj(l, loc(countAt), group.element, max));
      } else if (t.kind === 'pointer' && t.to !== 'void' && t.to.kind === 'struct') {
        const inner = t.to.decl;
        later.push(() => structObj(inner, l, sem.nullable.some((n) => sameRef(n, at))));
      }
    }
  };
  for (const a of decl.syscall.args) {
    const at: ValueRef = { kind: 'arg', name: a.name };
    const t = resolveType(a.type, scope, `${decl.id} argument ${a.name}`);
    if (pids?.storage === 'pointer' && sameRef(pids.at, at)) arrayObj(loc(at), loc(pids.count), pids.element, MAX_LEVELS);
    else if (t.kind === 'pointer' && t.to !== 'void' && t.to.kind === 'struct') structObj(t.to.decl, loc(at), sem.nullable.some((n) => sameRef(n, at)));
  }

  const objOf = (r: ValueRef): number => {
    const o = objByPointer.get(loc(r));
    if (o === undefined) throw new InputError(`${decl.id}: ${refText(r)} points to nothing the decoder copies`);
    return o;
  };
  const groups = sem.flags.map((g) => {
    const bits = groupWordBits(g, rp, host);
    const width = typeSizeAlign(resolveType(g.element, scope, `${decl.id} flags`), host, scope).size;
    const storage = g.storage === 'value' ? 0 : g.storage === 'array' ? 1 : 2;
    return [storage, storage === 2 ? objOf(g.at) : loc(g.at), width, bits, g.count.kind === 'fixed' ? fixedWordCount(g, rp) : -1, g.count.kind === 'counted' ? loc(g.count.at) : -1, g.csignal ? 1 : 0, g.zero ? 1 : 0, g.unknown === 'rejected' ? 1 : 0];
  });

  const checks: number[][] = [];
  const countMax = (r: ValueRef): number => {
    if (pids && sameRef(pids.count, r)) return decl.semantics.pids?.maxPids ?? MAX_LEVELS;
    const g = sem.flags.find((x) => x.count.kind === 'counted' && sameRef(x.count.at, r));
    return g && g.count.kind === 'counted' ? g.count.max : Number.MAX_SAFE_INTEGER;
  };
  const pointerOfCount = (r: ValueRef): ValueRef => {
    if (pids && sameRef(pids.count, r)) return pids.at;
    return sem.flags.find((x) => x.count.kind === 'counted' && sameRef(x.count.at, r))!.at;
  };
  for (const c of sem.checks) {
    if (c.kind === 'text') continue;
    const code = CHECK_CODES[c.kind];
    const err = c.errno === '(none)' ? 0 : errnoNumber(c.errno);
    const push = (a = -1, b = 0, cc = 0) => checks.push([code, err, a, b, cc]);
    switch (c.kind) {
      case 'size-above-max':
      case 'size-below-min':
      case 'size-not-exact': {
        const a = loc({ kind: 'arg', name: sv!.sizeArg });
        const b = c.kind === 'size-below-min' ? sv!.versions[0].size : c.kind === 'size-not-exact' ? layoutStruct(scope.structs.get(sv!.struct)!, host, scope).size : 0;
        push(a, b);
        break;
      }
      case 'tail-not-zero':
        push(objs.findIndex((_, i) => objs[i].rule === 2));
        break;
      case 'fault':
        if (c.refs.length === 0) push(-1);
        for (const r of c.refs) push(objOf(r));
        break;
      case 'negative':
      case 'above-levels':
        push(loc(c.refs[0]));
        break;
      case 'above-max':
        push(loc(c.refs[0]), countMax(c.refs[0]));
        break;
      case 'null-mismatch':
        push(loc(pointerOfCount(c.refs[0])), loc(c.refs[0]));
        break;
      case 'not-zero':
        for (const r of c.refs) {
          const l = locs[loc(r)];
          const f = r.kind === 'member' ? layoutStruct(scope.structs.get(r.struct)!, host, scope).fields.find((x) => x.name === r.member)! : undefined;
          push(loc(r), f && f.ctype.kind === 'array' ? f.size / l.width : 1);
        }
        break;
      case 'exit-signal':
        push(loc(sem.roles.find((x) => x.role === 'exit_signal')!.at));
        break;
      case 'flag-member': {
        const r = c.refs[0] as Extract<ValueRef, { kind: 'member' }>;
        const role = sem.roles.find((x) => sameRef(x.at, r))!;
        const f = layoutStruct(scope.structs.get(r.struct)!, host, scope).fields.find((x) => x.name === r.member)!;
        push(loc(r), bitOf(role.flag!.value), f.offset + f.size);
        break;
      }
      case 'flags-exclusive':
        push(bitOf(c.flags![0].value), bitOf(c.flags![1].value));
        break;
      case 'flag-forbids':
        push(loc(c.refs[0]), bitOf(c.flags![0].value));
        break;
      case 'stack-pair':
        push(loc(sem.roles.find((x) => x.role === 'stack')!.at), loc(sem.roles.find((x) => x.role === 'stack_size')!.at));
        break;
      default:
        push();
    }
  }

  const known = Object.values(sem.knownFlags).reduce((a, b) => a | b, 0n);
  const knownWords: bigint[] = [];
  for (let rest = known; rest !== 0n; rest >>= 64n) knownWords.push(BigInt.asIntN(64, rest & ((1n << 64n) - 1n)));

  const pidCapacity = !pids ? 0 : pids.storage === 'array' ? Math.min(MAX_LEVELS, lengthOf(pids.at)) : MAX_LEVELS;
  function lengthOf(r: ValueRef): number {
    const m = r as Extract<ValueRef, { kind: 'member' }>;
    const f = layoutStruct(scope.structs.get(m.struct)!, host, scope).fields.find((x) => x.name === m.member)!;
    return f.ctype.kind === 'array' ? f.ctype.length : 1;
  }
  const header = [
    PLAN_MAGIC,
    BigInt(decl.syscall.args.length),
    BigInt(locs.length),
    BigInt(objs.length),
    BigInt(groups.length),
    BigInt(checks.length),
    BigInt(sem.pids?.via === 'ns_last_pid' ? 2 : pids ? 1 : 0),
    BigInt(pids?.storage === 'pointer' ? 1 : 0),
    BigInt(!pids ? -1 : pids.storage === 'pointer' ? objOf(pids.at) : loc(pids.at)),
    BigInt(pids ? loc(pids.count) : -1),
    BigInt(decl.semantics.pids?.order === 'innermost-first' ? 1 : 0),
    BigInt(decl.semantics.pids?.levelsOf === 'child' ? 1 : 0),
    BigInt(decl.semantics.pids?.order === 'outermost-first' ? 1 : 0),
    BigInt(pidCapacity),
    NEWPID_BIT,
    BigInt(knownWords.length),
  ];
  const roles = ROLE_ORDER.map((role) => {
    const b = sem.roles.find((x) => x.role === role);
    return BigInt(b ? loc(b.at) : -1);
  });
  const words = [
    ...header,
    ...roles,
    ...locs.flatMap((l) => [l.obj, l.offset, l.width, l.signed ? 1 : 0].map(BigInt)),
    ...objs.flatMap((o) => [o.kind, o.ptrLoc, o.nullable ? 1 : 0, o.size, o.countLoc, o.capacity, o.rule, o.ksize, o.tailErrno].map(BigInt)),
    ...groups.flatMap((g) => g.map(BigInt)),
    ...checks.flatMap((c) => c.map(BigInt)),
    ...knownWords,
  ];
  return BigInt64Array.from(words);
}
