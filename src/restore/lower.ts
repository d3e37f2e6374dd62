/**
 * Lowering: a request decoded from an interface that never reached the kernel, re-expressed as
 * clone3 with set_tid, which is what runs. set_tid lists pids innermost first with no gaps and
 * no "automatic" entry, so a level the interface left to the kernel inside the chosen range
 * gets a pid the driver knows to be free there, and the level of a pid namespace created by
 * the same call gets 1 (its first process is its init). Then the clone3 encoder lays it out.
 */
import type { TargetAbi } from '../ctype/target.js';
import { encode } from '../encode/encode.js';
import type { UserImage } from '../encode/types.js';
import { InputError } from '../errors.js';
import { proposalById, resolveProposal } from '../registry.js';
import { childLevel, makeRequest, type CloneRequest, type PidChoice } from '../request/types.js';
import type { Clone3Call } from './driver.js';

export class LoweringError extends InputError {
  override name = 'LoweringError';
}

export interface Lowered {
  /** The clone3 request that runs; its pids are set_tid's levels. */
  request: CloneRequest;
  /** set_tid, innermost first. */
  setTid: number[];
  /** Levels the interface left automatic between chosen ones, and the free pid put there. */
  filled: PidChoice[];
  image: UserImage;
}

const U64_BITS = 64n;

export async function lowerToClone3(req: CloneRequest, host: TargetAbi, freePid: (level: number) => Promise<number>): Promise<Lowered> {
  if (req.flags >> U64_BITS !== 0n)
    throw new LoweringError(`flag bit ${req.flags.toString(2).length - 1} has no clone3 equivalent (clone_args.flags is one u64)`);
  if ((req.stack === 0n) !== (req.stackSize === 0n))
    throw new LoweringError('a stack pointer without a stack size has no clone3 equivalent (clone3 takes the lowest address and the size)');
  const top = childLevel(req);
  const byLevel = new Map(req.pids.map((p) => [p.level, p.pid]));
  const pids: PidChoice[] = [];
  const filled: PidChoice[] = [];
  if (req.pids.length > 0) {
    for (let level = req.pids[0].level; level <= top; level++) {
      let pid = byLevel.get(level);
      if (pid === undefined) {
        if (level > req.depth) pid = 1;
        else {
          pid = await freePid(level);
          filled.push({ level, pid });
        }
      }
      pids.push({ level, pid });
    }
  }
  const request = makeRequest({ ...req, pids });
  const image = encode(request, host, resolveProposal(proposalById('clone3')));
  return { request, setTid: pids.map((p) => p.pid).reverse(), filled, image };
}

/**
 * The bytes of a clone3 image for the driver: the struct's first 88 bytes, any non-zero bytes
 * beyond, the size argument, and the set_tid array the struct points to (innermost first).
 */
export function clone3CallFromImage(image: UserImage): Clone3Call {
  const call = image.calls.at(-1);
  const uargs = call?.args.find((a) => a.name === 'uargs')?.value;
  const size = call?.args.find((a) => a.name === 'size')?.value;
  if (call?.syscall !== 'clone3' || uargs?.kind !== 'address' || size?.kind !== 'value') throw new Error(`${image.proposal}: not a clone3 image`);
  const struct = image.segments.find((s) => s.name === uargs.segment)!;
  const head = new Uint8Array(88);
  head.set(struct.bytes.subarray(0, 88));
  const tail: Array<[number, number]> = [];
  for (let i = 88; i < struct.bytes.length; i++) if (struct.bytes[i] !== 0) tail.push([i, struct.bytes[i]]);
  const setTidFix = image.fixups.find((f) => f.segment === struct.name && f.field === 'set_tid');
  let setTid: number[] | null = null;
  if (setTidFix) {
    const seg = image.segments.find((s) => s.name === setTidFix.to)!;
    const view = new DataView(seg.bytes.buffer, seg.bytes.byteOffset, seg.bytes.length);
    setTid = Array.from({ length: seg.bytes.length / 4 }, (_, i) => view.getInt32(i * 4, image.endian === 'little'));
  }
  return { size: size.value, head, setTid, tail };
}
