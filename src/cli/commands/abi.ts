import type { Command } from 'commander';
import { abiReportJson, buildAbiReport } from '../../abi/abi-report.js';
import { abiText } from '../../abi/abi-text.js';
import { resolveProposal, selectProposals, selectTargets, splitList } from '../../registry.js';
import { parameterOverrides } from '../options.js';

export function register(program: Command): void {
  program
    .command('abi')
    .description('pahole-style layout of every struct of every interface on every target, a comparison table, and register slots')
    .option('-t, --target <ids...>', 'target ABIs (default: all)')
    .option('-p, --proposal <ids...>', 'interfaces (default: all)')
    .option('--flag-words <n>', 'CLONE_FLAGS_WORDS for clone_extended_flags')
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExamples:\n  clonebench abi --target x86_64 i386 m68k --proposal clone_with_pids\n  clonebench abi --json | jq .proposals[0].structs')
    .action((opts: { target?: string[]; proposal?: string[]; json?: boolean; flagWords?: string }) => {
      const targets = selectTargets(splitList(opts.target));
      const proposals = selectProposals(splitList(opts.proposal)).map((d) => resolveProposal(d, parameterOverrides(opts)));
      const report = buildAbiReport(proposals, targets);
      process.stdout.write(opts.json ? `${JSON.stringify(abiReportJson(report), null, 2)}\n` : `${abiText(report)}\n`);
    });
}
