/**
 * `clonebench conformance`: the built-in table passes on this kernel, and every row fails when
 * its expectation is flipped (so no row passes whatever the kernel says); a case file with
 * wrong expectations reports exactly those; malformed files exit 2 naming the case and key;
 * nothing is left behind after a run, a failing case, SIGTERM or SIGKILL of the CLI.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { release, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { builtinCases } from '../src/conformance/builtin.js';
import { kernelMatches, type ConformanceCase } from '../src/conformance/case.js';
import { prepareCase } from '../src/conformance/prepare.js';
import { DriverPool, runConformance, type CaseResult } from '../src/conformance/runner.js';
import { hostTarget } from '../src/registry.js';
import { CLI } from './helpers.js';
import { childrenOf } from './measure-procs.js';
import { newTag, runTagged, untilNoneTagged } from './restore-procs.js';

const x86 = process.arch === 'x64';
const root = process.getuid?.() === 0;
const host = hostTarget();
const UNSHARE = '/usr/bin/unshare';
const dir = mkdtempSync(join(tmpdir(), 'clonebench-conformance-'));

function caseFile(name: string, cases: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof cases === 'string' ? cases : JSON.stringify({ cases }));
  return path;
}

/** The only reasons a built-in row may be skipped on a machine that can run it. */
const ALLOWED_SKIP = /^kernel .* is outside|^needs root|unshare\(CLONE_NEWUSER\)/;

describe('the built-in table on this kernel', { skip: (!x86 || !root) && 'needs x86_64 and root' }, () => {
  const pool = new DriverPool();
  const cases = builtinCases(host.pageSize);
  let results: CaseResult[];
  before(async () => {
    results = await runConformance(cases.map((c) => prepareCase(c, host)), { host, pool });
  });
  after(async () => {
    await pool.close();
    assert.deepEqual(childrenOf(process.pid), [], 'no driver, chain or zombie left');
  });

  it('every row passes (or is skipped for a kernel version range)', () => {
    assert.equal(results.length, cases.length);
    for (const r of results) {
      assert.notEqual(r.verdict, 'fail', `${r.name}: ${r.reason}`);
      if (r.verdict === 'skip') assert.match(r.reason, ALLOWED_SKIP, r.name);
    }
    // This kernel is inside every range the table uses: nothing skipped as root.
    if (kernelMatches('>=6.3 <7.0', release())) assert.equal(results.filter((r) => r.verdict === 'skip').length, 0);
  });

  it('covers clone3 and every emulated interface, the orders that decide which error wins, and both uids', () => {
    const names = cases.map((c) => c.name).join('\n');
    for (const order of [/size wins over an unknown flag/, /set_tid wins over an unknown flag/, /range before privilege/, /non-zero tail wins over an unknown flag/])
      assert.match(names, order);
    for (const p of ['clone3', 'clone_with_pids', 'clone_extended_flags', 'clone_extended_info', 'eclone']) assert.ok(cases.some((c) => c.proposal === p), p);
    assert.ok(cases.some((c) => c.uid === 65534) && cases.some((c) => c.uid === 0));
  });

  /** Runs the table with each row's expectation replaced; every row that ran must now fail. */
  async function flipped(flip: (c: ConformanceCase) => ConformanceCase | undefined): Promise<void> {
    const changed = cases.flatMap((c) => flip(c) ?? []);
    assert.ok(changed.length > 0);
    const out = await runConformance(changed.map((c) => prepareCase(c, host)), { host, pool });
    for (const r of out) {
      if (r.verdict === 'skip') continue;
      assert.equal(r.verdict, 'fail', `${r.name} still passes with expect ${r.expect} (got ${r.got})`);
    }
  }

  it('each row fails when its expectation is flipped between ok and an error', async () => {
    await flipped((c) => ({ ...c, expect: c.expect === 'ok' ? 'EINVAL' : 'ok', expectNspid: undefined }));
  });

  it('each error row fails when it expects another errno (which error wins is checked, not just "an error")', async () => {
    await flipped((c) => (c.expect === 'ok' ? undefined : { ...c, expect: c.expect === 'EINVAL' ? 'E2BIG' : 'EINVAL' }));
  });

  it('each row with expect_nspid fails when one expected pid differs', async () => {
    await flipped((c) => (c.expectNspid ? { ...c, expectNspid: c.expectNspid.map((p, i) => (i === c.expectNspid!.length - 1 ? p + 7 : p)) } : undefined));
  });
});

