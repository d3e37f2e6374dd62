/**
 * Hostile images: a valid image in native memory, then corrupted the way a buggy or malicious
 * caller would (truncated at a PROT_NONE guard page, bad counts, NULL and unmapped pointers,
 * non-zero reserved fields, bad sizes). Each case gets the documented errno; then thousands of
 * random corruptions must leave the process alive with only documented errnos.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { decodeNative, stateFor } from '../src/decode/decode.js';
import { loadDecoder, type KernelState } from '../src/decode/native.js';
import { fieldAt, structLayout } from '../src/encode/builder.js';
import { encode } from '../src/encode/encode.js';
import { materialise, type MaterialiseOptions, type NativeImage } from '../src/encode/materialise.js';
import type { EncodeOptions } from '../src/encode/types.js';
import { ByteWriter, type Width } from '../src/encode/writer.js';
import { hostTarget, proposalById, resolveProposal, type ResolvedProposal } from '../src/registry.js';
import { makeRequest, type CloneRequest } from '../src/request/types.js';

const host = hostTarget();
const PAGE = host.pageSize;
/** An address no process maps on x86_64 (the kernel half). */
const KERNEL_ADDRESS = 0xffff_8000_0000_0000n;
const req3 = makeRequest({ depth: 3, pids: [{ level: 1, pid: 40 }, { level: 2, pid: 41 }, { level: 3, pid: 42 }], flags: 1n << 32n /* a high flag, where the interface has words for it */ });
const reqLow = makeRequest({ ...req3, flags: 0x100n });
/** A flag beyond a 64-bit word 0, so the register trick has words 1.. to copy on this host. */
const reqBeyond = makeRequest({ ...req3, flags: (1n << 70n) | 0x100n });

/** Writes a member of a struct segment in native memory, at its offset from the layout engine. */
function poke(n: NativeImage, rp: ResolvedProposal, struct: string, segment: string, path: string, value: bigint, signed = false) {
  const { field, offset } = fieldAt(structLayout(rp, struct, host), path);
  const w = new ByteWriter(n.view(segment), host.endian);
  (signed ? w.int : w.uint).call(w, offset, field.size as Width, value);
}

/** Replaces one register argument (by name, within the last call unless `call` says). */
function withArg(n: NativeImage, name: string, value: bigint, call = n.image.calls.length - 1): bigint[] {
  const regs = n.registers();
  const before = n.image.calls.slice(0, call).reduce((k, c) => k + c.args.length, 0);
  const i = n.image.calls[call].args.findIndex((a) => a.name === name);
  assert.ok(i >= 0, `no argument ${name}`);
  regs[before + i] = value;
  return regs;
}

interface Case {
  proposal: string;
  name: string;
  req?: CloneRequest;
  options?: EncodeOptions;
  /** Truncates segments (each then ends at its guard page). */
  truncate?: (n: { bytes: (s: string) => number }) => MaterialiseOptions['truncate'];
  /** Corrupts memory and/or returns replacement registers. */
  mutate?: (n: NativeImage, rp: ResolvedProposal) => bigint[] | void;
  /** Kernel state overrides (a caller shallower than the request assumed). */
  state?: Partial<KernelState>;
  errno: string;
}

const pidSetCases = (proposal: string, set: { struct: string; segment: string; prefix: string }, reg: string): Case[] => [
  { proposal, name: 'num_pids < 0', mutate: (n, rp) => poke(n, rp, set.struct, set.segment, `${set.prefix}num_pids`, -1n, true), errno: 'EINVAL' },
  { proposal, name: 'num_pids > caller level + 1', mutate: (n, rp) => poke(n, rp, set.struct, set.segment, `${set.prefix}num_pids`, 5n, true), errno: 'EINVAL' },
  { proposal, name: 'pids pointer NULL', mutate: (n, rp) => poke(n, rp, set.struct, set.segment, `${set.prefix}pids`, 0n), errno: 'EFAULT' },
  { proposal, name: 'pids pointer at a guard page', mutate: (n, rp) => poke(n, rp, set.struct, set.segment, `${set.prefix}pids`, n.guard('pids')), errno: 'EFAULT' },
  { proposal, name: 'pids truncated by one byte', truncate: (n) => ({ pids: n.bytes('pids') - 1 }), errno: 'EFAULT' },
  { proposal, name: `${set.segment} truncated`, truncate: (n) => ({ [set.segment]: n.bytes(set.segment) - 1 }), errno: 'EFAULT' },
  { proposal, name: `${reg} register unmapped (kernel half)`, mutate: (n) => withArg(n, reg, KERNEL_ADDRESS), errno: 'EFAULT' },
  { proposal, name: 'a pid of -1', mutate: (n) => new ByteWriter(n.view('pids'), host.endian).int(0, 4, -1), errno: 'EINVAL' },
];

