import type { Command } from 'commander';
import { selectProposals, selectTargets } from '../../registry.js';
import { review, reviewJson, reviewText } from '../../review/index.js';
import { HEADER_FLAGS, HEADER_HELP, listOption, parameterOverrides, proposalIds } from '../options.js';

export function register(program: Command): void {
  program
    .command('review')
    .description("the RFC's requirements per interface, then the automated syscall ABI review: rules SC-nn of abi-rules.md on every interface and target, with derived facts and fixes")
    .option('-p, --proposal <ids...>', 'interfaces (default: all, or those of --header)')
    .option('-t, --target <ids...>', 'target ABIs (default: all 14)')
    .option('--flag-words <n>', 'CLONE_FLAGS_WORDS for clone_extended_flags and clone_extended_flags_reg')
    .option('--json', 'print {"requirements":{...},"findings":[...],"matrix":{...},"facts":{...}} as JSON')
    .addHelpText('after', '\nExamples:\n  clonebench review\n  clonebench review --proposal clone_with_pids eclone clone3 --target x86_64 i386 x32 ppc32\n  clonebench review --json | jq \'.matrix.clone3\'\n  clonebench review --json | jq \'.requirements.interfaces.clone3\'\n  clonebench review --header abi/headers/examples/clone_pidfd.h -p clone3 clone_pidfd')
    .option(HEADER_FLAGS, HEADER_HELP)
    .action((opts: { target?: string[]; proposal?: string[]; header?: string[]; json?: boolean; flagWords?: string }) => {
      const ids = proposalIds(opts);
      const targets = selectTargets(listOption(opts.target, '--target'));
      const chosen = selectProposals(ids);
      const overrides = parameterOverrides(opts, chosen);
      // review() validates each declaration (InputError, exit 2).
      const report = review(chosen, targets, { overrides });
      process.stdout.write(opts.json ? `${JSON.stringify(reviewJson(report), null, 2)}\n` : `${reviewText(report)}\n`);
    });
}
