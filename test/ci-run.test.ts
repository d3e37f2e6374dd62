/**
 * Issue 12 item 6: .ci/run as a user other than root. A copy of the script runs with fake
 * dpkg, apt-get, sudo and npm first on PATH (they log their calls), as uid 65534 where the test
 * runs as root, so no package is installed and no npm runs for real.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { PACKAGE_ROOT } from '../src/native/paths.js';

const isRoot = process.getuid?.() === 0;
/** The packages .ci/run installs, as it lists them (a package added there needs no test change). */
const ALL = /^APT_PACKAGES="([^"]+)"$/m.exec(readFileSync(join(PACKAGE_ROOT, '.ci', 'run'), 'utf8'))![1];
/** What .ci/run finds missing when `installed` are present, in its own order. */
const missing = (installed: string[]) => ALL.split(' ').filter((p) => !installed.includes(p)).join(' ');

interface Setup {
  /** Packages dpkg reports as installed. */
  installed: string[];
  /** Put a sudo on PATH; 'fails' answers as sudo -n does when a password is needed. */
  sudo?: 'works' | 'fails';
}

/** The script in a temp checkout, a bin dir of fakes plus the few real tools it needs. */
const made: string[] = [];
after(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function prepare(s: Setup) {
  const dir = mkdtempSync(join(tmpdir(), 'clonebench-ci-'));
  made.push(dir);
  chmodSync(dir, 0o755);
  mkdirSync(join(dir, '.ci'));
  cpSync(join(PACKAGE_ROOT, '.ci', 'run'), join(dir, '.ci', 'run'));
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  const log = join(dir, 'log');
  writeFileSync(log, '');
  chmodSync(log, 0o666);
  const fake = (name: string, body: string) => {
    writeFileSync(join(bin, name), `#!/bin/bash\necho "$EUID ${name} $*" >> ${log}\n${body}\n`);
    chmodSync(join(bin, name), 0o755);
  };
  fake('dpkg', `case " ${s.installed.join(' ')} " in *" $2 "*) exit 0;; esac; exit 1`);
  // Like the real apt-get, refuse without root (the lock), unless reached through sudo.
  fake('apt-get', '[ "$EUID" -eq 0 ] || [ -n "$VIA_SUDO" ] || { echo "E: Could not open lock file /var/lib/dpkg/lock-frontend - open (13: Permission denied)" >&2; exit 100; }');
  if (s.sudo === 'works') fake('sudo', '[ "$1" = -n ] && shift; VIA_SUDO=1 exec "$@"');
  if (s.sudo === 'fails') fake('sudo', 'echo "sudo: a password is required" >&2; exit 1');
  fake('npm', 'exit 0');
  for (const tool of ['dirname', 'env', 'bash']) {
    const real = ['/usr/bin', '/bin'].map((d) => join(d, tool)).find((p) => existsSync(p))!;
    symlinkSync(real, join(bin, tool));
  }
  return { dir, bin, log };
}

function runCi(s: Setup, asRoot = false) {
  const p = prepare(s);
  const user = !asRoot && isRoot ? { uid: 65534, gid: 65534 } : {};
  const r = spawnSync('/bin/bash', [join(p.dir, '.ci', 'run')], { encoding: 'utf8', env: { PATH: p.bin, HOME: p.dir }, stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000, ...user });
  const calls = readFileSync(p.log, 'utf8').split('\n').filter((l) => l && !/ dpkg /.test(l));
  return { status: r.status, stderr: r.stderr, calls };
}

describe('.ci/run as a user other than root', { skip: process.platform !== 'linux' && 'Linux only' }, () => {
  const uid = isRoot ? 65534 : process.getuid!();

  it('no sudo: says which packages to install as root, exits 1, runs neither apt-get nor npm', () => {
    const r = runCi({ installed: ['gcc', 'clang'] });
    assert.equal(r.status, 1, r.stderr);
    assert.equal(
      r.stderr,
      `.ci/run: not root (uid ${uid}) and no sudo, so ${missing(['gcc', 'clang'])} cannot be installed; install the missing Debian packages as root, then run .ci/run again:\n` +
        `  apt-get install -y --no-install-recommends ${missing(['gcc', 'clang'])}\n`,
    );
    assert.deepEqual(r.calls, []);
  });

  it('with sudo: apt-get through sudo (non-interactive without a terminal), then npm ci and npm test', () => {
    const r = runCi({ installed: [], sudo: 'works' });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(r.calls, [
      `${uid} sudo -n env DEBIAN_FRONTEND=noninteractive apt-get update -qq`,
      `${uid} apt-get update -qq`,
      `${uid} sudo -n env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ${ALL}`,
      `${uid} apt-get install -y -qq --no-install-recommends ${ALL}`,
      `${uid} npm ci --no-audit --no-fund`,
      `${uid} npm test`,
    ]);
  });

  it('sudo that needs a password: the packages named, exit 1, no npm', () => {
    const installed = ALL.split(' ').filter((p) => !['gcc-12-multilib', 'gcc-m68k-linux-gnu'].includes(p));
    const r = runCi({ installed, sudo: 'fails' });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^sudo: a password is required\n\.ci\/run: installing gcc-12-multilib gcc-m68k-linux-gnu with sudo failed \(uid \d+\); install the missing Debian packages as root/);
    assert.match(r.stderr, /\n {2}apt-get install -y --no-install-recommends gcc-12-multilib gcc-m68k-linux-gnu\n$/);
    assert.ok(!r.calls.some((c) => / npm /.test(c)), r.calls.join('\n'));
  });

  it('everything installed: no apt-get, no sudo, straight to npm', () => {
    const r = runCi({ installed: ALL.split(' ') });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(r.calls, [`${uid} npm ci --no-audit --no-fund`, `${uid} npm test`]);
  });

  it('as root: apt-get directly, as before (sudo is never called)', { skip: !isRoot && 'needs root' }, () => {
    const r = runCi({ installed: ['gcc'], sudo: 'works' }, true);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(r.calls, [
      '0 apt-get update -qq',
      `0 apt-get install -y -qq --no-install-recommends ${missing(['gcc'])}`,
      '0 npm ci --no-audit --no-fund',
      '0 npm test',
    ]);
  });
});
