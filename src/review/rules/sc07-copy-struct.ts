import type { Rule } from '../types.js';
import { findingFor } from './helpers.js';

/** SC-07: both directions of version skew work only with copy_struct_from_user(), not an exact size. */
export const rule: Rule = {
  id: 'SC-07',
  statement: 'Copy the struct in both directions of version skew with copy_struct_from_user().',
  source: 'Documentation/process/adding-syscalls.rst; include/linux/uaccess.h copy_struct_from_user()',
  appliesTo: (ctx) => ctx.decl.semantics.sizeVersioning !== undefined,
  check(ctx) {
    const sv = ctx.decl.semantics.sizeVersioning!;
    if (sv.rule !== 'exact') return [];
    return [
      findingFor(ctx, 'SC-07')({
        severity: 'warning',
        struct: sv.struct,
        field: sv.sizeArg,
        message: `${sv.sizeArg} must equal sizeof(struct ${sv.struct}) exactly: a newer binary gets EINVAL from an older kernel even when its new members are zero, and each newer kernel must list every old size it still accepts`,
        fix: `accept any ${sv.sizeArg} from the first version's size up to PAGE_SIZE and copy with copy_struct_from_user() (zero-fill a short struct, -E2BIG for a non-zero tail)`,
      }),
    ];
  },
};
