/**
 * The static side of the interfaces a run measured, stored in its results file: the layouts on
 * every ABI (what `clonebench abi --json` prints) and the rule review (`clonebench review
 * --json`). Stored rather than recomputed when a report is made, because a report must show
 * what was measured: a proposal declared in a header for that run (`run --header`) is unknown
 * to a later `clonebench report`, and the built-in declarations may have changed since.
 */
import { abiReportJson, buildAbiReport } from '../abi/abi-report.js';
import { allProposals, resolveProposal, selectTargets } from '../registry.js';
import { review, reviewJson } from '../review/index.js';
import type { ResultsFile } from './schema.js';

/** Proposal ids a run's variants refer to, in registry order. */
export function measuredProposals(r: Pick<ResultsFile, 'variants'>): string[] {
  const ids = new Set(r.variants.flatMap((v) => (v.spec.kind === 'copy-plan' || v.spec.kind === 'encode' ? [v.spec.proposal] : [])));
  return allProposals().filter((p) => ids.has(p.id)).map((p) => p.id);
}

export function declarationsFor(ids: readonly string[]): { abi: unknown; review: unknown } | null {
  if (ids.length === 0) return null;
  const decls = allProposals().filter((p) => ids.includes(p.id));
  const targets = selectTargets();
  return {
    abi: abiReportJson(buildAbiReport(decls.map((d) => resolveProposal(d)), targets)),
    review: reviewJson(review(decls, targets, {})),
  };
}
