/**
 * What the generic encoder and decoder need beyond a ProposalDecl: where each part of a request
 * travels (a register argument or a struct member), written down by a header's annotations
 * (src/header/annotations.ts). The declaration keeps what the review reads (flag words, pid
 * order, size versioning, reserved members, errors); this adds the bindings that make a request
 * expressible, and the checks in the kernel's order.
 */

/** A syscall argument, or a member of a struct (or union) by the name of the record that holds it. */
export type ValueRef = { kind: 'arg'; name: string } | { kind: 'member'; struct: string; member: string };

/** Request fields a member or argument can carry (flags and pids have their own bindings). */
export const REQUEST_ROLES = ['exit_signal', 'stack', 'stack_size', 'parent_tid', 'child_tid', 'tls', 'cgroup'] as const;
export type RequestRole = (typeof REQUEST_ROLES)[number];

export interface RoleBinding {
  at: ValueRef;
  role: RequestRole;
  /** The member is in use when this flag is set even if its value is 0 (clone3's cgroup and CLONE_INTO_CGROUP). */
  flag?: { name: string; value: bigint };
}

/**
 * Flag words, in the order their bits follow one another: the first group holds bits 0.., the
 * next continues where it ends. A `zero` group carries no bits (reserved, must be 0).
 */
export interface FlagGroup {
  at: ValueRef;
  /** A scalar argument or member; an array member; a pointer (or a u64 carrying one) to words. */
  storage: 'value' | 'array' | 'pointer';
  /** Type string of one word. */
  element: string;
  /** Bits the kernel reads of each word (legacy clone: 32 of an unsigned long). */
  usedBits?: number;
  /** A fixed number of words (a number or a constant), or a count member and its bound. */
  count: { kind: 'fixed'; words: number | string } | { kind: 'counted'; at: ValueRef; max: number };
  /** The low byte of the first word is the exit signal (CSIGNAL). */
  csignal: boolean;
  zero: boolean;
  unknown: 'rejected' | 'ignored' | 'unspecified';
}

export type PidTransport =
  /** An array of pids (order and levels in ProposalSemantics.pids) with its count. */
  | { via: 'array'; at: ValueRef; storage: 'array' | 'pointer'; count: ValueRef; element: string }
  /** Write N - 1 to /proc/sys/kernel/ns_last_pid, then call. */
  | { via: 'ns_last_pid' };

/** The checks the generic decoder performs, each with the errno it returns (in the header's order). */
export const CHECK_KINDS = [
  'size-above-max',
  'size-below-min',
  'size-not-exact',
  'tail-not-zero',
  'fault',
  'negative',
  'above-max',
  'null-mismatch',
  'above-levels',
  'not-zero',
  'unknown-flags',
  'exit-signal',
  'flag-member',
  'pid-range',
  'pid-not-1',
  'unprivileged',
  'pid-taken',
  'flags-exclusive',
  'flag-forbids',
  'stack-pair',
] as const;
export type CheckKind = (typeof CHECK_KINDS)[number];

export interface Check {
  errno: string;
  /** `text`: documented only, the generic decoder does not model it. */
  kind: CheckKind | 'text';
  refs: ValueRef[];
  /** Flag constants the check names (flags-exclusive, flag-forbids). */
  flags?: Array<{ name: string; value: bigint }>;
  when: string;
}

export interface GenericSemantics {
  roles: RoleBinding[];
  flags: FlagGroup[];
  pids?: PidTransport;
  /** Pointer arguments or members left NULL when the request puts nothing behind them. */
  nullable: ValueRef[];
  /** Arguments and members that must be 0 (members are also FieldDecl.mustBeZero). */
  zero: ValueRef[];
  checks: Check[];
  /** The #define flag constants that name known bits (for unknown-flags). */
  knownFlags: Readonly<Record<string, bigint>>;
}

export const sameRef = (a: ValueRef, b: ValueRef) =>
  a.kind === b.kind && (a.kind === 'arg' ? a.name === (b as typeof a).name : a.struct === (b as typeof a).struct && a.member === (b as typeof a).member);

export const refText = (r: ValueRef) => (r.kind === 'arg' ? r.name : `${r.struct}.${r.member}`);
