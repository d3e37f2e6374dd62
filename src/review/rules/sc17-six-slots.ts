import type { Finding, Rule } from '../types.js';
import { findingFor } from './helpers.js';

/**
 * SC-17: at most 6 arguments counted in 32-bit register slots (a 64-bit scalar takes 2 on a
 * 32-bit ABI, plus padding on even-pair ABIs). MIPS o32 puts arguments 5-8 on the user stack,
 * which works but costs a copy from user memory: reported as a note.
 */
export const rule: Rule = {
  id: 'SC-17',
  statement: 'At most 6 arguments, counted in 32-bit register slots.',
  source: 'include/linux/syscalls.h SYSCALL_DEFINE_MAXARGS; syscall(2)',
  check(ctx) {
    const make = findingFor(ctx, 'SC-17');
    const name = ctx.decl.syscall.name;
    return ctx.targets.flatMap((t) => {
      const a = ctx.slots[t.id];
      const out: Finding[] = [];
      if (a.slotsUsed > a.limit) {
        out.push(make({ severity: 'error', target: t.id, field: name, message: `${name}() needs ${a.slotsUsed} register slots (${a.paddingSlots} of them padding); the limit is ${a.limit}`, fix: 'move arguments into a struct passed by pointer, or reorder 64-bit arguments to odd positions (SC-16)' }));
      }
      if (a.stackSlots > 0) {
        const onStack = a.args.filter((x) => x.locations.includes('stack')).map((x) => x.arg);
        out.push(make({ severity: 'note', target: t.id, field: name, message: `${onStack.join(', ')} travel${onStack.length === 1 ? 's' : ''} on the user stack (${a.stackSlots} slot${a.stackSlots === 1 ? '' : 's'} beyond the ${t.syscall.argumentRegisters.length} argument registers)` }));
      }
      return out;
    });
  },
};
