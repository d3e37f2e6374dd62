/**
 * Shared machinery for encoders: struct segments filled by member name from the layout engine
 * (so no encoder hard-codes an offset), array segments, pointer fixups, register arguments in
 * the target's order, and the copy plan.
 */
import { layoutStruct, type FieldLayout, type StructLayout } from '../ctype/layout.js';
import { accountSlots, type SlotAccount } from '../ctype/slots.js';
import type { TargetAbi } from '../ctype/target.js';
import type { SyscallDecl } from '../proposal/types.js';
import type { ResolvedProposal } from '../registry.js';
import type { ArgValue, CopyRead, Fixup, Segment, SyscallCall, UserImage } from './types.js';
import { ByteWriter, type Width } from './writer.js';

// Layouts and slot accounts depend only on (resolved proposal, target): cache them, since
// encoders run in tight loops (benches/encode-speed.ts).
const layoutCache = new WeakMap<ResolvedProposal, Map<string, StructLayout>>();
const slotCache = new WeakMap<SyscallDecl, Map<string, SlotAccount>>();
const fieldCache = new WeakMap<StructLayout, Map<string, { field: FieldLayout; offset: number }>>();

export function structLayout(rp: ResolvedProposal, name: string, target: TargetAbi): StructLayout {
  let m = layoutCache.get(rp);
  if (!m) layoutCache.set(rp, (m = new Map()));
  const key = `${name}@${target.id}`;
  let l = m.get(key);
  if (!l) {
    const decl = rp.scope.structs.get(name);
    if (!decl) throw new Error(`${rp.decl.id}: struct ${name} is not declared`);
    m.set(key, (l = layoutStruct(decl, target, rp.scope)));
  }
  return l;
}

/** Resolves "pid_set.num_pids" to the member and its offset from the start of the outer struct. */
export function fieldAt(layout: StructLayout, path: string): { field: FieldLayout; offset: number } {
  let cache = fieldCache.get(layout);
  if (!cache) fieldCache.set(layout, (cache = new Map()));
  let found = cache.get(path);
  if (!found) cache.set(path, (found = findField(layout, path)));
  return found;
}

function findField(layout: StructLayout, path: string): { field: FieldLayout; offset: number } {
  let l: StructLayout | undefined = layout;
  let offset = 0;
  let field: FieldLayout | undefined;
  for (const part of path.split('.')) {
    field = l?.fields.find((f) => f.name === part);
    if (!field) throw new Error(`struct ${layout.name} has no member ${path}`);
    offset += field.offset;
    l = field.nested;
  }
  return { field: field!, offset };
}

export class ImageBuilder {
  readonly segments: Segment[] = [];
  readonly fixups: Fixup[] = [];
  readonly calls: SyscallCall[] = [];
  readonly plan: CopyRead[] = [];

  constructor(
    readonly rp: ResolvedProposal,
    readonly target: TargetAbi,
  ) {}

  /**
   * A zeroed struct segment of `size` bytes (default: sizeof): larger gives a zero tail, smaller
   * cuts the struct short (members are still written, into bytes the segment does not include).
   */
  struct(name: string, segment = name, size?: number): StructSegment {
    const layout = structLayout(this.rp, name, this.target);
    const length = Math.max(size ?? layout.size, 0);
    const backing = new Uint8Array(Math.max(length, layout.size));
    this.segments.push({ name: segment, ctype: `struct ${name}`, bytes: backing.subarray(0, length), align: layout.align });
    return new StructSegment(this, segment, layout, ByteWriter.forTarget(backing, this.target), length);
  }

  /** An array segment of 32-bit words (pid_t[] or int[]), in the target's byte order and int alignment (2 on m68k). */
  words32(segment: string, ctype: string, values: readonly number[], signed: boolean): Segment {
    const bytes = new Uint8Array(values.length * 4);
    const w = ByteWriter.forTarget(bytes, this.target);
    values.forEach((v, i) => (signed ? w.int(i * 4, 4, v) : w.uint(i * 4, 4, v)));
    const seg = { name: segment, ctype: `${ctype}[${values.length}]`, bytes, align: this.target.types.int[1] };
    this.segments.push(seg);
    return seg;
  }

  /** Raw bytes (a string written to a sysctl). */
  raw(segment: string, ctype: string, bytes: Uint8Array): Segment {
    const seg = { name: segment, ctype, bytes, align: 1 };
    this.segments.push(seg);
    return seg;
  }

  read(segment: string, offset: number, length: number, why: string, kind: CopyRead['kind'] = 'copy'): void {
    this.plan.push({ segment, offset, length, kind, why });
  }

  /** A syscall with its arguments in the target's order (legacy clone's order differs by ABI). */
  call(sys: SyscallDecl, values: Readonly<Record<string, ArgValue>>, why: string): void {
    let m = slotCache.get(sys);
    if (!m) slotCache.set(sys, (m = new Map()));
    let account = m.get(this.target.id);
    if (!account) m.set(this.target.id, (account = accountSlots(sys, this.target, this.rp.scope)));
    const args = account.args.map((a) => {
      const value = values[a.arg];
      if (!value) throw new Error(`${this.rp.decl.id}: no value for argument ${a.arg} of ${sys.name}`);
      const regBytes = this.target.registerBits / 8;
      if (value.kind === 'value' && value.value >> BigInt(8 * regBytes * a.slots.length) !== 0n)
        throw new RangeError(`${sys.name} argument ${a.arg} = 0x${value.value.toString(16)} does not fit ${a.slots.length} ${this.target.registerBits}-bit register(s)`);
      return { name: a.arg, type: a.type, value, locations: a.locations };
    });
    this.calls.push({ syscall: sys.name, number: sys.numbers?.[this.target.id], args, why });
  }

  image(): UserImage {
    return {
      proposal: this.rp.decl.id,
      target: this.target.id,
      endian: this.target.endian,
      pointerBytes: this.target.types.pointer[0],
      segments: this.segments,
      fixups: this.fixups,
      calls: this.calls,
      plan: this.plan,
    };
  }
}

export class StructSegment {
  constructor(
    private readonly img: ImageBuilder,
    readonly name: string,
    readonly layout: StructLayout,
    readonly writer: ByteWriter,
    /** The segment's length, which may differ from sizeof. */
    readonly size: number,
  ) {}

  /** Writes a scalar member by its C signedness and the target's size for it. */
  set(path: string, value: bigint | number): this {
    const { field, offset } = fieldAt(this.layout, path);
    const t = field.ctype;
    const signed = t.kind === 'scalar' && t.signed === true;
    (signed ? this.writer.int : this.writer.uint).call(this.writer, offset, field.size as Width, value);
    return this;
  }

  /** Element `index` of an array member (clone_flags_t.flags[i]). */
  setElement(path: string, index: number, value: bigint | number): this {
    const { field, offset } = fieldAt(this.layout, path);
    if (field.ctype.kind !== 'array') throw new Error(`${this.layout.name}.${path} is not an array`);
    const elemSize = field.size / field.ctype.length;
    if (index < 0 || index >= field.ctype.length) throw new RangeError(`${path}[${index}] is outside ${path}[${field.ctype.length}]`);
    this.writer.uint(offset + index * elemSize, elemSize as Width, value);
    return this;
  }

  /** A pointer member (or a u64 carrying a pointer) that will hold the address of `to`. */
  point(path: string, to: string): this {
    const { field, offset } = fieldAt(this.layout, path);
    this.img.fixups.push({ segment: this.name, offset, width: field.size as 4 | 8, to, field: path });
    return this;
  }

  offsetOf(path: string): number {
    return fieldAt(this.layout, path).offset;
  }
}
