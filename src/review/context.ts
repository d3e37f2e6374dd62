/**
 * What every rule looks at: one resolved interface, its structs laid out on the chosen targets
 * (and on the 64-bit kernels that run them as compat), its syscall arguments resolved to C
 * types, and register-slot accounting. Building it also validates the declaration, so a
 * malformed one fails here with an InputError naming the place, before any rule runs.
 */
import { TARGETS } from '../../abi/targets/index.js';
import { compareStruct, type StructComparison } from '../abi/abi-report.js';
import { layoutStruct, typeSizeAlign, type StructLayout } from '../ctype/layout.js';
import { resolveType, type CType, type FieldDecl, type StructDecl } from '../ctype/model.js';
import { accountSlots, type SlotAccount } from '../ctype/slots.js';
import type { TargetAbi } from '../ctype/target.js';
import { InputError } from '../errors.js';
import type { ProposalDecl } from '../proposal/types.js';
import { resolveProposal, type ResolvedProposal } from '../registry.js';

export interface ResolvedArg {
  name: string;
  type: string;
  ctype: CType;
  /** 1-based position in the declared signature. */
  position: number;
}

/** A reference from the semantics block: a syscall argument or "struct.field". */
export type Ref =
  | { kind: 'arg'; arg: ResolvedArg }
  | { kind: 'field'; struct: StructDecl; field: FieldDecl; ctype: CType };

export interface ReviewContext {
  proposal: ResolvedProposal;
  decl: ProposalDecl;
  /** The targets the user chose. */
  targets: readonly TargetAbi[];
  args: ResolvedArg[];
  /** Every declared struct compared across the chosen targets. */
  structs: StructComparison[];
  slots: Record<string, SlotAccount>;
  /** The 64-bit kernel that runs this target's tasks through compat, if any (SC-18). */
  kernelOf(target: TargetAbi): TargetAbi | undefined;
  /** Layout on any target, including kernels outside the chosen set. */
  layoutOn(struct: string, target: TargetAbi): StructLayout;
  sizeOn(ctype: CType, target: TargetAbi): number;
  ref(name: string): Ref | undefined;
}

const targetById = new Map(TARGETS.map((t) => [t.id, t]));

function resolveArgs(decl: ProposalDecl, scope: ResolvedProposal['scope']): ResolvedArg[] {
  const sys = decl.syscall;
  const where = `proposal ${decl.id}: syscall ${sys?.name ?? '?'}`;
  if (!sys || typeof sys.name !== 'string' || !Array.isArray(sys.args)) throw new InputError(`${where}: missing syscall name or argument list`);
  const seen = new Set<string>();
  return sys.args.map((a, i) => {
    const at = `${where}, argument #${i + 1}${a?.name ? ` "${a.name}"` : ''}`;
    if (!a || typeof a.name !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(a.name)) throw new InputError(`${at}: missing or invalid argument name`);
    if (typeof a.type !== 'string') throw new InputError(`${at}: missing type`);
    if (seen.has(a.name)) throw new InputError(`${where}: duplicate argument name "${a.name}"`);
    seen.add(a.name);
    const ctype = resolveType(a.type, scope, at);
    if (ctype.kind === 'array' || ctype.kind === 'flex' || ctype.kind === 'struct') throw new InputError(`${at}: a syscall argument is a register: pass "${a.type}" by pointer`);
    return { name: a.name, type: a.type, ctype, position: i + 1 };
  });
}

function makeRef(args: readonly ResolvedArg[], p: ResolvedProposal) {
  return (name: string): Ref | undefined => {
    const dot = name.indexOf('.');
    if (dot < 0) {
      const arg = args.find((a) => a.name === name);
      return arg && { kind: 'arg', arg };
    }
    const struct = p.scope.structs.get(name.slice(0, dot));
    const field = struct?.fields.find((f) => f.name === name.slice(dot + 1));
    if (!struct || !field) return undefined;
    return { kind: 'field', struct, field, ctype: resolveType(field.type, p.scope, `struct ${struct.name}, field "${field.name}"`, new Set([struct.name])) };
  };
}

