/** Writes a report atomically: a temp file beside the target, then a rename over it, so a
 * browser or CI step never reads half a page; no temp file is left behind on failure. */
import { mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { UsageError } from '../errors.js';
import { replaceAtomically, ResultsFileError } from '../results/io.js';

/** Creates the report's directory if only its last level is missing (not `recursive`, which
 * spins on filesystems such as /proc), and refuses a path that cannot be written. */
function ensureDir(dir: string, option: string): void {
  try {
    if (!statSync(dir).isDirectory()) throw new UsageError(`${option}: ${dir} is not a directory`);
    return;
  } catch (err) {
    if (err instanceof UsageError) throw err;
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new UsageError(`${option}: ${dir}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  try {
    mkdirSync(dir);
  } catch (err) {
    throw new UsageError(`${option}: cannot create the directory ${dir} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}

export function writeFileAtomic(path: string, text: string, option = '--out'): void {
  ensureDir(dirname(path), option);
  try {
    replaceAtomically(path, text);
  } catch (err) {
    if (!(err instanceof ResultsFileError)) throw err;
    throw new UsageError(`${option} ${err.message}`);
  }
}
