import { closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { z } from 'zod';
import { RESULTS_SCHEMA_ID, RESULTS_SCHEMA_VERSION, ResultsFileSchema, type ResultsFile } from './schema.js';
import { EnvironmentError } from '../errors.js';

/** A results file that cannot be read or written; the message names the file and, for a
 * schema violation, the path of the bad field (e.g. `variants[3].summary.median`). */
export class ResultsFileError extends EnvironmentError {
  override name = 'ResultsFileError';
  constructor(
    readonly file: string,
    readonly detail: string,
    readonly fieldPath: string | null = null,
  ) {
    super(`${file}: ${detail}`);
  }
}

/** `["variants", 3, "summary"]` -> `variants[3].summary` */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out || '(root)';
}

function schemaError(file: string, error: z.ZodError, when: string): ResultsFileError {
  const issue = error.issues[0];
  const at = formatPath(issue.path);
  const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more problem(s))` : '';
  return new ResultsFileError(file, `${when}: field ${at}: ${issue.message}${more}`, at);
}

/** Validates, then writes atomically: a temp file in the same directory, fsync, rename over
 * the target, fsync of the directory. A reader never sees half a file; on failure no temp
 * file is left behind. */
export function writeResults(path: string, data: ResultsFile): void {
  const parsed = ResultsFileSchema.safeParse(data);
  if (!parsed.success) throw schemaError(path, parsed.error, 'refusing to write an invalid results file');
  const text = `${JSON.stringify(parsed.data, null, 1)}\n`;
  const dir = dirname(path);
  const tmp = join(dir, `${basename(path)}.tmp-${process.pid}-${Date.now()}`);
  let fd: number | null = null;
  try {
    fd = openSync(tmp, 'wx', 0o644);
    writeSync(fd, text);
    fsyncSync(fd);
    closeSync(fd);
    fd = null;
    renameSync(tmp, path);
  } catch (err) {
    if (fd !== null) closeSync(fd);
    rmSync(tmp, { force: true });
    throw new ResultsFileError(path, `cannot write: ${(err as Error).message}`);
  }
  try {
    const dfd = openSync(dir, 'r');
    try {
      fsyncSync(dfd);
    } finally {
      closeSync(dfd);
    }
  } catch {
    // Directory fsync is best effort (some filesystems refuse it); the rename is done.
  }
}

/** Reads and validates a results file; errors name the file and the bad field. */
export function readResults(path: string): ResultsFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ResultsFileError(path, `cannot read: ${(err as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ResultsFileError(path, `not valid JSON (${(err as Error).message})`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw new ResultsFileError(path, 'not a clonebench results file (the top level is not an object)', '(root)');
  const head = json as { schema?: unknown; version?: unknown };
  if (head.schema !== RESULTS_SCHEMA_ID)
    throw new ResultsFileError(path, `not a clonebench results file (field schema is ${JSON.stringify(head.schema)}, expected "${RESULTS_SCHEMA_ID}")`, 'schema');
  if (head.version !== RESULTS_SCHEMA_VERSION)
    throw new ResultsFileError(
      path,
      `results schema version ${JSON.stringify(head.version)} is not supported (this clonebench reads version ${RESULTS_SCHEMA_VERSION})`,
      'version',
    );
  const parsed = ResultsFileSchema.safeParse(json);
  if (!parsed.success) throw schemaError(path, parsed.error, 'invalid results file');
  return parsed.data;
}

/** `results/2025-11-26T20-41-07.123Z-myhost.json`: sortable, no characters a shell dislikes. */
export function resultsFileName(date: Date, host: string): string {
  const stamp = date.toISOString().replace(/:/g, '-');
  const safeHost = host.replace(/[^A-Za-z0-9._-]/g, '_') || 'host';
  return `${stamp}-${safeHost}.json`;
}
