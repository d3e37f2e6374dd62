/**
 * The RFC's register trick, judged: "play some tricks with clone_flags_t to avoid the copy on
 * 64-bit architectures till N_CLONE_FLAGS exceeds 64". It applies to an interface whose first
 * flag word travels by value in a register-sized argument (unsigned long) while further words
 * stay in memory. Derived here from the declaration, per ABI:
 * - how many flag bits the register word holds (64 on LP64, 32 on ILP32 and x32), and whether
 *   any of them is free beyond clone()'s own 32 (flags and exit signal);
 * - what a register word of 64 bits on every ABI (a __u64 argument) would cost on 32-bit ABIs:
 *   register slots through src/ctype/slots.ts (a pair, even-pair padding, MIPS o32's stack);
 * - compat: a 64-bit kernel finds bits 32-63 of a 32-bit task in memory but of its own tasks in
 *   the register, so its compat entry has to move them.
 */
import { resolveType, registerSized } from '../ctype/model.js';
import { accountSlots } from '../ctype/slots.js';
import type { TargetAbi } from '../ctype/target.js';
import type { FlagWords, SyscallDecl } from '../proposal/types.js';
import type { ReviewContext } from './context.js';

/** Bits clone() already uses in its flags register: 24 flags and the exit-signal byte. */
export const LEGACY_FLAG_BITS = 32;

export interface RegisterWordFact {
  /** The register argument holding flag word 0, and its C type. */
  arg: string;
  type: string;
  /** Flag bits the register word holds, by target. */
  bits: Record<string, number>;
  /** Argument registers per target (syscall(2)). */
  registers: Record<string, number>;
  /** Targets where it holds more than clone()'s 32 bits: new flags there cost no copy. */
  applies: string[];
  /** Targets where it holds only clone()'s 32 bits: every new flag is copied from memory. */
  doesNotApply: string[];
  /** The same signature with a 64-bit register word, on the targets where the word is narrower. */
  widened: Record<string, { slots: number; padding: number; stack: number; beyondRegisters: number; overLimit: boolean }>;
  /** 32-bit tasks whose 64-bit kernel keeps more bits in the register than the task does. */
  compat: Array<{ target: string; kernel: string; taskBits: number; kernelBits: number; taskHasMemoryWords: boolean }>;
}

function bitsOn(ctx: ReviewContext, w: FlagWords, t: TargetAbi): number {
  const size = ctx.sizeOn(resolveType(w.type, ctx.proposal.scope, `flags word ${w.name}`), t);
  return Math.min(size * 8, w.usedBitsPerWord ?? Infinity);
}

/** The fact for interfaces of the trick's shape, else undefined. */
export function registerWordFact(ctx: ReviewContext): RegisterWordFact | undefined {
  const words = ctx.decl.semantics.flags;
  const reg = words.find((w) => w.where === 'register');
  if (!reg || !words.some((w) => w.where === 'memory')) return undefined;
  const arg = ctx.args.find((a) => a.name === reg.name);
  if (!arg || registerSized(arg.ctype) !== 'long') return undefined;
  const bits = Object.fromEntries(ctx.targets.map((t) => [t.id, bitsOn(ctx, reg, t)]));
  const widest = Math.max(...ctx.targets.map((t) => bitsOn(ctx, reg, t)));
  const wide: SyscallDecl = { ...ctx.decl.syscall, args: ctx.decl.syscall.args.map((a) => (a.name === reg.name ? { ...a, type: '__u64' } : a)) };
  const widened: RegisterWordFact['widened'] = {};
  for (const t of ctx.targets.filter((x) => bits[x.id] < 64)) {
    const a = accountSlots(wide, t, ctx.proposal.scope);
    // Slots past the argument registers go on the user stack only where the ABI has stack
    // arguments (MIPS o32); elsewhere (i386, m68k) there is no place for them at all.
    const stack = Math.min(a.stackSlots, t.syscall.stackArguments);
    widened[t.id] = { slots: a.slotsUsed, padding: a.paddingSlots, stack, beyondRegisters: a.stackSlots - stack, overLimit: a.slotsUsed > a.limit };
  }
  // Flag words the kernel reads from memory (CLONE_FLAGS_WORDS - 1 for the trick; 0 with one word).
  const memoryWords = words
    .filter((w) => w.where === 'memory')
    .reduce((n, w) => {
      const count = typeof w.count === 'number' ? w.count : ctx.proposal.constants[w.count];
      return n + (count === undefined ? Infinity : count - (w.firstWord ?? 0));
    }, 0);
  const compat = ctx.targets.flatMap((t) => {
    const kernel = ctx.kernelOf(t);
    if (!kernel) return [];
    const kernelBits = bitsOn(ctx, reg, kernel);
    return kernelBits !== bits[t.id] ? [{ target: t.id, kernel: kernel.id, taskBits: bits[t.id], kernelBits, taskHasMemoryWords: memoryWords > 0 }] : [];
  });
  return {
    arg: reg.name,
    type: reg.type,
    bits,
    registers: Object.fromEntries(ctx.targets.map((t) => [t.id, t.syscall.argumentRegisters.length])),
    applies: ctx.targets.filter((t) => bits[t.id] > LEGACY_FLAG_BITS).map((t) => t.id),
    doesNotApply: ctx.targets.filter((t) => bits[t.id] <= LEGACY_FLAG_BITS).map((t) => t.id),
    widened,
    compat: widest > 0 ? compat : [],
  };
}

