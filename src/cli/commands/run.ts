import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { SingleBar } from 'cli-progress';
import { defaultSuites } from '../../../benches/index.js';
import { UsageError } from '../../errors.js';
import { decimalOption, integerOption } from '../options.js';
import { formatSummary } from '../../measure/text-summary.js';
import { runBenchmarks, type ProgressSink, type StopFlag } from '../../measure/runner.js';
import { PACKAGE_ROOT } from '../../native/paths.js';
import { ensureWritableDir, saveResults } from '../../results/output.js';

interface RunCliOptions {
  quick?: boolean;
  filter?: string;
  rounds?: string;
  seed?: string;
  out?: string;
  batchMs?: string;
  warmup?: string;
  progress?: boolean;
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
    .action(async (o: RunCliOptions) => {
      const filter = parseFilter(o.filter);
      const rounds = integerOption(o.rounds, '--rounds', { min: 1, max: 100_000 }) ?? null;
      const seed = integerOption(o.seed, '--seed', { min: 0, max: 2 ** 32 - 1 }) ?? 1;
      const warmupRounds = integerOption(o.warmup, '--warmup', { min: 0, max: 10_000 }) ?? null;
      const targetBatchMs = decimalOption(o.batchMs, '--batch-ms', { above: 0, max: 1000, unit: 'milliseconds' }) ?? null;
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
        const path = saveResults(outDir, results);
        process.stdout.write(`${formatSummary(results)}\nresults: ${path}\n`);
        if (results.interrupted) process.exit(130);
      } finally {
        process.off('SIGINT', onSigint);
      }
    });
}
