/**
 * What a proposal (one clone interface) declares: its syscall signature, its structs in the
 * C type model, and its documented semantics. Pure data, one file per proposal in
 * abi/proposals/; the review rules and the encoders read these facts rather than
 * hard-coding anything about a particular interface.
 */
import type { StructDecl } from '../ctype/model.js';

export interface SyscallArg {
  name: string;
  /** A type string of the C type model ("struct pid_set *", "unsigned long"). */
  type: string;
  doc?: string;
}

export interface SyscallDecl {
  name: string;
  args: SyscallArg[];
  /** Legacy clone: the position of ptid/ctid/tls depends on the target (TargetAbi.cloneArgOrder). */
  targetOrdered?: boolean;
  returns: string;
  /** Syscall numbers where known, by target id. */
  numbers?: Readonly<Record<string, number>>;
}

/**
 * Which way an interface lists the pids of a child that is visible in several namespaces:
 * - `outermost-first`: pids[0] is the outermost level addressed, the last one the caller's own
 *   (clone_with_pids, eclone); a short array covers the innermost levels;
 * - `innermost-first`: set_tid[0] is the child's own (innermost) namespace (clone3);
 * - `active-namespace-only`: one level, the writer's active namespace (ns_last_pid).
 */
export type PidOrder = 'none' | 'outermost-first' | 'innermost-first' | 'active-namespace-only';

export interface PidSemantics {
  order: PidOrder;
  /**
   * Whose levels the pids count: the caller's (the pid inside a namespace created by the same
   * call cannot be chosen) or the child's (the new namespace's pid, which must be 1, can be).
   */
  levelsOf: 'caller' | 'child';
  /** Most pids one call can carry; undefined when bounded only by the nesting depth. */
  maxPids?: number;
  /** What a 0 entry means, if allowed. */
  zeroEntry?: string;
  /** errno for a pid that is already taken; `none`: the call succeeds with another pid (a race the caller must detect). */
  takenErrno: 'EBUSY' | 'EEXIST' | 'none';
}

/** Where flag bits travel: a register argument or words in user memory. */
export interface FlagWords {
  where: 'register' | 'memory';
  /** The argument or struct field holding them. */
  name: string;
  /** C type of one word. */
  type: string;
  /** How many words (a number or a constant of the proposal). */
  count: number | string;
  /** Bits of the first word that are not flags (legacy clone: the low 8 bits are the exit signal). */
  reservedLowBits?: number;
  /** Bits the kernel looks at in each word (legacy clone: only the low 32 bits of flags). */
  usedBitsPerWord?: number;
  /**
   * The first word of this set the kernel reads from here; the words before it travel elsewhere
   * (the RFC's register trick passes word 0 of clone_flags_t by value). Default 0.
   */
  firstWord?: number;
  /**
   * What the kernel does with bits of these words it does not know (SC-04), when it differs
   * between words of one interface; defaults to ProposalSemantics.rejectsUnknownFlags.
   */
  unknownBits?: 'rejected' | 'ignored' | 'unspecified';
}

/**
 * A user array the kernel reads through a pointer, and what counts its elements. References are
 * a syscall argument name ("pids") or "struct.field" ("pid_set.num_pids"). The count must be
 * range-checked and consistent with the pointer (SC-10).
 */
export interface CountedArray {
  pointer: string;
  count: string;
  /** Element type, for the copy size (count * sizeof). */
  element: string;
}

export interface SizeVersioning {
  /** The syscall argument that carries the size. */
  sizeArg: string;
  struct: string;
  /** `copy-struct-from-user`: older sizes zero-filled, newer sizes need a zero tail; `exact`: only sizeof is accepted. */
  rule: 'copy-struct-from-user' | 'exact';
  versions: ReadonlyArray<{ name: string; size: number }>;
  /** Upper bound on the size argument (E2BIG above it). */
  maxSize?: 'PAGE_SIZE';
}

export interface ProposalSemantics {
  status: 'merged' | 'posted, never merged' | 'RFC' | 'userspace strategy';
  /** Kernel release or posting date. */
  when: string;
  flags: FlagWords[];
  /** Does the kernel reject flag bits it does not know (SC-04)? */
  rejectsUnknownFlags: boolean | 'partly';
  rejectsUnknownFlagsNote?: string;
  pids?: PidSemantics;
  sizeVersioning?: SizeVersioning;
  /** Kernel copy_from_user calls for an empty request and for one with pids (and new flags). */
  copies: { empty: number; full: number; note?: string };
  /** errno values and when each is returned, in the kernel's check order. */
  errors: ReadonlyArray<{ errno: string; when: string }>;
  /** Who may choose pids. */
  privilege?: string;
  /** User arrays reached through pointers and their element counts (SC-10). */
  arrays?: ReadonlyArray<CountedArray>;
  /** Advisory facts for the review notes (SC-01, SC-11..15, SC-26..28), when the design says something. */
  advisory?: Partial<Record<'SC-01' | 'SC-11' | 'SC-12' | 'SC-13' | 'SC-14' | 'SC-15' | 'SC-26' | 'SC-27' | 'SC-28', string>>;
}

export interface ProposalDecl {
  id: string;
  title: string;
  summary: string;
  source: string;
  /** Named constants used in type strings; `parameters` lists the ones a user may override. */
  constants?: Readonly<Record<string, number>>;
  parameters?: Readonly<Record<string, { doc: string; min: number; max: number }>>;
  structs: StructDecl[];
  /** The struct the syscall's pointer argument designates, if any. */
  rootStruct?: string;
  syscall: SyscallDecl;
  semantics: ProposalSemantics;
}
