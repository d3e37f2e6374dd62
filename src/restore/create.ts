/**
 * One create through one interface, on the running kernel: the encoded image goes into native
 * memory and through that interface's native decoder (native/decoder.c, its own checks and
 * errnos) with the live kernel state the driver reports (the caller's level, pid_max, the
 * privilege held over each level, which requested pids are taken). Then:
 * - an interface that reached the kernel (clone3, legacy clone, ns_last_pid) runs for real with
 *   its own bytes and registers; the decoder's answer is kept as a prediction to compare;
 * - one that never did is emulated: the decoder's errno is the answer, and a request it
 *   accepts is lowered to clone3 with set_tid; a pid clone3 finds taken (EEXIST) is reported
 *   with the interface's own errno for that case (semantics.pids.takenErrno).
 */
import { constants as osConstants } from 'node:os';
import type { TargetAbi } from '../ctype/target.js';
import { decodeNative } from '../decode/decode.js';
import type { KernelState } from '../decode/native.js';
import { materialise, type MaterialiseOptions } from '../encode/materialise.js';
import type { UserImage } from '../encode/types.js';
import type { ResolvedProposal } from '../registry.js';
import type { PidChoice } from '../request/types.js';
import { privilegedAt, type CallerNamespaces, type CreateResult, type RestoreDriver } from './driver.js';
import { clone3CallFromImage, lowerToClone3, type Lowered } from './lower.js';

/** Did the interface reach a kernel (so it runs as itself), or is it emulated through clone3? */
export function isEmulated(rp: ResolvedProposal): boolean {
  const status = rp.decl.semantics.status;
  return status !== 'merged' && status !== 'userspace strategy';
}

export interface Attempt {
  emulated: boolean;
  /** The native decoder's answer ('OK' or an errno name). */
  decoder: { errno: number; code: string };
  /** What ran on the kernel, in words. */
  via: string;
  lowered?: Pick<Lowered, 'setTid' | 'filled'>;
  /** The kernel state the decoder was given. */
  state: KernelState;
  result: CreateResult;
  /** An emulated interface's errno in place of the kernel's (EEXIST -> EBUSY). */
  translated?: { from: string; to: string };
}

/**
 * The kernel state for the decoder. `intended` are the pids the image means to choose, by
 * absolute level (the ones a decoder may find taken or unprivileged). pid_max is the smallest
 * of the levels' (per namespace since Linux 6.14): the decoders take one.
 */
export async function liveState(driver: RestoreDriver, ns: CallerNamespaces, rp: ResolvedProposal, intended: readonly PidChoice[]): Promise<KernelState> {
  const taken: PidChoice[] = [];
  for (const c of intended) if (c.pid > 0 && (await driver.taken(c.level, c.pid))) taken.push(c);
  return {
    callerLevel: ns.depth,
    pidMax: Math.min(...ns.levels.map((l) => l.pidMax)),
    privileged: intended.every((c) => c.pid <= 0 || privilegedAt(ns.privilege, c.level)),
    taken,
    flagWords: rp.constants.CLONE_FLAGS_WORDS ?? 1,
  };
}

/** The five register values of the image's last call (legacy clone takes no addresses here). */
function registerValues(image: UserImage): bigint[] {
  return image.calls.at(-1)!.args.map((a) => {
    if (a.value.kind !== 'value') throw new Error(`${image.proposal}: argument ${a.name} is not a plain value`);
    return a.value.value;
  });
}

export async function createThrough(
  rp: ResolvedProposal,
  image: UserImage,
  host: TargetAbi,
  driver: RestoreDriver,
  ns: CallerNamespaces,
  intended: readonly PidChoice[],
  materialiseOptions: MaterialiseOptions = {},
): Promise<Attempt> {
  const state = await liveState(driver, ns, rp, intended);
  const native = materialise(image, host, materialiseOptions);
  let decoded;
  try {
    decoded = decodeNative(native, state);
  } finally {
    native.dispose();
  }
  const decoder = { errno: decoded.errno, code: decoded.code };
  const emulated = isEmulated(rp);
  if (!emulated) return { emulated, decoder, state, ...(await runReal(image, driver)) };
  if (decoded.errno !== 0 || !decoded.request)
    return { emulated, decoder, state, via: `nothing: the ${rp.decl.id} decoder refused (emulated)`, result: { ok: false, errno: decoded.errno, code: decoded.code, step: `${rp.decl.id} decoder` } };
  const lowered = await lowerToClone3(decoded.request, host, (level) => driver.freePid(level));
  let result = await driver.clone3(clone3CallFromImage(lowered.image));
  let translated: Attempt['translated'];
  const takenErrno = rp.decl.semantics.pids?.takenErrno;
  if (!result.ok && result.code === 'EEXIST' && takenErrno && takenErrno !== 'EEXIST' && takenErrno !== 'none') {
    translated = { from: result.code, to: takenErrno };
    const errno = (osConstants.errno as Record<string, number>)[takenErrno];
    result = { ok: false, errno, code: takenErrno, step: `clone3 (emulated ${rp.decl.id}: the kernel's EEXIST)` };
  }
  return { emulated, decoder, state, via: 'clone3 set_tid (emulated)', lowered: { setTid: lowered.setTid, filled: lowered.filled }, result, translated };
}

async function runReal(image: UserImage, driver: RestoreDriver): Promise<Pick<Attempt, 'via' | 'result'>> {
  const last = image.calls.at(-1)!;
  if (last.syscall === 'clone3') return { via: 'clone3', result: await driver.clone3(clone3CallFromImage(image)) };
  const write = image.calls.find((c) => c.syscall === 'write');
  if (write) {
    const buf = write.args.find((a) => a.name === 'buf')?.value;
    const seg = buf?.kind === 'address' ? image.segments.find((s) => s.name === buf.segment) : undefined;
    if (!seg) throw new Error(`${image.proposal}: the write has no buffer segment`);
    const text = new TextDecoder().decode(seg.bytes);
    return { via: `write "${text}" to ns_last_pid, then clone`, result: await driver.lastPidClone(text, registerValues(image)) };
  }
  if (last.syscall === 'clone') return { via: 'clone', result: await driver.clone(registerValues(image)) };
  throw new Error(`${image.proposal}: no way to run a ${last.syscall} call on this kernel`);
}
