import { dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { SingleBar } from 'cli-progress';
import { defaultSuites } from '../../../benches/index.js';
import { UsageError } from '../../errors.js';
import { decimalOption, HEADER_FLAGS, HEADER_HELP, integerOption, regexOption, registerHeaderFiles } from '../options.js';
import { DEFAULT_REPORT_PATH, renderReport, writeReport } from '../../report/index.js';
import { otherInstances, registerInstance } from '../../measure/instances.js';
import { allowedCpus, chooseCpu, runBenchmarks, type ProgressSink, type StopFlag } from '../../measure/runner.js';
import { PACKAGE_ROOT } from '../../native/paths.js';
import { declarationsFor, measuredProposals } from '../../results/declarations.js';
import type { ResultsFile } from '../../results/schema.js';
import { ensureWritableDir, saveResults } from '../../results/output.js';

interface RunCliOptions {
  header?: string[];
  quick?: boolean;
  filter?: string;
  rounds?: string;
  seed?: string;
  out?: string;
  batchMs?: string;
  warmup?: string;
  workers?: string;
  progress?: boolean;
  /** --report <path> / --no-report. */
  report?: string | false;
}

/** Signals that stop a run after its current batch, keeping what it measured (exit 128 + n). */
const STOP_SIGNALS = { SIGINT: 2, SIGTERM: 15, SIGHUP: 1 } as const;
type StopSignal = keyof typeof STOP_SIGNALS;


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
    .option('--workers <n>', 'worker processes for the floor, copy and proposals suites (default 6, --quick 2; 1 = in this process)')
    .option('--no-progress', 'no progress bar on stderr')
    .option('--report <path>', 'where to write the HTML report of this run', DEFAULT_REPORT_PATH)
    .option('--no-report', 'write no HTML report (the text report is printed either way)')
    .option(HEADER_FLAGS, `${HEADER_HELP}; measured in the proposals suite`)
    .action(async (o: RunCliOptions, command: Command) => {
      registerHeaderFiles(o.header);
      const filter = regexOption(o.filter, '--filter');
      const rounds = integerOption(o.rounds, '--rounds', { min: 1, max: 100_000 }) ?? null;
      const seed = integerOption(o.seed, '--seed', { min: 0, max: 2 ** 32 - 1 }) ?? 1;
      const warmupRounds = integerOption(o.warmup, '--warmup', { min: 0, max: 10_000 }) ?? null;
      const targetBatchMs = decimalOption(o.batchMs, '--batch-ms', { above: 0, max: 1000, unit: 'milliseconds' }) ?? null;
      const workers = integerOption(o.workers, '--workers', { min: 1, max: 64 }) ?? null;
      const outDir = resolve(o.out ?? join(PACKAGE_ROOT, 'results'));
      const suites = defaultSuites();
      if (filter && !suites.some((s) => s.variants.some((v) => filter.test(v.id))))
        throw new UsageError(`--filter ${filter.source} matches no variant (ids look like floor/getppid, copy/set_tid-8@co-located, proposals/clone3/pids@4@co-located, clone/node/fork-clone3)`);
      ensureWritableDir(outDir);
      const reportPage = reportTarget(o, command.getOptionValueSource('report') === 'cli');

      // Ctrl-C, SIGTERM (a CI job's timeout, `kill`) or SIGHUP (a closed terminal): finish the
      // current batch, keep what was measured, write the file, exit 128 + signal. A second
      // signal leaves at once (the helpers and workers exit when their pipes close).
      const stop: StopFlag = { requested: false };
      let stoppedBy: StopSignal | null = null;
      const onSignal = (sig: StopSignal) => {
        if (stop.requested) process.exit(128 + STOP_SIGNALS[sig]);
        stop.requested = true;
        stoppedBy = sig;
        process.stderr.write(`\nclonebench: ${sig}: stopping after the current batch, keeping what was measured (${sig} again to quit now)\n`);
      };
      const handlers = Object.keys(STOP_SIGNALS).map((sig) => [sig, () => onSignal(sig as StopSignal)] as const);
      for (const [sig, h] of handlers) process.on(sig, h);
      // Another run measuring on this machine: say so, and pin to a CPU it does not hold.
      const others = otherInstances();
      const cpu = chooseCpu(allowedCpus().cpus, others.flatMap((x) => (x.cpu === null ? [] : [x.cpu])));
      for (const x of others)
        process.stderr.write(
          `clonebench: warning: another run (pid ${x.pid}, since ${x.startedAt}) is measuring on this machine${x.cpu === null ? '' : ` pinned to CPU ${x.cpu}`}; ` +
            `${cpu === x.cpu ? 'no other CPU is free, both use' : 'this run pins to'} CPU ${cpu}: the two disturb each other's figures\n`,
        );
      const unregister = registerInstance(cpu);
      try {
        const results = await runBenchmarks({
          suites,
          quick: o.quick ?? false,
          filter,
          rounds,
          seed,
          warmupRounds,
          targetBatchMs,
          workers,
          cpu,
          headers: o.header ?? [],
          stop,
          progress: progressBar(o.progress !== false),
        });
        const declarations = declarationsFor(measuredProposals(results));
        if (declarations) results.declarations = declarations as NonNullable<ResultsFile['declarations']>;
        const path = saveResults(outDir, results);
        // The summary is the text report of the file just written (what `clonebench report
        // --format text` prints for it), and the HTML report is left beside it.
        const files = [{ path, results }];
        process.stdout.write(`${renderReport(files, 'text')}\nresults: ${path}\n`);
        if (reportPage) {
          const page = reportPage;
          try {
            writeReport(files, 'html', page, '--report');
            process.stdout.write(`report:  ${page}\n`);
          } catch (err) {
            // The results are safe on disk; a report can be made from them later.
            process.exitCode = 1;
            process.stderr.write(`clonebench: ${(err as Error).message}; make it later with ./clonebench report ${path}\n`);
          }
        }
        if (stoppedBy) process.exit(128 + STOP_SIGNALS[stoppedBy]);
      } finally {
        unregister();
        for (const [sig, h] of handlers) process.off(sig, h);
      }
    });
}

/**
 * Where the HTML report goes, checked before any measuring as --out is: a --report given on the
 * command line must be writable (else exit 2 now, not after the run); the default place
 * (report/ in the checkout) may not be for another user, which is said once, and the run goes
 * on without a page (the results file is what matters; `report` makes the page from it later).
 */
function reportTarget(o: RunCliOptions, explicit: boolean): string | null {
  if (o.report === false) return null;
  const page = resolve(o.report ?? DEFAULT_REPORT_PATH);
  try {
    ensureWritableDir(dirname(page), '--report');
    return page;
  } catch (err) {
    if (explicit) throw err;
    process.stderr.write(`clonebench: no HTML report this time: ${(err as Error).message} (give --report PATH, or make it later with ./clonebench report)\n`);
    return null;
  }
}
