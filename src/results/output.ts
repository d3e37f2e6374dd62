/**
 * Where a run's results go: the directory is checked before any measuring (by really creating a
 * file in it), and the file is created under a name no other run has taken. Kept apart from the
 * run command so that the command only calls these two functions.
 */
import { closeSync, mkdirSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { UsageError } from '../errors.js';
import { ResultsFileError, resultsFileName, writeNewResults } from './io.js';
import type { ResultsFile } from './schema.js';

/**
 * Creates the results directory (and missing parents) one level at a time, then checks that a
 * file can really be created, written and removed in it, before any measuring: a typo must not
 * cost a whole run. Not access(W_OK), which says yes to root for /proc, where no file can be
 * created; not mkdirSync's `recursive`, which spins forever on filesystems such as /proc that
 * answer ENOENT. `option` names the option in errors (exit 2).
 */
export function ensureWritableDir(dir: string, option = '--out'): void {
  const missing: string[] = [];
  let at = dir;
  for (;;) {
    try {
      if (!statSync(at).isDirectory()) throw new UsageError(`${option} ${dir}: ${at} is not a directory`);
      break;
    } catch (err) {
      if (err instanceof UsageError) throw err;
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || dirname(at) === at) throw new UsageError(`${option} ${dir}: ${(err as Error).message}`);
      missing.unshift(at);
      at = dirname(at);
    }
  }
  try {
    for (const d of missing) mkdirSync(d);
  } catch (err) {
    throw new UsageError(`${option} ${dir}: cannot create or write the results directory (${(err as Error).message})`);
  }
  const probe = join(dir, `.clonebench-write-check-${process.pid}-${Date.now()}`);
  let fd: number | null = null;
  try {
    fd = openSync(probe, 'wx', 0o600);
    writeSync(fd, '{}\n');
  } catch (err) {
    throw new UsageError(`${option} ${dir}: cannot create or write the results directory (creating a file in it: ${(err as Error).message})`);
  } finally {
    if (fd !== null) closeSync(fd);
    rmSync(probe, { force: true });
  }
}

/**
 * Writes a run's results as a new file in `dir` (`<timestamp>-<host>.json`, or with -2, -3...
 * when that name is taken) and returns its path. If that fails after a run (disk full,
 * directory removed meanwhile), the measurements go to the temp directory instead of being
 * lost, the failure is said on stderr, and the process will exit 1.
 */
export function saveResults(dir: string, results: ResultsFile): string {
  const name = resultsFileName(new Date(results.createdAt), results.environment.host);
  try {
    return writeNewResults(dir, name, results);
  } catch (err) {
    if (!(err instanceof ResultsFileError) || err.fieldPath !== null) throw err;
    const fallback = writeNewResults(tmpdir(), name, results);
    process.exitCode = 1;
    process.stderr.write(`clonebench: ${err.message}; the results were saved to ${fallback} instead\n`);
    return fallback;
  }
}
