/**
 * Requirement (3): "allow more clone_flags". How many flag bits the interface carries on each
 * ABI and how many of them no flag uses yet (the encoder's capacity, checked at its edges), and
 * whether a new flag could be added without a new syscall such that older kernels reject it
 * (the flag word that carries the first free bit, and what the kernel does with unknown bits
 * there).
 */
import type { TargetAbi } from '../../ctype/target.js';
import { wordBits } from '../../encode/flagwords.js';
import type { FlagWords } from '../../proposal/types.js';
import { FLAG_NAMES } from '../../request/parse.js';
import { CLONE_NEWTIME, MAX_FLAG_BITS, makeRequest } from '../../request/types.js';
import { unknownBitHandling } from '../rules/helpers.js';
import { acrossTargets, carriers, cell, notEncoded, refusalText, type Carriers } from './probe.js';
import { EMPTY } from './requests.js';
import type { Requirement, RequirementCell, Subject } from './types.js';

const bitOf = (v: bigint) => v.toString(2).length - 1;
const KNOWN_BITS = Object.values(FLAG_NAMES).map(bitOf);
const LOWEST_FLAG_BIT = bitOf(CLONE_NEWTIME);

interface Bits {
  /** Flag bits the encoder carries on this ABI, from `low` up to `top` (exclusive). */
  low: number;
  top: number;
  limit: string;
  known: number[];
  /** The lowest bit no flag uses yet, if any. */
  firstFree?: number;
  /** Declared flag words that start at or beyond `top`: reserved today (eclone's clone_flags_high). */
  reserved: Array<{ fw: FlagWords; bits?: number }>;
}

/** The declared flag words laid end to end (sigset style); a word with a counted length ends the list. */
function declaredWords(s: Subject, t: TargetAbi): Array<{ fw: FlagWords; start: number; bits?: number }> {
  let at = 0;
  return s.decl.semantics.flags.map((fw) => {
    const start = at;
    const count = typeof fw.count === 'number' ? fw.count : s.rp.constants[fw.count];
    if (count === undefined) {
      at = Infinity;
      return { fw, start };
    }
    const bits = (count - (fw.firstWord ?? 0)) * wordBits(s.rp, t, fw);
    at += bits;
    return { fw, start, bits };
  });
}

function bitsOn(s: Subject, t: TargetAbi): Bits {
  const cap = s.encoder.capacity(t, s.rp);
  // Bits 0-6 are never flags in the request model (CSIGNAL); bit 7 is CLONE_NEWTIME where the
  // low byte is not the exit signal (clone3).
  const low = cap.lowByteIsExitSignal ? 8 : LOWEST_FLAG_BIT;
  const top = cap.flagBits;
  const known = KNOWN_BITS.filter((b) => b >= low && b < top);
  let firstFree: number | undefined = low;
  while (firstFree < top && known.includes(firstFree)) firstFree++;
  return {
    low,
    top,
    limit: cap.flagLimit,
    known,
    firstFree: firstFree < top ? firstFree : undefined,
    reserved: declaredWords(s, t).filter((w) => w.start >= top && w.bits !== 0).map(({ fw, bits }) => ({ fw, bits })),
  };
}

/**
 * The encoder must carry its highest flag bit (accept it, and the image must change) and refuse
 * the next one; otherwise its capacity() is not what it builds.
 */
function capacityContradiction(s: Subject, t: TargetAbi, b: Bits): string | undefined {
  if (b.top - 1 >= b.low) {
    const o = s.encode(makeRequest({ flags: 1n << BigInt(b.top - 1) }), t);
    if (!('image' in o)) return `capacity() says ${b.top} bits but bit ${b.top - 1} is ${'refusal' in o ? refusalText(o.refusal) : 'not encoded'}`;
    const base = s.encode(EMPTY, t);
    const c = 'image' in base ? carriers(base.image, o.image) : undefined;
    if (c && !c.registers.length && !c.memory.length && !c.calls.length) return `capacity() says ${b.top} bits but bit ${b.top - 1} leaves the image unchanged: it would be dropped`;
  }
  if (b.top < MAX_FLAG_BITS) {
    const o = s.encode(makeRequest({ flags: 1n << BigInt(b.top) }), t);
    if ('image' in o) return `capacity() says ${b.top} bits but bit ${b.top} is accepted`;
  }
  return undefined;
}

