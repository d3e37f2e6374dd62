/**
 * `clonebench restore`: every interface, at depths 1, 2, 4 and 8, creates a child whose NSpid
 * read back through a pidfd equals the request, as root (in process) and as uid 65534 through a
 * user namespace (the CLI spawned as that user); refusals happen before anything is made
 * (exit 2); a taken pid gets the interface's own errno (exit 1); nothing is left behind.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { EncodeRefusal } from '../src/encode/types.js';
import { UsageError } from '../src/errors.js';
import { hostTarget, proposalById, resolveProposal } from '../src/registry.js';
import { requestFromOptions } from '../src/request/parse.js';
import { RestoreDriver } from '../src/restore/driver.js';
import { lowerToClone3, LoweringError } from '../src/restore/lower.js';
import { prepareRestore, restore, type RestoreOutcome } from '../src/restore/restore.js';
import { makeRequest } from '../src/request/types.js';
import { childrenOf, processExists } from './measure-procs.js';
import { inBatches, runTagged, runTaggedAsync, untilNoneTagged } from './restore-procs.js';

const x86 = process.arch === 'x64';
const root = process.getuid?.() === 0;
const host = hostTarget();
const INTERFACES = ['clone', 'clone_with_pids', 'clone_extended_flags', 'clone_extended_info', 'eclone', 'clone3', 'ns_last_pid'] as const;
const DEPTHS = [1, 2, 4, 8];
const EMULATED = new Set(['clone_with_pids', 'clone_extended_flags', 'clone_extended_info', 'eclone']);

/**
 * A request each interface can express at `depth`, choosing a pid at every level it can reach
 * except level 0 (ours, which a user namespace does not own): legacy clone chooses none,
 * ns_last_pid only the caller's own level, the others every level from 1 to the caller's.
 */
function nspidFor(id: string, depth: number): number[] {
  return Array.from({ length: depth + 1 }, (_, level) => {
    if (level === 0 || id === 'clone') return 0;
    if (id === 'ns_last_pid') return level === depth ? 400 + depth : 0;
    return 300 + 10 * level + depth;
  });
}

function assertRestored(o: RestoreOutcome | Record<string, unknown>, id: string, requested: number[], where: string): void {
  assert.equal(o.error ?? null, null, `${where}: ${JSON.stringify(o.error)}`);
  assert.deepEqual(o.requested, requested, where);
  const nspid = o.nspid as number[];
  assert.equal(nspid.length, requested.length, `${where}: NSpid ${nspid}`);
  requested.forEach((pid, level) => {
    if (pid !== 0) assert.equal(nspid[level], pid, `${where}: level ${level}`);
  });
  // Automatic levels got real pids (the kernel's own choice), never 0.
  assert.ok(nspid.every((p) => p > 0), `${where}: NSpid ${nspid}`);
  assert.equal(o.match, true, where);
  assert.equal(o.emulated, EMULATED.has(id), `${where}: emulated`);
}

