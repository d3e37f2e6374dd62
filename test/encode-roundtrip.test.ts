/**
 * Property tests: random requests through encoder -> native memory -> C decoder.
 * Valid requests must come back identical, with the decoder's reads equal to the copy plan;
 * invalid ones must be refused by the encoder (naming the limit) or get the documented errno.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { stateFor, decodeNative, planReads } from '../src/decode/decode.js';
import { DEFAULT_PID_MAX, type KernelState } from '../src/decode/native.js';
import { encode } from '../src/encode/encode.js';
import { withNative } from '../src/encode/materialise.js';
import { EncodeRefusal } from '../src/encode/types.js';
import { CLONE_FLAGS } from '../src/proposal/flags.js';
import { hostTarget, resolveProposal, type ResolvedProposal } from '../src/registry.js';
import { PROPOSALS } from '../abi/proposals/index.js';
import { CLONE_NEWPID, CLONE_NEWTIME, PID_T_MAX, makeRequest, type CloneRequest } from '../src/request/types.js';
import { TASK_SIZE_MAX, bigintJson, shapeOf, validRequestArb, type Shape } from './encode-support.js';

const host = hostTarget();
const F = CLONE_FLAGS;

function roundTrip(rp: ResolvedProposal, req: CloneRequest, state: KernelState) {
  return withNative(encode(req, host, rp), host, (n) => ({ ...decodeNative(n, state), plan: planReads(n) }));
}

describe('valid requests round-trip through the C decoders', () => {
  for (const decl of PROPOSALS) {
    const rp = resolveProposal(decl);
    it(`${decl.id}: 1500 random requests decode to the same request, reads in plan order`, () => {
      // Unrelated taken pids (never the chosen ones) exercise the "free pid" check.
      const taken = fc.array(fc.record({ level: fc.integer({ min: 0, max: 32 }), pid: fc.integer({ min: 1, max: 1000 }) }), { maxLength: 6 });
      fc.assert(
        fc.property(validRequestArb(rp, host), taken, (req, t) => {
          const clash = (x: { level: number; pid: number }) => req.pids.some((p) => p.level === x.level && (p.pid === x.pid || p.pid + 1 === x.pid));
          const state = stateFor(req, rp, { taken: t.filter((x) => !clash(x)) });
          const r = roundTrip(rp, req, state);
          assert.equal(r.code, 'OK', `errno ${r.code} for ${bigintJson(req)}`);
          assert.deepEqual(r.request, req);
          assert.deepEqual(r.reads, r.plan);
        }),
        { numRuns: 1500 },
      );
    });
  }
});

type Expect = { refused: string | RegExp } | { errno: string } | { pidDiffers: true };
interface Fault {
  name: string;
  applies(s: Shape, rp: ResolvedProposal): boolean;
  /** From a valid request and a random number, the faulty request and state. */
  make(req: CloneRequest, x: number, s: Shape, rp: ResolvedProposal): { req: CloneRequest; state?: Partial<KernelState> };
  expect(s: Shape, rp: ResolvedProposal): Expect;
}

const hasPids = (s: Shape) => s.order !== 'none';
/** One pid at the caller's own level: every pid order can address it. */
const onePid = (req: CloneRequest, pid: number) => makeRequest({ ...req, flags: req.flags & ~CLONE_NEWPID, pids: [{ level: req.depth, pid }] });
const clone3Only = (s: Shape) => s.validatesArgs;
const with3 = (req: CloneRequest, parts: Partial<CloneRequest>) => makeRequest({ ...req, ...parts });

