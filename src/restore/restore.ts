/**
 * `clonebench restore`: one request, in NSpid order, through one interface onto real pids, as
 * CRIU restores a process: the nested pid namespaces the caller's depth needs are built, the
 * request is encoded and decoded natively with the live kernel state, created (for real, or
 * emulated through clone3), and the child's NSpid is read back against the request.
 */
import { constants as osConstants } from 'node:os';
import type { TargetAbi } from '../ctype/target.js';
import { encode } from '../encode/encode.js';
import type { UserImage } from '../encode/types.js';
import { UsageError } from '../errors.js';
import { describeErrno } from '../native/errno.js';
import { CLONE_FLAGS } from '../proposal/flags.js';
import type { ResolvedProposal } from '../registry.js';
import { formatFlags } from '../request/parse.js';
import { childLevel, nspidOf, type CloneRequest } from '../request/types.js';
import { createThrough, isEmulated, type Attempt } from './create.js';
import type { Privilege, RestoreDriver } from './driver.js';

/**
 * Flags restore does not take, and why: it creates a process of its own kind (fork-like, no
 * stack, no tid or TLS pointers, no cgroup fd) whose NSpid it reads through a pidfd.
 */
export const REFUSED_FLAGS: Readonly<Record<string, string>> = {
  CLONE_VM: 'the child would share the caller\'s memory; restore creates a separate process',
  CLONE_SIGHAND: 'it needs CLONE_VM, which restore does not take',
  CLONE_THREAD: 'restore creates a process, not a thread',
  CLONE_PARENT: 'the child would be the caller\'s sibling, which the caller cannot reap',
  CLONE_SETTLS: 'restore takes no TLS value',
  CLONE_PARENT_SETTID: 'restore takes no tid pointers',
  CLONE_CHILD_SETTID: 'restore takes no tid pointers',
  CLONE_CHILD_CLEARTID: 'restore takes no tid pointers',
  CLONE_PIDFD: 'restore opens its own pidfd on the child',
  CLONE_INTO_CGROUP: 'restore takes no cgroup fd',
};

export function checkRestorable(req: CloneRequest): void {
  for (const [name, why] of Object.entries(REFUSED_FLAGS))
    if ((req.flags & CLONE_FLAGS[name]) !== 0n) throw new UsageError(`restore does not take ${name}: ${why}`);
}

export interface RestoreOutcome {
  proposal: string;
  /** NSpid order (outermost first), 0 = automatic. */
  requested: number[];
  /** The child's NSpid as read back, outermost first; null if no child was made. */
  nspid: number[] | null;
  emulated: boolean;
  match: boolean;
  depth: number;
  childLevel: number;
  flags: string;
  exitSignal: number;
  privilege: Privilege | null;
  /** The processes holding the namespaces (the level-0 member, then each level's init), as our pid namespace sees them. */
  namespaceHolders: number[];
  image: UserImage;
  attempt?: Attempt;
  error?: { code: string; errno: number; step: string; message: string };
}

/** Encodes the request (a refusal throws, exit 2) before anything is created. */
export function prepareRestore(rp: ResolvedProposal, req: CloneRequest, host: TargetAbi): UserImage {
  checkRestorable(req);
  return encode(req, host, rp);
}

/** What the interface documents for this errno, or what the errno means. */
function errnoText(rp: ResolvedProposal, code: string): string {
  const own = rp.decl.semantics.errors.filter((e) => e.errno === code).map((e) => e.when);
  if (own.length) return own.join('; or ');
  const errno = osConstants.errno[code as keyof typeof osConstants.errno];
  return errno ? describeErrno(errno).meaning : code;
}

export async function restore(rp: ResolvedProposal, req: CloneRequest, image: UserImage, host: TargetAbi, driver: RestoreDriver): Promise<RestoreOutcome> {
  const base = {
    proposal: rp.decl.id,
    requested: nspidOf(req),
    nspid: null,
    emulated: isEmulated(rp),
    match: false,
    depth: req.depth,
    childLevel: childLevel(req),
    flags: formatFlags(req.flags),
    exitSignal: req.exitSignal,
    image,
  };
  const setup = await driver.namespaces(req.depth);
  if (!setup.ok)
    return {
      ...base,
      privilege: null,
      namespaceHolders: [],
      error: { code: setup.code, errno: setup.errno, step: setup.step, message: `cannot build the caller's ${req.depth} pid namespace(s): ${setup.step} failed with ${setup.code} as uid ${driver.runsAs.uid} (${describeErrno(setup.errno).meaning})` },
    };
  const ns = setup.ns;
  let outcome: RestoreOutcome | undefined;
  try {
    const attempt = await createThrough(rp, image, host, driver, ns, req.pids);
    outcome = judged(rp, { ...base, privilege: ns.privilege, namespaceHolders: ns.levels.map((l) => l.pid), attempt }, attempt);
    return outcome;
  } finally {
    // Tear down; a failure here matters only if nothing failed before it.
    await driver.end().catch((err: unknown) => {
      if (outcome) throw err;
    });
  }
}

/** The kernel's (or the emulation's) answer, and the child's NSpid against the request. */
function judged(rp: ResolvedProposal, out: RestoreOutcome, attempt: Attempt): RestoreOutcome {
  const r = attempt.result;
  if (!r.ok) return { ...out, error: { code: r.code, errno: r.errno, step: r.step, message: `${r.step} answered ${r.code}: ${errnoText(rp, r.code)}` } };
  const match = r.nspid.length === out.requested.length && out.requested.every((p, i) => p === 0 || p === r.nspid[i]);
  if (match) return { ...out, nspid: r.nspid, match };
  const why = r.nspid.length === 0 ? 'its NSpid could not be read' : `its NSpid is [${r.nspid.join(' ')}], not [${out.requested.join(' ')}] (0 = any)`;
  const race = rp.decl.semantics.pids?.takenErrno === 'none' ? ` (${rp.decl.id} gives the next free pid when the one asked for is taken)` : '';
  return { ...out, nspid: r.nspid, match, error: { code: 'MISMATCH', errno: 0, step: attempt.via, message: `the child was created but ${why}${race}` } };
}
