import { describeShape, REQUEST_LEVELS, shapeName } from '../src/measure/copy-plan/request-shapes.js';
import type { SuiteDecl, VariantDecl } from '../src/measure/types.js';
import type { ProposalDecl } from '../src/proposal/types.js';
import { allProposals, hostTarget } from '../src/registry.js';

/**
 * The caller's side, beside the kernel's copies: what encoding each interface's request costs
 * in the calling process (JavaScript here), and encoding plus writing it into native memory
 * through koffi. For the same requests as the proposals suite. Runs in the main process after
 * the clone and pids suites, so its garbage does not sit in the parent that fork copies.
 */
function hostId(): string {
  try {
    return hostTarget().id;
  } catch {
    return process.arch;
  }
}

export const makeEncodeSuite = (proposals: readonly ProposalDecl[] = allProposals()): SuiteDecl => ({
  name: 'encode',
  description: "the caller's side: encoding each interface's request, and encoding plus materialising it through koffi",
  defaults: { rounds: 15, warmupRounds: 2, targetBatchMs: 1, workers: 1 },
  quick: { rounds: 4, warmupRounds: 1, targetBatchMs: 0.5, workers: 1 },
  variants: proposals.flatMap((p) =>
    REQUEST_LEVELS.flatMap((levels) =>
      (['encode', 'materialise'] as const).map(
        (step): VariantDecl => ({
          id: `encode/${p.id}/${shapeName(levels)}/${step}`,
          description: `${p.id}, ${describeShape(levels)}: ${step === 'encode' ? 'encode() into byte buffers' : 'encode() + materialise into fresh native memory (co-located) + free'}`,
          spec: { kind: 'encode', proposal: p.id, target: hostId(), levels, step },
        }),
      ),
    ),
  ),
  fits: [],
});
