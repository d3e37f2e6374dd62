import type { Command } from 'commander';
import { abiReportJson, buildAbiReport } from '../../abi/abi-report.js';
import { abiText } from '../../abi/abi-text.js';
import { resolveProposal, selectProposals, selectTargets } from '../../registry.js';
import { HEADER_FLAGS, HEADER_HELP, listOption, parameterOverrides, proposalIds } from '../options.js';
import { runOracle, type OracleResult } from '../../ctype/oracle.js';
import { headerOf } from '../../header/load.js';
import { runHeaderOracle } from '../../header/oracle.js';
import type { TargetAbi } from '../../ctype/target.js';
import type { ResolvedProposal } from '../../registry.js';

export function register(program: Command): void {
  program
    .command('abi')
    .description('pahole-style layout of every struct of every interface on every target, a comparison table, and register slots')
    .option('-t, --target <ids...>', 'target ABIs (default: all)')
    .option('-p, --proposal <ids...>', 'interfaces (default: all, or those of --header)')
    .option('--flag-words <n>', 'CLONE_FLAGS_WORDS for clone_extended_flags')
    .option('--json', 'print JSON')
    .option('--check', 'also verify every layout with a real compiler for each target (_Static_assert, -fsyntax-only)')
    .addHelpText('after', '\nExamples:\n  clonebench abi --target x86_64 i386 m68k --proposal clone_with_pids\n  clonebench abi --json | jq .proposals[0].structs\n  clonebench abi --check --target m68k i386\n  clonebench abi --check --header abi/headers/examples/clone_pidfd.h')
    .option(HEADER_FLAGS, HEADER_HELP)
    .action((opts: { target?: string[]; proposal?: string[]; header?: string[]; json?: boolean; check?: boolean; flagWords?: string }) => {
      const ids = proposalIds(opts);
      const targets = selectTargets(listOption(opts.target, '--target'));
      const chosen = selectProposals(ids);
      const overrides = parameterOverrides(opts, chosen);
      const proposals = chosen.map((d) => resolveProposal(d, overrides));
      const report = buildAbiReport(proposals, targets);
      const checks = opts.check ? checkWithCompilers(proposals, targets) : undefined;
      const headerChecks = opts.check ? checkHeadersAsWritten(proposals, targets) : undefined;
      if (opts.json) {
        const extra = { ...(checks ? { compilerChecks: checks } : {}), ...(headerChecks?.length ? { headerChecks } : {}) };
        process.stdout.write(`${JSON.stringify({ ...abiReportJson(report), ...extra }, null, 2)}\n`);
      } else {
        process.stdout.write(`${abiText(report)}\n`);
        if (checks) process.stdout.write(`\n${oracleText('==== layouts checked by real compilers', checks)}\n`);
        for (const h of headerChecks ?? []) process.stdout.write(`\n${oracleText(`==== ${h.file} as written, checked by real compilers`, h.results)}\n`);
      }
      if ([...(checks ?? []), ...(headerChecks ?? []).flatMap((h) => h.results)].some((c) => !c.ok && !c.skipped)) process.exitCode = 1;
    });
}

function checkWithCompilers(proposals: readonly ResolvedProposal[], targets: readonly TargetAbi[]): OracleResult[] {
  const items = proposals.flatMap((p) => p.decl.structs.map((decl) => ({ prefix: p.decl.id, decl, scope: p.scope })));
  return targets.map((t) => runOracle(t, items));
}

/** Header proposals: their text as written, with the parsed layout's assertions, through each compiler. */
function checkHeadersAsWritten(proposals: readonly ResolvedProposal[], targets: readonly TargetAbi[]): Array<{ proposal: string; file: string; results: OracleResult[] }> {
  return proposals.flatMap((p) => {
    const h = headerOf(p.decl.id);
    return h ? [{ proposal: p.decl.id, file: h.file, results: targets.map((t) => runHeaderOracle(t, h.parsed, h.source, p.scope)) }] : [];
  });
}

function oracleText(title: string, checks: readonly OracleResult[]): string {
  const lines = [title];
  for (const c of checks) {
    if (c.skipped) lines.push(`${c.target.padEnd(9)} SKIPPED: ${c.skipped}`);
    else if (c.ok) lines.push(`${c.target.padEnd(9)} ok: ${c.checked} assertions agree with ${c.compiler}`);
    else lines.push(`${c.target.padEnd(9)} FAILED with ${c.compiler}:`, ...c.failures.map((f) => `          ${f}`));
  }
  return lines.join('\n');
}
