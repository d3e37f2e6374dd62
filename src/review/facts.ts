/**
 * Derived facts per interface: the questions a reviewer asks before reading the rule list.
 * Whole-interface facts (compat, identical layout) are judged on all 14 ABIs whatever the
 * target selection, because they are properties of the design; per-ABI tables (flag capacity,
 * register slots) follow the chosen targets.
 */
import { TARGETS } from '../../abi/targets/index.js';
import { resolveType } from '../ctype/model.js';
import type { TargetAbi } from '../ctype/target.js';
import type { FlagWords } from '../proposal/types.js';
import { buildContext, type ReviewContext } from './context.js';
import { allCompatReasons, type CompatCase } from './compat.js';
import { unknownBitHandling } from './rules/helpers.js';
import { registerWordFact, type RegisterWordFact } from './register-word.js';

export interface CompatFact {
  needed: boolean;
  /** Each reason once, with the ABIs it applies to. */
  reasons: Array<{ case: CompatCase; arg: string; struct?: string; field?: string; why: string; targets: string[] }>;
  /** How x32 enters the kernel: the 64-bit entry, or its own compat entry. */
  x32Entry: 'native 64-bit entry' | 'x32 compat entry';
}

export interface FlagCapacity {
  /** Flag bits that are a fixed number on this ABI. */
  fixedBits: number;
  /** Words whose count the caller chooses (a struct member), if any: unbounded in the ABI. */
  variable?: string;
}

export interface InterfaceFacts {
  proposal: string;
  title: string;
  status: string;
  compat: CompatFact;
  layout: { identicalOnAll: boolean; abis: number; structs: Array<{ name: string; identical: boolean; alignIdentical: boolean; sizes: Record<string, number> }> };
  extensible: { withoutNewSyscall: 'yes' | 'limited' | 'no'; how: string[] };
  flagCapacity: Record<string, FlagCapacity>;
  copies: { empty: number; full: number; note?: string };
  slots: Record<string, { used: number; padding: number; stack: number; locations: Record<string, string[]> }>;
  /** Flag word 0 by value in an unsigned long register (the RFC's register trick), if so. */
  registerWord?: RegisterWordFact;
}

/** Flag capacity on one ABI from the declared words (not from the encoder). */
export function capacityOn(ctx: ReviewContext, words: readonly FlagWords[], t: TargetAbi): FlagCapacity {
  let fixedBits = 0;
  const variable: string[] = [];
  for (const w of words) {
    const bits = ctx.sizeOn(resolveType(w.type, ctx.proposal.scope, `flags word ${w.name}`), t) * 8;
    const perWord = Math.min(w.usedBitsPerWord ?? bits, bits);
    const declared = typeof w.count === 'number' ? w.count : ctx.proposal.constants[w.count];
    // Words before firstWord travel elsewhere (the register trick's word 0): not counted twice.
    const count = declared === undefined ? undefined : declared - (w.firstWord ?? 0);
    // Bits that carry something else (the exit signal) are not flag capacity.
    fixedBits -= w.reservedLowBits ?? 0;
    if (count === undefined) variable.push(`${w.count} x ${perWord} bits (${w.name})`);
    else fixedBits += count * perWord;
  }
  return { fixedBits, ...(variable.length ? { variable: variable.join(' + ') } : {}) };
}

