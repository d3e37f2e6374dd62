/**
 * The requirements matrix: every chosen interface against the RFC's requirements. One file per
 * requirement group; a new row is an entry in its group's list, a new group a line here.
 */
import type { TargetAbi } from '../../ctype/target.js';
import type { Encoder } from '../../encode/types.js';
import type { ProposalDecl } from '../../proposal/types.js';
import { buildContext, type ReviewContext } from '../context.js';
import { REQUIREMENTS as CLONE_PARITY } from './clone-parity.js';
import { REQUIREMENTS as CONSTRAINTS } from './constraints.js';
import { REQUIREMENTS as FLAGS } from './flags.js';
import { REQUIREMENTS as PIDS } from './pids.js';
import { makeSubject, summarise } from './probe.js';
import type { Requirement, RequirementCell, RequirementsMatrix } from './types.js';

export const REQUIREMENTS: readonly Requirement[] = [...CLONE_PARITY, ...PIDS, ...FLAGS, ...CONSTRAINTS];

/** The matrix for interfaces whose review contexts are built (review() has them already). */
export function requirementsOf(interfaces: ReadonlyArray<{ ctx: ReviewContext; encoder: Encoder }>, targets: readonly TargetAbi[], requirements: readonly Requirement[] = REQUIREMENTS): RequirementsMatrix {
  const out: RequirementsMatrix['interfaces'] = {};
  for (const { ctx, encoder } of interfaces) {
    const s = makeSubject(ctx, encoder);
    const row: Record<string, RequirementCell> = {};
    for (const r of requirements) if (r.evaluate) row[r.id] = r.evaluate(s);
    for (const r of requirements)
      if (!r.evaluate) row[r.id] = summarise(requirements.filter((x) => x.parent === r.id).map((x) => ({ label: x.label, cell: row[x.id] })));
    out[ctx.decl.id] = Object.fromEntries(requirements.map((r) => [r.id, row[r.id]]));
  }
  return {
    targets: targets.map((t) => t.id),
    requirements: requirements.map((r) => ({ id: r.id, ...(r.parent ? { parent: r.parent } : {}), label: r.label, title: r.title })),
    interfaces: out,
  };
}

/**
 * The matrix as a function of a proposal list: each declaration with its encoder (the built-in
 * ones, those registered at start-up, or a test's modified one), on the chosen targets.
 */
export function requirementsMatrix(
  proposals: ReadonlyArray<{ declaration: ProposalDecl; encoder: Encoder }>,
  targets: readonly TargetAbi[],
  overrides: Readonly<Record<string, number>> = {},
): RequirementsMatrix {
  return requirementsOf(proposals.map((p) => ({ ctx: buildContext(p.declaration, targets, overrides), encoder: p.encoder })), targets);
}

export type { Requirement, RequirementCell, RequirementStatus, RequirementsMatrix } from './types.js';
