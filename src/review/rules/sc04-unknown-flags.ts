import type { Rule } from '../types.js';
import { findingFor, unknownBitHandling } from './helpers.js';

/**
 * SC-04: every flags word, in a register or in user memory, must be tested against the known
 * mask. A word whose unknown bits are ignored can never give an old bit a new meaning.
 */
export const rule: Rule = {
  id: 'SC-04',
  statement: 'Unknown flags are rejected with -EINVAL (every flags word, including those in structs).',
  source: 'Documentation/process/adding-syscalls.rst; kernel/fork.c clone3_args_valid()',
  appliesTo: (ctx) => ctx.decl.semantics.flags.length > 0,
  check(ctx) {
    const make = findingFor(ctx, 'SC-04');
    const note = ctx.decl.semantics.rejectsUnknownFlagsNote;
    const fix = 'if (flags & ~KNOWN_FLAGS) return -EINVAL; for every word (as clone3_args_valid() does), so new bits can be added later';
    return ctx.decl.semantics.flags.flatMap((w) => {
      const handling = unknownBitHandling(ctx, w);
      const [struct, field] = w.name.includes('.') ? w.name.split('.') : [undefined, w.name];
      if (handling === 'ignored') {
        return [make({ severity: 'error', struct, field, message: `unknown bits in ${w.name} are ignored: an old kernel silently accepts a new flag${note ? `; ${note}` : ', so no bit can ever gain a new meaning'}`, fix })];
      }
      if (handling === 'unspecified') {
        return [make({ severity: 'warning', struct, field, message: `the design does not say whether unknown bits in ${w.name} are rejected${note ? ` (${note})` : ''}`, fix })];
      }
      return [];
    });
  },
};