describe('case files', () => {
  it('a file with deliberately wrong expectations reports exactly those as fail (exit 1), nothing left', { skip: (!x86 || !root) && 'needs x86_64 and root' }, async () => {
    const path = caseFile('wrong.json', [
      { name: 'right: size 4097', size: 4097, expect: 'E2BIG' },
      { name: 'wrong: size 4097 is not EINVAL', size: 4097, expect: 'EINVAL' },
      { name: 'right: set_tid pid 1 in a new pid namespace', depth: 0, uid: 0, size: 88, flags: ['CLONE_NEWPID'], exit_signal: 'SIGCHLD', set_tid: [1], set_tid_size: 1, tail: {}, expect: 'ok', expect_nspid: [0, 1] },
      { name: 'wrong: the init\'s pid is taken', depth: 1, set_tid: [1], expect: 'ok' },
      { name: 'wrong: eclone says EBUSY, not EEXIST', proposal: 'eclone', depth: 1, pids: [1], expect: 'EEXIST' },
      { name: 'right: eclone with a free pid', proposal: 'eclone', depth: 2, pids: ['$free', '$free'], expect: 'ok' },
      { name: 'wrong: NSpid', depth: 1, set_tid: [555], expect: 'ok', expect_nspid: [0, 556] },
      { name: 'right: unprivileged set_tid in our namespace', uid: 65534, set_tid: ['$free'], expect: 'EPERM' },
    ]);
    const r = runTagged(['conformance', '--cases', path, '--no-builtin', '--json']);
    assert.equal(r.status, 1, r.stderr);
    const { results } = JSON.parse(r.stdout) as { results: CaseResult[] };
    assert.equal(results.length, 8);
    for (const x of results) {
      assert.deepEqual(Object.keys(x).slice(0, 3), ['name', 'proposal', 'source']);
      assert.equal(x.verdict, x.name.startsWith('wrong') ? 'fail' : 'pass', `${x.name}: ${x.reason}`);
    }
    assert.equal(results.find((x) => x.name.startsWith('wrong: eclone'))?.got, 'EBUSY');
    assert.match(results.find((x) => x.name === 'wrong: NSpid')!.reason, /expect_nspid: level 1 is 555, not 556/);
    assert.deepEqual(await untilNoneTagged(r.tag), [], 'processes left after failing cases');
  });

  it('malformed files exit 2 with one line naming the file, the case and the key', () => {
    const bad: Array<[string, unknown, RegExp]> = [
      ['unknown-key.json', [{ name: 'a', expect: 'ok', sett_tid: [1] }], /unknown-key\.json: case 1 "a": unknown key "sett_tid"/],
      ['errno.json', [{ name: 'a', expect: 'ok' }, { name: 'b', expect: 'EFOO' }], /errno\.json: case 2 "b": expect: "EFOO" is neither "ok" nor an errno name/],
      ['syntax.json', '{"cases": [\n  {"name": "a", "expect": "ok",}\n]}', /syntax\.json:2:32: malformed JSON/],
      ['top.json', '{"casez": []}', /top\.json: unknown key "casez"/],
      ['uid.json', [{ name: 'a', expect: 'ok', uid: 1000 }], /case 1 "a": uid: expected 0 \(privileged\) or 65534/],
      ['flag.json', [{ name: 'a', expect: 'ok', flags: ['CLONE_BOGUS'] }], /case 1 "a": flags: unknown clone flag "CLONE_BOGUS"/],
      ['signal.json', [{ name: 'a', expect: 'ok', exit_signal: 'SIGBOGUS' }], /case 1 "a": exit_signal: "SIGBOGUS" is not a signal name/],
      ['mixed.json', [{ name: 'a', expect: 'ok', pids: [1] }], /case 1 "a": pids: only for an emulated interface's case/],
      ['member.json', [{ name: 'a', expect: 'ok', proposal: 'eclone', fields: { 'clone_args.nope': 1 } }], /case 1 "a": fields\.clone_args\.nope: no member/],
      ['field3.json', [{ name: 'a', expect: 'ok', fields: { nope: 1 } }], /case 1 "a": fields\.nope: struct clone_args has no member "nope"/],
      ['free.json', [{ name: 'a', expect: 'ok', set_tid: ['$free', '$free'] }], /case 1 "a": set_tid\.1: "\$free" for level -1/],
      ['nspid.json', [{ name: 'a', expect: 'ok', depth: 1, expect_nspid: [0] }], /case 1 "a": expect_nspid: 1 entries, but the child is visible in 2/],
      ['dup.json', [{ name: 'a', expect: 'ok' }, { name: 'a', expect: 'ok' }], /case 2 "a": name: another case has this name/],
      ['proposal.json', [{ name: 'a', expect: 'ok', proposal: 'ns_last_pid' }], /case 1 "a": proposal: "ns_last_pid" is not clone3 or an emulated interface/],
      ['tail.json', [{ name: 'a', expect: 'ok', tail: { 90: 1 } }], /case 1 "a": tail\.90: a tail byte lies in \[88, size\)/],
      ['eclone-flags.json', [{ name: 'a', expect: 'ok', proposal: 'eclone', flags: ['bit40'] }], /case 1 "a": flags: eclone cannot express this request/],
    ];
    for (const [name, content, msg] of bad) {
      const r = runTagged(['conformance', '--cases', caseFile(name, content)]);
      assert.equal(r.status, 2, `${name}: ${r.stderr}`);
      assert.match(r.stderr, msg, name);
      assert.equal(r.stderr.trim().split('\n').length, 1, `${name}: ${r.stderr}`);
      assert.equal(r.stdout, '', `${name}: nothing ran`);
    }
    const missing = runTagged(['conformance', '--cases', join(dir, 'missing.json')]);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /missing\.json: cannot read the case file \(ENOENT\)/);
  });

  it('kernel version ranges', () => {
    assert.equal(kernelMatches('>=6.3', '6.18.44-fc'), true);
    assert.equal(kernelMatches('>=6.3', '6.2.9'), false);
    assert.equal(kernelMatches('<7.0', '6.18.44'), true);
    assert.equal(kernelMatches('<7.0', '7.0.0-rc1'), false);
    assert.equal(kernelMatches('>=5.5 <7.0', '5.4.0'), false);
    assert.equal(kernelMatches('>=5.5 <7.0', '5.10.1'), true);
    assert.equal(kernelMatches('=6.18', '6.18.0'), true);
  });
});

