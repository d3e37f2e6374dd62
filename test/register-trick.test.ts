/**
 * The RFC's register trick for clone_flags_t (clone_extended_flags_reg): word 0 of the flag set
 * by value in a register, words 1.. copied only when one of their bits is set. Checked in the
 * encoder's copy plan on every ABI, through the native decoder (which must not read what the
 * plan does not list), and in what `abi`, `encode` and the proposals suite show.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { PROPOSALS } from '../abi/proposals/index.js';
import { TARGETS } from '../abi/targets/index.js';
import { makeProposalsSuite } from '../benches/index.js';
import { PLACEMENTS } from '../src/encode/placement.js';
import { decodeNative, planReads, stateFor } from '../src/decode/decode.js';
import { encode, planTotals } from '../src/encode/encode.js';
import { withNative } from '../src/encode/materialise.js';
import { hostTarget, proposalById, resolveProposal } from '../src/registry.js';
import { review, reviewText } from '../src/review/index.js';
import { registerWordText } from '../src/review/register-word.js';
import { makeRequest, type CloneRequest } from '../src/request/types.js';
import { runCli } from './helpers.js';

const trick = (words = 2) => resolveProposal(proposalById('clone_extended_flags_reg'), { CLONE_FLAGS_WORDS: words });
const option1 = (words = 2) => resolveProposal(proposalById('clone_extended_flags'), { CLONE_FLAGS_WORDS: words });
/** The ABIs whose unsigned long (so word 0) is 64 bits wide; x32's is 32, like the ILP32 ABIs. */
const LONG64 = TARGETS.filter((t) => t.types.long[0] === 8);
const LONG32 = TARGETS.filter((t) => t.types.long[0] === 4);
const flagReads = (req: CloneRequest, t: (typeof TARGETS)[number], words = 2) => encode(req, t, trick(words)).plan.filter((r) => r.segment === 'clone_flags_t');

/** Flag bits 8..top-1 (bit 7 is CLONE_NEWTIME, inside the exit-signal byte), at least one set. */
const flagsBelow = (top: number) => fc.uniqueArray(fc.integer({ min: 8, max: top - 1 }), { minLength: 1, maxLength: 6 }).map((bits) => bits.reduce((a, b) => a | (1n << BigInt(b)), 0n));

describe('copy plan of the register trick', () => {
  it('the target data has both kinds of ABI', () => {
    assert.deepEqual(LONG64.map((t) => t.id), ['x86_64', 'aarch64', 'ppc64', 'ppc64le', 's390x', 'mips-n64', 'riscv64', 'sparc64']);
    assert.deepEqual(LONG32.map((t) => t.id), ['i386', 'x32', 'arm', 'ppc32', 'mips-o32', 'm68k']);
  });

  for (const t of LONG64)
    it(`${t.id}: any request with flags below bit 64 copies no flag word; one copy of words 1.. beyond`, () => {
      fc.assert(
        fc.property(flagsBelow(64), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 2, max: 8 }), (flags, depth, words) => {
          const req = makeRequest({ flags, exitSignal: 17, depth, pids: [{ level: depth, pid: 300 }] });
          assert.deepEqual(flagReads(req, t, words), []);
          // Option 1 pays exactly one more copy for the same request: its whole clone_flags_t.
          assert.equal(planTotals(encode(req, t, trick(words))).copies + 1, planTotals(encode(req, t, option1(words))).copies);
          const beyond = makeRequest({ ...req, flags: flags | (1n << BigInt(64 + (Number(flags % 61n)))) });
          assert.deepEqual(flagReads(beyond, t, words).map((r) => [r.offset, r.length]), [[8, (words - 1) * 8]]);
        }),
        { numRuns: 200 },
      );
    });

  for (const t of LONG32)
    it(`${t.id}: word 0 holds bits 0-31 only, so any flag above bit 31 costs the copy of words 1..`, () => {
      assert.deepEqual(flagReads(makeRequest({ flags: 0xffffff00n }), t), []);
      for (const bit of [32n, 33n, 63n]) assert.deepEqual(flagReads(makeRequest({ flags: 1n << bit }), t).map((r) => [r.offset, r.length]), [[4, 4]], `bit ${bit}`);
    });

  it('with CLONE_FLAGS_WORDS 1 nothing is ever copied for flags: bit 64 is beyond its capacity', () => {
    const x86 = TARGETS.find((t) => t.id === 'x86_64')!;
    assert.equal(planTotals(encode(makeRequest({ flags: 1n << 63n }), x86, trick(1))).copies, 0);
    assert.throws(() => encode(makeRequest({ flags: 1n << 64n }), x86, trick(1)), /beyond the 64 flag bits it carries on x86_64/);
  });
});

