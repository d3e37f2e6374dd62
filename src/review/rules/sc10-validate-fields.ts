import type { Finding, Rule } from '../types.js';
import { errorsMention, findingFor } from './helpers.js';

/**
 * SC-10: reserved members must be checked for zero and every count must be range-checked, or
 * they can never be given a meaning. Read from the declaration's error table: each such member
 * must be named by some error.
 */
export const rule: Rule = {
  id: 'SC-10',
  statement: 'Validate every field: reserved fields zero, counts in range and consistent with their pointer.',
  source: 'kernel/fork.c copy_clone_args_from_user(); perf_event_attr __reserved_* checks',
  appliesTo: (ctx) => (ctx.decl.semantics.arrays ?? []).length > 0 || ctx.decl.structs.some((s) => s.fields.some((f) => f.mustBeZero)),
  check(ctx) {
    const make = findingFor(ctx, 'SC-10');
    const out: Finding[] = [];
    for (const s of ctx.decl.structs) {
      for (const f of s.fields.filter((x) => x.mustBeZero && !errorsMention(ctx, x.name))) {
        out.push(make({ severity: 'warning', struct: s.name, field: f.name, message: `reserved member ${f.name} must be 0, but no error in the design rejects a non-zero value`, fix: `if (args.${f.name}) return -EINVAL;` }));
      }
    }
    for (const a of ctx.decl.semantics.arrays ?? []) {
      const count = a.count.split('.').pop()!;
      if (!errorsMention(ctx, count)) {
        const [struct] = a.count.includes('.') ? a.count.split('.') : [undefined];
        out.push(make({ severity: 'warning', struct, field: count, message: `${count} counts the ${a.element} array ${a.pointer}, but no error in the design bounds it or ties it to the pointer`, fix: `reject ${count} above its maximum, a NULL ${a.pointer} with a non-zero count and a pointer with count 0 (-EINVAL, as clone3 does for set_tid_size)` }));
      }
    }
    return out;
  },
};
