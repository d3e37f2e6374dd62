import { release } from 'node:os';
import type { Command } from 'commander';
import { UsageError } from '../../errors.js';
import { hostTarget } from '../../registry.js';
import { builtinCases } from '../../conformance/builtin.js';
import { readCaseFile, type ConformanceCase } from '../../conformance/case.js';
import { prepareCase } from '../../conformance/prepare.js';
import { DriverPool, runConformance } from '../../conformance/runner.js';
import { resultLine, resultsJson, summaryLine } from '../../conformance/text.js';
import { closingOnSignal } from '../../restore/signals.js';

interface Opts {
  cases?: string[];
  builtin?: boolean;
  json?: boolean;
}

export function register(program: Command): void {
  program
    .command('conformance')
    .description('check the running kernel\'s clone3 (and each emulated interface through its decoder) against a table of cases: pass / fail / skip with reasons')
    .option('--cases <files...>', 'case files (JSON: {"cases": [{"name", "expect", ...}]}; see the README)')
    .option('--builtin', 'run the built-in table (the default without --cases)')
    .option('--no-builtin', 'run only the case files')
    .option('--json', 'print {"results":[{"name","expect","got","verdict","reason"}]}')
    .addHelpText(
      'after',
      '\nExamples:\n  clonebench conformance\n  clonebench conformance --cases my-cases.json --no-builtin --json\n\nExit codes: 0 no case failed; 1 a case failed (or the machine could not run the cases); 2 a malformed case file.',
    )
    .action(async (opts: Opts, cmd: Command) => {
      const host = hostTarget();
      // --builtin is the default unless case files are given; --builtin with files runs both.
      const builtinSource = cmd.getOptionValueSource('builtin');
      const withBuiltin = builtinSource === 'cli' ? opts.builtin !== false : !opts.cases?.length;
      const cases: ConformanceCase[] = [...(withBuiltin ? builtinCases(host.pageSize) : []), ...(opts.cases ?? []).flatMap((f) => readCaseFile(f))];
      if (cases.length === 0) throw new UsageError('no cases to run: give --cases FILE... or drop --no-builtin');
      // Every case is laid out (and every problem reported, exit 2) before anything runs.
      const prepared = cases.map((c) => prepareCase(c, host));
      const pool = new DriverPool();
      // A reader that went away (| head) stops the run; the drivers are still closed.
      const stop = { requested: false };
      process.stdout.on('error', (err: NodeJS.ErrnoException) => {
        if (err.code !== 'EPIPE') throw err;
        stop.requested = true;
      });
      if (!opts.json)
        process.stdout.write(`clone3 conformance on Linux ${release()} (${host.id}), run as uid ${pool.ourUid}: ${cases.length} case(s)\n`);
      const results = await closingOnSignal(
        () => pool.close(),
        () => runConformance(prepared, { host, pool, stop, onResult: (r) => opts.json || process.stdout.write(`${resultLine(r)}\n`) }),
      );
      if (stop.requested) return;
      process.stdout.write(opts.json ? `${JSON.stringify(resultsJson(results), null, 2)}\n` : `${summaryLine(results)}\n`);
      if (results.some((r) => r.verdict === 'fail')) process.exitCode = 1;
    });
}