const FAULTS: Fault[] = [
  {
    name: 'a flag bit beyond the capacity',
    applies: (s) => s.cap.flagBits < 4096,
    make: (req, x, s) => ({ req: with3(req, { flags: req.flags | (1n << BigInt(s.cap.flagBits + (x % (4096 - s.cap.flagBits)))) }) }),
    expect: (s) => ({ refused: s.cap.flagLimit }),
  },
  {
    name: 'CLONE_NEWTIME inside the exit-signal byte',
    applies: (s) => s.cap.lowByteIsExitSignal,
    make: (req) => ({ req: with3(req, { flags: req.flags | CLONE_NEWTIME }) }),
    expect: () => ({ refused: 'CSIGNAL' }),
  },
  { name: 'a TLS value', applies: (s) => !s.cap.carries.tls, make: (req, x) => ({ req: with3(req, { tls: BigInt(x) + 1n }) }), expect: () => ({ refused: 'no tls argument' }) },
  { name: 'a stack size', applies: (s) => !s.cap.carries.stackSize, make: (req, x) => ({ req: with3(req, { stackSize: BigInt(x) + 1n }) }), expect: () => ({ refused: 'no stackSize argument' }) },
  { name: 'a pid at all', applies: (s) => !hasPids(s), make: (req, x) => ({ req: onePid(req, 1 + (x % 1000)) }), expect: () => ({ refused: 'no pid argument' }) },
  {
    name: 'the pid inside the namespace the call creates',
    applies: (s) => s.order === 'outermost-first',
    make: (req) => {
      const depth = Math.min(req.depth, 31);
      return { req: makeRequest({ ...req, depth, flags: req.flags | CLONE_NEWPID, pids: [{ level: depth + 1, pid: 1 }] }) };
    },
    expect: () => ({ refused: "pids count the caller's levels" }),
  },
  {
    name: 'an outer set_tid level with the inner one automatic',
    applies: (s) => s.order === 'innermost-first',
    make: (req, x) => ({ req: makeRequest({ ...req, depth: Math.max(1, Math.min(req.depth, 31)), pids: [{ level: 0, pid: 1 + (x % 1000) }] }) }),
    expect: () => ({ refused: 'set_tid covers the innermost levels without gaps' }),
  },
  {
    name: 'a pid outside the active namespace',
    applies: (s) => s.order === 'active-namespace-only',
    make: (req, x) => ({ req: makeRequest({ ...req, depth: Math.max(1, Math.min(req.depth, 31)), pids: [{ level: 0, pid: 1 + (x % 1000) }] }) }),
    expect: () => ({ refused: "the writer's active pid namespace only" }),
  },
  {
    name: 'a pid >= pid_max',
    applies: hasPids,
    make: (req, x) => ({ req: onePid(req, DEFAULT_PID_MAX + 1 + (x % (PID_T_MAX - DEFAULT_PID_MAX - 1))) }),
    expect: () => ({ errno: 'EINVAL' }),
  },
  {
    name: 'a pid already taken',
    applies: hasPids,
    make: (req, x) => {
      const r = onePid(req, 1 + (x % (DEFAULT_PID_MAX - 2)));
      return { req: r, state: { taken: [{ level: r.depth, pid: r.pids[0].pid }] } };
    },
    // ns_last_pid has no errno for it: the clone succeeds with another pid (the race).
    expect: (_s, rp) => (rp.decl.semantics.pids!.takenErrno === 'none' ? { pidDiffers: true } : { errno: rp.decl.semantics.pids!.takenErrno }),
  },
  { name: 'pids without privilege', applies: hasPids, make: (req, x) => ({ req: onePid(req, 1 + (x % 1000)), state: { privileged: false } }), expect: () => ({ errno: 'EPERM' }) },
  { name: 'an exit signal above _NSIG', applies: clone3Only, make: (req, x) => ({ req: with3(req, { exitSignal: 65 + (x % 191), flags: req.flags & ~(F.CLONE_THREAD | F.CLONE_PARENT) }) }), expect: () => ({ errno: 'EINVAL' }) },
  { name: 'CLONE_DETACHED', applies: clone3Only, make: (req) => ({ req: with3(req, { flags: req.flags | F.CLONE_DETACHED }) }), expect: () => ({ errno: 'EINVAL' }) },
  { name: 'an unknown flag bit (34..63)', applies: clone3Only, make: (req, x) => ({ req: with3(req, { flags: req.flags | (1n << BigInt(34 + (x % 30))) }) }), expect: () => ({ errno: 'EINVAL' }) },
  { name: 'CLONE_THREAD with an exit signal', applies: clone3Only, make: (req, x) => ({ req: with3(req, { flags: req.flags | F.CLONE_THREAD, exitSignal: 1 + (x % 64) }) }), expect: () => ({ errno: 'EINVAL' }) },
  { name: 'CLONE_SIGHAND with CLONE_CLEAR_SIGHAND', applies: clone3Only, make: (req) => ({ req: with3(req, { flags: req.flags | F.CLONE_SIGHAND | F.CLONE_CLEAR_SIGHAND }) }), expect: () => ({ errno: 'EINVAL' }) },
  { name: 'a stack without a size', applies: clone3Only, make: (req, x) => ({ req: with3(req, { stack: BigInt(x) + 1n, stackSize: 0n }) }), expect: () => ({ errno: 'EINVAL' }) },
  { name: 'a stack size without a stack', applies: clone3Only, make: (req, x) => ({ req: with3(req, { stack: 0n, stackSize: BigInt(x) + 1n }) }), expect: () => ({ errno: 'EINVAL' }) },
  { name: 'a stack beyond TASK_SIZE_MAX', applies: clone3Only, make: (req, x) => ({ req: with3(req, { stack: TASK_SIZE_MAX - 10n, stackSize: 11n + BigInt(x) }) }), expect: () => ({ errno: 'EINVAL' }) },
  {
    name: 'CLONE_INTO_CGROUP with cgroup > INT_MAX',
    applies: clone3Only,
    make: (req, x) => ({ req: with3(req, { flags: req.flags | F.CLONE_INTO_CGROUP, cgroup: 0x80000000n + BigInt(x) }) }),
    expect: () => ({ errno: 'EINVAL' }),
  },
  {
    name: 'a pid other than 1 in the new namespace',
    applies: clone3Only,
    make: (req, x) => {
      const depth = Math.min(req.depth, 31);
      return { req: makeRequest({ ...req, depth, flags: req.flags | CLONE_NEWPID, pids: [{ level: depth + 1, pid: 2 + (x % 1000) }] }) };
    },
    expect: () => ({ errno: 'EINVAL' }),
  },
];

describe('invalid requests are refused by the encoder or get the documented errno', () => {
  for (const decl of PROPOSALS) {
    const rp = resolveProposal(decl);
    const s = shapeOf(rp, host);
    for (const fault of FAULTS.filter((f) => f.applies(s, rp))) {
      const expected = fault.expect(s, rp);
      it(`${decl.id}: ${fault.name} -> ${JSON.stringify(expected)}`, () => {
        fc.assert(
          fc.property(validRequestArb(rp, host), fc.nat(), (valid, x) => {
            const { req, state } = fault.make(valid, x, s, rp);
            const st = stateFor(req, rp, state);
            if ('refused' in expected) {
              assert.throws(() => encode(req, host, rp), (e: unknown) => e instanceof EncodeRefusal && e.limit === expected.refused);
              return;
            }
            const r = roundTrip(rp, req, st);
            if ('errno' in expected) assert.equal(r.code, expected.errno, bigintJson(req));
            else {
              assert.equal(r.code, 'OK');
              assert.notDeepEqual(r.request!.pids, req.pids);
            }
          }),
          { numRuns: 60 },
        );
      });
    }
  }
});
