/**
 * A proposal written only as a header (abi/headers/examples/clone_pidfd.h) through every
 * command: abi --check (the compilers), review, encode, run --filter proposals, each printing
 * what it prints for a built-in interface; and through the generic decoder in this process.
 */
import { PLACEMENTS } from '../src/encode/placement.js';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { decodeNative, planReads, stateFor } from '../src/decode/decode.js';
import { genericSemanticsOf } from '../src/decode/generic.js';
import { encode } from '../src/encode/encode.js';
import { withNative } from '../src/encode/materialise.js';
import { EncodeRefusal } from '../src/encode/types.js';
import { registerHeaders } from '../src/header/load.js';
import { PACKAGE_ROOT } from '../src/native/paths.js';
import { CLONE_FLAGS } from '../src/proposal/flags.js';
import { hostTarget, proposalById, resolveProposal } from '../src/registry.js';
import { readResults } from '../src/results/index.js';
import { CLONE_NEWPID, makeRequest, type CloneRequest } from '../src/request/types.js';
import { runCli } from './helpers.js';
import { bigintJson, validRequestArb } from './encode-support.js';

const EXAMPLE = join(PACKAGE_ROOT, 'abi', 'headers', 'examples', 'clone_pidfd.h');
const x86 = process.arch === 'x64';
const keysOf = (o: object) => Object.keys(o).sort();

describe('clone_pidfd.h through the CLI, with no TypeScript', () => {
  it('abi --check --json: the built-ins\' shape, layouts checked by every compiler, the header as written too', () => {
    const r = runCli(['abi', '--check', '--json', '--header', EXAMPLE]);
    assert.equal(r.status, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    const builtin = JSON.parse(runCli(['abi', '--json', '-p', 'clone3']).stdout);
    assert.deepEqual(keysOf(j.proposals[0]), keysOf(builtin.proposals[0]));
    assert.deepEqual(keysOf(j.proposals[0].structs[0]), keysOf(builtin.proposals[0].structs[0]));
    assert.deepEqual(j.proposals.map((p: { id: string }) => p.id), ['clone_pidfd']);
    const s = j.proposals[0].structs[0];
    assert.equal(s.name, 'clone_pidfd_args');
    assert.equal(s.sameLayoutEverywhere, true);
    for (const t of j.targets) {
      assert.equal(s.layouts[t].size, 96, t);
      // __u32 is 2-aligned on m68k.
      assert.deepEqual(s.layouts[t].fields.find((f: { name: string }) => f.name === 'set_tid'), { name: 'set_tid', type: '__u32[PIDFD_SET_TID_MAX]', offset: 64, size: 32, align: t === 'm68k' ? 2 : 4 });
    }
    assert.equal(j.compilerChecks.length, 14);
    assert.equal(j.headerChecks.length, 1);
    for (const c of [...j.compilerChecks, ...j.headerChecks[0].results]) assert.ok(c.ok || c.skipped, `${c.target}: ${c.failures}`);
  });

  it('review --json: the built-ins\' shape, a verdict for every rule', () => {
    const r = runCli(['review', '--json', '--header', EXAMPLE, '-p', 'clone3', 'clone_pidfd']);
    assert.equal(r.status, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.deepEqual(keysOf(j), ['facts', 'findings', 'matrix', 'requirements', 'rules', 'targets']);
    assert.deepEqual(Object.keys(j.requirements.interfaces), ['clone3', 'clone_pidfd']);
    assert.deepEqual(Object.keys(j.matrix), ['clone3', 'clone_pidfd']);
    assert.deepEqual(keysOf(j.matrix.clone_pidfd), keysOf(j.matrix.clone3));
    assert.deepEqual(keysOf(j.facts.clone_pidfd), keysOf(j.facts.clone3));
    // A clean design: nothing fails; one copy whatever the request (the pids are inline).
    assert.ok(Object.values(j.matrix.clone_pidfd).every((v) => v !== 'fail'), JSON.stringify(j.matrix.clone_pidfd));
    assert.deepEqual(j.facts.clone_pidfd.copies.empty, 1);
    assert.deepEqual(j.facts.clone_pidfd.copies.full, 1);
    assert.equal(j.facts.clone_pidfd.layout.identicalOnAll, true);
  });

  it('encode: set_tid inline, innermost first, one copy of 96 bytes; nine levels are refused (exit 2)', () => {
    const r = runCli(['encode', '--json', '--header', EXAMPLE, '-t', 'x86_64', 's390x', '--flags', 'CLONE_NEWPID', '--pids', '300,1', '--depth', '0']);
    assert.equal(r.status, 0, r.stderr);
    const images = JSON.parse(r.stdout) as Array<{ target: string; segments: Array<{ name: string; hex: string }>; plan: Array<{ segment: string; length: number }> }>;
    assert.deepEqual(images.map((i) => i.target), ['x86_64', 's390x']);
    for (const img of images) {
      assert.deepEqual(img.plan.map((p) => [p.segment, p.length]), [['clone_pidfd_args', 96]]);
      const bytes = Buffer.from(img.segments[0].hex, 'hex');
      const le = img.target === 'x86_64';
      const u32 = (o: number) => (le ? bytes.readUInt32LE(o) : bytes.readUInt32BE(o));
      assert.deepEqual([u32(56), u32(64), u32(68)], [2, 1, 300]); // set_tid_size, set_tid[0] (the new namespace), set_tid[1]
    }
    const refused = runCli(['encode', '--header', EXAMPLE, '--pids', '1,2,3,4,5,6,7,8,9', '--depth', '8']);
    assert.equal(refused.status, 2);
    assert.match(refused.stderr, /clone_pidfd cannot express this request: 9 entries would be needed \[limit: at most 8 pid\(s\)\]/);
  });

  it('run --quick --filter proposals/clone_pidfd: its copy plans measured as real kernel copies', { skip: !x86 && 'the copy-plan probes are x86_64 only' }, (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'clonebench-run-'));
    chmodSync(dir, 0o777);
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const r = runCli(['run', '--quick', '--filter', 'proposals/clone_pidfd', '--header', EXAMPLE, '--rounds', '3', '--warmup', '0', '--no-progress', '--out', dir], { timeout: 60_000 });
    assert.equal(r.status, 0, r.stderr);
    const res = readResults(join(dir, readdirSync(dir)[0]));
    const variants = res.variants.filter((v) => v.id.startsWith('proposals/clone_pidfd/'));
    const requests = ['empty', 'pids@1', 'pids@32', 'pids@4'];
    assert.deepEqual(variants.map((v) => v.id).sort(), requests.flatMap((x) => PLACEMENTS.map((p) => `proposals/clone_pidfd/${x}@${p}`)).sort());
    const byId = new Map(variants.map((v) => [v.id.split('/').pop(), v]));
    // Measured in the worker processes (which registered the header too): one copy of 96 bytes.
    const pids4 = byId.get('pids@4@co-located')!;
    assert.equal(pids4.status, 'measured', JSON.stringify(pids4.skip));
    assert.deepEqual([pids4.copyPlan?.copies, pids4.copyPlan?.bytes], [1, 96]);
    // 32 levels are beyond set_tid[8].
    assert.match(JSON.stringify(byId.get('pids@32@co-located')), /at most 8 pid\(s\)/);
    // The results file carries the header proposal's layouts and review for a later report.
    assert.ok(JSON.stringify(res.declarations?.abi).includes('clone_pidfd_args'));
  });
});

