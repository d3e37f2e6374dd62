/**
 * Issue 12 item 2: a reader that stops early (`clonebench abi --json | head -c10`) ends the
 * command quietly with status 0, whatever the command: no "write EPIPE", no stack trace.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { CLI } from './helpers.js';

/** Runs the CLI with its stdout a pipe whose reading end is closed before the CLI starts writing. */
function intoClosedPipe(args: readonly string[]): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  // Node needs tens of milliseconds to load the CLI; the reading end is gone long before.
  child.stdout.destroy();
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  return new Promise((resolve) => child.once('close', (code, signal) => resolve({ code, signal, stderr })));
}

describe('a closed stdout ends the command quietly with status 0', () => {
  it('abi --json | head -c10: more than a pipe holds, the rest is refused with EPIPE', () => {
    // 220 kB of JSON cannot fit in a 64 kB pipe: the write fails once head has gone.
    const r = spawnSync('bash', ['-c', `"${process.execPath}" "${CLI}" abi --json | head -c10; echo "status \${PIPESTATUS[0]}" >&2`], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.stdout, '{\n  "targe');
    assert.equal(r.stderr, 'status 0\n');
  });

  for (const args of [['encode', '--summary'], ['review', '-p', 'clone3'], ['abi', '-t', 'x86_64', '-p', 'clone3'], ['--help'], ['encode', '--help']]) {
    it(`clonebench ${args.join(' ')} into a pipe nobody reads`, async () => {
      const r = await intoClosedPipe(args);
      assert.deepEqual(r, { code: 0, signal: null, stderr: '' });
    });
  }

  it('an error still has its own status and message when stdout is closed', async () => {
    const r = await intoClosedPipe(['encode', '--depth', 'x']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^clonebench: --depth takes a decimal integer/);
  });
});
