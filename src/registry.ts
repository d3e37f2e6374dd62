/** Looking up targets and proposals by id, and resolving a proposal's declaration. */
import { ENCODERS, PROPOSALS } from '../abi/proposals/index.js';
import { TARGETS } from '../abi/targets/index.js';
import { validateStructs, type TypeScope } from './ctype/model.js';
import type { TargetAbi } from './ctype/target.js';
import { InputError, UsageError } from './errors.js';
import type { Encoder } from './encode/types.js';
import type { ProposalDecl } from './proposal/types.js';

function pick<T extends { id: string }>(all: readonly T[], ids: readonly string[] | undefined, what: string): T[] {
  if (!ids || ids.length === 0 || (ids.length === 1 && ids[0] === 'all')) return [...all];
  return ids.map((id) => {
    const found = all.find((x) => x.id === id);
    if (!found) throw new UsageError(`unknown ${what} "${id}"; valid ${what}s: ${all.map((x) => x.id).join(', ')}`);
    return found;
  });
}

/** Splits "a,b c" style lists from the command line. */
export function splitList(values: readonly string[] | string | undefined): string[] | undefined {
  if (values === undefined) return undefined;
  return (Array.isArray(values) ? values : [values]).flatMap((v) => v.split(/[,\s]+/)).filter(Boolean);
}

/** A proposal from outside abi/proposals/ (e.g. declared in a C header with --header). */
export interface ProposalPlugin {
  declaration: ProposalDecl;
  encoder: Encoder;
}

const extra: ProposalPlugin[] = [];

/** Adds proposals for the rest of this process (commands call it before listing or running
 * anything); an id already taken is an input error. */
export function registerProposals(plugins: readonly ProposalPlugin[]): void {
  for (const p of plugins) {
    if (allProposals().some((d) => d.id === p.declaration.id))
      throw new InputError(`proposal id "${p.declaration.id}" is already taken (ids: ${allProposals().map((d) => d.id).join(', ')})`);
    extra.push(p);
  }
}

/** The built-in proposals, then any registered ones, in order. */
export const allProposals = (): readonly ProposalDecl[] => [...PROPOSALS, ...extra.map((p) => p.declaration)];
export const allEncoders = (): readonly Encoder[] => [...ENCODERS, ...extra.map((p) => p.encoder)];

export const selectTargets = (ids?: readonly string[]) => pick(TARGETS, ids, 'target');
export const selectProposals = (ids?: readonly string[]) => pick(allProposals(), ids, 'proposal');
export const targetById = (id: string) => selectTargets([id])[0];
export const proposalById = (id: string) => selectProposals([id])[0];

/** The target that matches the machine Node runs on (the ABI of native memory). */
export function hostTarget(): TargetAbi {
  const t = TARGETS.find((x) => x.nodeArch === process.arch && x.endian === (new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 'little' : 'big'));
  if (!t) throw new InputError(`no target ABI describes this host (process.arch = ${process.arch})`);
  return t;
}

/** A proposal with its constants (parameter overrides applied) and its checked type scope. */
export interface ResolvedProposal {
  decl: ProposalDecl;
  constants: Record<string, number>;
  scope: TypeScope;
}

export function resolveProposal(decl: ProposalDecl, overrides: Readonly<Record<string, number>> = {}): ResolvedProposal {
  const where = `proposal ${decl.id}`;
  const constants: Record<string, number> = { ...(decl.constants ?? {}) };
  for (const [name, value] of Object.entries(overrides)) {
    const p = decl.parameters?.[name];
    if (!p) continue; // a parameter of another proposal
    if (!Number.isInteger(value) || value < p.min || value > p.max) throw new UsageError(`${where}: ${name} must be an integer in [${p.min}, ${p.max}], got ${value}`);
    constants[name] = value;
  }
  const scope = validateStructs(decl.structs, constants, where);
  if (decl.rootStruct && !scope.structs.has(decl.rootStruct)) throw new InputError(`${where}: rootStruct "${decl.rootStruct}" is not declared`);
  return { decl, constants, scope };
}
