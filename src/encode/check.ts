/**
 * What an interface can express, checked before any byte is written: flag capacity, the
 * members it has (TLS, stack size, cgroup), pointer width, and which pid-namespace levels its
 * pid order can address. The pid rules come from the declaration's `semantics.pids`, so a new
 * proposal with an existing ordering convention needs no new code here.
 */
import type { TargetAbi } from '../ctype/target.js';
import type { PidSemantics } from '../proposal/types.js';
import { CLONE_NEWTIME, childLevel, createsPidNamespace, type CloneRequest } from '../request/types.js';
import { EncodeRefusal, type Capacity } from './types.js';

const highestBit = (v: bigint): number => v.toString(2).length - 1;

export function checkCapacity(req: CloneRequest, target: TargetAbi, cap: Capacity, id: string): void {
  if (cap.lowByteIsExitSignal && (req.flags & CLONE_NEWTIME) !== 0n)
    throw new EncodeRefusal(id, 'CSIGNAL', 'CLONE_NEWTIME is bit 7, inside the exit-signal byte (CSIGNAL) of legacy-style flags');
  if (req.flags >> BigInt(cap.flagBits) !== 0n)
    throw new EncodeRefusal(id, cap.flagLimit, `flag bit ${highestBit(req.flags)} is beyond the ${cap.flagBits} flag bits it carries on ${target.id}`);
  const members: Array<[keyof Capacity['carries'], bigint, string]> = [
    ['stackSize', req.stackSize, 'a stack size (it takes a stack pointer; give the pointer with stack size 0)'],
    ['tls', req.tls, 'a TLS value'],
    ['cgroup', req.cgroup, 'a cgroup fd (CLONE_INTO_CGROUP)'],
  ];
  for (const [member, value, what] of members)
    if (value !== 0n && !cap.carries[member]) throw new EncodeRefusal(id, `no ${member} argument`, `it has no place for ${what}`);
  const pointerBits = BigInt(target.types.pointer[0] * 8);
  const addresses: Array<[string, bigint]> = [
    ['stack', req.stack + req.stackSize],
    ['parent_tid', req.parentTid],
    ['child_tid', req.childTid],
    ['tls', req.tls],
  ];
  for (const [name, v] of addresses)
    if (v >> pointerBits !== 0n) throw new EncodeRefusal(id, `${pointerBits}-bit pointers`, `${name} 0x${v.toString(16)} is not a ${target.id} user address`);
}

/**
 * The pids in the interface's own order, or a refusal naming the rule:
 * - outermost-first (clone_with_pids, eclone): pids[0] is the outermost level given, the last
 *   entry the caller's own level; 0 entries mean "kernel picks"; the caller's levels only;
 * - innermost-first (clone3 set_tid): set_tid[0] is the child's own level, then outwards, with
 *   no gaps (no "automatic" entry); the child's levels, so the new namespace's pid included;
 * - active-namespace-only (ns_last_pid): the writer's active namespace, one level.
 */
export function pidEntries(req: CloneRequest, pids: PidSemantics | undefined, id: string): number[] {
  if (req.pids.length === 0) return [];
  if (!pids || pids.order === 'none') throw new EncodeRefusal(id, 'no pid argument', 'it cannot choose pids');
  const byLevel = new Map(req.pids.map((p) => [p.level, p.pid]));
  const top = childLevel(req);
  const entries = ORDERS[pids.order](req, byLevel, top, id);
  if (pids.maxPids !== undefined && entries.length > pids.maxPids)
    throw new EncodeRefusal(id, `at most ${pids.maxPids} pid(s)`, `${entries.length} entries would be needed`);
  return entries;
}

type Order = (req: CloneRequest, byLevel: Map<number, number>, top: number, id: string) => number[];

const ORDERS: Record<Exclude<PidSemantics['order'], 'none'>, Order> = {
  'outermost-first': (req, byLevel, top, id) => {
    if (createsPidNamespace(req) && byLevel.has(top))
      throw new EncodeRefusal(id, "pids count the caller's levels", `the pid inside the pid namespace created by the same call (level ${top}) cannot be chosen; it is 1`);
    const outermost = req.pids[0].level;
    // Right-aligned onto the caller's levels: the last entry is always the caller's own level.
    return Array.from({ length: req.depth - outermost + 1 }, (_, i) => byLevel.get(outermost + i) ?? 0);
  },
  'innermost-first': (req, byLevel, top, id) => {
    const count = top - req.pids[0].level + 1;
    const entries = Array.from({ length: count }, (_, i) => byLevel.get(top - i) ?? 0);
    const gap = entries.indexOf(0);
    if (gap >= 0)
      throw new EncodeRefusal(id, 'set_tid covers the innermost levels without gaps', `level ${top - gap} would be left automatic while an outer level (${req.pids[0].level}) is chosen; set_tid[0] is the child's own level${createsPidNamespace(req) ? ' (pid 1 in the new namespace)' : ''}`);
    return entries;
  },
  'active-namespace-only': (req, byLevel, top, id) => {
    const other = req.pids.find((p) => p.level !== req.depth);
    if (other)
      throw new EncodeRefusal(id, "the writer's active pid namespace only", `level ${other.level} is not the caller's active namespace (level ${req.depth}); each level needs a helper process inside it${other.level === top && top > req.depth ? ', and a namespace created by the call has no ns_last_pid yet' : ''}`);
    return [byLevel.get(req.depth)!];
  },
};
