/** Printing conformance results: one line per case as it runs, a summary, and JSON. */
import type { CaseResult } from './runner.js';

export function resultLine(r: CaseResult): string {
  const head = `${r.verdict.padEnd(4)}  ${r.expect.padEnd(6)}  ${r.name}${r.proposal === 'clone3' || r.name.startsWith(`${r.proposal}:`) ? '' : ` [${r.proposal}]`}`;
  // A pass needs no explanation; a fail or skip says why on the next line.
  return r.verdict === 'pass' ? head : `${head}\n      ${r.reason}`;
}

export function summaryLine(results: readonly CaseResult[]): string {
  const n = (v: CaseResult['verdict']) => results.filter((r) => r.verdict === v).length;
  return `${results.length} case(s): ${n('pass')} pass, ${n('fail')} fail, ${n('skip')} skip`;
}

export function resultsJson(results: readonly CaseResult[]): { results: Array<Record<string, unknown>> } {
  return {
    results: results.map((r) => ({
      name: r.name,
      proposal: r.proposal,
      source: r.source,
      expect: r.expect,
      got: r.got,
      verdict: r.verdict,
      reason: r.reason,
      ...(r.nspid ? { nspid: r.nspid } : {}),
    })),
  };
}