/** Every name the semantics block uses must exist: the rules trust these references. */
function validateSemantics(p: ResolvedProposal, ref: (n: string) => Ref | undefined, args: readonly ResolvedArg[]): void {
  const d = p.decl;
  const where = `proposal ${d.id}: semantics`;
  const sem = d.semantics;
  if (!sem || !Array.isArray(sem.flags)) throw new InputError(`${where}: missing (needs at least "flags")`);
  const need = (name: string, at: string) => {
    if (typeof name !== 'string' || !ref(name)) {
      const known = [...args.map((a) => a.name), ...d.structs.flatMap((s) => s.fields.map((f) => `${s.name}.${f.name}`))];
      throw new InputError(`${where}.${at}: "${name}" names no argument or struct field (known: ${known.join(', ')})`);
    }
    return ref(name)!;
  };
  sem.flags.forEach((w, i) => {
    const at = `flags[${i}]`;
    const r = need(w.name, `${at}.name`);
    if ((w.where === 'register') !== (r.kind === 'arg')) throw new InputError(`${where}.${at}: "${w.name}" is ${r.kind === 'arg' ? 'an argument' : 'a struct field'} but where = "${w.where}"`);
    resolveType(w.type, p.scope, `${where}.${at}.type`);
    if (w.firstWord !== undefined) {
      const count = typeof w.count === 'number' ? w.count : p.constants[w.count];
      if (!Number.isInteger(w.firstWord) || w.firstWord < 0 || (count !== undefined && w.firstWord > count))
        throw new InputError(`${where}.${at}.firstWord: ${w.firstWord} must be an integer in [0, count${count !== undefined ? ` = ${count}` : ''}]`);
    }
    if (typeof w.count === 'string' && p.constants[w.count] === undefined) {
      const owner = r.kind === 'field' ? r.struct : undefined;
      if (!owner?.fields.some((f) => f.name === w.count)) throw new InputError(`${where}.${at}.count: "${w.count}" is neither a constant nor a field of the struct holding ${w.name}`);
    }
  });
  (sem.arrays ?? []).forEach((a, i) => {
    need(a.pointer, `arrays[${i}].pointer`);
    need(a.count, `arrays[${i}].count`);
    resolveType(a.element, p.scope, `${where}.arrays[${i}].element`);
  });
  const sv = sem.sizeVersioning;
  if (sv) {
    if (!args.some((a) => a.name === sv.sizeArg)) throw new InputError(`${where}.sizeVersioning.sizeArg: no argument "${sv.sizeArg}"`);
    const s = p.scope.structs.get(sv.struct);
    if (!s) throw new InputError(`${where}.sizeVersioning.struct: struct "${sv.struct}" is not declared`);
    if (!Array.isArray(sv.versions) || sv.versions.length === 0) throw new InputError(`${where}.sizeVersioning.versions: at least one version is needed`);
    for (const f of s.fields) {
      if (f.since && !sv.versions.some((v) => v.name === f.since)) throw new InputError(`proposal ${d.id}: struct ${s.name}, field "${f.name}": since "${f.since}" is not one of sizeVersioning.versions (${sv.versions.map((v) => v.name).join(', ')})`);
    }
  }
}

/** Resolves and validates one declaration and prepares everything the rules read. */
export function buildContext(decl: ProposalDecl, targets: readonly TargetAbi[], overrides: Readonly<Record<string, number>> = {}): ReviewContext {
  if (!decl || typeof decl.id !== 'string') throw new InputError('a proposal declaration without an id');
  if (!Array.isArray(decl.structs)) throw new InputError(`proposal ${decl.id}: missing "structs" (use [] for none)`);
  const p = resolveProposal(decl, overrides);
  const args = resolveArgs(decl, p.scope);
  const ref = makeRef(args, p);
  validateSemantics(p, ref, args);
  const cache = new Map<string, StructLayout>();
  const layoutOn = (struct: string, t: TargetAbi) => {
    const key = `${struct}@${t.id}`;
    if (!cache.has(key)) cache.set(key, layoutStruct(p.scope.structs.get(struct)!, t, p.scope));
    return cache.get(key)!;
  };
  return {
    proposal: p,
    decl,
    targets,
    args,
    // compareStruct lays every struct out on every target, so layout errors surface here too.
    structs: decl.structs.map((s) => compareStruct(p, s.name, targets)),
    slots: Object.fromEntries(targets.map((t) => [t.id, accountSlots(decl.syscall, t, p.scope)])),
    kernelOf: (t) => (t.compatOf ? targetById.get(t.compatOf) : undefined),
    layoutOn,
    sizeOn: (ctype, t) => typeSizeAlign(ctype, t, p.scope).size,
    ref,
  };
}
