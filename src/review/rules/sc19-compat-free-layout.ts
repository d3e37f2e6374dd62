import type { Finding, Rule } from '../types.js';
import { structFix } from '../fix.js';
import { findingFor, hasStructs, spread } from './helpers.js';

/**
 * SC-19: one layout for 32- and 64-bit tasks, from fixed-width members, pointers as __u64 and
 * natural alignment. A struct whose offsets agree but whose alignment does not (plain __u64 is
 * 4-aligned on i386, 2-aligned on m68k) is a warning: harmless as a standalone argument, wrong
 * when embedded in another struct or used in an array.
 */
export const rule: Rule = {
  id: 'SC-19',
  statement: 'Prefer a layout that needs no compat: fixed-width members, pointers as __u64, natural alignment.',
  source: 'Documentation/driver-api/ioctl.rst (Structure layout); include/uapi/linux/types.h __aligned_u64',
  appliesTo: hasStructs,
  check(ctx) {
    const make = findingFor(ctx, 'SC-19');
    const out: Finding[] = [];
    for (const s of ctx.structs) {
      if (!s.sameLayoutEverywhere) {
        out.push(make({ severity: 'error', struct: s.name, message: `struct ${s.name} has no single layout: size ${spread(ctx, (t) => s.layouts[t.id].size, (n) => `${n} B`)}`, fix: structFix(s.name, ctx.proposal.scope) }));
        continue;
      }
      if (s.sameAlignEverywhere) continue;
      const natural = Math.max(...Object.values(s.layouts).map((l) => l.align));
      for (const t of ctx.targets) {
        const l = s.layouts[t.id];
        if (l.align >= natural) continue;
        // Only 64-bit members can be fixed (__aligned_u64); m68k's 2-aligned __u32 is its ABI.
        const under = l.fields.filter((f) => f.ctype.kind === 'scalar' && f.size === 8 && f.align < 8).map((f) => f.name);
        if (under.length === 0) continue;
        out.push(make({ severity: 'warning', target: t.id, struct: s.name, field: under[0], message: `struct ${s.name} is only ${l.align}-byte aligned here (${natural} elsewhere) because ${under.join(', ')} ${under.length === 1 ? 'is' : 'are'} not naturally aligned; same offsets, but an embedding struct or an array would differ`, fix: `declare ${under.join(', ')} as __aligned_u64` }));
      }
    }
    return out;
  },
};
