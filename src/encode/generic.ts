/**
 * The generic encoder: a request laid out by a proposal's bindings (GenericSemantics, from a
 * header's annotations) through the same ImageBuilder as the built-in encoders. It walks the
 * syscall's arguments in order; a pointer to a struct becomes that struct's segment (NULL when
 * @nullable and the request puts nothing in it), filled member by member, then read, then the
 * segments its members point to (pid arrays, flag words, other structs), depth first. Segments
 * are named after their struct or their pointer member, as the built-in encoders name them, so
 * a header that declares a built-in interface produces the very same image.
 */
import { typeSizeAlign } from '../ctype/layout.js';
import { resolveType, type CType, type StructDecl } from '../ctype/model.js';
import type { TargetAbi } from '../ctype/target.js';
import type { SyscallDecl } from '../proposal/types.js';
import type { ResolvedProposal } from '../registry.js';
import type { CloneRequest } from '../request/types.js';
import { ImageBuilder, structLayout, type StructSegment } from './builder.js';
import { addr, splitWords, val } from './flagwords.js';
import { refText, sameRef, type FlagGroup, type GenericSemantics, type RequestRole, type ValueRef } from './generic-plan.js';
import { EncodeRefusal, type ArgValue, type Capacity, type EncodeOptions, type Encoder, type UserImage } from './types.js';
import { ByteWriter, type Width } from './writer.js';

const ROLE_VALUE: Readonly<Record<RequestRole, (r: CloneRequest) => bigint>> = {
  exit_signal: (r) => BigInt(r.exitSignal),
  stack: (r) => r.stack,
  stack_size: (r) => r.stackSize,
  parent_tid: (r) => r.parentTid,
  child_tid: (r) => r.childTid,
  tls: (r) => r.tls,
  cgroup: (r) => r.cgroup,
};

/** Request fields every built-in interface carries; a header interface without a place for one refuses it. */
const MUST_CARRY: ReadonlyArray<[RequestRole, (r: CloneRequest) => bigint, string]> = [
  ['stack', (r) => r.stack, 'a stack'],
  ['parent_tid', (r) => r.parentTid, 'a parent tid pointer'],
  ['child_tid', (r) => r.childTid, 'a child tid pointer'],
];

const WRITE: SyscallDecl = {
  name: 'write',
  args: [
    { name: 'fd', type: 'int' },
    { name: 'buf', type: 'char *' },
    { name: 'count', type: 'size_t' },
  ],
  returns: 'ssize_t',
};

/** Bits of one word of a flag group on a target (capped by the bits the kernel reads). */
export function groupWordBits(g: FlagGroup, rp: ResolvedProposal, target: TargetAbi): number {
  const { size } = typeSizeAlign(resolveType(g.element, rp.scope, `${rp.decl.id} flags ${refText(g.at)}`), target, rp.scope);
  return Math.min(size * 8, g.usedBits ?? Infinity);
}

export function fixedWordCount(g: FlagGroup, rp: ResolvedProposal): number {
  if (g.count.kind !== 'fixed') throw new Error('not a fixed group');
  return typeof g.count.words === 'number' ? g.count.words : rp.constants[g.count.words];
}

/** The words of every flag group for a request: bits follow one another from group to group. */
export function flagGroupWords(sem: GenericSemantics, req: CloneRequest, rp: ResolvedProposal, target: TargetAbi): Map<FlagGroup, bigint[]> {
  const out = new Map<FlagGroup, bigint[]>();
  let rest = req.flags | (sem.flags[0]?.csignal ? BigInt(req.exitSignal) : 0n);
  for (const g of sem.flags) {
    const bits = groupWordBits(g, rp, target);
    if (g.count.kind === 'fixed') {
      const n = fixedWordCount(g, rp);
      if (g.zero) {
        out.set(g, new Array<bigint>(n).fill(0n));
        continue;
      }
      out.set(g, splitWords(rest, bits, n));
      rest >>= BigInt(n * bits);
    } else {
      if (g.zero) {
        out.set(g, []);
        continue;
      }
      const n = rest === 0n ? 0 : Math.ceil(rest.toString(2).length / bits);
      out.set(g, splitWords(rest, bits, n));
      rest = 0n;
    }
  }
  return out;
}

