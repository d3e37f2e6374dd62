/**
 * Test helper: finding every process a CLI run left behind, whatever became of its parent. The
 * CLI is spawned with a unique CLONEBENCH_TEST_TAG in its environment, which its driver and
 * every process of the namespace chains inherit (fork and clone3 copy the environment), so a
 * scan of /proc/<pid>/environ finds them even when orphaned, inside nested pid namespaces, or
 * owned by uid 65534; other engineers' runs on the machine carry other tags.
 */
import { spawn, spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { CLI } from './helpers.js';

export const newTag = (): string => `clonebench-test-${randomBytes(6).toString('hex')}`;

/** Live processes (zombies have no environment left, their parent is found instead) carrying the tag. */
export function tagged(tag: string): number[] {
  const needle = `CLONEBENCH_TEST_TAG=${tag}\0`;
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (readFileSync(`/proc/${name}/environ`, 'latin1').includes(needle)) out.push(Number(name));
    } catch {
      // exited meanwhile, or not ours to read
    }
  }
  return out;
}

/** Polls until no process carries the tag (teardown takes a few ms), at most timeoutMs. */
export async function untilNoneTagged(tag: string, timeoutMs = 5000): Promise<number[]> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const left = tagged(tag);
    if (left.length === 0 || Date.now() > end) return left;
    await new Promise((r) => setTimeout(r, 20));
  }
}

export interface TaggedRun {
  status: number | null;
  stdout: string;
  stderr: string;
  tag: string;
}

/** Runs the CLI (or `options.command` with `args`, e.g. unshare wrapping node) with a fresh tag. */
export function runTagged(args: readonly string[], options: SpawnSyncOptions & { command?: string } = {}): TaggedRun {
  const tag = newTag();
  const r = spawnSync(options.command ?? process.execPath, options.command ? args : [CLI, ...args], { encoding: 'utf8', timeout: 120_000, ...options, env: { ...process.env, ...options.env, CLONEBENCH_TEST_TAG: tag } });
  return { status: r.status, stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? ''), tag };
}

/** The same, asynchronously (several unprivileged runs side by side). */
export function runTaggedAsync(args: readonly string[], options: { uid?: number; gid?: number } = {}): Promise<TaggedRun> {
  const tag = newTag();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { ...options, env: { ...process.env, CLONEBENCH_TEST_TAG: tag } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    // Normally 'close' (all output read); if a leftover holds a pipe, 'exit' plus 2 s, so a
    // broken teardown fails the test instead of hanging it.
    let status: number | null = null;
    const done = () => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr, tag });
    };
    child.on('exit', (code) => {
      status = code;
      setTimeout(done, 2000).unref();
    });
    child.on('close', done);
  });
}

/** Runs `fn` over items, `width` at a time. */
export async function inBatches<T, R>(items: readonly T[], width: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]);
      }
    }),
  );
  return out;
}
