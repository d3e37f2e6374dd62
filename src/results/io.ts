import { closeSync, constants, fstatSync, fsyncSync, linkSync, openSync, readSync, renameSync, rmSync, writeFileSync, writeSync, type Stats } from 'node:fs';
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

function serialise(path: string, data: ResultsFile): string {
  const parsed = ResultsFileSchema.safeParse(data);
  if (!parsed.success) throw schemaError(path, parsed.error, 'refusing to write an invalid results file');
  return `${JSON.stringify(parsed.data, null, 1)}\n`;
}

/** Writes `text` to a new temp file in `dir` and fsyncs it; on failure nothing is left. */
function writeTemp(dir: string, base: string, text: string, errorPath: string): string {
  const tmp = join(dir, `${base}.tmp-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`);
  let fd: number | null = null;
  try {
    fd = openSync(tmp, 'wx', 0o644);
    writeSync(fd, text);
    fsyncSync(fd);
    closeSync(fd);
    fd = null;
    return tmp;
  } catch (err) {
    if (fd !== null) closeSync(fd);
    rmSync(tmp, { force: true });
    throw new ResultsFileError(errorPath, `cannot write: ${(err as Error).message}`);
  }
}

function fsyncDir(dir: string): void {
  try {
    const dfd = openSync(dir, 'r');
    try {
      fsyncSync(dfd);
    } finally {
      closeSync(dfd);
    }
  } catch {
    // Directory fsync is best effort (some filesystems refuse it); the file is in place.
  }
}

/** Validates, then writes atomically: a temp file in the same directory, fsync, rename over
 * the target, fsync of the directory. A reader never sees half a file; on failure no temp
 * file is left behind. Replaces an existing file: a new run's file is `writeNewResults`. */
export function writeResults(path: string, data: ResultsFile): void {
  replaceAtomically(path, serialise(path, data));
}

/** Writes `text` to `path` atomically (temp file, fsync, rename over it, fsync of the
 * directory), replacing any file there; shared by results files and reports. Throws
 * ResultsFileError naming the path; no temp file is left behind. */
export function replaceAtomically(path: string, text: string): void {
  const dir = dirname(path);
  const tmp = writeTemp(dir, basename(path), text, path);
  try {
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw new ResultsFileError(path, `cannot write: ${(err as Error).message}`);
  }
  fsyncDir(dir);
}

/** `name`, then `name` with -2, -3, ... before its extension. */
export function candidateName(name: string, attempt: number): string {
  if (attempt === 1) return name;
  const dot = name.lastIndexOf('.');
  return dot > 0 ? `${name.slice(0, dot)}-${attempt}${name.slice(dot)}` : `${name}-${attempt}`;
}

const MAX_NAME_ATTEMPTS = 1000;
/** Filesystems without hard links answer these to link(2). */
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'EXDEV', 'EMLINK', 'ENOSYS']);

/**
 * Creates a new file in `dir` holding `text`, never replacing one: the first free name among
 * `name`, `name-2`, `name-3`, ... (two runs that start in the same millisecond get two files).
 * The text is written and fsynced in a temp file, then hard-linked to the name, which fails if
 * the name exists (exclusive and atomic: a reader sees the whole file or none). Where the
 * filesystem has no hard links, the name is opened with O_EXCL and written in place.
 * Returns the path written.
 */
export function createExclusive(dir: string, name: string, text: string): string {
  const tmp = writeTemp(dir, name, text, join(dir, name));
  let linkable = true;
  try {
    for (let attempt = 1; attempt <= MAX_NAME_ATTEMPTS; attempt++) {
      const path = join(dir, candidateName(name, attempt));
      try {
        if (linkable) linkSync(tmp, path);
        else writeFileSync(path, text, { flag: 'wx', mode: 0o644, flush: true });
        fsyncDir(dir);
        return path;
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code ?? '';
        if (code === 'EEXIST') continue;
        if (linkable && NO_HARD_LINKS.has(code)) {
          linkable = false;
          attempt--;
          continue;
        }
        throw new ResultsFileError(path, `cannot write: ${(err as Error).message}`);
      }
    }
    throw new ResultsFileError(join(dir, name), `cannot write: ${MAX_NAME_ATTEMPTS} files of this name exist already`);
  } finally {
    rmSync(tmp, { force: true });
  }
}

/** Validates, then creates a new results file in `dir` (see createExclusive); returns its path. */
export function writeNewResults(dir: string, name: string, data: ResultsFile): string {
  return createExclusive(dir, name, serialise(join(dir, name), data));
}

/** The largest results file read: a full default run is well under 1 MB. */
export const MAX_RESULTS_FILE_BYTES = 64 * 1024 * 1024;

const FILE_KINDS: Array<[(s: Stats) => boolean, string]> = [
  [(s) => s.isDirectory(), 'a directory'],
  [(s) => s.isCharacterDevice(), 'a character device'],
  [(s) => s.isBlockDevice(), 'a block device'],
  [(s) => s.isFIFO(), 'a FIFO (named pipe)'],
  [(s) => s.isSocket(), 'a socket'],
];

/**
 * The text of a results file, read from one open file descriptor after fstat says it is a
 * regular file of at most MAX_RESULTS_FILE_BYTES (the report and compare commands read files
 * from anyone: /dev/zero or a FIFO must not hang or fill memory). O_NONBLOCK so that opening
 * a FIFO without a writer does not block; it has no effect on regular files.
 */
function readCapped(path: string): string {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    throw new ResultsFileError(path, `cannot read: ${(err as Error).message}`);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new ResultsFileError(path, `not a regular file (${FILE_KINDS.find(([is]) => is(st))?.[1] ?? 'not a file'}): a results file is a regular JSON file`);
    if (st.size > MAX_RESULTS_FILE_BYTES)
      throw new ResultsFileError(path, `${(st.size / 2 ** 20).toFixed(1)} MiB is more than a results file can be (limit ${MAX_RESULTS_FILE_BYTES / 2 ** 20} MiB)`);
    // Read at most one byte beyond the limit: a file that grew since fstat is caught too.
    const buf = Buffer.alloc(Math.min(st.size, MAX_RESULTS_FILE_BYTES) + 1);
    let n = 0;
    for (let r; n < buf.length && (r = readSync(fd, buf, n, buf.length - n, null)) > 0; ) n += r;
    if (n > MAX_RESULTS_FILE_BYTES) throw new ResultsFileError(path, `more than ${MAX_RESULTS_FILE_BYTES / 2 ** 20} MiB (the limit for a results file)`);
    return buf.toString('utf8', 0, n);
  } catch (err) {
    if (err instanceof ResultsFileError) throw err;
    throw new ResultsFileError(path, `cannot read: ${(err as Error).message}`);
  } finally {
    closeSync(fd);
  }
}

/** Reads and validates a results file; errors name the file and the bad field. */
export function readResults(path: string): ResultsFile {
  const text = readCapped(path);
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