function extensibility(ctx: ReviewContext): InterfaceFacts['extensible'] {
  const how: Array<[level: 'yes' | 'limited' | 'no', text: string]> = [];
  const sv = ctx.decl.semantics.sizeVersioning;
  if (sv?.rule === 'copy-struct-from-user') how.push(['yes', `struct ${sv.struct} grows by appending (${sv.versions.map((v) => `${v.name}=${v.size}`).join(', ')}; copy_struct_from_user)`]);
  if (sv?.rule === 'exact') how.push(['limited', `struct ${sv.struct} has an exact ${sv.sizeArg}: it grows only if every kernel keeps a list of the sizes it accepts`]);
  for (const w of ctx.decl.semantics.flags) {
    const handling = unknownBitHandling(ctx, w);
    const counted = typeof w.count === 'string' && ctx.proposal.constants[w.count] === undefined;
    if (handling === 'rejected') how.push(['yes', `new flags can take unused bits of ${w.name} (unknown bits are rejected)`]);
    else if (counted) how.push(['yes', `more flag words through ${w.count}${handling === 'unspecified' ? ' (but unknown bits are not known to be rejected)' : ''}`]);
    else how.push(['no', `unknown bits of ${w.name} are ${handling}: a new flag there would be silently ${handling === 'ignored' ? 'ignored' : 'unchecked'} by older kernels`]);
  }
  const reserved = ctx.decl.structs.flatMap((s) => s.fields.filter((f) => f.mustBeZero).map((f) => `${s.name}.${f.name}`));
  if (reserved.length) how.push(['limited', `reserved members that must be 0 can gain a meaning: ${reserved.join(', ')}`]);
  if (!sv && ctx.args.length >= 6) how.push(['no', `all 6 argument registers are used`]);
  const level = how.some(([l]) => l === 'yes') ? 'yes' : how.some(([l]) => l === 'limited') ? 'limited' : 'no';
  return { withoutNewSyscall: level, how: how.map(([, text]) => text) };
}

function compatFact(ctx: ReviewContext): CompatFact {
  const groups = new Map<string, CompatFact['reasons'][number]>();
  for (const r of allCompatReasons(ctx)) {
    const key = JSON.stringify([r.case, r.arg, r.struct, r.field, r.why]);
    const g = groups.get(key) ?? { case: r.case, arg: r.arg, struct: r.struct, field: r.field, why: r.why, targets: [] };
    g.targets.push(r.target);
    groups.set(key, g);
  }
  const reasons = [...groups.values()];
  const x32 = ctx.targets.filter((t) => t.usesNativeEntryWhenCompatFree).map((t) => t.id);
  return { needed: reasons.length > 0, reasons, x32Entry: reasons.some((r) => r.targets.some((t) => x32.includes(t))) ? 'x32 compat entry' : 'native 64-bit entry' };
}

const optional = <K extends string, V>(key: K, value: V | undefined) => (value === undefined ? {} : ({ [key]: value } as Record<K, V>));

/** Facts for one interface; `ctx` supplies the chosen targets, the design-level facts use all ABIs. */
export function deriveFacts(ctx: ReviewContext, overrides: Readonly<Record<string, number>> = {}): InterfaceFacts {
  const everywhere = ctx.targets.length === TARGETS.length ? ctx : buildContext(ctx.decl, TARGETS, overrides);
  const structs = everywhere.structs.map((s) => ({ name: s.name, identical: s.sameLayoutEverywhere, alignIdentical: s.sameAlignEverywhere, sizes: Object.fromEntries(Object.entries(s.layouts).map(([t, l]) => [t, l.size])) }));
  return {
    proposal: ctx.decl.id,
    title: ctx.decl.title,
    status: `${ctx.decl.semantics.status}, ${ctx.decl.semantics.when}`,
    compat: compatFact(everywhere),
    layout: { identicalOnAll: structs.every((s) => s.identical), abis: TARGETS.length, structs },
    extensible: extensibility(ctx),
    flagCapacity: Object.fromEntries(ctx.targets.map((t) => [t.id, capacityOn(ctx, ctx.decl.semantics.flags, t)])),
    copies: { ...ctx.decl.semantics.copies },
    slots: Object.fromEntries(
      ctx.targets.map((t) => {
        const a = ctx.slots[t.id];
        return [t.id, { used: a.slotsUsed, padding: a.paddingSlots, stack: a.stackSlots, locations: Object.fromEntries(a.args.map((x) => [x.arg, x.locations])) }];
      }),
    ),
    ...optional('registerWord', registerWordFact(ctx)),
  };
}
