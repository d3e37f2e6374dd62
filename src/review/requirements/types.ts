/**
 * The RFC's requirements for a new clone call, as a matrix of interfaces x requirements:
 * (1) do everything clone() does, (2) let a process choose the child's pids in all ancestor pid
 * namespaces, (3) allow more clone flags; under the constraint of at most 6 arguments, where
 * any extension costs copy_from_user() calls. Every cell is derived by asking the interface's
 * encoder for real requests on every chosen ABI (a refusal names its limit) and from its
 * declaration; nothing is typed per interface.
 */
import type { TargetAbi } from '../../ctype/target.js';
import type { Encoder, EncodeRefusal, UserImage } from '../../encode/types.js';
import type { ProposalDecl } from '../../proposal/types.js';
import type { ResolvedProposal } from '../../registry.js';
import type { CloneRequest } from '../../request/types.js';
import type { ReviewContext } from '../context.js';

export type RequirementStatus = 'met' | 'partly' | 'not met';

/**
 * One cell of `clonebench review --json` `.requirements.interfaces[<interface>][<requirement>]`.
 * Stable shape (the HTML report renders it):
 * - `status`: "met" | "partly" | "not met";
 * - `reason`: one plain-ASCII sentence saying why, with the numbers and the limits named;
 * - `abis`: present only when the status differs between the chosen ABIs: the ABIs on which
 *   the interface falls short (the cell's status is then "partly" or "not met").
 */
export interface RequirementCell {
  status: RequirementStatus;
  reason: string;
  abis?: string[];
}

/** What a requirement looks at: one interface, its encoder, and its checked declaration. */
export interface Subject {
  decl: ProposalDecl;
  encoder: Encoder;
  rp: ResolvedProposal;
  /** The review context (chosen targets, register slots, layouts), built from the same declaration. */
  ctx: ReviewContext;
  targets: readonly TargetAbi[];
  /** The encoder's answer for a request on one target (memoised). */
  encode(req: CloneRequest, target: TargetAbi): Outcome;
}

export type Outcome = { image: UserImage } | { refusal: EncodeRefusal } | { failure: string };

/**
 * A row of the matrix. A requirement without `evaluate` is one of the RFC's three, and its cell
 * sums up the rows that name it as `parent`.
 */
export interface Requirement {
  /** Stable id used in the JSON: "1", "1.tls", "2.new-namespace", "args", "copies". */
  id: string;
  parent?: string;
  /** Up to 30 characters, for the text grid. */
  label: string;
  /** One line: what is asked. */
  title: string;
  evaluate?(s: Subject): RequirementCell;
}

/**
 * `clonebench review --json` `.requirements`, a function of the chosen proposals and targets:
 * - `requirements`: the rows in display order ({id, parent?, label, title}); a row with a
 *   `parent` refines one of the RFC's three ("1", "2", "3"), whose cell sums up its rows;
 * - `interfaces`: interface id -> requirement id -> RequirementCell, for every row.
 */
export interface RequirementsMatrix {
  targets: string[];
  requirements: Array<{ id: string; parent?: string; label: string; title: string }>;
  interfaces: Record<string, Record<string, RequirementCell>>;
}