describe('the native decoder reads what the plan says, never word 0 in memory', () => {
  const host = hostTarget();
  const state = (req: CloneRequest) => stateFor(req, trick());

  it('flags below bit 64: only the pid reads, the flags come back from the register', { skip: host.types.long[0] !== 8 && 'needs a 64-bit host' }, () => {
    const req = makeRequest({ flags: (1n << 63n) | (1n << 32n) | 0x100n, exitSignal: 17, depth: 1, pids: [{ level: 0, pid: 40 }, { level: 1, pid: 41 }] });
    const r = withNative(encode(req, host, trick()), host, (n) => ({ ...decodeNative(n, state(req)), plan: planReads(n) }));
    assert.equal(r.code, 'OK');
    assert.deepEqual(r.request, req);
    assert.equal(r.reads.length, 2);
    assert.deepEqual(r.reads, r.plan);
  });

  it('with 4 flag words, a flag in word 3 comes back through one copy of words 1-3', { skip: host.types.long[0] !== 8 && 'needs a 64-bit host' }, () => {
    const rp = trick(4);
    const req = makeRequest({ flags: (1n << 200n) | (1n << 40n) | 0x100n, exitSignal: 17 });
    const r = withNative(encode(req, host, rp), host, (n) => ({ ...decodeNative(n, stateFor(req, rp)), plan: planReads(n) }));
    assert.equal(r.code, 'OK');
    assert.deepEqual(r.request, req);
    assert.deepEqual(r.reads.map((x) => x.length), [24]);
    assert.deepEqual(r.reads, r.plan);
  });

  it('word 0 of the caller\'s clone_flags_t is not read: corrupting it changes nothing', () => {
    const req = makeRequest({ flags: (1n << 100n) | 0x100n, exitSignal: 17 });
    const r = withNative(encode(req, host, trick()), host, (n) => {
      n.view('clone_flags_t').fill(0xff, 0, host.types.long[0]);
      return decodeNative(n, state(req));
    });
    assert.equal(r.code, 'OK');
    assert.deepEqual(r.request, req);
  });
});

