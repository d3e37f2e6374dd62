/**
 * The request every clone interface must carry, in no interface's convention: flags as a
 * bigint with the exit signal apart, the stack as kernel_clone_args holds it, and chosen pids
 * keyed by absolute pid-namespace level (0 = the root namespace). Encoders translate this into
 * their own order (outermost first, innermost first, one level only); decoders translate back.
 */
import { InputError } from '../errors.js';
import { CLONE_FLAGS, CSIGNAL, MAX_PID_NS_LEVEL } from '../proposal/flags.js';

/** A pid chosen for the child in the namespace at `level` (0 = root). */
export interface PidChoice {
  level: number;
  pid: number;
}

export interface CloneRequest {
  /**
   * Clone flag bits. The CSIGNAL byte is the exit signal's in legacy flags, so bits 0-6 are never
   * flags; bit 7 is CLONE_NEWTIME, which only clone3 can carry (since 6.3). Bits above 31 are
   * clone3's CLONE_CLEAR_SIGHAND/CLONE_INTO_CGROUP or hypothetical new flags (capacity tests).
   */
  flags: bigint;
  /** Signal sent to the parent when the child exits (0 = none). */
  exitSignal: number;
  /**
   * As kernel_clone_args: with stackSize 0, `stack` is the child's stack pointer (legacy clone);
   * with stackSize > 0, `stack` is the lowest address of a stackSize-byte stack (clone3).
   */
  stack: bigint;
  stackSize: bigint;
  parentTid: bigint;
  childTid: bigint;
  tls: bigint;
  /** A cgroup directory fd for CLONE_INTO_CGROUP (clone3 only). */
  cgroup: bigint;
  /** The caller's pid-namespace level (0 = root). */
  depth: number;
  /** Chosen pids by absolute level, ascending, each level at most once; unlisted levels are automatic. */
  pids: readonly PidChoice[];
}

export const CLONE_NEWTIME = 0x80n;
export const CLONE_NEWPID = CLONE_FLAGS.CLONE_NEWPID;
/** The decoder's out-struct holds 64 words of 64 bits; requests stay within it. */
export const MAX_FLAG_BITS = 4096;
/** pid_t is a 32-bit int on every Linux ABI. */
export const PID_T_MAX = 0x7fffffff;

export const EMPTY_REQUEST: CloneRequest = Object.freeze({
  flags: 0n,
  exitSignal: 0,
  stack: 0n,
  stackSize: 0n,
  parentTid: 0n,
  childTid: 0n,
  tls: 0n,
  cgroup: 0n,
  depth: 0,
  pids: Object.freeze([]) as readonly PidChoice[],
});

export function makeRequest(parts: Partial<CloneRequest> = {}): CloneRequest {
  const req = { ...EMPTY_REQUEST, ...parts, pids: [...(parts.pids ?? [])].sort((a, b) => a.level - b.level) };
  validateRequest(req);
  return req;
}

export const createsPidNamespace = (req: Pick<CloneRequest, 'flags'>) => (req.flags & CLONE_NEWPID) !== 0n;

/** The child's own level: one below the caller's when the call creates a pid namespace. */
export const childLevel = (req: Pick<CloneRequest, 'flags' | 'depth'>) => req.depth + (createsPidNamespace(req) ? 1 : 0);

const U64 = (1n << 64n) - 1n;

/** Checks what holds for every interface; what one interface cannot carry is its encoder's business. */
export function validateRequest(req: CloneRequest): void {
  const bad = (msg: string): never => {
    throw new InputError(`request: ${msg}`);
  };
  if (typeof req.flags !== 'bigint' || req.flags < 0n) bad('flags must be a non-negative bigint');
  if (req.flags >> BigInt(MAX_FLAG_BITS) !== 0n) bad(`flags above bit ${MAX_FLAG_BITS - 1} are beyond any interface modelled here`);
  if ((req.flags & CSIGNAL & ~CLONE_NEWTIME) !== 0n) bad('flag bits 0-6 belong to the exit signal (CSIGNAL); give the signal as exitSignal');
  if (!Number.isInteger(req.exitSignal) || req.exitSignal < 0 || req.exitSignal > 0xff) bad(`exit signal ${req.exitSignal} is outside 0..255 (CSIGNAL)`);
  for (const [name, v] of [['stack', req.stack], ['stackSize', req.stackSize], ['parentTid', req.parentTid], ['childTid', req.childTid], ['tls', req.tls], ['cgroup', req.cgroup]] as const) {
    if (typeof v !== 'bigint' || v < 0n || v > U64) bad(`${name} must be a bigint in [0, 2^64)`);
  }
  if (!Number.isInteger(req.depth) || req.depth < 0 || req.depth > MAX_PID_NS_LEVEL) bad(`depth ${req.depth} is outside 0..${MAX_PID_NS_LEVEL} (MAX_PID_NS_LEVEL)`);
  const top = childLevel(req);
  if (top > MAX_PID_NS_LEVEL) bad(`CLONE_NEWPID at depth ${req.depth} would nest below MAX_PID_NS_LEVEL (${MAX_PID_NS_LEVEL}); the kernel says ENOSPC (create_pid_namespace)`);
  let last = -1;
  for (const { level, pid } of req.pids) {
    if (!Number.isInteger(level) || level < 0 || level > top) bad(`pid level ${level} is outside the child's levels 0..${top}`);
    if (level <= last) bad(`pid levels must be ascending and distinct (level ${level} after ${last})`);
    if (!Number.isInteger(pid) || pid < 1 || pid > PID_T_MAX) bad(`pid ${pid} at level ${level} must be in 1..${PID_T_MAX} (pid_t)`);
    last = level;
  }
}

/** The pids as NSpid in /proc/PID/status would list them: outermost first, 0 where automatic. */
export function nspidOf(req: CloneRequest): number[] {
  const out = new Array<number>(childLevel(req) + 1).fill(0);
  for (const { level, pid } of req.pids) out[level] = pid;
  return out;
}

/** A readable, JSON-safe copy (bigints as hex strings). */
export function requestJson(req: CloneRequest): Record<string, unknown> {
  const hex = (v: bigint) => `0x${v.toString(16)}`;
  return {
    flags: hex(req.flags),
    exitSignal: req.exitSignal,
    stack: hex(req.stack),
    stackSize: hex(req.stackSize),
    parentTid: hex(req.parentTid),
    childTid: hex(req.childTid),
    tls: hex(req.tls),
    cgroup: hex(req.cgroup),
    depth: req.depth,
    childLevel: childLevel(req),
    pids: req.pids.map((p) => ({ ...p })),
  };
}
