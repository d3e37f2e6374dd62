import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCli } from './helpers.js';

const REFUSED: Array<{ args: string[]; message: RegExp }> = [
  { args: ['-p', 'clone3', '--struct-size', '9999'], message: /size is above PAGE_SIZE \(4096 on x86_64\): the kernel returns E2BIG before any copy \[limit: size 9999\]/ },
  { args: ['-p', 'clone3', '--struct-size', '40'], message: /at least 64 bytes \[limit: size 40\]/ },
  { args: ['-p', 'clone', '--pids', '7'], message: /clone cannot express this request: it cannot choose pids/ },
  { args: ['-p', 'eclone', '--flags', 'bit40'], message: /flag bit 40 is beyond the 32 flag bits/ },
  { args: ['-p', 'clone3', '--pids', 'abc'], message: /--pids takes a decimal integer in 0..2147483647, got "abc"/ },
  { args: ['-p', 'clone3', '--flags', 'CLONE_FOO'], message: /unknown clone flag "CLONE_FOO"/ },
];

for (const c of REFUSED) {
  test(`encode ${c.args.join(' ')}: exit 2 with the limit named`, { skip: process.arch !== 'x64' && 'the default target is the host' }, () => {
    const r = runCli(['encode', '-t', 'x86_64', ...c.args]);
    assert.equal(r.status, 2, r.stdout);
    assert.match(r.stderr, c.message);
  });
}

test('encode dumps a big-endian image in the target byte order', () => {
  const r = runCli(['encode', '-p', 'eclone', '-t', 's390x', '--pids', '42,7', '--depth', '1']);
  assert.equal(r.status, 0, r.stderr);
  // Row 0x20 holds bytes 32..47: child_tid_ptr, then nr_pids = 2 at offset 40, big-endian.
  assert.match(r.stdout, /0020: 00000000 00000000 00000002 00000000/);
  assert.match(r.stdout, /0000: 0000002a 00000007/);
});
