import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { SingleBar } from 'cli-progress';
import { defaultSuites } from '../../../benches/index.js';
import { UsageError } from '../../errors.js';
import { HEADER_FLAGS, HEADER_HELP, registerHeaderFiles } from '../options.js';
import { formatSummary } from '../../measure/text-summary.js';
import { runBenchmarks, type ProgressSink, type StopFlag } from '../../measure/runner.js';
import { PACKAGE_ROOT } from '../../native/paths.js';
import { ResultsFileError, resultsFileName, writeResults } from '../../results/io.js';
import type { ResultsFile } from '../../results/schema.js';

interface RunCliOptions {
  header?: string[];
  quick?: boolean;
  filter?: string;
  rounds?: string;
  seed?: string;
  out?: string;
  batchMs?: string;
  warmup?: string;
  progress?: boolean;
}

function parseInt(value: string | undefined, name: string, min: number, max: number): number | null {
  if (value === undefined) return null;
  if (!/^-?\d+$/.test(value.trim())) throw new UsageError(`--${name} expects an integer, got "${value}"`);
  const n = Number(value);
  if (n < min || n > max) throw new UsageError(`--${name} must be between ${min} and ${max}, got ${n}`);
  return n;
}

function parsePositive(value: string | undefined, name: string): number | null {
  if (value === undefined) return null;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > 1000) throw new UsageError(`--${name} expects a number of milliseconds in (0, 1000], got "${value}"`);
  return n;
}

function parseFilter(value: string | undefined): RegExp | null {
  if (value === undefined) return null;
  try {
    return new RegExp(value);
  } catch (err) {
    throw new UsageError(`--filter: not a valid regular expression: ${(err as Error).message}`);
  }
}

function progressBar(enabled: boolean): ProgressSink | undefined {
  if (!enabled || !process.stderr.isTTY) return undefined;
  const bar = new SingleBar({
    stream: process.stderr,
    format: 'clonebench [{bar}] {percentage}% | {value}/{total} rounds | {suite} | eta {eta}s',
    hideCursor: true,
  });
  return {
    start: (total) => bar.start(total, 0, { suite: '' }),
    tick: (suite) => bar.increment(1, { suite }),
    stop: () => bar.stop(),
  };
}

export function register(program: Command): void {
  program
    .command('run')
    .description('measure on the running kernel: the floor, clone3 copy costs (per call, per byte), each interface\'s copy plan as real copies, clone itself, and creating with chosen pids (set_tid, ns_last_pid); prints each plan\'s share of clone; writes results/<timestamp>-<host>.json')
    .option('--quick', 'few rounds and short batches (under 10 s)')
    .option('--filter <regex>', 'only variants whose id matches (their baselines are added)')
    .option('--rounds <n>', 'measured rounds per suite (overrides the suite defaults)')
    .option('--seed <n>', 'seed of the variant order and the bootstrap', '1')
    .option('--out <dir>', 'directory for the results file', join(PACKAGE_ROOT, 'results'))
    .option('--batch-ms <ms>', 'target duration of one batch (overrides the suite defaults)')
    .option('--warmup <n>', 'warm-up rounds per suite (overrides the suite defaults)')
    .option('--no-progress', 'no progress bar on stderr')
    .option(HEADER_FLAGS, `${HEADER_HELP}; measured in the proposals suite`)
    .action(async (o: RunCliOptions) => {
      registerHeaderFiles(o.header);
      const filter = parseFilter(o.filter);
      const rounds = parseInt(o.rounds, 'rounds', 1, 100_000);
      const seed = parseInt(o.seed, 'seed', 0, 2 ** 32 - 1) ?? 1;
      const warmupRounds = parseInt(o.warmup, 'warmup', 0, 10_000);
      const targetBatchMs = parsePositive(o.batchMs, 'batch-ms');
      const outDir = resolve(o.out ?? join(PACKAGE_ROOT, 'results'));
      const suites = defaultSuites();
      if (filter && !suites.some((s) => s.variants.some((v) => filter.test(v.id))))
        throw new UsageError(`--filter ${filter.source} matches no variant (ids look like floor/getppid, copy/set_tid-8, proposals/clone3/pids@4, clone/node/fork-clone3)`);
      ensureWritableDir(outDir);

      // Ctrl-C: finish the current batch, keep what was measured, write the file, exit 130.
      // A second Ctrl-C leaves at once (the helper exits when its stdin closes).
      const stop: StopFlag = { requested: false };
      const onSigint = () => {
        if (stop.requested) process.exit(130);
        stop.requested = true;
        process.stderr.write('\nclonebench: stopping after the current batch (Ctrl-C again to quit now)\n');
      };
      process.on('SIGINT', onSigint);
      try {
        const results = await runBenchmarks({
          suites,
          quick: o.quick ?? false,
          filter,
          rounds,
          seed,
          warmupRounds,
          targetBatchMs,
          stop,
          progress: progressBar(o.progress !== false),
        });
        const name = resultsFileName(new Date(results.createdAt), results.environment.host);
        const path = saveResults(join(outDir, name), join(tmpdir(), name), results);
        process.stdout.write(`${formatSummary(results)}\nresults: ${path}\n`);
        if (results.interrupted) process.exit(130);
      } finally {
        process.off('SIGINT', onSigint);
      }
    });
}

/**
 * Creates the results directory (and missing parents) one level at a time and checks that it
 * is writable, before any measuring: a typo must not cost a whole run. Not mkdirSync's
 * `recursive`, which spins forever on filesystems such as /proc that answer ENOENT.
 */
function ensureWritableDir(dir: string): void {
  const missing: string[] = [];
  let at = dir;
  for (;;) {
    try {
      if (!statSync(at).isDirectory()) throw new UsageError(`--out ${dir}: ${at} is not a directory`);
      break;
    } catch (err) {
      if (err instanceof UsageError) throw err;
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || dirname(at) === at) throw new UsageError(`--out ${dir}: ${(err as Error).message}`);
      missing.unshift(at);
      at = dirname(at);
    }
  }
  try {
    for (const d of missing) mkdirSync(d);
    accessSync(dir, constants.W_OK);
  } catch (err) {
    throw new UsageError(`--out ${dir}: cannot create or write the results directory (${(err as Error).message})`);
  }
}

/**
 * Writes the results; if that fails after a run (disk full, directory removed meanwhile), the
 * measurements go to the temp directory instead of being lost, and the run still fails.
 */
function saveResults(path: string, fallback: string, results: ResultsFile): string {
  try {
    writeResults(path, results);
    return path;
  } catch (err) {
    if (!(err instanceof ResultsFileError)) throw err;
    writeResults(fallback, results);
    process.exitCode = 1;
    process.stderr.write(`clonebench: ${err.message}; the results were saved to ${fallback} instead\n`);
    return fallback;
  }
}
