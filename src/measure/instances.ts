/**
 * Other clonebench runs measuring on this machine. Two runs pinned to the same CPU disturb
 * each other's figures without a word, so each run registers itself (a small file per run in
 * a directory under the temp dir, named by pid, holding the CPU it pinned), warns about the
 * others and pins to a CPU none of them holds where one is free. Files of runs that are gone
 * (their pid no longer exists) are ignored and removed.
 */
import { chmodSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RunningInstance {
  pid: number;
  cpu: number | null;
  startedAt: string;
}

/** CLONEBENCH_RUNS_DIR overrides it (tests use a directory of their own). */
export const INSTANCES_DIR = process.env.CLONEBENCH_RUNS_DIR || join(tmpdir(), 'clonebench-runs');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The other runs alive now. */
export function otherInstances(dir = INSTANCES_DIR): RunningInstance[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const out: RunningInstance[] = [];
  for (const name of names) {
    const pid = Number(/^(\d+)\.json$/.exec(name)?.[1]);
    if (!pid || pid === process.pid) continue;
    if (!alive(pid)) {
      rmSync(join(dir, name), { force: true });
      continue;
    }
    try {
      const info = JSON.parse(readFileSync(join(dir, name), 'utf8')) as RunningInstance;
      out.push({ pid, cpu: typeof info.cpu === 'number' ? info.cpu : null, startedAt: String(info.startedAt ?? '?') });
    } catch {
      out.push({ pid, cpu: null, startedAt: '?' });
    }
  }
  return out;
}

/** Registers this run with the CPU it pins to; returns the function that unregisters it. */
export function registerInstance(cpu: number | null, dir = INSTANCES_DIR): () => void {
  const file = join(dir, `${process.pid}.json`);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o1777 });
    chmodSync(dir, 0o1777);
  } catch {
    // Another user's directory: we can still read it; writing may fail below.
  }
  try {
    writeFileSync(file, JSON.stringify({ pid: process.pid, cpu, startedAt: new Date().toISOString() }));
  } catch {
    return () => {};
  }
  return () => rmSync(file, { force: true });
}
