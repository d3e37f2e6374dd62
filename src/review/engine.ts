/**
 * The review engine: every rule over every chosen interface on the chosen targets. Building each
 * interface's context validates its declaration first, so a malformed declaration is rejected
 * with an InputError naming the place before any rule runs.
 */
import type { TargetAbi } from '../ctype/target.js';
import type { Encoder } from '../encode/types.js';
import type { ProposalDecl } from '../proposal/types.js';
import { allEncoders } from '../registry.js';
import { buildContext } from './context.js';
import { deriveFacts, type InterfaceFacts } from './facts.js';
import { requirementsOf, type RequirementsMatrix } from './requirements/index.js';
import { RULES } from './rules/index.js';
import { verdictOf, type Finding, type Rule, type Verdict } from './types.js';

export interface ReviewReport {
  targets: string[];
  rules: Array<Pick<Rule, 'id' | 'statement' | 'source'>>;
  findings: Finding[];
  /** proposal id -> rule id -> verdict. */
  matrix: Record<string, Record<string, Verdict>>;
  facts: Record<string, InterfaceFacts>;
  /** The RFC's requirements per interface (interfaces without an encoder have no row). */
  requirements: RequirementsMatrix;
}

export interface ReviewOptions {
  /** Proposal parameter overrides (e.g. CLONE_FLAGS_WORDS). */
  overrides?: Readonly<Record<string, number>>;
  /** The rules to run (default: all registered). */
  rules?: readonly Rule[];
  /** The encoders the requirements are probed with, by proposal id (default: the registry's). */
  encoders?: readonly Encoder[];
}

export function review(decls: readonly ProposalDecl[], targets: readonly TargetAbi[], options: ReviewOptions = {}): ReviewReport {
  const rules = options.rules ?? RULES;
  const contexts = decls.map((d) => buildContext(d, targets, options.overrides));
  const findings: Finding[] = [];
  const matrix: ReviewReport['matrix'] = {};
  const facts: ReviewReport['facts'] = {};
  for (const ctx of contexts) {
    const row: Record<string, Verdict> = {};
    for (const rule of rules) {
      const applies = rule.appliesTo ? rule.appliesTo(ctx) : true;
      const found = applies ? rule.check(ctx) : [];
      row[rule.id] = verdictOf(found, applies);
      findings.push(...found);
    }
    matrix[ctx.decl.id] = row;
    facts[ctx.decl.id] = deriveFacts(ctx, options.overrides);
  }
  const encoders = options.encoders ?? allEncoders();
  const probed = contexts.flatMap((ctx) => {
    const encoder = encoders.find((e) => e.id === ctx.decl.id);
    return encoder ? [{ ctx, encoder }] : [];
  });
  const requirements = requirementsOf(probed, targets);
  return { targets: targets.map((t) => t.id), rules: rules.map(({ id, statement, source }) => ({ id, statement, source })), findings, matrix, facts, requirements };
}

/** The --json shape; `requirements` is documented on RequirementsMatrix (requirements/types.ts). */
export const reviewJson = (r: ReviewReport) => ({ requirements: r.requirements, findings: r.findings, matrix: r.matrix, facts: r.facts, targets: r.targets, rules: r.rules });
