import type { Command } from 'commander';
import { hostTarget, proposalById, resolveProposal } from '../../registry.js';
import { requestFromOptions, type RequestOptions } from '../../request/parse.js';
import { RestoreDriver } from '../../restore/driver.js';
import { prepareRestore, restore } from '../../restore/restore.js';
import { closingOnSignal } from '../../restore/signals.js';
import { restoreJson, restoreText } from '../../restore/text.js';
import { parameterOverrides, refuseInapplicable } from '../options.js';

interface Opts extends Pick<RequestOptions, 'flags' | 'exitSignal' | 'pids' | 'depth'> {
  proposal?: string;
  flagWords?: string;
  json?: boolean;
}

export function register(program: Command): void {
  program
    .command('restore')
    .description('create a child with chosen pids through one interface on the running kernel: builds the nested pid namespaces, encodes, decodes natively, creates (interfaces that never reached the kernel: emulated via clone3 set_tid), reads the child\'s NSpid back against the request')
    .requiredOption('-p, --proposal <id>', 'the interface (clone, clone_with_pids, clone_extended_flags, clone_extended_info, eclone, clone3, ns_last_pid)')
    .option('--pids <list>', 'pids in NSpid order: outermost first, the last one the child\'s own namespace; fewer cover the innermost levels; 0 = automatic')
    .option('--depth <n>', 'the caller\'s pid-namespace level (0 = ours); the namespaces are built for it', '0')
    .option('--flags <list>', 'clone flags: names joined by | or , (CLONE_NEWPID), or numbers')
    .option('--exit-signal <sig>', 'exit signal, a number or a name', 'SIGCHLD')
    .option('--flag-words <n>', 'CLONE_FLAGS_WORDS for clone_extended_flags')
    .option('--json', 'print {"proposal","requested","nspid","emulated",...} as JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  clonebench restore -p eclone --pids 0,300,400 --depth 2\n  clonebench restore -p clone3 --pids 0,300,400,1 --depth 2 --flags CLONE_NEWPID --json\n  clonebench restore -p ns_last_pid --pids 300 --depth 1\n\nExit codes: 0 the child got the pids asked for; 2 a request the interface cannot express (nothing is created);\n1 the kernel (or the emulated interface) refused, or the child got other pids.',
    )
    .action(async (opts: Opts) => {
      const chosen = [proposalById(opts.proposal!)];
      refuseInapplicable(opts, chosen);
      const req = requestFromOptions(opts);
      const rp = resolveProposal(chosen[0], parameterOverrides(opts, chosen));
      const host = hostTarget();
      // Refusals (exit 2) happen here, before any process or namespace exists.
      const image = prepareRestore(rp, req, host);
      const driver = RestoreDriver.start();
      const outcome = await closingOnSignal(() => driver.close(), () => restore(rp, req, image, host, driver));
      process.stdout.write(`${opts.json ? JSON.stringify(restoreJson(outcome), null, 2) : restoreText(outcome)}\n`);
      if (outcome.error) {
        process.stderr.write(`clonebench: ${outcome.proposal}: ${outcome.error.message}\n`);
        process.exitCode = 1;
      }
    });
}
