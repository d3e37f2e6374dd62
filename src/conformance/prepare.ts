/**
 * Turning a checked case into what runs, before anything runs: a clone3 case becomes struct
 * clone_args bytes laid out from clone3's declaration (members by name, host byte order); an
 * emulated interface's case becomes that interface's encoded image, its pids array then
 * overwritten with the case's raw entries and any member patched by name. Whatever cannot be
 * laid out (an unknown member, a value too wide, a flag the interface cannot carry) is an
 * InputError naming the case and the key.
 */
import { fieldAt, structLayout } from '../encode/builder.js';
import { encode } from '../encode/encode.js';
import { EncodeRefusal, type UserImage } from '../encode/types.js';
import { ByteWriter, type Width } from '../encode/writer.js';
import type { TargetAbi } from '../ctype/target.js';
import { InputError } from '../errors.js';
import { proposalById, resolveProposal, type ResolvedProposal } from '../registry.js';
import { CLONE_NEWPID, makeRequest, type PidChoice } from '../request/types.js';
import type { Clone3Call } from '../restore/driver.js';
import type { ConformanceCase } from './case.js';

const ARGS_VER2 = 88;

export interface PreparedClone3 {
  kind: 'clone3';
  c: ConformanceCase;
  /** The child's level: set_tid[i] is level childLevel - i. */
  childLevel: number;
  /** The call, once "$free" entries are resolved (innermost first). */
  call(setTid: readonly number[] | null): Clone3Call;
}

export interface PreparedEmulated {
  kind: 'emulated';
  c: ConformanceCase;
  rp: ResolvedProposal;
  childLevel: number;
  /** Absolute level of each entry of c.pids (right-aligned onto the caller's levels). */
  levels: number[];
  /** The image with these pids in its pids array and the case's members patched. */
  image(pids: readonly number[]): UserImage;
  truncate?: Record<string, number>;
}

export type PreparedCase = PreparedClone3 | PreparedEmulated;

const bad = (c: ConformanceCase, key: string, msg: string): never => {
  throw new InputError(`${c.where}: ${key}: ${msg}`);
};

interface Member {
  segment: string;
  offset: number;
  width: Width;
}

/** "clone_args.reserved0", "pid_set.num_pids", "clone_info.pid_set.num_pids": a struct member in one of the image's segments. */
function resolveMember(image: UserImage, rp: ResolvedProposal, host: TargetAbi, path: string): Member | undefined {
  const parts = path.split('.');
  for (const seg of image.segments) {
    const struct = /^struct (\w+)$/.exec(seg.ctype)?.[1];
    if (!struct) continue;
    const layout = structLayout(rp, struct, host);
    const inner = parts[0] === seg.name || parts[0] === struct ? [parts.slice(1).join('.')] : [];
    for (const p of [...inner, path].filter(Boolean)) {
      try {
        const { field, offset } = fieldAt(layout, p);
        if ([1, 2, 4, 8].includes(field.size)) return { segment: seg.name, offset, width: field.size as Width };
      } catch {
        // not this struct's member
      }
    }
  }
  return undefined;
}

function membersList(image: UserImage, rp: ResolvedProposal, host: TargetAbi): string {
  return image.segments
    .flatMap((s) => {
      const struct = /^struct (\w+)$/.exec(s.ctype)?.[1];
      return struct ? [`${s.name}.{${structLayout(rp, struct, host).fields.map((f) => f.name).join(',')}}`] : [];
    })
    .join(' ');
}

function write(bytes: Uint8Array, host: TargetAbi, offset: number, width: Width, v: bigint): void {
  const w = ByteWriter.forTarget(bytes, host);
  if (v < 0n) w.int(offset, width, v);
  else if (v >> BigInt(width * 8) !== 0n) throw new RangeError(`${v} does not fit ${width * 8} bits`);
  else w.uint(offset, width, v);
}

function prepareClone3(c: ConformanceCase, host: TargetAbi): PreparedClone3 {
  const rp = resolveProposal(proposalById('clone3'));
  const layout = structLayout(rp, 'clone_args', host);
  const put = (bytes: Uint8Array, key: string, path: string, v: bigint) => {
    let member;
    try {
      member = fieldAt(layout, path);
    } catch {
      return bad(c, key, `struct clone_args has no member "${path}" (members: ${layout.fields.map((f) => f.name).join(', ')})`);
    }
    try {
      write(bytes, host, member.offset, member.field.size as Width, v);
    } catch (err) {
      bad(c, key, (err as Error).message);
    }
  };
  const head = (setTid: readonly number[] | null) => {
    const bytes = new Uint8Array(ARGS_VER2);
    put(bytes, 'flags', 'flags', c.flags);
    put(bytes, 'exit_signal', 'exit_signal', c.exitSignal);
    put(bytes, 'set_tid_size', 'set_tid_size', c.setTidSize ?? BigInt(setTid?.length ?? 0));
    for (const [path, v] of c.fields) put(bytes, `fields.${path}`, path, v);
    return bytes;
  };
  head(null); // every member name and value checked now
  const childLevel = c.depth + ((c.flags & CLONE_NEWPID) !== 0n ? 1 : 0);
  return {
    kind: 'clone3',
    c,
    childLevel,
    call: (setTid) => ({ size: c.size ?? BigInt(ARGS_VER2), head: head(setTid), setTid, tail: c.tail, fault: (c.fault as Clone3Call['fault']) ?? 'none' }),
  };
}

