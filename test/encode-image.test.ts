/**
 * The byte writer, the layout engine against koffi's own struct definitions on the host, the
 * request's command-line forms, materialisation (fixups become real addresses, dispose frees),
 * and `clonebench encode` hex dumps on a big-endian target.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import koffi from 'koffi';
import type { CType } from '../src/ctype/model.js';
import { structLayout } from '../src/encode/builder.js';
import { encode } from '../src/encode/encode.js';
import { materialise } from '../src/encode/materialise.js';
import { ByteWriter, hexDump } from '../src/encode/writer.js';
import { hostTarget, proposalById, resolveProposal, targetById } from '../src/registry.js';
import { PROPOSALS } from '../abi/proposals/index.js';
import { parseFlags, pidsFromNspid, requestFromOptions } from '../src/request/parse.js';
import { CLONE_FLAGS } from '../src/proposal/flags.js';
import { makeRequest } from '../src/request/types.js';
import { runCli } from './helpers.js';

describe('byte writer', () => {
  it('writes both byte orders and pointer widths, and refuses values that do not fit', () => {
    const le = new Uint8Array(8);
    const be = new Uint8Array(8);
    new ByteWriter(le, 'little').uint(0, 4, 0x01020304);
    new ByteWriter(be, 'big').uint(0, 4, 0x01020304);
    assert.deepEqual([...le.subarray(0, 4)], [4, 3, 2, 1]);
    assert.deepEqual([...be.subarray(0, 4)], [1, 2, 3, 4]);
    const w = new ByteWriter(new Uint8Array(8), 'big', 4);
    w.pointer(4, 0xdeadbeefn);
    assert.equal(hexDump(w.bytes)[0], '0000: 00000000 deadbeef');
    w.int(0, 4, -2);
    assert.equal(w.readUint(0, 4), 0xfffffffen);
    assert.throws(() => w.pointer(0, 1n << 32n), RangeError);
    assert.throws(() => w.int(0, 2, 40000), RangeError);
    assert.throws(() => w.uint(6, 4, 1), RangeError);
  });
});

/** The koffi type for a C type of the model, as the host compiler would see it. */
type KoffiSpec = string | ReturnType<typeof koffi.struct> | [number, string];
function koffiType(t: CType, name: string): KoffiSpec {
  switch (t.kind) {
    case 'scalar': {
      const base = { char: 'char', short: 'short', int: 'int', long: 'long', 'long long': 'int64', pointer: 'void *', double: 'double', 'long double': 'long double', 'kernel long': 'long' }[t.base];
      const type = t.signed === false ? (t.base === 'long long' ? 'uint64' : `unsigned ${base}`) : base;
      return t.alignAttr ? [t.alignAttr, type] : type;
    }
    case 'pointer':
      return 'void *';
    case 'array':
      return koffi.array(koffiType(t.of, name) as string, t.length);
    case 'flex':
      throw new Error('no flexible arrays in these declarations');
    case 'struct':
      return koffi.struct(`${name}_${t.decl.name}`, Object.fromEntries(t.decl.fields.map((f, i) => [f.name, koffiType(structLayout(rpFor(name), t.decl.name, hostTarget()).fields[i].ctype, name)])));
  }
}
const rps = new Map(PROPOSALS.map((p) => [p.id, resolveProposal(p)]));
const rpFor = (id: string) => rps.get(id)!;

describe('layout engine against koffi on the host', () => {
  for (const [id, rp] of rps) {
    for (const decl of rp.decl.structs) {
      it(`${id}: struct ${decl.name}`, () => {
        const layout = structLayout(rp, decl.name, hostTarget());
        const k = koffi.struct(`cb_${id}_${decl.name}`, Object.fromEntries(layout.fields.map((f) => [f.name, koffiType(f.ctype, id)])));
        assert.equal(layout.size, koffi.sizeof(k));
        assert.equal(layout.align, koffi.alignof(k));
        for (const f of layout.fields) assert.equal(f.offset, koffi.offsetof(k, f.name), f.name);
      });
    }
  }
});

describe('request command-line forms', () => {
  it('reads --pids in NSpid order, a short list covering the innermost levels', () => {
    assert.deepEqual(pidsFromNspid([7, 9], 3, 0n), [{ level: 2, pid: 7 }, { level: 3, pid: 9 }]);
    assert.deepEqual(pidsFromNspid([7, 0, 1], 1, CLONE_FLAGS.CLONE_NEWPID), [{ level: 0, pid: 7 }, { level: 2, pid: 1 }]);
    assert.throws(() => pidsFromNspid([1, 2, 3], 1, 0n), /visible in only 2/);
    const req = requestFromOptions({ flags: 'vm|CLONE_FS,0x400,bit40', exitSignal: 'SIGCHLD', pids: '5 6', depth: '1' });
    assert.equal(req.flags, CLONE_FLAGS.CLONE_VM | CLONE_FLAGS.CLONE_FS | CLONE_FLAGS.CLONE_FILES | (1n << 40n));
    assert.equal(req.exitSignal, 17);
    assert.throws(() => parseFlags('CLONE_NOPE'), /unknown clone flag/);
    assert.throws(() => requestFromOptions({ flags: '0x11' }), /exit signal/);
  });
});

describe('materialisation', () => {
  it('puts segments in native memory with real addresses in the fixups, and frees them', () => {
    const host = hostTarget();
    const rp = resolveProposal(proposalById('clone_with_pids'));
    const n = materialise(encode(makeRequest({ depth: 1, pids: [{ level: 0, pid: 10 }, { level: 1, pid: 20 }] }), host, rp), host);
    const set = new DataView(n.view('pid_set').buffer, n.view('pid_set').byteOffset);
    const pidsAt = structLayout(rp, 'pid_set', host).fields.find((f) => f.name === 'pids')!.offset;
    assert.equal(set.getBigUint64(pidsAt, true), n.address('pids'));
    // Each segment ends where its guard page begins.
    assert.equal(n.address('pids') + 8n, n.guard('pids'));
    assert.equal(n.registers()[4], n.address('pid_set'));
    n.dispose();
    assert.ok(n.disposed);
    assert.throws(() => n.address('pids'), /after dispose/);
    const other = targetById(host.id === 'i386' ? 'x86_64' : 'i386');
    assert.throws(() => materialise(encode(makeRequest(), other, rp), host), /cannot materialise/);
  });
});

describe('clonebench encode', () => {
  it('dumps a big-endian s390x image byte for byte and names a refusal with exit 2', () => {
    const r = runCli(['encode', '-p', 'eclone', '-t', 's390x', '--pids', '42,7', '--depth', '1', '--flags', 'CLONE_VM', '--exit-signal', '17']);
    assert.equal(r.status, 0, r.stderr);
    // nr_pids (u32 at offset 40) = 2 in big-endian; the pids array 42, 7.
    assert.match(r.stdout, /0020: 00000000 00000000 00000002 00000000/);
    assert.match(r.stdout, /0000: 0000002a 00000007/);
    assert.match(r.stdout, /flags_low\s+__u32\s+r2\s+0x111/);
    const bad = runCli(['encode', '-p', 'clone_with_pids', '--flags', 'CLONE_NEWPID', '--pids', '5,1']);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /cannot be chosen.*limit: pids count the caller's levels/);
  });
});
