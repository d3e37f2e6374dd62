import type { Command } from 'commander';
import { abiReportJson, buildAbiReport } from '../../abi/abi-report.js';
import { abiText } from '../../abi/abi-text.js';
import { resolveProposal, selectProposals, selectTargets } from '../../registry.js';
import { listOption, parameterOverrides } from '../options.js';
import { runOracle, type OracleResult } from '../../ctype/oracle.js';
import type { TargetAbi } from '../../ctype/target.js';
import type { ResolvedProposal } from '../../registry.js';

export function register(program: Command): void {
  program
    .command('abi')
    .description('pahole-style layout of every struct of every interface on every target, a comparison table, and register slots')
    .option('-t, --target <ids...>', 'target ABIs (default: all)')
    .option('-p, --proposal <ids...>', 'interfaces (default: all)')
    .option('--flag-words <n>', 'CLONE_FLAGS_WORDS for clone_extended_flags')
    .option('--json', 'print JSON')
    .option('--check', 'also verify every layout with a real compiler for each target (_Static_assert, -fsyntax-only)')
    .addHelpText('after', '\nExamples:\n  clonebench abi --target x86_64 i386 m68k --proposal clone_with_pids\n  clonebench abi --json | jq .proposals[0].structs\n  clonebench abi --check --target m68k i386')
    .action((opts: { target?: string[]; proposal?: string[]; json?: boolean; check?: boolean; flagWords?: string }) => {
      const targets = selectTargets(listOption(opts.target, '--target'));
      const chosen = selectProposals(listOption(opts.proposal, '--proposal'));
      const overrides = parameterOverrides(opts, chosen);
      const proposals = chosen.map((d) => resolveProposal(d, overrides));
      const report = buildAbiReport(proposals, targets);
      const checks = opts.check ? checkWithCompilers(proposals, targets) : undefined;
      if (opts.json) {
        process.stdout.write(`${JSON.stringify({ ...abiReportJson(report), ...(checks ? { compilerChecks: checks } : {}) }, null, 2)}\n`);
      } else {
        process.stdout.write(`${abiText(report)}\n`);
        if (checks) process.stdout.write(`\n${oracleText(checks)}\n`);
      }
      if (checks?.some((c) => !c.ok && !c.skipped)) process.exitCode = 1;
    });
}

function checkWithCompilers(proposals: readonly ResolvedProposal[], targets: readonly TargetAbi[]): OracleResult[] {
  const items = proposals.flatMap((p) => p.decl.structs.map((decl) => ({ prefix: p.decl.id, decl, scope: p.scope })));
  return targets.map((t) => runOracle(t, items));
}

function oracleText(checks: readonly OracleResult[]): string {
  const lines = ['==== layouts checked by real compilers'];
  for (const c of checks) {
    if (c.skipped) lines.push(`${c.target.padEnd(9)} SKIPPED: ${c.skipped}`);
    else if (c.ok) lines.push(`${c.target.padEnd(9)} ok: ${c.checked} assertions agree with ${c.compiler}`);
    else lines.push(`${c.target.padEnd(9)} FAILED with ${c.compiler}:`, ...c.failures.map((f) => `          ${f}`));
  }
  return lines.join('\n');
}
