import { describeShape, REQUEST_LEVELS, shapeName } from '../src/measure/copy-plan/request-shapes.js';
import type { SuiteDecl, VariantDecl } from '../src/measure/types.js';
import type { ProposalDecl } from '../src/proposal/types.js';
import { allProposals, hostTarget } from '../src/registry.js';

/**
 * Every interface's copy plan for the empty request and for pids at 1, 4 and 32 levels, on the
 * host target, executed as real copy_from_user calls (set_tid-path clone3 probes pointed into
 * the encoder's materialised image) and paired with as many set_tid = 0 probes in the same
 * batch. A request the interface cannot express is recorded as skipped with the encoder's
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

function variants(proposals: readonly ProposalDecl[]): VariantDecl[] {
  const target = hostId();
  return proposals.flatMap((p) =>
    REQUEST_LEVELS.map((levels) => ({
      id: `proposals/${p.id}/${shapeName(levels)}`,
      description: `${p.id}, ${describeShape(levels)}: its copy plan as set_tid probes into its own image, minus as many set_tid = 0 probes`,
      spec: { kind: 'copy-plan' as const, proposal: p.id, target, levels },
    })),
  );
}

/** The suite over the given proposals (default: every registered one, headers included). */
export const makeProposalsSuite = (proposals: readonly ProposalDecl[] = allProposals()): SuiteDecl => ({
  name: 'proposals',
  description: "each interface's copy plan for a request, executed as real kernel copies from its encoded image",
  // A batch lasts about twice its target (the target times the plan's probes; the set_tid = 0
  // sequence runs as long again): 19 measured plans x 155 rounds x ~2 ms, ~7 s of the default run.
  defaults: { rounds: 120, warmupRounds: 5, targetBatchMs: 1 },
  quick: { rounds: 30, warmupRounds: 2, targetBatchMs: 0.5 },
  variants: variants(proposals),
  fits: [],
});