/** The segment an interface's pid_t array lives in: the one its pointer argument or member points to. */
function pidArraySegment(image: UserImage, pointer: string): string | undefined {
  const arg = image.calls.at(-1)?.args.find((a) => a.name === pointer)?.value;
  if (arg?.kind === 'address') return arg.segment;
  for (const f of image.fixups) {
    const struct = /^struct (\w+)$/.exec(image.segments.find((s) => s.name === f.segment)?.ctype ?? '')?.[1];
    if (f.field === pointer || `${struct}.${f.field}` === pointer || `${struct}.${f.field}`.endsWith(`.${pointer}`)) return f.to;
  }
  return undefined;
}

function prepareEmulated(c: ConformanceCase, host: TargetAbi): PreparedEmulated {
  const rp = resolveProposal(proposalById(c.proposal));
  const pids = c.pids ?? [];
  // Encode a request whose pid array has the case's length (placeholders, right-aligned), then
  // put the case's raw entries in: a case may ask for more pids than the caller has levels.
  const encodeDepth = Math.max(c.depth, pids.length - 1);
  if (c.exitSignal > 255n) bad(c, 'exit_signal', `${c.proposal} carries the exit signal in the CSIGNAL byte (0..255)`);
  if (c.size !== undefined && !rp.decl.semantics.sizeVersioning) bad(c, 'size', `${c.proposal} has no size argument`);
  let template: UserImage;
  try {
    const req = makeRequest({
      flags: c.flags,
      exitSignal: Number(c.exitSignal),
      depth: encodeDepth,
      pids: pids.map((_, i): PidChoice => ({ level: encodeDepth - pids.length + 1 + i, pid: 1 })),
    });
    template = encode(req, host, rp, { structSize: c.size === undefined ? undefined : Number(c.size) });
  } catch (err) {
    if (err instanceof EncodeRefusal || err instanceof InputError || err instanceof RangeError) return bad(c, c.size !== undefined && /size/.test((err as Error).message) ? 'size' : 'flags', (err as Error).message);
    throw err;
  }
  const array = rp.decl.semantics.arrays?.find((a) => a.element === 'pid_t');
  const pidSegment = pids.length && array ? pidArraySegment(template, array.pointer) : undefined;
  if (pids.length && !pidSegment) bad(c, 'pids', `${c.proposal}'s image has no pid array`);
  const patches: Array<[string, string, bigint]> = [];
  if (c.numPids !== undefined) {
    if (!array) bad(c, 'num_pids', `${c.proposal} has no pid count`);
    if (!pids.length) bad(c, 'num_pids', `give pids too: without them ${c.proposal} passes no pid array at all`);
    patches.push(['num_pids', array!.count, BigInt(c.numPids)]);
  }
  for (const [path, v] of c.fields) patches.push([`fields.${path}`, path, v]);
  const members = patches.map(([key, path, v]) => {
    const m = resolveMember(template, rp, host, path);
    if (!m) return bad(c, key, `no member "${path}" in ${c.proposal}'s image (${membersList(template, rp, host)})`);
    const seg = template.segments.find((s) => s.name === m.segment)!;
    if (m.offset + m.width > seg.bytes.length) bad(c, key, `"${path}" lies beyond the ${seg.bytes.length} bytes of ${seg.name}`);
    try {
      write(new Uint8Array(m.width), host, 0, m.width, v);
    } catch (err) {
      bad(c, key, (err as Error).message);
    }
    return { ...m, v };
  });
  if (c.fault !== undefined && !template.segments.some((s) => s.name === c.fault))
    bad(c, 'fault', `${c.proposal}'s image has no segment "${c.fault}" (segments: ${template.segments.map((s) => s.name).join(', ') || 'none'})`);
  const levels = pids.map((_, i) => c.depth - (pids.length - 1) + i);
  return {
    kind: 'emulated',
    c,
    rp,
    childLevel: c.depth + ((c.flags & CLONE_NEWPID) !== 0n ? 1 : 0),
    levels,
    truncate: c.fault === undefined ? undefined : { [c.fault]: 0 },
    image(values) {
      const segments = template.segments.map((s) => ({ ...s, bytes: s.bytes.slice() }));
      const seg = (name: string) => segments.find((s) => s.name === name)!.bytes;
      if (pidSegment) values.forEach((v, i) => write(seg(pidSegment), host, i * 4, 4, BigInt(v)));
      for (const m of members) write(seg(m.segment), host, m.offset, m.width, m.v);
      return { ...template, segments };
    },
  };
}

export function prepareCase(c: ConformanceCase, host: TargetAbi): PreparedCase {
  return c.proposal === 'clone3' ? prepareClone3(c, host) : prepareEmulated(c, host);
}
