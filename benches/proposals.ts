import { PLACEMENTS } from '../src/encode/placement.js';
import { describeShape, REQUEST_LEVELS, shapeName } from '../src/measure/copy-plan/request-shapes.js';
import type { SuiteDecl, VariantDecl } from '../src/measure/types.js';
import type { ProposalDecl } from '../src/proposal/types.js';
import { allProposals, hostTarget } from '../src/registry.js';

/**
 * Every interface's copy plan for the empty request and for pids at 1, 4 and 32 levels, on the
 * host target, at every placement (co-located is the answer, as a caller lays its arguments
 * out; scattered and page-end beside it), executed as real copy_from_user calls (set_tid-path
 * clone3 probes pointed into the encoder's materialised image) and paired with as many
 * set_tid = 0 probes in the same batch. A request the interface cannot express is recorded as skipped with the encoder's
 * refusal; a plan with no reads costs 0 by construction and is not measured. The answer
 * (cost, model, share of clone) is computed after all suites, so run it with copy and clone.
 */
/** The host's target id; on a machine no target describes, the arch name (the variants are then
 * skipped by the executor, instead of every command failing when the suites load). */
function hostId(): string {
  try {
    return hostTarget().id;
  } catch {
    return process.arch;
  }
}

export const proposalVariantId = (proposal: string, levels: number, placement: string) => `proposals/${proposal}/${shapeName(levels)}@${placement}`;

function variants(proposals: readonly ProposalDecl[]): VariantDecl[] {
  const target = hostId();
  return proposals.flatMap((p) =>
    REQUEST_LEVELS.flatMap((levels) =>
      PLACEMENTS.map((placement) => ({
        id: proposalVariantId(p.id, levels, placement),
        description: `${p.id}, ${describeShape(levels)}, ${placement}: its copy plan as set_tid probes into its own image, minus as many set_tid = 0 probes`,
        spec: { kind: 'copy-plan' as const, proposal: p.id, target, levels, placement },
      })),
    ),
  );
}

/** The suite over the given proposals (default: every registered one, headers included). */
export const makeProposalsSuite = (proposals: readonly ProposalDecl[] = allProposals()): SuiteDecl => ({
  name: 'proposals',
  description: "each interface's copy plan for a request, executed as real kernel copies from its encoded image",
  // A batch lasts about twice its target (the target times the plan's probes; the set_tid = 0
  // sequence runs as long again).
  defaults: { rounds: 64, warmupRounds: 3, targetBatchMs: 1, workers: 6 },
  quick: { rounds: 12, warmupRounds: 1, targetBatchMs: 0.5, workers: 2 },
  variants: variants(proposals),
  fits: [],
});