export function genericCapacity(sem: GenericSemantics, target: TargetAbi, rp: ResolvedProposal): Capacity {
  let flagBits = 0;
  const parts: string[] = [];
  for (const g of sem.flags) {
    if (g.zero) continue;
    const bits = groupWordBits(g, rp, target);
    if (g.count.kind === 'fixed') {
      const n = fixedWordCount(g, rp);
      flagBits += n * bits;
      parts.push(n === 1 ? `${refText(g.at)} (${bits} bits)` : `${refText(g.at)}: ${n} x ${bits} bits`);
    } else {
      flagBits += g.count.max * bits;
      parts.push(`${refText(g.count.at)} <= ${g.count.max} words of ${bits} bits`);
    }
  }
  const has = (role: RequestRole) => sem.roles.some((r) => r.role === role);
  return {
    flagBits,
    lowByteIsExitSignal: sem.flags[0]?.csignal ?? false,
    flagLimit: parts.length ? parts.join(' + ') : 'no flag argument or member',
    carries: { stackSize: has('stack_size'), tls: has('tls'), cgroup: has('cgroup') },
  };
}

/** One request's encoding: the values of every binding and the builder that lays them out. */
class GenericBuild {
  readonly b: ImageBuilder;
  private readonly words: Map<FlagGroup, bigint[]>;
  private readonly used = new Set<string>();
  private readonly size?: number;

  constructor(
    private readonly sem: GenericSemantics,
    private readonly req: CloneRequest,
    private readonly target: TargetAbi,
    private readonly rp: ResolvedProposal,
    private readonly pids: readonly number[],
    options: EncodeOptions,
  ) {
    this.b = new ImageBuilder(rp, target);
    this.words = flagGroupWords(sem, req, rp, target);
    this.size = this.structSize(options);
  }

  private get id() {
    return this.rp.decl.id;
  }

  private type(text: string, where: string): CType {
    return resolveType(text, this.rp.scope, `${this.id}: ${where}`);
  }

  private segmentName(base: string): string {
    let name = base;
    for (let n = 2; this.used.has(name); n++) name = `${base}_${n}`;
    this.used.add(name);
    return name;
  }

  private group(at: ValueRef) {
    return this.sem.flags.find((g) => sameRef(g.at, at));
  }

  private countedGroup(at: ValueRef) {
    return this.sem.flags.find((g) => g.count.kind === 'counted' && sameRef(g.count.at, at));
  }

  private get pidArray() {
    return this.sem.pids?.via === 'array' ? this.sem.pids : undefined;
  }

  /** The value a scalar argument or member holds for this request. */
  valueOf(at: ValueRef): bigint {
    const role = this.sem.roles.find((r) => sameRef(r.at, at));
    if (role) return ROLE_VALUE[role.role](this.req);
    const g = this.group(at);
    if (g && g.storage === 'value') return this.words.get(g)![0];
    const counted = this.countedGroup(at);
    if (counted) return BigInt(this.words.get(counted)!.length);
    if (this.pidArray && sameRef(this.pidArray.count, at)) return BigInt(this.pids.length);
    const sv = this.rp.decl.semantics.sizeVersioning;
    if (sv && at.kind === 'arg' && at.name === sv.sizeArg) return BigInt(this.size ?? 0);
    return 0n;
  }

  /** Is a member in use, so that its size version is needed (its value, or its enabling flag)? */
  private inUse(at: ValueRef): boolean {
    const role = this.sem.roles.find((r) => sameRef(r.at, at));
    if (role?.flag && (this.req.flags & role.flag.value) !== 0n) return true;
    if (this.pidArray && sameRef(this.pidArray.at, at)) return this.pids.length > 0;
    const g = this.group(at);
    if (g) return this.words.get(g)!.some((w) => w !== 0n);
    return this.valueOf(at) !== 0n;
  }

  /** Does anything of the request go into this struct, or behind its pointers? */
  private carries(decl: StructDecl, seen: ReadonlySet<string> = new Set()): boolean {
    if (seen.has(decl.name)) return false;
    const inner = new Set([...seen, decl.name]);
    return decl.fields.some((f) => {
      const at: ValueRef = { kind: 'member', struct: decl.name, member: f.name };
      if (this.inUse(at)) return true;
      const t = this.type(f.type, `${decl.name}.${f.name}`);
      const s = t.kind === 'struct' ? t.decl : t.kind === 'pointer' && t.to !== 'void' && t.to.kind === 'struct' ? t.to.decl : undefined;
      return s !== undefined && this.carries(s, inner);
    });
  }

