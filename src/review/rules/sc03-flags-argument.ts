import type { Rule } from '../types.js';
import { findingFor } from './helpers.js';

/** SC-03: a syscall without any flags and without an extensible struct can never gain an option. */
export const rule: Rule = {
  id: 'SC-03',
  statement: 'A simple syscall gets a flags argument.',
  source: 'Documentation/process/adding-syscalls.rst (Planning for Extension)',
  check(ctx) {
    const sem = ctx.decl.semantics;
    if (sem.flags.length > 0 || sem.sizeVersioning?.rule === 'copy-struct-from-user') return [];
    return [
      findingFor(ctx, 'SC-03')({
        severity: 'warning',
        field: ctx.decl.syscall.name,
        message: `${ctx.decl.syscall.name}() has no flags and no size-versioned struct: the first new option needs a new syscall (eventfd2, dup3, pipe2)`,
        fix: 'add an "unsigned int flags" argument and reject unknown bits with -EINVAL (SC-04)',
      }),
    ];
  },
};