/** "a, b: v1; c: v2" grouping for the sentences below. */
function grouped(values: Record<string, string>): string {
  const groups = new Map<string, string[]>();
  for (const [t, v] of Object.entries(values)) groups.set(v, [...(groups.get(v) ?? []), t]);
  return [...groups].map(([v, ts]) => `${v} on ${ts.join(', ')}`).join('; ');
}

/** What a 64-bit register word would cost where the word is narrower (the 6-argument limit). */
export function widenedText(f: RegisterWordFact): string | undefined {
  const entries = Object.entries(f.widened);
  if (entries.length === 0) return undefined;
  const regs = (t: string) => f.registers[t];
  const show = Object.fromEntries(
    entries.map(([t, w]) => [t, `${w.slots} slots${w.padding ? ` (${w.padding} padding)` : ''}${w.stack ? ` (${w.stack} on the user stack)` : ''}${w.beyondRegisters ? ` (${w.beyondRegisters} more than its ${regs(t)} argument registers)` : ''}`]),
  );
  const over = entries.filter(([, w]) => w.overLimit).map(([t]) => t);
  return `${f.arg} as a __u64 instead, to hold 64 flag bits everywhere, would take ${grouped(show)}${over.length ? `: over the limit of 6 on ${over.join(', ')}` : ''}`;
}

/** The fact as sentences, for the facts section of the review text. */
export function registerWordText(f: RegisterWordFact): string[] {
  const out: string[] = [];
  const bits = grouped(Object.fromEntries(Object.entries(f.bits).map(([t, b]) => [t, `${b} bits`])));
  out.push(`flag word 0 travels by value in ${f.arg} (${f.type}): ${bits}`);
  if (f.applies.length) out.push(`flags below bit ${Math.min(...f.applies.map((t) => f.bits[t]))} cost no copy on ${f.applies.join(', ')}`);
  if (f.doesNotApply.length)
    out.push(`on ${f.doesNotApply.join(', ')} the register word holds only clone()'s ${LEGACY_FLAG_BITS} bits (flags and exit signal), so every new flag is copied from memory: the trick does not apply there`);
  const w = widenedText(f);
  if (w) out.push(w);
  if (f.compat.length) {
    const range = `${Math.min(...f.compat.map((c) => c.taskBits))}-${Math.max(...f.compat.map((c) => c.kernelBits)) - 1}`;
    const tasks = f.compat.map((c) => c.target).join(', ');
    out.push(
      f.compat.every((c) => c.taskHasMemoryWords)
        ? `compat: a 64-bit kernel reads flag bits ${range} of ${tasks} tasks from memory but of its own tasks from ${f.arg}: the compat entry must move them between the register and word 1 (as get_compat_sigset() rebuilds words)`
        : `compat: ${tasks} tasks have no word beyond ${f.arg}, so they cannot pass flag bits ${range} at all, which 64-bit tasks pass in ${f.arg}`,
    );
  }
  return out;
}