  /** The size of the size-versioned struct: the smallest version holding every member in use. */
  private structSize(options: EncodeOptions): number | undefined {
    const sv = this.rp.decl.semantics.sizeVersioning;
    if (!sv) return undefined;
    const decl = this.rp.scope.structs.get(sv.struct)!;
    const sizeof = structLayout(this.rp, sv.struct, this.target).size;
    if (sv.rule === 'exact') return options.structSize ?? sizeof;
    let needed = 0;
    for (const f of decl.fields) {
      if (!this.inUse({ kind: 'member', struct: decl.name, member: f.name })) continue;
      needed = Math.max(needed, f.since ? sv.versions.findIndex((v) => v.name === f.since) : 0);
    }
    const size = options.structSize ?? sv.versions[needed].size;
    if (size < sv.versions[needed].size) throw new EncodeRefusal(this.id, `size ${size}`, `the request needs struct ${sv.struct} of at least ${sv.versions[needed].size} bytes (${sv.versions[needed].name})`);
    if (sv.maxSize === 'PAGE_SIZE' && size > this.target.pageSize)
      throw new EncodeRefusal(this.id, `size ${size}`, `size is above PAGE_SIZE (${this.target.pageSize} on ${this.target.id}): the kernel returns E2BIG before any copy`);
    return size;
  }

  build(): UserImage {
    const sys = this.rp.decl.syscall;
    for (const [role, value, what] of MUST_CARRY)
      if (value(this.req) !== 0n && !this.sem.roles.some((r) => r.role === role)) throw new EncodeRefusal(this.id, `no ${role} argument`, `it has no place for ${what}`);
    if (this.req.exitSignal !== 0 && !this.sem.flags[0]?.csignal && !this.sem.roles.some((r) => r.role === 'exit_signal'))
      throw new EncodeRefusal(this.id, 'no exit_signal argument', 'it has no place for an exit signal');
    if (this.sem.pids?.via === 'ns_last_pid' && this.pids.length === 1) {
      // The next automatic pid search starts after the value written, so N - 1 gives N.
      const text = new TextEncoder().encode(String(this.pids[0] - 1));
      this.b.raw(this.segmentName('ns_last_pid'), `char[${text.length}]`, text);
      this.b.call(WRITE, { fd: { kind: 'symbol', name: 'fd of /proc/sys/kernel/ns_last_pid' }, buf: addr('ns_last_pid'), count: val(text.length) }, `ns_last_pid = ${this.pids[0] - 1} in the caller's active pid namespace`);
      this.b.read('ns_last_pid', 0, text.length, 'write(2): the sysctl handler copies the decimal string');
    }
    const values: Record<string, ArgValue> = {};
    for (const a of sys.args) values[a.name] = this.argument(a.name, a.type);
    this.b.call(sys, values, this.pids.length && this.sem.pids?.via === 'ns_last_pid' ? `create the child; it must check getpid() == ${this.pids[0]} (racy)` : 'create the child');
    return this.b.image();
  }

  private argument(name: string, typeText: string): ArgValue {
    const at: ValueRef = { kind: 'arg', name };
    const t = this.type(typeText, `argument ${name}`);
    const p = this.pidArray;
    if (p && sameRef(p.at, at)) return this.pids.length ? addr(this.pidSegment(name, p.element)) : val(0);
    if (t.kind === 'pointer' && t.to !== 'void' && t.to.kind === 'struct') {
      const decl = t.to.decl;
      if (this.sem.nullable.some((n) => sameRef(n, at)) && !this.carries(decl)) return val(0);
      return addr(this.structSegment(decl));
    }
    return val(this.valueOf(at));
  }

  /** A struct's segment (under a name reserved earlier, if given), its reads, then what its members point to. */
  private structSegment(decl: StructDecl, reservedName?: string): string {
    const name = reservedName ?? this.segmentName(decl.name);
    const sv = this.rp.decl.semantics.sizeVersioning;
    const versioned = sv?.struct === decl.name;
    const seg = this.b.struct(decl.name, name, versioned ? this.size : undefined);
    const later: Array<() => void> = [];
    this.fill(seg, decl, '', later);
    if (versioned && sv!.rule === 'copy-struct-from-user') {
      const kernelSize = sv!.versions[sv!.versions.length - 1].size;
      if (seg.size > kernelSize) this.b.read(name, kernelSize, seg.size - kernelSize, "copy_struct_from_user: the tail beyond the kernel's struct must be zero", 'zero-check');
      this.b.read(name, 0, Math.min(seg.size, kernelSize), `copy_struct_from_user: min(${sv!.sizeArg}, ${kernelSize}) bytes`);
    } else this.b.read(name, 0, seg.size, versioned ? `struct ${decl.name} (${sv!.sizeArg} bytes, which must be sizeof)` : `struct ${decl.name}`);
    for (const f of later) f();
    return name;
  }

