import { resolveType, type CType } from '../../ctype/model.js';
import type { Finding, Rule } from '../types.js';
import type { ReviewContext } from '../context.js';
import { findingFor, spread } from './helpers.js';

const isLongArray = (t: CType) => (t.kind === 'array' || t.kind === 'flex') && t.of.kind === 'scalar' && t.of.base === 'long';

/** Members that are unsigned long arrays, nested structs not included (they are declared too). */
const longArrays = (ctx: ReviewContext) => ctx.structs.flatMap((s) => Object.values(s.layouts)[0].fields.filter((f) => isLongArray(f.ctype)).map((f) => ({ struct: s.name, field: f.name, type: f.type })));
const memoryFlagWords = (ctx: ReviewContext) => ctx.decl.semantics.flags.filter((w) => w.where === 'memory');

/**
 * SC-24: an unsigned long bitmap has a different size and bit-to-word mapping per ABI, and on a
 * big-endian 64-bit kernel a compat task's 32-bit words arrive with the halves of each 64-bit
 * word swapped (why get_compat_sigset() exists). Flag words in memory should be __u64.
 */
export const rule: Rule = {
  id: 'SC-24',
  statement: 'Do not put unsigned long[] bitmaps in the ABI; use __u64 words with an explicit length.',
  source: 'kernel/compat.c get_compat_sigset(), compat_get_bitmap(); ../shared/docs/abi-rules.md section 4',
  appliesTo: (ctx) => longArrays(ctx).length > 0 || memoryFlagWords(ctx).length > 0,
  check(ctx) {
    const make = findingFor(ctx, 'SC-24');
    const out: Finding[] = [];
    for (const b of longArrays(ctx)) {
      const s = ctx.structs.find((x) => x.name === b.struct)!;
      const fix = `__aligned_u64 ${b.field}[N]; bit k in word k/64, bit k%64, with the word count N passed explicitly and unknown bits rejected in every word (SC-04)`;
      out.push(make({ severity: 'error', struct: b.struct, field: b.field, message: `${b.field} (${b.type}) is an unsigned long bitmap: ${spread(ctx, (t) => s.layouts[t.id].fields.find((f) => f.name === b.field)!.size, (n) => `${n} B`)}; bit k lives in word k/BITS_PER_LONG, so a word holds other flags on ILP32 and LP64`, fix }));
      for (const t of ctx.targets) {
        const kernel = ctx.kernelOf(t);
        if (!kernel || kernel.endian !== 'big') continue;
        out.push(make({ severity: 'error', target: t.id, struct: b.struct, field: b.field, message: `the ${kernel.endian}-endian 64-bit kernel stores the high half of each u64 first, but these tasks store word 0 (bits 0-31) first: a byte copy swaps the halves, compat needs per-word conversion like get_compat_sigset()`, fix }));
      }
    }
    for (const w of memoryFlagWords(ctx)) {
      const t = resolveType(w.type, ctx.proposal.scope, `flags word ${w.name}`);
      if (t.kind !== 'scalar' || t.base === 'long') continue; // reported above as a bitmap, or not a word
      const bits = Math.min(...ctx.targets.map((x) => ctx.sizeOn(t, x) * 8));
      if (bits >= 64 && t.signed === false) continue;
      const [struct, field] = w.name.includes('.') ? w.name.split('.') : [undefined, w.name];
      out.push(make({ severity: 'warning', struct, field, message: `flag words of ${w.name} are ${w.type} (${bits}-bit${t.signed === true ? ', signed' : ''}): the kernel's flags are u64, so each 64-bit flag needs two words and bit 31 is a sign bit`, fix: `__u64 words (bit k in word k/64), counted explicitly` }));
    }
    return out;
  },
};