describe('what the review derives for the trick', () => {
  it('64 bits in the register on LP64; on 32-bit ABIs only clone()\'s 32, a __u64 would need 7 slots, and compat must move bits 32-63', () => {
    const r = review(PROPOSALS, TARGETS);
    const f = r.facts.clone_extended_flags_reg.registerWord!;
    assert.deepEqual(f.applies, LONG64.map((t) => t.id));
    assert.deepEqual(f.doesNotApply, LONG32.map((t) => t.id));
    assert.deepEqual(f.widened, {
      i386: { slots: 7, padding: 0, stack: 0, beyondRegisters: 1, overLimit: true },
      x32: { slots: 6, padding: 0, stack: 0, beyondRegisters: 0, overLimit: false },
      arm: { slots: 7, padding: 0, stack: 0, beyondRegisters: 0, overLimit: true },
      ppc32: { slots: 7, padding: 0, stack: 0, beyondRegisters: 0, overLimit: true },
      'mips-o32': { slots: 7, padding: 0, stack: 3, beyondRegisters: 0, overLimit: true },
      m68k: { slots: 7, padding: 0, stack: 0, beyondRegisters: 1, overLimit: true },
    });
    assert.deepEqual(f.compat.map((c) => [c.target, c.taskBits, c.kernelBits, c.taskHasMemoryWords]), [['i386', 32, 64, true], ['x32', 32, 64, true], ['arm', 32, 64, true], ['ppc32', 32, 64, true], ['mips-o32', 32, 64, true]]);
    const one = review([proposalById('clone_extended_flags_reg')], TARGETS, { overrides: { CLONE_FLAGS_WORDS: 1 } });
    assert.ok(one.facts.clone_extended_flags_reg.registerWord!.compat.every((c) => !c.taskHasMemoryWords));
    assert.ok(registerWordText(one.facts.clone_extended_flags_reg.registerWord!).includes('compat: i386, x32, arm, ppc32, mips-o32 tasks have no word beyond flags_word0, so they cannot pass flag bits 32-63 at all, which 64-bit tasks pass in flags_word0'));
    // Only the trick's shape gets the fact: not option 1 (no register word), not clone (no memory
    // words), not eclone or option 2 (a fixed 32-bit register word).
    for (const id of ['clone', 'clone_extended_flags', 'clone_extended_info', 'eclone', 'clone3']) assert.equal(r.facts[id].registerWord, undefined, id);
    const text = reviewText(r);
    assert.match(text, /register trick:\n {4}- flag word 0 travels by value in flags_word0 \(unsigned long\)/);
    assert.match(text, /the trick does not apply there/);
  });
});

describe('what the commands show', () => {
  it('encode --summary --json: 0 copies on 64-bit ABIs for flags up to bit 63, 1 on 32-bit ones', () => {
    const r = runCli(['encode', '--summary', '--json', '-p', 'clone_extended_flags_reg', 'clone_extended_flags', '-t', 'x86_64', 's390x', 'i386', 'arm', '--flags', 'CLONE_VM|bit63']);
    assert.equal(r.status, 0, r.stderr);
    const copies = Object.fromEntries((JSON.parse(r.stdout) as Array<{ proposal: string; target: string; totals: { copies: number } }>).map((o) => [`${o.proposal}@${o.target}`, o.totals.copies]));
    assert.deepEqual(copies, {
      'clone_extended_flags_reg@x86_64': 0,
      'clone_extended_flags_reg@s390x': 0,
      'clone_extended_flags_reg@i386': 1,
      'clone_extended_flags_reg@arm': 1,
      'clone_extended_flags@x86_64': 1,
      'clone_extended_flags@s390x': 1,
      'clone_extended_flags@i386': 1,
      'clone_extended_flags@arm': 1,
    });
  });

  it('abi --json: option 1\'s structs, word 0 in one register on 64-bit ABIs and one 32-bit slot elsewhere, 6 slots', () => {
    const r = runCli(['abi', '--json', '-p', 'clone_extended_flags_reg']);
    assert.equal(r.status, 0, r.stderr);
    const p = JSON.parse(r.stdout).proposals[0];
    assert.deepEqual(p.structs.map((s: { name: string }) => s.name), ['clone_flags_t', 'pid_set']);
    assert.equal(p.structs[0].layouts.x86_64.size, 16);
    for (const t of TARGETS) {
      const slots = p.syscall.slots[t.id];
      assert.equal(slots.slotsUsed, 6, t.id);
      const word0 = slots.args.find((a: { arg: string }) => a.arg === 'flags_word0');
      assert.deepEqual(word0.slots, [0], t.id);
      assert.equal(word0.locations[0], t.syscall.argumentRegisters[0], t.id);
    }
  });

  it('the proposals suite measures it like every registered interface', () => {
    const ids = makeProposalsSuite().variants.map((v) => v.id).filter((id) => id.startsWith('proposals/clone_extended_flags_reg/'));
    const want = ['empty', 'pids@1', 'pids@4', 'pids@32'].flatMap((r) => PLACEMENTS.map((p) => `proposals/clone_extended_flags_reg/${r}@${p}`));
    assert.deepEqual(ids, want);
  });
});