describe('restore as root, in process', { skip: (!x86 || !root) && 'needs x86_64 and root' }, () => {
  let driver: RestoreDriver;
  before(() => {
    driver = RestoreDriver.start();
  });
  after(async () => {
    await driver.close();
    assert.deepEqual(childrenOf(process.pid), [], 'no child or zombie of the test process');
  });

  for (const id of INTERFACES) {
    it(`${id}: NSpid equals the request at depths ${DEPTHS.join(', ')}`, async () => {
      const rp = resolveProposal(proposalById(id));
      for (const depth of DEPTHS) {
        const requested = nspidFor(id, depth);
        const req = requestFromOptions({ pids: requested.join(','), depth: String(depth), exitSignal: 'SIGCHLD' });
        const o = await restore(rp, req, prepareRestore(rp, req, host), host, driver);
        assertRestored(o, id, requested, `${id} depth ${depth}`);
        assert.equal(o.privilege, 'root');
        assert.equal(o.namespaceHolders.length, depth + 1);
        for (const pid of o.namespaceHolders) assert.equal(processExists(pid), false, `${id} depth ${depth}: namespace holder ${pid} left`);
      }
    });
  }

  it('CLONE_NEWPID: the new namespace\'s pid is 1; clone3 chooses it, the 2009 series cannot', async () => {
    for (const [id, pids] of [['clone3', '0,300,400,1'], ['eclone', '0,300,400,0'], ['clone_with_pids', '0,0,400,0']] as const) {
      const rp = resolveProposal(proposalById(id));
      const req = requestFromOptions({ pids, depth: '2', flags: 'CLONE_NEWPID', exitSignal: 'SIGCHLD' });
      const o = await restore(rp, req, prepareRestore(rp, req, host), host, driver);
      assert.equal(o.error, undefined, `${id}: ${JSON.stringify(o.error)}`);
      assert.equal(o.nspid?.at(-1), 1, id);
      assert.equal(o.nspid?.length, 4, id);
    }
  });

  it('a taken pid: EBUSY for the 2009 series (their decoder), EEXIST for clone3 (the kernel), the next free pid for ns_last_pid', async () => {
    // Pid 1 at level 1 is the init of the caller's namespace.
    const expected: Record<string, string> = { clone_with_pids: 'EBUSY', clone_extended_flags: 'EBUSY', clone_extended_info: 'EBUSY', eclone: 'EBUSY', clone3: 'EEXIST' };
    for (const [id, code] of Object.entries(expected)) {
      const rp = resolveProposal(proposalById(id));
      const req = requestFromOptions({ pids: '0,1', depth: '1', exitSignal: 'SIGCHLD' });
      const o = await restore(rp, req, prepareRestore(rp, req, host), host, driver);
      assert.equal(o.error?.code, code, id);
      assert.equal(o.nspid, null, `${id}: no child`);
      assert.deepEqual(o.attempt?.state.taken, [{ level: 1, pid: 1 }], `${id}: the driver found pid 1 taken at level 1`);
    }
    const rp = resolveProposal(proposalById('ns_last_pid'));
    const req = requestFromOptions({ pids: '0,1', depth: '1', exitSignal: 'SIGCHLD' });
    const o = await restore(rp, req, prepareRestore(rp, req, host), host, driver);
    assert.equal(o.error?.code, 'MISMATCH');
    assert.equal(o.match, false);
    assert.notEqual(o.nspid?.[1], 1);
  });

  it('a taken pid the decoder was not told about: the kernel\'s EEXIST, reported as the 2009 series\' EBUSY', async () => {
    // A driver blind to taken pids: the decoder accepts, the lowered clone3 meets the init.
    const blind = Object.assign(Object.create(driver) as RestoreDriver, { taken: async () => false });
    const rp = resolveProposal(proposalById('eclone'));
    const req = requestFromOptions({ pids: '0,1', depth: '1', exitSignal: 'SIGCHLD' });
    const o = await restore(rp, req, prepareRestore(rp, req, host), host, blind);
    assert.equal(o.attempt?.decoder.code, 'OK');
    assert.deepEqual(o.attempt?.translated, { from: 'EEXIST', to: 'EBUSY' });
    assert.equal(o.error?.code, 'EBUSY');
    assert.equal(o.error?.errno, 16);
  });

  it('an automatic level between chosen ones is filled with a free pid (clone3 set_tid has no gap)', async () => {
    const rp = resolveProposal(proposalById('clone_with_pids'));
    const req = requestFromOptions({ pids: '0,0,300,0,400', depth: '4', exitSignal: 'SIGCHLD' });
    const o = await restore(rp, req, prepareRestore(rp, req, host), host, driver);
    assertRestored(o, 'clone_with_pids', [0, 0, 300, 0, 400], 'gap');
    assert.deepEqual(o.attempt?.lowered?.filled.map((f) => f.level), [3]);
    assert.equal(o.attempt?.lowered?.setTid.length, 3);
    assert.equal(o.attempt?.lowered?.setTid[1], o.nspid?.[3], 'the filled pid is the child\'s');
  });
});

