/**
 * Copy plans per interface on x86_64 and i386, for an empty request and for pids at 1, 4 and 32
 * levels, checked against the counts the declarations carry from interfaces.md
 * (semantics.copies), and shown by `clonebench encode --summary --json`.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encode, encoderFor, planTotals } from '../src/encode/encode.js';
import { EncodeRefusal, type UserImage } from '../src/encode/types.js';
import { resolveProposal, targetById } from '../src/registry.js';
import { PROPOSALS } from '../abi/proposals/index.js';
import { CLONE_FLAGS } from '../src/proposal/flags.js';
import { EMPTY_REQUEST, makeRequest } from '../src/request/types.js';
import { runCli } from './helpers.js';
import { pidsAtLevels } from './encode-support.js';

const TARGETS = ['x86_64', 'i386'].map(targetById);
const LEVELS = [1, 4, 32];

describe('copy plans against interfaces.md', () => {
  for (const decl of PROPOSALS) {
    const rp = resolveProposal(decl);
    for (const target of TARGETS) {
      const cap = encoderFor(decl.id).capacity(target, rp);
      it(`${decl.id} on ${target.id}: empty request -> ${decl.semantics.copies.empty} copies`, () => {
        assert.equal(planTotals(encode(EMPTY_REQUEST, target, rp)).copies, decl.semantics.copies.empty);
      });
      for (const levels of LEVELS) {
        it(`${decl.id} on ${target.id}: pids at ${levels} level(s) (and its highest flag where it has room) -> ${decl.semantics.copies.full} copies or a refusal`, () => {
          // "full" in interfaces.md: pids and, where the interface can carry them, flags above bit
          // 31, up to its highest one (the register trick copies flag words only beyond word 0).
          const top = 1n << BigInt(cap.flagBits - 1);
          const req = makeRequest({ ...pidsAtLevels(levels), flags: cap.flagBits > 32 ? CLONE_FLAGS.CLONE_CLEAR_SIGHAND | top : 0n });
          const pids = decl.semantics.pids;
          let img: UserImage;
          try {
            img = encode(req, target, rp);
          } catch (e) {
            // Only a pid limit of the declaration may refuse: no pid argument, or fewer pids allowed.
            assert.ok(e instanceof EncodeRefusal, String(e));
            assert.ok(!pids || pids.order === 'none' || (pids.maxPids ?? Infinity) < levels || pids.order === 'active-namespace-only', e.message);
            return;
          }
          assert.ok(pids && pids.order !== 'none');
          const t = planTotals(img);
          assert.equal(t.copies, decl.semantics.copies.full);
          // Every read covers a whole segment, and the pid array is 4 bytes a level.
          for (const r of img.plan) assert.equal(r.offset + r.length, img.segments.find((s) => s.name === r.segment)!.bytes.length);
          const pidRead = img.plan.find((r) => /pid|set_tid|ns_last_pid/.test(r.segment) && r.segment !== 'pid_set');
          if (pids.order !== 'active-namespace-only') assert.equal(pidRead?.length, 4 * levels);
        });
      }
    }
  }

  it('the pid order differs: clone_with_pids and eclone outermost first, clone3 innermost first', () => {
    const req = pidsAtLevels(4, 100);
    const words = (img: UserImage, seg: string) => {
      const b = img.segments.find((s) => s.name === seg)!.bytes;
      const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
      return Array.from({ length: b.length / 4 }, (_, i) => dv.getInt32(i * 4, img.endian === 'little'));
    };
    for (const t of [...TARGETS, targetById('s390x')]) {
      assert.deepEqual(words(encode(req, t, resolveProposal(PROPOSALS.find((p) => p.id === 'clone_with_pids')!)), 'pids'), [100, 101, 102, 103]);
      assert.deepEqual(words(encode(req, t, resolveProposal(PROPOSALS.find((p) => p.id === 'eclone')!)), 'pids'), [100, 101, 102, 103]);
      assert.deepEqual(words(encode(req, t, resolveProposal(PROPOSALS.find((p) => p.id === 'clone3')!)), 'set_tid'), [103, 102, 101, 100]);
    }
  });

  it('clonebench encode --summary --json shows the same plans', () => {
    for (const [pids, depth] of [[undefined, 0], ['100', 0], ['1,2,3,4', 3]] as const) {
      const args = ['encode', '--json', '-t', 'x86_64', 'i386', '--depth', String(depth), ...(pids ? ['--pids', pids] : [])];
      const r = runCli(args);
      assert.equal(r.status, 0, r.stderr);
      const out = JSON.parse(r.stdout) as Array<{ proposal: string; target: string; totals?: { copies: number; bytes: number }; refused?: { limit: string } }>;
      assert.equal(out.length, PROPOSALS.length * 2);
      for (const o of out) {
        const rp = resolveProposal(PROPOSALS.find((p) => p.id === o.proposal)!);
        const nspid = pids ? pids.split(',').map(Number) : [];
        const req = makeRequest({ depth, pids: nspid.map((pid, i) => ({ level: depth + 1 - nspid.length + i, pid })) });
        try {
          const t = planTotals(encode(req, targetById(o.target), rp));
          assert.deepEqual({ copies: o.totals?.copies, bytes: o.totals?.bytes }, { copies: t.copies, bytes: t.bytes });
        } catch (e) {
          assert.ok(e instanceof EncodeRefusal);
          assert.equal(o.refused?.limit, e.limit);
        }
      }
    }
  });
});