const bitsText = (b: Bits) => `${b.top - b.low} flag bits (${b.low}-${b.top - 1}): ${b.known.length} defined, ${b.top - b.low - b.known.length} free`;
const reservedText = (b: Bits) => b.reserved.map((r) => `${r.fw.name}${r.bits ? ` (${r.bits} bits)` : ''}`).join(', ');

function capacity(s: Subject, t: TargetAbi): RequirementCell {
  const b = bitsOn(s, t);
  const wrong = capacityContradiction(s, t, b);
  if (wrong) return cell('not met', wrong);
  if (b.firstFree !== undefined) return cell('met', bitsText(b));
  if (b.reserved.length) return cell('partly', `${bitsText(b)}; declared but carried only as 0 today: ${reservedText(b)}`);
  return cell('not met', `${bitsText(b)}: ${b.limit}`);
}

/** The declared flag word that a changed part of the image belongs to. */
function wordOf(s: Subject, c: Carriers): FlagWords | undefined {
  return s.decl.semantics.flags.find((fw) => {
    const [struct, field] = fw.name.includes('.') ? fw.name.split('.') : [undefined, fw.name];
    if (fw.where === 'register') return c.registers.includes(fw.name);
    return c.memory.some((m) => m.ctype === `struct ${struct}` || m.segment === struct || m.segment === field);
  });
}

const HANDLING: Record<ReturnType<typeof unknownBitHandling>, (where: string) => RequirementCell> = {
  rejected: (where) => cell('met', `${where}; kernels that predate it reject it (EINVAL: unknown bits are rejected)`),
  unspecified: (where) => cell('partly', `${where}, but the design does not say whether older kernels reject unknown bits there`),
  ignored: (where) => cell('not met', `${where}, but older kernels ignore unknown bits there: the new flag would be silently dropped`),
};

function newFlag(s: Subject, t: TargetAbi): RequirementCell {
  const b = bitsOn(s, t);
  if (b.firstFree !== undefined) {
    const bit = b.firstFree;
    const base = s.encode(EMPTY, t);
    const probe = s.encode(makeRequest({ flags: 1n << BigInt(bit) }), t);
    if (!('image' in base)) return notEncoded(base);
    if (!('image' in probe)) return notEncoded(probe);
    const fw = wordOf(s, carriers(base.image, probe.image));
    if (!fw) return cell('partly', `bit ${bit} is free, but no declared flag word carries it`);
    return HANDLING[unknownBitHandling(s.ctx, fw)](`a new flag can take bit ${bit}, in ${fw.name}`);
  }
  const reserved = b.reserved[0];
  if (reserved) return HANDLING[unknownBitHandling(s.ctx, reserved.fw)](`no free bit among the ${b.top - b.low} carried; a new flag can take ${reserved.fw.name}, 0 today`);
  return cell('not met', `no free flag bit (${b.limit}): a new flag needs a new syscall`);
}

export const REQUIREMENTS: Requirement[] = [
  { id: '3', label: '(3) more clone flags', title: 'allow more clone flags' },
  { id: '3.capacity', parent: '3', label: 'free flag bits (per ABI)', title: 'flag bits carried on each ABI, and how many no flag uses yet', evaluate: (s) => acrossTargets(s, (t) => capacity(s, t)) },
  {
    id: '3.new-flag',
    parent: '3',
    label: 'new flag, old kernels reject',
    title: 'a new flag can be added without a new syscall, and kernels that predate it reject it',
    evaluate: (s) => acrossTargets(s, (t) => newFlag(s, t)),
  },
];