it('the README shows the example header as it is, and the commands it runs', () => {
  const readme = readFileSync(join(PACKAGE_ROOT, 'README.md'), 'utf8');
  assert.ok(readme.includes(readFileSync(EXAMPLE, 'utf8')), 'README.md and abi/headers/examples/clone_pidfd.h differ');
  for (const command of ['abi --check --header abi/headers/examples/clone_pidfd.h', 'review --header abi/headers/examples/clone_pidfd.h', 'encode --header abi/headers/examples/clone_pidfd.h', 'run --quick --filter proposals/clone_pidfd --header abi/headers/examples/clone_pidfd.h']) assert.ok(readme.includes(`./clonebench ${command}`), command);
});

describe('clone_pidfd.h in this process: registered, encoded, decoded by the generic decoder', () => {
  const [id] = registerHeaders([EXAMPLE]);
  const rp = resolveProposal(proposalById(id));
  const host = hostTarget();
  const decode = (req: CloneRequest, state = stateFor(req, rp)) => withNative(encode(req, host, rp), host, (n) => ({ ...decodeNative(n, state), plan: planReads(n) }));

  it('600 random requests it can express come back identical, with the reads of its copy plan', () => {
    // clone3's flags, less those this header does not define (CLONE_PIDFD, CLONE_INTO_CGROUP).
    const known = Object.values(genericSemanticsOf(id)!.knownFlags).reduce((a, b) => a | b, 0n);
    fc.assert(
      fc.property(validRequestArb(rp, host).map((req) => makeRequest({ ...req, flags: req.flags & known })), (req) => {
        const r = decode(req);
        assert.equal(r.code, 'OK', bigintJson(req));
        assert.deepEqual(r.request, req);
        assert.deepEqual(r.reads, r.plan);
      }),
      { numRuns: 600 },
    );
  });

  it('the annotated checks give their errno', () => {
    const onePid = makeRequest({ depth: 2, pids: [{ level: 2, pid: 300 }] });
    assert.equal(decode(onePid, stateFor(onePid, rp, { privileged: false })).code, 'EPERM');
    assert.equal(decode(onePid, stateFor(onePid, rp, { taken: [{ level: 2, pid: 300 }] })).code, 'EEXIST');
    assert.equal(decode(onePid, stateFor(onePid, rp, { pidMax: 300 })).code, 'EINVAL');
    // More pids than the caller has levels (the caller is at the root here).
    const three = makeRequest({ depth: 2, pids: [0, 1, 2].map((level) => ({ level, pid: 300 + level })) });
    assert.equal(decode(three).code, 'OK');
    assert.equal(decode(three, stateFor(three, rp, { callerLevel: 0 })).code, 'EINVAL');
    const newNs = makeRequest({ flags: CLONE_NEWPID, depth: 0, pids: [{ level: 1, pid: 5 }] });
    assert.equal(decode(newNs).code, 'EINVAL'); // not 1 in the namespace the call creates
    assert.equal(decode(makeRequest({ flags: 1n << 40n })).code, 'EINVAL'); // an unknown flag
    assert.equal(decode(makeRequest({ flags: CLONE_FLAGS.CLONE_CLEAR_SIGHAND | CLONE_FLAGS.CLONE_VM })).code, 'OK');
    assert.equal(decode(makeRequest({ exitSignal: 65 })).code, 'EINVAL'); // above _NSIG
    assert.throws(() => encode(makeRequest({ flags: CLONE_FLAGS.CLONE_INTO_CGROUP, cgroup: 3n }), host, rp), (e) => e instanceof EncodeRefusal && /no cgroup/.test(e.limit));
  });
});