const CASES: Case[] = [
  ...pidSetCases('clone_with_pids', { struct: 'pid_set', segment: 'pid_set', prefix: '' }, 'pid_set'),
  ...pidSetCases('clone_extended_flags', { struct: 'pid_set', segment: 'pid_set', prefix: '' }, 'pid_set'),
  { proposal: 'clone_extended_flags', name: 'flags pointer NULL', mutate: (n) => withArg(n, 'flags', 0n), errno: 'EFAULT' },
  { proposal: 'clone_extended_flags', name: 'clone_flags_t truncated', truncate: (n) => ({ clone_flags_t: n.bytes('clone_flags_t') - 1 }), errno: 'EFAULT' },
  ...pidSetCases('clone_extended_flags_reg', { struct: 'pid_set', segment: 'pid_set', prefix: '' }, 'pid_set'),
  { proposal: 'clone_extended_flags_reg', name: 'flags words 1.. at a guard page', req: reqBeyond, mutate: (n) => withArg(n, 'flags', n.guard('clone_flags_t')), errno: 'EFAULT' },
  { proposal: 'clone_extended_flags_reg', name: 'flags pointing one word late: words 1.. run into the guard page', req: reqBeyond, mutate: (n) => withArg(n, 'flags', n.address('clone_flags_t') + 8n), errno: 'EFAULT' },
  { proposal: 'clone_extended_flags_reg', name: 'clone_flags_t truncated by one byte', req: reqBeyond, truncate: (n) => ({ clone_flags_t: n.bytes('clone_flags_t') - 1 }), errno: 'EFAULT' },
  { proposal: 'clone_extended_flags_reg', name: 'flags register unmapped (kernel half)', req: reqBeyond, mutate: (n) => withArg(n, 'flags', KERNEL_ADDRESS), errno: 'EFAULT' },
  { proposal: 'clone_extended_flags_reg', name: 'flags non-NULL while CLONE_FLAGS_WORDS is 1', req: reqBeyond, state: { flagWords: 1 }, errno: 'EINVAL' },
  ...pidSetCases('clone_extended_info', { struct: 'clone_info', segment: 'clone_info', prefix: 'pid_set.' }, 'clone_info'),
  { proposal: 'clone_extended_info', name: 'num_clone_high_words < 0', mutate: (n, rp) => poke(n, rp, 'clone_info', 'clone_info', 'num_clone_high_words', -1n, true), errno: 'EINVAL' },
  { proposal: 'clone_extended_info', name: 'num_clone_high_words too large', mutate: (n, rp) => poke(n, rp, 'clone_info', 'clone_info', 'num_clone_high_words', 128n, true), errno: 'EINVAL' },
  { proposal: 'clone_extended_info', name: 'flags_high NULL', mutate: (n, rp) => poke(n, rp, 'clone_info', 'clone_info', 'flags_high', 0n), errno: 'EFAULT' },
  { proposal: 'clone_extended_info', name: 'flags_high truncated', truncate: (n) => ({ flags_high: n.bytes('flags_high') - 1 }), errno: 'EFAULT' },
  { proposal: 'eclone', name: 'args_size 47', req: reqLow, options: { structSize: 47 }, errno: 'EINVAL' },
  { proposal: 'eclone', name: 'args_size 56', req: reqLow, options: { structSize: 56 }, errno: 'EINVAL' },
  { proposal: 'eclone', name: 'args_size -1', req: reqLow, mutate: (n) => withArg(n, 'args_size', (1n << 64n) - 1n), errno: 'EINVAL' },
  { proposal: 'eclone', name: 'clone_args truncated', req: reqLow, truncate: (n) => ({ clone_args: n.bytes('clone_args') - 8 }), errno: 'EFAULT' },
  { proposal: 'eclone', name: 'clone_args NULL', req: reqLow, mutate: (n) => withArg(n, 'args', 0n), errno: 'EFAULT' },
  { proposal: 'eclone', name: 'clone_flags_high non-zero', req: reqLow, mutate: (n, rp) => poke(n, rp, 'clone_args', 'clone_args', 'clone_flags_high', 1n << 40n), errno: 'EINVAL' },
  { proposal: 'eclone', name: 'reserved0 non-zero', req: reqLow, mutate: (n, rp) => poke(n, rp, 'clone_args', 'clone_args', 'reserved0', 1n), errno: 'EINVAL' },
  { proposal: 'eclone', name: 'nr_pids > caller level + 1', req: reqLow, mutate: (n, rp) => poke(n, rp, 'clone_args', 'clone_args', 'nr_pids', 5n), errno: 'EINVAL' },
  { proposal: 'eclone', name: 'pids NULL', req: reqLow, mutate: (n) => withArg(n, 'pids', 0n), errno: 'EFAULT' },
  { proposal: 'eclone', name: 'pids truncated', req: reqLow, truncate: (n) => ({ pids: n.bytes('pids') - 2 }), errno: 'EFAULT' },
  { proposal: 'clone3', name: 'size > PAGE_SIZE', mutate: (n) => withArg(n, 'size', BigInt(PAGE + 1)), errno: 'E2BIG' },
  { proposal: 'clone3', name: 'size 63 (< VER0)', mutate: (n) => withArg(n, 'size', 63n), errno: 'EINVAL' },
  { proposal: 'clone3', name: 'size 0', mutate: (n) => withArg(n, 'size', 0n), errno: 'EINVAL' },
  { proposal: 'clone3', name: 'size 4096, non-zero tail', options: { structSize: 4096 }, mutate: (n) => void (n.view('clone_args')[4000] = 1), errno: 'E2BIG' },
  { proposal: 'clone3', name: 'size 200, tail truncated at the guard', options: { structSize: 200 }, truncate: () => ({ clone_args: 150 }), errno: 'EFAULT' },
  { proposal: 'clone3', name: 'struct truncated', truncate: (n) => ({ clone_args: n.bytes('clone_args') - 1 }), errno: 'EFAULT' },
  { proposal: 'clone3', name: 'uargs NULL', mutate: (n) => withArg(n, 'uargs', 0n), errno: 'EFAULT' },
  { proposal: 'clone3', name: 'set_tid_size 33', mutate: (n, rp) => poke(n, rp, 'clone_args', 'clone_args', 'set_tid_size', 33n), errno: 'EINVAL' },
  { proposal: 'clone3', name: 'set_tid NULL with a size', mutate: (n, rp) => poke(n, rp, 'clone_args', 'clone_args', 'set_tid', 0n), errno: 'EINVAL' },
  { proposal: 'clone3', name: 'set_tid with size 0', mutate: (n, rp) => poke(n, rp, 'clone_args', 'clone_args', 'set_tid_size', 0n), errno: 'EINVAL' },
  { proposal: 'clone3', name: 'set_tid at a guard page', mutate: (n, rp) => poke(n, rp, 'clone_args', 'clone_args', 'set_tid', n.guard('set_tid')), errno: 'EFAULT' },
  { proposal: 'clone3', name: 'set_tid truncated', truncate: (n) => ({ set_tid: n.bytes('set_tid') - 1 }), errno: 'EFAULT' },
  { proposal: 'clone3', name: 'set_tid_size 5 over a 3-entry array: the copy faults before any level check', mutate: (n, rp) => poke(n, rp, 'clone_args', 'clone_args', 'set_tid_size', 5n), errno: 'EFAULT' },
  { proposal: 'clone3', name: 'set_tid_size > child level + 1', state: { callerLevel: 1 }, errno: 'EINVAL' },
  { proposal: 'clone_with_pids', name: 'num_pids > caller level + 1 (kernel state)', state: { callerLevel: 1 }, errno: 'EINVAL' },
  { proposal: 'eclone', name: 'nr_pids > caller level + 1 (kernel state)', req: reqLow, state: { callerLevel: 0 }, errno: 'EINVAL' },
  { proposal: 'ns_last_pid', name: 'buf NULL', req: makeRequest({ pids: [{ level: 0, pid: 500 }] }), mutate: (n) => withArg(n, 'buf', 0n, 0), errno: 'EFAULT' },
  { proposal: 'ns_last_pid', name: 'string truncated', req: makeRequest({ pids: [{ level: 0, pid: 500 }] }), truncate: (n) => ({ ns_last_pid: n.bytes('ns_last_pid') - 1 }), mutate: (n) => withArg(n, 'count', 3n, 0), errno: 'EFAULT' },
  { proposal: 'ns_last_pid', name: 'not a number', req: makeRequest({ pids: [{ level: 0, pid: 500 }] }), mutate: (n) => void (n.view('ns_last_pid')[1] = 0x78), errno: 'EINVAL' },
];

