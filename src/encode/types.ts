/**
 * The user image: what a C caller of one interface would have in memory and in registers for a
 * request, on one target ABI, plus the reads the kernel side makes (the copy plan).
 * Addresses are symbolic (segment names) until the image is materialised on the host.
 */
import { InputError } from '../errors.js';
import type { TargetAbi } from '../ctype/target.js';
import type { CloneRequest } from '../request/types.js';
import type { ResolvedProposal } from '../registry.js';

/** One C object (a struct or an array) in user memory, in the target's layout and byte order. */
export interface Segment {
  name: string;
  /** Its C type, e.g. "struct pid_set" or "pid_t[4]". */
  ctype: string;
  bytes: Uint8Array;
  align: number;
}

/** Segment `segment` at `offset` holds the address of segment `to` (width bytes, target order). */
export interface Fixup {
  segment: string;
  offset: number;
  width: 4 | 8;
  to: string;
  /** The member that holds the pointer, for printing. */
  field: string;
}

export type ArgValue =
  | { kind: 'value'; value: bigint }
  | { kind: 'address'; segment: string }
  /** Something only the running process knows (a file descriptor it opened). */
  | { kind: 'symbol'; name: string };

export interface RegisterArg {
  name: string;
  type: string;
  value: ArgValue;
  /** Registers (or "stack") the argument travels in on the target. */
  locations: string[];
}

export interface SyscallCall {
  syscall: string;
  number?: number;
  args: RegisterArg[];
  why: string;
}

/**
 * One read the kernel side makes, in order. `copy` is a copy_from_user; `zero-check` is
 * copy_struct_from_user's scan of a struct tail newer than the kernel (check_zeroed_user),
 * a read but not a copy. A `write` of a string into a sysctl is a copy too.
 */
export interface CopyRead {
  segment: string;
  offset: number;
  length: number;
  kind: 'copy' | 'zero-check';
  why: string;
}

export interface UserImage {
  proposal: string;
  target: string;
  endian: 'little' | 'big';
  pointerBytes: number;
  segments: Segment[];
  fixups: Fixup[];
  /** System calls in order; the last one creates the child. */
  calls: SyscallCall[];
  plan: CopyRead[];
}

/** What an interface can carry on a target, derived from its declaration and layout. */
export interface Capacity {
  /** Flag bits below this index can be carried (bits 0-7 excepted where they are the exit signal). */
  flagBits: number;
  /** Legacy-style flags: the low byte is the exit signal, so CLONE_NEWTIME (bit 7) cannot travel. */
  lowByteIsExitSignal: boolean;
  /** Why flagBits is what it is, for the refusal message. */
  flagLimit: string;
  carries: { stackSize: boolean; tls: boolean; cgroup: boolean };
}

export interface EncodeOptions {
  /**
   * Size-versioned interfaces: make the root struct this many bytes (a zero tail beyond the
   * declared struct) and pass that size, as a program built against newer headers would.
   */
  structSize?: number;
}

export interface Encoder {
  /** The proposal id this encoder belongs to. */
  id: string;
  capacity(target: TargetAbi, rp: ResolvedProposal): Capacity;
  /**
   * Builds the image. The request has already been checked against capacity, and `pids` are
   * its chosen pids in this interface's own order (from check.ts, driven by semantics.pids).
   */
  build(req: CloneRequest, target: TargetAbi, rp: ResolvedProposal, pids: readonly number[], options: EncodeOptions): UserImage;
}

/** A request this interface cannot express; `limit` names the rule. */
export class EncodeRefusal extends InputError {
  override name = 'EncodeRefusal';
  constructor(
    readonly proposal: string,
    readonly limit: string,
    message: string,
  ) {
    super(`${proposal} cannot express this request: ${message} [limit: ${limit}]`);
  }
}
