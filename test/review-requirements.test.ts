/**
 * The RFC's requirements matrix: the known cells of the 2009-2019 designs, cells that follow an
 * encoder's capacity and a declaration when either is changed, rows for proposals registered at
 * start-up, and what `clonebench review` prints (first, within 100 columns) and puts in --json.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as clone from '../abi/proposals/clone.js';
import * as clone3 from '../abi/proposals/clone3.js';
import * as cloneWithPids from '../abi/proposals/clone_with_pids.js';
import * as eclone from '../abi/proposals/eclone.js';
import { ENCODERS, PROPOSALS } from '../abi/proposals/index.js';
import { TARGETS } from '../abi/targets/index.js';
import { ImageBuilder } from '../src/encode/builder.js';
import { val } from '../src/encode/flagwords.js';
import type { Encoder } from '../src/encode/types.js';
import type { ProposalDecl } from '../src/proposal/types.js';
import { allProposals, registerProposals, targetById } from '../src/registry.js';
import { review, reviewJson, reviewText } from '../src/review/index.js';
import { requirementsMatrix, REQUIREMENTS, type RequirementCell, type RequirementsMatrix } from '../src/review/requirements/index.js';
import { runCli } from './helpers.js';

const ALL = PROPOSALS.map((declaration, i) => ({ declaration, encoder: ENCODERS[i] }));
const full = requirementsMatrix(ALL, TARGETS);
const cellOf = (m: RequirementsMatrix, iface: string, req: string): RequirementCell => m.interfaces[iface][req];
const status = (iface: string, req: string) => cellOf(full, iface, req).status;
const children = (parent: string) => REQUIREMENTS.filter((r) => r.parent === parent).map((r) => r.id);
const LONG32 = TARGETS.filter((t) => t.types.long[0] === 4).map((t) => t.id);
const only = (id: string, changes: { declaration?: ProposalDecl; encoder?: Encoder }) => {
  const p = ALL.find((x) => x.declaration.id === id)!;
  return requirementsMatrix([{ ...p, ...changes }], TARGETS).interfaces[id];
};

describe('known cells', () => {
  it('every interface has every requirement, with a valid status, a reason, and ABIs only where they differ', () => {
    assert.deepEqual(Object.keys(full.interfaces), PROPOSALS.map((p) => p.id));
    for (const [id, row] of Object.entries(full.interfaces)) {
      // Object keys "1", "2", "3" sort first in JavaScript: the display order is .requirements.
      assert.deepEqual(Object.keys(row).sort(), REQUIREMENTS.map((r) => r.id).sort(), id);
      for (const [req, c] of Object.entries(row)) {
        assert.ok(['met', 'partly', 'not met'].includes(c.status), `${id} ${req}`);
        assert.ok(c.reason.length > 0 && /^[\x20-\x7e]+$/.test(c.reason), `${id} ${req}: ${c.reason}`);
        if (c.abis) {
          assert.notEqual(c.status, 'met', `${id} ${req}`);
          assert.ok(c.abis.length > 0 && c.abis.every((a) => full.targets.includes(a)), `${id} ${req}`);
        }
      }
    }
  });

  it('clone3 meets (1) and (3); of (2) it misses only the root pid at the deepest nesting (set_tid holds 32 of 33)', () => {
    assert.equal(status('clone3', '1'), 'met');
    assert.equal(status('clone3', '3'), 'met');
    for (const id of [...children('1'), ...children('3')]) assert.equal(status('clone3', id), 'met', id);
    for (const id of children('2').filter((x) => x !== '2.deepest')) assert.equal(status('clone3', id), 'met', id);
    // Where it travels: the struct and set_tid, not the size argument that grows with the struct.
    assert.equal(cellOf(full, 'clone3', '2.own-level').reason, 'the pid: in struct clone_args, set_tid (pid_t[1]) (user memory)');
    assert.equal(status('clone3', '2.deepest'), 'partly');
    assert.match(cellOf(full, 'clone3', '2.deepest').reason, /only the innermost 32 of the 33 levels .*at most 32 pid\(s\)/);
    assert.equal(status('clone3', '2'), 'partly');
    assert.match(cellOf(full, 'clone3', '3.capacity').reason, /^57 flag bits \(7-63\): 27 defined, 30 free$/);
    assert.match(cellOf(full, 'clone3', '3.new-flag').reason, /bit 34, in clone_args\.flags; kernels that predate it reject it/);
  });

  it('clone_with_pids cannot carry TLS and cannot choose a pid in a pid namespace created by the same call', () => {
    assert.equal(status('clone_with_pids', '1.tls'), 'not met');
    assert.match(cellOf(full, 'clone_with_pids', '1.tls').reason, /\[limit: no tls argument\]/);
    assert.equal(status('clone_with_pids', '2.new-namespace'), 'not met');
    assert.match(cellOf(full, 'clone_with_pids', '2.new-namespace').reason, /\[limit: pids count the caller's levels\]/);
    for (const id of ['2.own-level', '2.ancestors', '2.deepest']) assert.equal(status('clone_with_pids', id), 'met', id);
    assert.equal(status('clone_with_pids', '1'), 'partly');
    // Who may choose: global CAP_SYS_ADMIN (not a container's own restorer) against clone3's
    // privilege over the namespaces concerned.
    assert.equal(status('clone_with_pids', '2.privilege'), 'partly');
    assert.match(cellOf(full, 'clone_with_pids', '2.privilege').reason, /^global CAP_SYS_ADMIN: /);
    assert.equal(status('clone3', '2.privilege'), 'met');
    // The same limits hold for the RFC's two clone_extended options and eclone.
    for (const id of ['clone_extended_flags', 'clone_extended_flags_reg', 'clone_extended_info', 'eclone']) {
      assert.equal(status(id, '1.tls'), 'not met', id);
      assert.equal(status(id, '2.new-namespace'), 'not met', id);
    }
  });

  it('legacy clone cannot choose pids and has no free flag bits', () => {
    for (const id of children('2')) assert.equal(status('clone', id), 'not met', id);
    assert.equal(status('clone', '2'), 'not met');
    assert.equal(status('clone', '3.capacity'), 'not met');
    assert.match(cellOf(full, 'clone', '3.capacity').reason, /^24 flag bits \(8-31\): 24 defined, 0 free/);
    assert.equal(status('clone', '3.new-flag'), 'not met');
    assert.equal(status('clone', '3'), 'not met');
    assert.equal(status('clone', '1'), 'met');
    assert.equal(status('clone', 'copies'), 'met');
  });

  it('eclone: no free bit today, but clone_flags_high must be 0, so a new flag there is rejected by older kernels', () => {
    assert.equal(status('eclone', '3.capacity'), 'partly');
    assert.match(cellOf(full, 'eclone', '3.capacity').reason, /clone_args\.clone_flags_high \(64 bits\)/);
    assert.equal(status('eclone', '3.new-flag'), 'met');
    assert.equal(status('eclone', 'copies'), 'not met');
  });

  it('ns_last_pid: its own level only, and racy', () => {
    assert.equal(status('ns_last_pid', '2.own-level'), 'partly');
    assert.match(cellOf(full, 'ns_last_pid', '2.own-level').reason, /racy/);
    assert.equal(status('ns_last_pid', '2.ancestors'), 'not met');
    assert.equal(status('ns_last_pid', '2.privilege'), 'met');
  });

  it('the register trick: no flag copy for a flag below bit 64 on 64-bit ABIs, one copy on the 32-bit ones', () => {
    const c = cellOf(full, 'clone_extended_flags_reg', 'copies');
    assert.equal(c.status, 'partly');
    assert.deepEqual(c.abis, LONG32);
    assert.match(c.reason, /^0 for an empty request, 0 with a flag in bits 32-63, 3 for a full one on x86_64, aarch64, ppc64, ppc64le, s390x, mips-n64, riscv64, sparc64; 0 for an empty request, 1 with a flag in bits 32-63/);
    const on64 = requirementsMatrix(ALL, [targetById('x86_64'), targetById('s390x')]).interfaces;
    assert.deepEqual(on64.clone_extended_flags_reg.copies, { status: 'met', reason: '0 for an empty request, 0 with a flag in bits 32-63, 3 for a full one' });
    assert.equal(on64.clone_extended_flags.copies.status, 'not met');
    // What a 64-bit word 0 would cost on 32-bit ABIs: 7 slots, 3 of them on MIPS o32's stack.
    assert.match(cellOf(full, 'clone_extended_flags_reg', 'args').reason, /flags_word0 as a __u64 instead.*7 slots \(3 on the user stack\) on mips-o32: over the limit of 6 on i386, arm, ppc32, mips-o32, m68k/);
    assert.equal(status('clone_extended_flags_reg', 'args'), 'met');
  });
});

describe('cells follow the encoders and the declarations', () => {
  it('an encoder that stops carrying TLS turns clone3 (1) from met to partly', () => {
    const noTls: Encoder = { ...clone3.encoder, capacity: (t, rp) => ({ ...clone3.encoder.capacity(t, rp), carries: { stackSize: true, tls: false, cgroup: true } }) };
    const row = only('clone3', { encoder: noTls });
    assert.equal(row['1.tls'].status, 'not met');
    assert.match(row['1.tls'].reason, /\[limit: no tls argument\]/);
    assert.equal(row['1'].status, 'partly');
  });

  it('an encoder that accepts TLS but drops it does not carry TLS', () => {
    const drops: Encoder = { ...clone3.encoder, build: (req, t, rp, pids, o) => clone3.encoder.build({ ...req, tls: 0n }, t, rp, pids, o) };
    const row = only('clone3', { encoder: drops });
    assert.equal(row['1.tls'].status, 'not met');
    assert.equal(row['1.tls'].reason, 'the TLS value: accepted, but the image does not change (it would be dropped)');
  });

  it('an encoder that claims 64 flag bits but drops them is caught; one that carries them gets free bits', () => {
    const claims: Encoder = { ...clone.encoder, capacity: (t, rp) => ({ ...clone.encoder.capacity(t, rp), flagBits: 64 }) };
    const claimed = only('clone', { encoder: claims });
    assert.equal(claimed['3.capacity'].status, 'not met');
    assert.match(claimed['3.capacity'].reason, /capacity\(\) says 64 bits but bit 63 leaves the image unchanged/);
    // A 64-bit clone flags register on the 64-bit ABIs: capacity and build agree.
    const wide = (t: Parameters<Encoder['capacity']>[0]) => t.registerBits === 64;
    const carries: Encoder = {
      ...clone.encoder,
      capacity: (t, rp) => ({ ...clone.encoder.capacity(t, rp), ...(wide(t) ? { flagBits: 64, flagLimit: 'all 64 bits of flags' } : {}) }),
      build(req, t, rp, pids, options) {
        if (!wide(t)) return clone.encoder.build(req, t, rp, pids, options);
        const b = new ImageBuilder(rp, t);
        b.call(rp.decl.syscall, { flags: val((req.flags & ~0xffn) | BigInt(req.exitSignal)), stack: val(req.stack), parent_tid: val(req.parentTid), child_tid: val(req.childTid), tls: val(req.tls) }, 'create the child');
        return b.image();
      },
    };
    const row = only('clone', { encoder: carries });
    assert.equal(row['3.capacity'].status, 'partly');
    assert.deepEqual(row['3.capacity'].abis, TARGETS.filter((t) => !wide(t)).map((t) => t.id));
    assert.match(row['3.capacity'].reason, /56 flag bits \(8-63\): 26 defined, 30 free on x86_64/);
    // Free bits, but clone ignores unknown bits: a new flag would still be dropped by old kernels.
    assert.equal(row['3.new-flag'].status, 'not met');
    assert.match(row['3.new-flag'].reason, /older kernels ignore unknown bits there/);
  });

  it('a declaration change moves cells: eclone ignoring clone_flags_high, clone3 with room for 33 pids, clone_with_pids counting the child\'s levels', () => {
    const lax = structuredClone(eclone.declaration) as ProposalDecl;
    lax.semantics.flags = lax.semantics.flags.map((f) => (f.where === 'memory' ? { ...f, unknownBits: 'ignored' } : f));
    assert.equal(only('eclone', { declaration: lax })['3.new-flag'].status, 'not met');

    const roomy = structuredClone(clone3.declaration) as ProposalDecl;
    roomy.semantics.pids = { ...roomy.semantics.pids!, maxPids: 33 };
    const r3 = only('clone3', { declaration: roomy });
    assert.equal(r3['2.deepest'].status, 'met');
    assert.equal(r3['2'].status, 'met');

    const childLevels = structuredClone(cloneWithPids.declaration) as ProposalDecl;
    childLevels.semantics.pids = { ...childLevels.semantics.pids!, order: 'innermost-first', levelsOf: 'child' };
    assert.equal(only('clone_with_pids', { declaration: childLevels })['2.new-namespace'].status, 'met');
  });

  it('an encoder that throws on a probe is reported in its cells, not thrown', () => {
    const broken: Encoder = { ...clone3.encoder, build: () => { throw new RangeError('boom'); } };
    const row = only('clone3', { encoder: broken });
    assert.equal(row['1.tls'].status, 'not met');
    assert.match(row['1.tls'].reason, /the encoder failed: RangeError: boom/);
  });
});

describe('review output', () => {
  it('review() carries the matrix; proposals registered at start-up get rows', () => {
    registerProposals([{ declaration: { ...clone3.declaration, id: 'clone3_from_header' }, encoder: { ...clone3.encoder, id: 'clone3_from_header' } }]);
    const r = review(allProposals(), TARGETS);
    assert.deepEqual(Object.keys(r.requirements.interfaces), allProposals().map((p) => p.id));
    assert.deepEqual(r.requirements.interfaces.clone3_from_header, r.requirements.interfaces.clone3);
    assert.deepEqual(reviewJson(r).requirements, r.requirements);
    // Nine interfaces still fit one grid; the text stays within 100 columns.
    const text = reviewText(r);
    for (const line of text.split('\n')) assert.ok(line.length <= 100 && /^[\x20-\x7e]*$/.test(line), line);
  });

  it('clonebench review prints the requirements first, within 100 columns', () => {
    const r = runCli(['review']);
    assert.equal(r.status, 0, r.stderr);
    const req = r.stdout.indexOf("==== the RFC's requirements");
    assert.ok(req > 0 && req < r.stdout.indexOf('==== verdicts'));
    for (const line of r.stdout.split('\n')) assert.ok(line.length <= 100 && /^[\x20-\x7e]*$/.test(line), line);
    assert.match(r.stdout, /\n {2}TLS +met +NO +NO +NO +NO +NO +met +met\n/);
    assert.match(r.stdout, /\[4\] clone_extended_flags_reg/);
  });

  it('clonebench review --json: .requirements in the documented shape; the trick on x86_64 copies nothing for flags below bit 64', () => {
    const r = runCli(['review', '--json', '-t', 'x86_64', '-p', 'clone_extended_flags_reg', 'clone3']);
    assert.equal(r.status, 0, r.stderr);
    const j = JSON.parse(r.stdout) as { requirements: RequirementsMatrix };
    assert.deepEqual(j.requirements.targets, ['x86_64']);
    assert.deepEqual(j.requirements.requirements.map((x) => x.id), REQUIREMENTS.map((x) => x.id));
    assert.ok(j.requirements.requirements.every((x) => x.title && x.label && (x.parent === undefined || ['1', '2', '3'].includes(x.parent))));
    assert.deepEqual(j.requirements.interfaces.clone_extended_flags_reg.copies, { status: 'met', reason: '0 for an empty request, 0 with a flag in bits 32-63, 3 for a full one' });
    assert.equal(j.requirements.interfaces.clone3['1'].status, 'met');
  });

  it('many registered interfaces: the grid splits and every line stays within 100 columns', () => {
    const extra = Array.from({ length: 6 }, (_, i) => ({ declaration: { ...clone.declaration, id: `clone_copy_${i}` }, encoder: { ...clone.encoder, id: `clone_copy_${i}` } }));
    const decls = [...PROPOSALS, ...extra.map((e) => e.declaration)];
    const text = reviewText(review(decls, TARGETS, { encoders: [...ENCODERS, ...extra.map((e) => e.encoder)] }));
    for (const line of text.split('\n')) assert.ok(line.length <= 100, line);
    assert.equal(text.split('\n').filter((l) => l.startsWith('requirement ')).length, 2);
    assert.match(text, /\[14\] clone_copy_5/);
  });
});