function runCase(c: Case): string {
  const rp = resolveProposal(proposalById(c.proposal));
  const req = c.req ?? (c.proposal === 'eclone' || c.proposal === 'clone_with_pids' ? reqLow : req3);
  const img = encode(req, host, rp, c.options);
  const bytes = (s: string) => img.segments.find((x) => x.name === s)!.bytes.length;
  const n = materialise(img, host, { truncate: c.truncate?.({ bytes }) });
  try {
    const regs = c.mutate?.(n, rp) ?? n.registers();
    return decodeNative(n, stateFor(req, rp, c.state), regs).code;
  } finally {
    n.dispose();
  }
}

describe('hostile images get the documented errno', () => {
  for (const c of CASES) it(`${c.proposal}: ${c.name} -> ${c.errno}`, () => assert.equal(runCase(c), c.errno));

  it('the pipe fallback detects the same faults as process_vm_readv', () => {
    const d = loadDecoder();
    d.forcePipe(true);
    try {
      for (const c of CASES) assert.equal(runCase(c), c.errno, `${c.proposal}: ${c.name} (pipe)`);
    } finally {
      d.forcePipe(false);
    }
  });
});

// Documented errnos of the decoders (interfaces.md), and 0 when a corruption happens to be valid.
const ALLOWED = new Set(['OK', 'EFAULT', 'EINVAL', 'E2BIG', 'EPERM', 'EBUSY', 'EEXIST', 'EAGAIN', 'ENOSPC']);

