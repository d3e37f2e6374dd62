/**
 * The ABI review's vocabulary: a rule (one SC-nn of ../shared/docs/abi-rules.md) checks one
 * interface's declaration and layouts and returns findings; the matrix summarises them.
 */
import type { ReviewContext } from './context.js';

export type Severity = 'error' | 'warning' | 'note';

export interface Finding {
  /** The rule id, e.g. "SC-18". */
  rule: string;
  /** The interface (proposal id). */
  proposal: string;
  /** The target ABI the finding is about, when it depends on one. */
  target?: string;
  struct?: string;
  /** A struct member or a syscall argument. */
  field?: string;
  severity: Severity;
  /** What is wrong and why; phrased without the target name so equal findings group. */
  message: string;
  /** A concrete change that makes the finding go away. */
  fix?: string;
}

/** One cell of the interface x rule matrix. */
export type Verdict = 'pass' | 'warn' | 'fail' | 'note' | 'n/a';

export interface Rule {
  id: string;
  /** One line: what the rule requires. */
  statement: string;
  /** Where the rule comes from (file in the kernel tree or documentation). */
  source: string;
  /** False when the rule has nothing to look at in this interface (the matrix says n/a). */
  appliesTo?(ctx: ReviewContext): boolean;
  check(ctx: ReviewContext): Finding[];
}

/** The worst severity decides the cell. */
export function verdictOf(findings: readonly Finding[], applies: boolean): Verdict {
  if (!applies) return 'n/a';
  if (findings.some((f) => f.severity === 'error')) return 'fail';
  if (findings.some((f) => f.severity === 'warning')) return 'warn';
  if (findings.length > 0) return 'note';
  return 'pass';
}
