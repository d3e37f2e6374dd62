/**
 * The requests the requirements are probed with. Addresses fit 32-bit pointers, so one request
 * serves every ABI; their values only have to differ from 0 (a carried value changes the image).
 */
import type { Capacity } from '../../encode/types.js';
import { MAX_PID_NS_LEVEL } from '../../proposal/flags.js';
import { CLONE_NEWPID, EMPTY_REQUEST, makeRequest, type CloneRequest, type PidChoice } from '../../request/types.js';

export const ADDR = {
  /** A stack pointer (clone()'s form). */
  stackPointer: 0x7fff0000n,
  /** A stack area: lowest address and size (clone3's and eclone's form). */
  stackLow: 0x7ffe0000n,
  stackSize: 0x10000n,
  parentTid: 0x10000010n,
  childTid: 0x10000020n,
  tls: 0x10000030n,
};

/** clone()'s flag bits: 8-31 (the low byte is the exit signal). */
export const LEGACY_FLAGS = 0xffffff00n;
/** Any signal number: the probe only asks whether it travels. */
export const EXIT_SIGNAL = 17;
export const EMPTY = EMPTY_REQUEST;

/** The stack in the form this interface takes it (a pointer, or an area where it carries a size). */
export const stackParts = (cap: Capacity): Partial<CloneRequest> =>
  cap.carries.stackSize ? { stack: ADDR.stackLow, stackSize: ADDR.stackSize } : { stack: ADDR.stackPointer };

/** A pid chosen at each of `levels` (absolute namespace levels). */
export const pidsAt = (levels: readonly number[], first = 300): PidChoice[] => levels.map((level) => ({ level, pid: first + level }));
export const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** The caller at depth 3: its own level, and every level from the root to its own. */
export const DEPTH = 3;
export const atDepth = (depth = DEPTH, flags = 0n) => makeRequest({ depth, flags });
/** The deepest nesting: a caller at MAX_PID_NS_LEVEL is visible in 33 pid namespaces. */
export const DEEPEST = MAX_PID_NS_LEVEL;
/** With CLONE_NEWPID the child is at DEPTH + 1, where its pid can only be 1. */
export const newNamespace = () => makeRequest({ depth: DEPTH, flags: CLONE_NEWPID });
export const newNamespacePids = () => [...pidsAt(range(0, DEPTH)), { level: DEPTH + 1, pid: 1 }];

/**
 * The fullest request the interface can take on an ABI: every part it carries, its highest flag,
 * and pids at every level when its pid order allows (else at the caller's own level only).
 */
export function fullRequests(cap: Capacity): CloneRequest[] {
  const top = cap.flagBits > 32 ? 1n << BigInt(cap.flagBits - 1) : 0n;
  const base = {
    flags: (1n << 8n) | top,
    exitSignal: EXIT_SIGNAL,
    ...stackParts(cap),
    parentTid: ADDR.parentTid,
    childTid: ADDR.childTid,
    tls: cap.carries.tls ? ADDR.tls : 0n,
    cgroup: cap.carries.cgroup ? 3n : 0n,
    depth: DEPTH,
  };
  return [makeRequest({ ...base, pids: pidsAt(range(0, DEPTH)) }), makeRequest({ ...base, pids: pidsAt([DEPTH]) }), makeRequest(base)];
}
