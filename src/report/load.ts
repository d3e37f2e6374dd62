/**
 * Reading results files for a report or a comparison. A results file may come from anyone, so
 * each one is validated (readResults, the schema) and refused, as a bad input (exit 2) with one
 * line naming the file and the problem, when it is not a regular file or larger than the cap.
 *
 * The size and file-type checks are made here before readResults reads anything; readResults is
 * getting the same cap of its own (src/results/io.ts), after which these checks are a second
 * guard that costs one stat.
 */
import { statSync } from 'node:fs';
import { InputError } from '../errors.js';
import { readResults, ResultsFileError } from '../results/io.js';
import type { LoadedResults } from './view-model/index.js';

/** Refuse results files larger than this (a full default run writes about 1 MiB). */
export const MAX_RESULTS_BYTES = 64 * 1024 * 1024;

export function loadResultsFile(path: string): LoadedResults {
  let size: number;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new InputError(`${path}: not a regular file`);
    size = st.size;
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(`${path}: cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  if (size > MAX_RESULTS_BYTES)
    throw new InputError(`${path}: ${(size / 1024 / 1024).toFixed(1)} MiB is larger than the ${MAX_RESULTS_BYTES / 1024 / 1024} MiB a results file may have`);
  try {
    return { path, results: readResults(path) };
  } catch (err) {
    // readResults names the file and the bad field; for report and compare it is bad input.
    if (err instanceof ResultsFileError) throw new InputError(err.message.replace(/\s*\n\s*/g, ' '));
    throw err;
  }
}

export const loadResultsFiles = (paths: readonly string[]): LoadedResults[] => paths.map(loadResultsFile);
