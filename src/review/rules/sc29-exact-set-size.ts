import type { Finding, Rule } from '../types.js';
import type { ReviewContext } from '../context.js';
import { findingFor, spread } from './helpers.js';

/** Flag words in memory with a fixed count: a fixed-size kernel set passed by pointer. */
const fixedSets = (ctx: ReviewContext) =>
  ctx.decl.semantics.flags.filter((w) => w.where === 'memory' && (typeof w.count === 'number' || ctx.proposal.constants[w.count] !== undefined));

/**
 * SC-29: a fixed-size set passed by pointer must have one size that the kernel can demand
 * exactly (rt_sigprocmask's sigsetsize). A set whose byte size differs between ABIs cannot, and a
 * set without a size argument cannot say which size the caller assumed.
 */
export const rule: Rule = {
  id: 'SC-29',
  statement: "A fixed-size kernel set takes the kernel's exact size, and the proposal says which size it accepts.",
  source: 'kernel/signal.c rt_sigprocmask (sigsetsize == sizeof(sigset_t))',
  appliesTo: (ctx) => fixedSets(ctx).length > 0,
  check(ctx) {
    const make = findingFor(ctx, 'SC-29');
    const out: Finding[] = [];
    for (const w of fixedSets(ctx)) {
      const r = ctx.ref(w.name)!;
      if (r.kind !== 'field') continue;
      const bytes = (t: ReviewContext['targets'][number]) => ctx.sizeOn(r.ctype, t);
      const sizes = new Set(ctx.targets.map(bytes));
      const base = { struct: r.struct.name, field: r.field.name };
      if (sizes.size > 1) {
        out.push(make({ ...base, severity: 'error', message: `the flag set ${w.name} is ${spread(ctx, bytes, (n) => `${n} B`)}: no single size the kernel could demand exactly`, fix: `__aligned_u64 words with an explicit count, and require count * 8 == the kernel's size` }));
      }
      if (ctx.decl.semantics.sizeVersioning?.struct !== r.struct.name) {
        out.push(make({ ...base, severity: 'warning', message: `no argument says how large the caller's ${w.name} is: a kernel with more flag words reads past a smaller caller's set`, fix: `pass the set's size and return -EINVAL unless it equals the kernel's (rt_sigprocmask's sigsetsize)` }));
      }
    }
    return out;
  },
};
