/**
 * Issue 12 item 5: building the native code on a machine without a C compiler (or without the
 * libc headers) ends in one line that names what is missing and the Debian packages that bring
 * it, exit 1, no stack trace. The script runs on a copy of scripts/ and native/ in a temp dir,
 * so the checkout's build/ is never touched.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { PACKAGE_ROOT } from '../src/native/paths.js';

const made: string[] = [];
after(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function copyOfSources(): string {
  const dir = mkdtempSync(join(tmpdir(), 'clonebench-build-'));
  made.push(dir);
  for (const sub of ['scripts', 'native']) cpSync(join(PACKAGE_ROOT, sub), join(dir, sub), { recursive: true });
  return dir;
}

function build(dir: string, cc: string) {
  const r = spawnSync(process.execPath, [join(dir, 'scripts', 'build-native.mjs')], { encoding: 'utf8', env: { ...process.env, CC: cc }, timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('build-native without a working C toolchain', () => {
  it('CC=/nonexistent/cc: one line naming the compiler and the packages gcc and libc6-dev, exit 1', () => {
    const dir = copyOfSources();
    const r = build(dir, '/nonexistent/cc');
    assert.equal(r.status, 1, r.stderr);
    assert.equal(
      r.stderr,
      'clonebench build: no C compiler: "/nonexistent/cc" (from CC) was not found; install the Debian packages gcc and libc6-dev (apt-get install gcc libc6-dev), or set CC to a C compiler\n',
    );
    assert.deepEqual(readdirSync(join(dir, 'build')), [], 'nothing built, nothing half-written');
  });

  it('a compiler without the libc headers: the missing header named, and libc6-dev', () => {
    const dir = copyOfSources();
    // A stand-in compiler that answers --version and fails as gcc does without libc6-dev.
    const fake = join(dir, 'fake-cc');
    writeFileSync(fake, '#!/bin/sh\n[ "$1" = --version ] && { echo "fake-cc 1.0"; exit 0; }\necho "native/x.c:15:10: fatal error: errno.h: No such file or directory" >&2\nexit 1\n');
    chmodSync(fake, 0o755);
    const r = build(dir, fake);
    assert.equal(r.status, 1, r.stderr);
    const lines = r.stderr.trimEnd().split('\n');
    // The compiler's own message, then ours as the last line.
    assert.match(lines[0], /fatal error: errno\.h: No such file or directory/);
    assert.match(lines.at(-1)!, /^clonebench build: compiling native\/\S+\.c failed: a system header is missing \(errno\.h\); install the Debian packages libc6-dev and linux-libc-dev \(apt-get install libc6-dev linux-libc-dev\)$/);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    assert.ok(!readdirSync(join(dir, 'build')).some((f) => f.endsWith('.cflags.json')));
  });

  it('a compiler that fails on the code: the file named, the messages above, exit 1', () => {
    const dir = copyOfSources();
    const fake = join(dir, 'fake-cc');
    writeFileSync(fake, '#!/bin/sh\n[ "$1" = --version ] && { echo "fake-cc 1.0"; exit 0; }\necho "x.c:1:1: error: expected something" >&2\nexit 1\n');
    chmodSync(fake, 0o755);
    const r = build(dir, fake);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^clonebench build: compiling native\/\S+\.c failed with exit status 1 \(the compiler's messages are above\)$/m);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  });
});