describe('unprivileged and interrupted runs', { skip: (!x86 || !root) && 'needs x86_64 and root (to drop to uid 65534)' }, () => {
  it('as uid 65534: the built-in table has no failure; uid-0 rows are skipped as needing root', async () => {
    const r = runTagged(['conformance', '--json'], { uid: 65534, gid: 65534 });
    assert.equal(r.status, 0, r.stderr);
    const { results } = JSON.parse(r.stdout) as { results: CaseResult[] };
    const unprivileged = new Set(builtinCases(host.pageSize).filter((c) => c.uid === 65534).map((c) => c.name));
    for (const x of results) {
      if (unprivileged.has(x.name)) {
        if (x.verdict === 'skip') assert.match(x.reason, /unshare\(CLONE_NEWUSER\)|kernel .* is outside/, x.name);
        else assert.equal(x.verdict, 'pass', `${x.name}: ${x.reason}`);
      } else assert.deepEqual([x.verdict, x.reason], ['skip', 'needs root (uid 0); this run is uid 65534'], x.name);
    }
    assert.deepEqual(await untilNoneTagged(r.tag), []);
  });

  it('where user namespaces cannot be made: no failure, the rows that need one skipped with the step and errno; restore exits 1 naming it', { skip: !existsSync(UNSHARE) && 'needs util-linux unshare' }, async () => {
    // Inside a user namespace mapping uid 65534 and no gid, a nested one is refused (EPERM).
    const inside = (args: string[]) => runTagged(['--user', '--map-user=65534', process.execPath, CLI, ...args], { command: UNSHARE });
    const r = inside(['conformance', '--json']);
    assert.equal(r.status, 0, r.stderr);
    const { results } = JSON.parse(r.stdout) as { results: CaseResult[] };
    assert.ok(results.every((x) => x.verdict !== 'fail'), JSON.stringify(results.filter((x) => x.verdict === 'fail')));
    // Exactly the unprivileged rows that need a user namespace: deeper than ours, or CLONE_NEWUSER.
    const needUserns = builtinCases(host.pageSize).filter((c) => c.uid === 65534 && (c.depth > 0 || (c.flags & 0x10000000n) !== 0n));
    const refused = results.filter((x) => x.verdict === 'skip' && /unshare\(CLONE_NEWUSER\).* failed with EPERM/.test(x.reason));
    assert.deepEqual(refused.map((x) => x.name).sort(), needUserns.map((c) => c.name).sort());
    assert.ok(results.some((x) => x.verdict === 'pass'), 'depth-0 unprivileged rows still run');
    const restore = inside(['restore', '-p', 'eclone', '--pids', '0,5', '--depth', '1']);
    assert.equal(restore.status, 1);
    assert.match(restore.stderr, /^clonebench: eclone: cannot build the caller's 1 pid namespace\(s\): unshare\(CLONE_NEWUSER\)-at-level-0 failed with EPERM as uid 65534/);
    assert.deepEqual(await untilNoneTagged(r.tag), []);
    assert.deepEqual(await untilNoneTagged(restore.tag), []);
  });

  it('without clone3 (seccomp ENOSYS): no failure, every row that reaches clone3 skipped with ENOSYS, decoder refusals still checked; restore exits 1 naming it', async () => {
    const noclone3 = fileURLToPath(new URL('../../build/noclone3', import.meta.url));
    const r = runTagged([process.execPath, CLI, 'conformance', '--json'], { command: noclone3 });
    assert.equal(r.status, 0, r.stderr);
    const { results } = JSON.parse(r.stdout) as { results: CaseResult[] };
    for (const x of results) {
      if (x.verdict === 'skip') assert.match(x.reason, /ENOSYS/, x.name);
      else assert.deepEqual([x.verdict, x.proposal !== 'clone3', x.got !== 'ok'], ['pass', true, true], `${x.name}: ${x.reason}`);
    }
    for (const p of ['clone_with_pids', 'clone_extended_flags', 'clone_extended_info', 'eclone'])
      assert.ok(results.some((x) => x.proposal === p && x.verdict === 'pass'), `${p}: its decoder's refusals at depth 0 still run`);
    const restore = runTagged([process.execPath, CLI, 'restore', '-p', 'clone3', '--pids', '5'], { command: noclone3 });
    assert.equal(restore.status, 1);
    assert.match(restore.stderr, /^clonebench: clone3: clone3 answered ENOSYS/);
    assert.deepEqual(await untilNoneTagged(r.tag), []);
  });

  for (const signal of ['SIGTERM', 'SIGINT', 'SIGKILL'] as const) {
    it(`${signal} in the middle of a run leaves no process and no namespace`, { timeout: 90_000 }, async () => {
      const tag = newTag();
      const child = spawn(process.execPath, [CLI, 'conformance'], { env: { ...process.env, CLONEBENCH_TEST_TAG: tag } });
      let out = '';
      let sent = false;
      // 'exit', not 'close': a broken teardown must fail this test, not hang it on a leftover's pipe.
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, sig) => resolve({ code, signal: sig })));
      const watchdog = setTimeout(() => child.kill('SIGKILL'), 60_000);
      child.stdout.setEncoding('utf8').on('data', (d: string) => {
        out += d;
        // Some cases done (namespaces exist): send the signal.
        if (!sent && out.split('\n').length > 20) {
          sent = true;
          child.kill(signal);
        }
      });
      const { code, signal: got } = await exited;
      clearTimeout(watchdog);
      assert.ok(sent, 'the run ended before the signal could be sent');
      if (signal === 'SIGKILL') assert.equal(got, 'SIGKILL');
      else assert.equal(code, signal === 'SIGTERM' ? 143 : 130, out);
      // After SIGKILL the driver sees end of input and tears down by itself.
      assert.deepEqual(await untilNoneTagged(tag), [], `processes left after ${signal}`);
    });
  }
});