  private fill(seg: StructSegment, decl: StructDecl, prefix: string, later: Array<() => void>): void {
    for (const f of decl.fields) {
      const path = `${prefix}${f.name}`;
      const at: ValueRef = { kind: 'member', struct: decl.name, member: f.name };
      const t = this.type(f.type, `${decl.name}.${f.name}`);
      const p = this.pidArray;
      const g = this.group(at);
      if (p && sameRef(p.at, at)) {
        if (p.storage === 'array') this.pids.forEach((pid, i) => seg.setElement(path, i, pid));
        else if (this.pids.length) {
          const target = this.segmentName(f.name);
          seg.point(path, target);
          later.push(() => this.pidSegment(target, p.element, true));
        }
      } else if (g && g.storage === 'array') {
        this.words.get(g)!.forEach((w, i) => w !== 0n && seg.setElement(path, i, w));
      } else if (g && g.storage === 'pointer') {
        const words = this.words.get(g)!;
        if (words.length) {
          const target = this.segmentName(f.name);
          seg.point(path, target);
          later.push(() => this.wordSegment(target, g, words, true));
        }
      } else if (t.kind === 'struct') {
        this.fill(seg, t.decl, `${path}.`, later);
      } else if (t.kind === 'pointer' && t.to !== 'void' && t.to.kind === 'struct') {
        const inner = t.to.decl;
        if (!this.sem.nullable.some((n) => sameRef(n, at)) || this.carries(inner)) {
          const target = this.segmentName(inner.name);
          seg.point(path, target);
          later.push(() => this.structSegment(inner, target));
        }
      } else if (t.kind === 'scalar' || t.kind === 'pointer') {
        const v = this.valueOf(at);
        // Zero is already there; writing it could overwrite another member of a union.
        if (v !== 0n) seg.set(path, v);
      }
    }
  }

  private pidSegment(name: string, element: string, reserved = false): string {
    if (!reserved) name = this.segmentName(name);
    const t = this.type(element, 'pid element');
    const { size, align } = typeSizeAlign(t, this.target, this.rp.scope);
    const bytes = new Uint8Array(this.pids.length * size);
    const w = ByteWriter.forTarget(bytes, this.target);
    const signed = t.kind === 'scalar' && t.signed === true;
    this.pids.forEach((pid, i) => (signed ? w.int(i * size, size as Width, pid) : w.uint(i * size, size as Width, pid)));
    this.b.segments.push({ name, ctype: `${element}[${this.pids.length}]`, bytes, align });
    const order = this.rp.decl.semantics.pids?.order;
    const p = this.pidArray!;
    this.b.read(name, 0, bytes.length, `${refText(p.count).split('.').pop()} * sizeof(${element}), ${order === 'innermost-first' ? 'innermost' : 'outermost'} level first`);
    return name;
  }

  private wordSegment(name: string, g: FlagGroup, words: readonly bigint[], reserved = false): string {
    if (!reserved) name = this.segmentName(name);
    const t = this.type(g.element, 'flag word');
    const { size, align } = typeSizeAlign(t, this.target, this.rp.scope);
    const bytes = new Uint8Array(words.length * size);
    const w = ByteWriter.forTarget(bytes, this.target);
    words.forEach((v, i) => w.uint(i * size, size as Width, v));
    this.b.segments.push({ name, ctype: `${g.element}[${words.length}]`, bytes, align });
    const count = g.count.kind === 'counted' ? refText(g.count.at).split('.').pop() : String(words.length);
    this.b.read(name, 0, bytes.length, `${count} * sizeof(${g.element}) of flag words`);
    return name;
  }
}

/** The Encoder of a header proposal. */
export function genericEncoder(id: string, sem: GenericSemantics): Encoder {
  return {
    id,
    capacity: (target, rp) => genericCapacity(sem, target, rp),
    build: (req, target, rp, pids, options) => new GenericBuild(sem, req, target, rp, pids, options).build(),
  };
}