describe('restore refusals, before anything is created', () => {
  it('prepareRestore refuses without any driver: the interface\'s rule, or a flag restore does not take', () => {
    const cases: Array<[string, string, string, RegExp]> = [
      ['clone', '5', '1', /no pid argument/],
      ['clone3', '0,300,0', '2', /without gaps/],
      ['ns_last_pid', '300,0', '1', /active pid namespace only/],
      ['eclone', '0,0,1', '1', /CLONE_NEWPID|caller's levels/],
    ];
    for (const [id, pids, depth, rule] of cases) {
      const rp = resolveProposal(proposalById(id));
      const req = requestFromOptions({ pids, depth, flags: id === 'eclone' ? 'CLONE_NEWPID' : undefined });
      assert.throws(() => prepareRestore(rp, req, host), (e: Error) => e instanceof EncodeRefusal && rule.test(e.message), id);
    }
    const rp = resolveProposal(proposalById('clone3'));
    assert.throws(() => prepareRestore(rp, requestFromOptions({ flags: 'CLONE_VM' }), host), (e: Error) => e instanceof UsageError && /CLONE_VM/.test(e.message));
  });

  it('the CLI exits 2 naming the rule, prints no restore, leaves nothing', async () => {
    for (const args of [['-p', 'clone', '--pids', '0,5', '--depth', '1'], ['-p', 'clone3', '--pids', '0,300,0', '--depth', '2'], ['-p', 'eclone', '--flags', 'CLONE_THREAD']]) {
      const r = runTagged(['restore', ...args]);
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stderr, /^clonebench: .*(limit: |does not take)/);
      assert.equal(r.stdout, '');
      assert.deepEqual(await untilNoneTagged(r.tag, 0), []);
    }
  });

  it('bad options exit 2 with one line', () => {
    for (const [args, msg] of [
      [['-p', 'nope'], /unknown proposal "nope"/],
      [['-p', 'clone3', '--depth', 'x'], /--depth takes a decimal integer/],
      [['-p', 'clone3', '--depth', '40'], /--depth takes a decimal integer in 0\.\.32, got 40/],
      [['-p', 'clone3', '--pids', '1,a'], /--pids takes a decimal integer in 0\.\.2147483647, got "a"/],
    ] as const) {
      const r = runTagged(['restore', ...args]);
      assert.equal(r.status, 2, `${args}: ${r.stderr}`);
      assert.match(r.stderr, msg);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    }
  });
});

