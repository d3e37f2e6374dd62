import type { Rule } from '../types.js';
import { findingFor, structArguments } from './helpers.js';

/** Register arguments beyond this leave no room for one more parameter (the limit is 6). */
const CROWDED_ARGUMENTS = 5;

/**
 * SC-05: many parameters belong in a struct passed by pointer and versioned by its size, either a
 * size argument (clone3, openat2) or a leading "size" member (sched_attr, perf_event_attr).
 */
export const rule: Rule = {
  id: 'SC-05',
  statement: 'Many arguments go in a struct passed by pointer, versioned by its size.',
  source: 'Documentation/process/adding-syscalls.rst (xyzzy_params); include/uapi/linux/sched.h struct clone_args',
  check(ctx) {
    const make = findingFor(ctx, 'SC-05');
    const sv = ctx.decl.semantics.sizeVersioning;
    const sized = (structName: string) => sv?.struct === structName || ctx.proposal.scope.structs.get(structName)!.fields.some((f) => f.name === 'size');
    const out = structArguments(ctx)
      .filter((s) => !sized(s.struct.name))
      .map((s) =>
        make({
          severity: 'warning',
          struct: s.struct.name,
          field: s.arg,
          message: `struct ${s.struct.name} is passed by pointer (${s.arg}) without its size: it can never grow, a new member needs a new syscall`,
          fix: `pass its size (as clone3(struct clone_args *, size_t size) does) or lead with a __u32 size member, and copy it with copy_struct_from_user() (SC-07)`,
        }),
      );
    const versioned = structArguments(ctx).some((s) => sized(s.struct.name));
    const n = ctx.args.length;
    if (!versioned && n >= CROWDED_ARGUMENTS) {
      out.push(
        make({
          severity: 'warning',
          field: ctx.decl.syscall.name,
          message: `${n} parameters in registers and no size-versioned struct: ${n >= 6 ? 'no register is left' : `${6 - n} more can follow`} under the 6-argument limit, after that only a new syscall helps`,
          fix: 'move the parameters into one struct passed by pointer together with its size (clone3(args, size))',
        }),
      );
    }
    return out;
  },
};
