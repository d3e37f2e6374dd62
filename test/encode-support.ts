/**
 * Shared pieces of the encode tests: fast-check generators of requests each interface can
 * express, shaped by the interface's declaration (pid order from semantics.pids, capacity from
 * its encoder) rather than by its id, plus a round-trip helper. Not a test file by itself.
 */
import fc from 'fast-check';
import { encoderFor } from '../src/encode/encode.js';
import type { Capacity } from '../src/encode/types.js';
import type { TargetAbi } from '../src/ctype/target.js';
import { CLONE_FLAGS } from '../src/proposal/flags.js';
import type { ResolvedProposal } from '../src/registry.js';
import { CLONE_NEWPID, CLONE_NEWTIME, makeRequest, type CloneRequest, type PidChoice } from '../src/request/types.js';
import { DEFAULT_PID_MAX } from '../src/decode/native.js';

const U64 = (1n << 64n) - 1n;
const F = CLONE_FLAGS;
/** x86_64's TASK_SIZE_MAX: clone3 checks the stack with access_ok(). */
export const TASK_SIZE_MAX = (1n << 47n) - 4096n;

/** clone3's valid flags: everything the kernel knows except CLONE_DETACHED (and the CSIGNAL byte, bar CLONE_NEWTIME). */
const CLONE3_KNOWN = [...Object.values(F).filter((v) => v !== F.CLONE_DETACHED && v !== CLONE_NEWPID), CLONE_NEWTIME];

export interface Shape {
  cap: Capacity;
  order: NonNullable<ResolvedProposal['decl']['semantics']['pids']>['order'] | 'none';
  maxPids: number;
  /** clone3 validates flags, exit signal and the stack (clone3_args_valid); the others do not. */
  validatesArgs: boolean;
}

export function shapeOf(rp: ResolvedProposal, target: TargetAbi): Shape {
  const pids = rp.decl.semantics.pids;
  return {
    cap: encoderFor(rp.decl.id).capacity(target, rp),
    order: pids?.order ?? 'none',
    maxPids: pids?.maxPids ?? 33,
    validatesArgs: rp.decl.semantics.rejectsUnknownFlags === true,
  };
}

const pidArb = fc.integer({ min: 1, max: DEFAULT_PID_MAX - 1 });
const u64 = fc.bigInt({ min: 0n, max: U64 });

/** Flag bits an interface carries and (for clone3) the kernel accepts; CLONE_NEWPID is chosen apart. */
function flagsArb(s: Shape): fc.Arbitrary<bigint> {
  if (s.validatesArgs) return fc.subarray(CLONE3_KNOWN).map((bits) => bits.reduce((a, b) => a | b, 0n));
  const top = BigInt(s.cap.flagBits);
  // Biased toward a few high bits so multi-word encodings are exercised without huge numbers only.
  const high = top > 32n ? fc.array(fc.bigInt({ min: 32n, max: top - 1n }), { maxLength: 4 }) : fc.constant([] as bigint[]);
  return fc
    .tuple(fc.bigInt({ min: 0n, max: (1n << 32n) - 1n }), high)
    .map(([low, high]) => (low & 0xffffff00n & ~CLONE_NEWPID) | high.reduce((a, b) => a | (1n << b), 0n));
}

function pidsArb(s: Shape, depth: number, newPid: boolean): fc.Arbitrary<PidChoice[]> {
  const top = depth + (newPid ? 1 : 0);
  switch (s.order) {
    case 'none':
      return fc.constant([]);
    case 'outermost-first':
      // Any subset of the caller's levels (0 entries fill the gaps).
      return fc.array(fc.tuple(fc.boolean(), pidArb), { minLength: depth + 1, maxLength: depth + 1 }).map((xs) => xs.flatMap(([on, pid], level) => (on ? [{ level, pid }] : [])));
    case 'innermost-first':
      // A run from the child's own level outwards; a new namespace's pid can only be 1.
      return fc
        .tuple(fc.integer({ min: 0, max: Math.min(s.maxPids, top + 1) }), fc.array(pidArb, { minLength: top + 1, maxLength: top + 1 }))
        .map(([k, ps]) => Array.from({ length: k }, (_, i) => ({ level: top - k + 1 + i, pid: newPid && top - k + 1 + i === top ? 1 : ps[i] })));
    case 'active-namespace-only':
      return fc.option(pidArb, { nil: undefined }).map((pid) => (pid === undefined ? [] : [{ level: depth, pid }]));
  }
}

/** Requests the interface can express and its kernel side accepts (with a permissive state). */
export function validRequestArb(rp: ResolvedProposal, target: TargetAbi): fc.Arbitrary<CloneRequest> {
  const s = shapeOf(rp, target);
  const ptrMax = (1n << BigInt(target.types.pointer[0] * 8)) - 1n;
  const ptr = fc.bigInt({ min: 0n, max: ptrMax });
  return fc
    .record({
      depth: fc.integer({ min: 0, max: 32 }),
      newPid: fc.boolean(),
      flags: flagsArb(s),
      exit: fc.integer({ min: 0, max: s.validatesArgs ? 64 : 255 }),
      stack: ptr,
      stackSize: ptr,
      withStack: fc.boolean(),
      parentTid: ptr,
      childTid: ptr,
      tls: ptr,
      cgroup: fc.oneof(fc.constant(0n), fc.bigInt({ min: 0n, max: 0x7fffffffn }), u64),
    })
    .chain((r) => {
      const newPid = r.newPid && r.depth < 32;
      return pidsArb(s, r.depth, newPid).map((pids) => {
        let flags = r.flags | (newPid ? CLONE_NEWPID : 0n);
        let exitSignal = r.exit;
        let { stack, stackSize, cgroup } = r;
        if (s.validatesArgs) {
          if ((flags & (F.CLONE_THREAD | F.CLONE_PARENT)) !== 0n) exitSignal = 0;
          if ((flags & F.CLONE_SIGHAND) !== 0n) flags &= ~F.CLONE_CLEAR_SIGHAND;
          if ((flags & F.CLONE_INTO_CGROUP) !== 0n) cgroup &= 0x7fffffffn;
          // clone3: a stack needs its size and both must lie in user memory.
          stack = r.withStack ? (r.stack % (TASK_SIZE_MAX / 2n)) + 1n : 0n;
          stackSize = r.withStack ? (r.stackSize % (TASK_SIZE_MAX / 2n)) + 1n : 0n;
        } else {
          if (!s.cap.carries.stackSize) stackSize = 0n;
          if (stack + stackSize > ptrMax) stack = ptrMax - stackSize;
          if (!s.cap.carries.cgroup) cgroup = 0n;
        }
        return makeRequest({
          flags,
          exitSignal,
          stack,
          stackSize,
          parentTid: r.parentTid,
          childTid: r.childTid,
          tls: s.cap.carries.tls ? r.tls : 0n,
          cgroup: s.cap.carries.cgroup ? cgroup : 0n,
          depth: r.depth,
          pids,
        });
      });
    });
}

/** A request with pids at `levels` levels: the caller at depth levels - 1, every level chosen. */
export function pidsAtLevels(levels: number, first = 100): CloneRequest {
  return makeRequest({ depth: levels - 1, pids: Array.from({ length: levels }, (_, level) => ({ level, pid: first + level })) });
}

export const bigintJson = (v: unknown) => JSON.stringify(v, (_, x) => (typeof x === 'bigint' ? `0x${x.toString(16)}` : x));