describe('restore through the CLI', { skip: (!x86 || !root) && 'needs x86_64 and root (to drop to uid 65534)' }, () => {
  it('as root, text: a depth-2 restore prints the request, the lowering and the child\'s NSpid; exit 0', async () => {
    const r = runTagged(['restore', '-p', 'eclone', '--pids', '0,300,400', '--depth', '2']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^restore through eclone \(emulated via clone3\): caller at depth 2 \(as root\)/);
    assert.match(r.stdout, /requested NSpid +0 300 400/);
    assert.match(r.stdout, /lowered +clone3 set_tid \[400 300\] \(innermost first\)/);
    assert.match(r.stdout, /child NSpid +\d+ 300 400 +matches the request/);
    assert.deepEqual(await untilNoneTagged(r.tag), []);
  });

  it('as root, a taken pid: JSON with the interface\'s errno, exit 1', async () => {
    for (const [id, code] of [['eclone', 'EBUSY'], ['clone3', 'EEXIST']]) {
      const r = runTagged(['restore', '-p', id, '--pids', '0,1', '--depth', '1', '--json']);
      assert.equal(r.status, 1, r.stderr);
      const o = JSON.parse(r.stdout);
      assert.equal(o.error.code, code);
      assert.equal(o.nspid, null);
      assert.deepEqual(o.requested, [0, 1]);
      assert.match(r.stderr, new RegExp(`${code}`));
      assert.deepEqual(await untilNoneTagged(r.tag), []);
    }
  });

  it(`as uid 65534 through a user namespace: every interface at depths ${DEPTHS.join(', ')}`, async () => {
    const runs = INTERFACES.flatMap((id) => DEPTHS.map((depth) => ({ id, depth, requested: nspidFor(id, depth) })));
    const results = await inBatches(runs, 3, async (run) => ({
      ...run,
      r: await runTaggedAsync(['restore', '-p', run.id, '--pids', run.requested.join(','), '--depth', String(run.depth), '--json'], { uid: 65534, gid: 65534 }),
    }));
    let refused = 0;
    for (const { id, depth, requested, r } of results) {
      const where = `${id} depth ${depth} as uid 65534`;
      const o = JSON.parse(r.stdout || '{}');
      if (o.error?.step?.startsWith('unshare(CLONE_NEWUSER)')) {
        // The kernel refuses user namespaces here: allowed only if it refuses every run.
        refused++;
        continue;
      }
      assert.equal(r.status, 0, `${where}: ${r.stderr}`);
      assertRestored(o, id, requested, where);
      assert.equal(o.privilege, 'user-namespace', where);
      assert.deepEqual(await untilNoneTagged(r.tag), [], `${where}: processes left`);
    }
    assert.ok(refused === 0 || refused === runs.length, `user namespaces refused for ${refused} of ${runs.length} runs`);
    if (refused) console.log(`# skipped: user namespaces are refused to uid 65534 on this machine`);
  });

  it('as uid 65534, a pid in our own namespace is refused: EPERM from the decoder (eclone) and from the kernel (clone3)', async () => {
    for (const id of ['eclone', 'clone3']) {
      const r = await runTaggedAsync(['restore', '-p', id, '--pids', '30000', '--depth', '0', '--json'], { uid: 65534, gid: 65534 });
      assert.equal(r.status, 1, r.stderr);
      const o = JSON.parse(r.stdout);
      assert.equal(o.error.code, 'EPERM', id);
      assert.equal(o.privilege, 'unprivileged');
      assert.equal(o.decoder, 'EPERM', `${id}: the decoder saw an unprivileged caller`);
    }
  });
});

describe('lowering to clone3', () => {
  const noFree = async (level: number): Promise<number> => {
    throw new Error(`no free pid should be needed (level ${level})`);
  };

  it('set_tid innermost first; the new namespace\'s level gets 1; gaps get a free pid', async () => {
    const req = makeRequest({ depth: 2, flags: 0x20000000n, pids: [{ level: 1, pid: 300 }, { level: 2, pid: 400 }] });
    const l = await lowerToClone3(req, host, noFree);
    assert.deepEqual(l.setTid, [1, 400, 300]);
    assert.deepEqual(l.filled, []);
    const gap = await lowerToClone3(makeRequest({ depth: 3, pids: [{ level: 1, pid: 300 }, { level: 3, pid: 500 }] }), host, async (level) => 7000 + level);
    assert.deepEqual(gap.setTid, [500, 7002, 300]);
    assert.deepEqual(gap.filled, [{ level: 2, pid: 7002 }]);
    assert.deepEqual((await lowerToClone3(makeRequest({ depth: 1 }), host, noFree)).setTid, []);
  });

  it('refuses what clone3 cannot carry', async () => {
    await assert.rejects(lowerToClone3({ ...makeRequest({ depth: 0 }), flags: 1n << 70n }, host, noFree), LoweringError);
    await assert.rejects(lowerToClone3(makeRequest({ depth: 0, stack: 0x10000n }), host, noFree), /stack pointer without a stack size/);
  });
});