describe('random corruption', () => {
  it('3000 random corruptions of every interface: the process survives, only documented errnos', () => {
    const rps = ['clone_with_pids', 'clone_extended_flags', 'clone_extended_flags_reg', 'clone_extended_info', 'eclone', 'clone3', 'ns_last_pid'].map((id) => resolveProposal(proposalById(id)));
    const seen = new Map<string, number>();
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: rps.length - 1 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }),
        fc.option(fc.nat(), { nil: undefined }),
        fc.option(fc.tuple(fc.nat(), fc.constantFrom(0n, KERNEL_ADDRESS, 1n, 0xfffn, (1n << 64n) - 1n, 'guard' as const)), { nil: undefined }),
        (which, flips, cut, regHit) => {
          const rp = rps[which];
          const req = rp.decl.id === 'ns_last_pid' ? makeRequest({ depth: 3, pids: [{ level: 3, pid: 777 }] }) : rp.decl.id === 'eclone' || rp.decl.id === 'clone_with_pids' ? reqLow : rp.decl.id === 'clone_extended_flags_reg' ? reqBeyond : req3;
          const img = encode(req, host, rp);
          const seg = img.segments[cut === undefined ? 0 : cut % img.segments.length];
          const n = materialise(img, host, cut === undefined ? {} : { truncate: { [seg.name]: cut % (seg.bytes.length + 1) } });
          try {
            for (const [at, byte] of flips) {
              const s = img.segments[at % img.segments.length];
              const v = n.view(s.name);
              if (v.length) v[at % v.length] = byte;
            }
            const regs = n.registers();
            if (regHit) regs[regHit[0] % regs.length] = regHit[1] === 'guard' ? n.guard(img.segments[0].name) : regHit[1];
            const code = decodeNative(n, stateFor(req, rp), regs).code;
            seen.set(code, (seen.get(code) ?? 0) + 1);
            assert.ok(ALLOWED.has(code), `undocumented result ${code}`);
          } finally {
            n.dispose();
          }
        },
      ),
      { numRuns: 3000 },
    );
    // The run must have hit faults, range errors and successes, not one outcome only.
    for (const code of ['OK', 'EFAULT', 'EINVAL']) assert.ok((seen.get(code) ?? 0) > 0, `no ${code} among ${JSON.stringify([...seen])}`);
  });
});
