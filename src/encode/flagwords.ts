/** Flag words: how many bits an interface's flag words hold on a target, and splitting a bigint into them. */
import { typeSizeAlign } from '../ctype/layout.js';
import { resolveType } from '../ctype/model.js';
import type { TargetAbi } from '../ctype/target.js';
import type { FlagWords } from '../proposal/types.js';
import type { ResolvedProposal } from '../registry.js';
import type { CloneRequest } from '../request/types.js';
import type { ArgValue } from './types.js';

/** Bits in one word of `fw` on `target`, capped by what the kernel looks at (legacy clone: 32). */
export function wordBits(rp: ResolvedProposal, target: TargetAbi, fw: FlagWords): number {
  const { size } = typeSizeAlign(resolveType(fw.type, rp.scope, `${rp.decl.id} flags ${fw.name}`), target, rp.scope);
  return Math.min(size * 8, fw.usedBitsPerWord ?? Infinity);
}

/** The declared flag words that travel in a register (there is at most one per interface). */
export function registerFlagBits(rp: ResolvedProposal, target: TargetAbi): number {
  const fw = rp.decl.semantics.flags.find((f) => f.where === 'register');
  if (!fw) throw new Error(`${rp.decl.id}: no register flag word declared`);
  return wordBits(rp, target, fw);
}

/** The legacy flags word: flag bits 8-31 with the exit signal in the CSIGNAL byte. */
export const legacyWord = (req: CloneRequest): bigint => (req.flags & 0xffffff00n) | BigInt(req.exitSignal);

/** `count` words of `bits` bits, word 0 holding bits 0..bits-1 (sigset style: bit k in word k / bits). */
export function splitWords(value: bigint, bits: number, count: number): bigint[] {
  const mask = (1n << BigInt(bits)) - 1n;
  return Array.from({ length: count }, (_, i) => (value >> BigInt(i * bits)) & mask);
}

export const val = (value: bigint | number): ArgValue => ({ kind: 'value', value: BigInt(value) });
export const addr = (segment: string): ArgValue => ({ kind: 'address', segment });
/** A pointer argument that is NULL when the segment is absent. */
export const addrOrNull = (segment: string, present: boolean): ArgValue => (present ? addr(segment) : val(0));
