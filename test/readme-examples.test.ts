/**
 * Issue 12 item 4: every README shell example that starts with `./clonebench` runs, from a fresh
 * `git clone` of this checkout, and exits 0. The clone gets this checkout's dist/ and build/
 * (copied, so that the CLI's package root, and so results/, is the clone's) and node_modules/
 * (a symlink), so nothing is rebuilt. The examples are the committed README's, run against the
 * CLI as built here. Examples must be self-contained: one that needs an input file makes it
 * first on the same line (`./clonebench run --quick --out /tmp/x && ./clonebench report ...`).
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PACKAGE_ROOT } from '../src/native/paths.js';

/** Examples that measure for long (`run` without --quick), not run here, each with the reason. */
const MEASURES_FOR_LONG: Readonly<Record<string, string>> = {
  './clonebench run --rounds 1000 --seed 7 --out /tmp/results': 'every suite for 1000 rounds (minutes)',
};

/** The `./clonebench ...` lines of the README's ```sh blocks (continuations joined, comments dropped). */
function readmeExamples(readme: string): string[] {
  const out: string[] = [];
  for (const block of readme.matchAll(/^```(?:sh|bash|shell)\n([\s\S]*?)^```/gm)) {
    const lines = block[1].replace(/\\\n\s*/g, ' ').split('\n');
    for (const line of lines) {
      const command = line.replace(/\s+#.*$/, '').trim();
      if (command.startsWith('./clonebench')) out.push(command);
    }
  }
  return out;
}

/** Tools a pipeline needs besides the CLI (`| jq ...`), so a missing one is a named skip. */
const toolsOf = (command: string) => command.split(/\|\|?|&&|;/).slice(1).map((part) => part.trim().split(/\s+/)[0]).filter((t) => t && !t.startsWith('./'));
const hasTool = (tool: string) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;

const isCheckout = existsSync(join(PACKAGE_ROOT, '.git')) && spawnSync('git', ['--version']).status === 0;

function run(command: string, cwd: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('bash', ['-o', 'pipefail', '-c', command], { cwd, stdio: ['ignore', 'pipe', 'pipe'], timeout: 90_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.once('close', (status) => resolve({ status, stdout, stderr }));
  });
}

describe('README examples from a fresh clone', { skip: !isCheckout && 'not a git checkout (or no git): nothing to clone' }, () => {
  let clone = '';
  let examples: string[] = [];
  before(() => {
    const parent = mkdtempSync(join(tmpdir(), 'clonebench-readme-'));
    clone = join(parent, 'clonebench');
    const r = spawnSync('git', ['clone', '--quiet', PACKAGE_ROOT, clone], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    for (const dir of ['dist', 'build']) cpSync(join(PACKAGE_ROOT, dir), join(clone, dir), { recursive: true });
    symlinkSync(join(PACKAGE_ROOT, 'node_modules'), join(clone, 'node_modules'));
    examples = readmeExamples(readFileSync(join(clone, 'README.md'), 'utf8'));
  });
  after(() => {
    if (clone) rmSync(join(clone, '..'), { recursive: true, force: true });
  });

  it('the README tells users to run ./clonebench, never npx clonebench', () => {
    const readme = readFileSync(join(clone, 'README.md'), 'utf8');
    assert.doesNotMatch(readme, /npx clonebench/);
    assert.ok(examples.length >= 10, `only ${examples.length} examples found`);
  });

  it('every ./clonebench example exits 0 (two at a time)', { timeout: 120_000 }, async (t) => {
    const runnable: string[] = [];
    for (const command of examples) {
      const long = MEASURES_FOR_LONG[command];
      if (long) {
        t.diagnostic(`skipped: ${command}: measures for long: ${long}`);
        continue;
      }
      assert.ok(!/^\.\/clonebench run\b/.test(command) || /--quick\b/.test(command), `"${command}" measures without --quick: add --quick, or list it in MEASURES_FOR_LONG with the reason`);
      const missing = toolsOf(command).filter((tool) => !hasTool(tool));
      if (missing.length) {
        t.diagnostic(`skipped: ${command}: needs ${missing.join(', ')}, not installed`);
        continue;
      }
      runnable.push(command);
    }
    const failures: string[] = [];
    // Measuring examples first: one lane measures while the other runs the quick ones.
    const queue = [...runnable.filter((c) => / run\b/.test(c)), ...runnable.filter((c) => !/ run\b/.test(c))];
    await Promise.all(
      [0, 1].map(async () => {
        for (let command = queue.shift(); command !== undefined; command = queue.shift()) {
          const r = await run(command, clone);
          if (r.status !== 0) failures.push(`${command}: exit ${r.status}\n${r.stderr.slice(0, 600)}`);
          else if (r.stdout.trim() === '') failures.push(`${command}: exit 0 but printed nothing`);
        }
      }),
    );
    t.diagnostic(`ran ${runnable.length} of ${examples.length} README examples`);
    assert.deepEqual(failures, []);
  });

  it('every long example is still in the README (the skip list does not outlive its example)', () => {
    for (const command of Object.keys(MEASURES_FOR_LONG)) assert.ok(examples.includes(command), `"${command}" is no longer in the README: remove it from MEASURES_FOR_LONG`);
  });
});
