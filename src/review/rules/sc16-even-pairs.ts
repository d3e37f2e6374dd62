import type { SlotAccount } from '../../ctype/slots.js';
import type { SyscallDecl } from '../../proposal/types.js';
import type { Rule } from '../types.js';
import { findingFor } from './helpers.js';

/** An order with the two-slot arguments first, which needs no padding slot on any even-pair ABI. */
function widestFirst(sys: SyscallDecl, account: SlotAccount): string[] {
  const wide = new Set(account.args.filter((a) => a.slots.length === 2).map((a) => a.arg));
  return [...sys.args.filter((a) => wide.has(a.name)), ...sys.args.filter((a) => !wide.has(a.name))].map((a) => a.name);
}

/** SC-16: a 64-bit scalar at an even position wastes a register on ARM EABI, ppc32 and MIPS o32. */
export const rule: Rule = {
  id: 'SC-16',
  statement: '64-bit scalar arguments belong in odd-numbered positions (1, 3, 5).',
  source: 'syscall(2); fs/sync.c sync_file_range2; arch/arm64/kernel/sys32.c',
  check(ctx) {
    const make = findingFor(ctx, 'SC-16');
    return ctx.targets.flatMap((t) =>
      ctx.slots[t.id].args
        .filter((a) => a.paddingSlot !== undefined)
        .map((a) =>
          make({
            severity: 'error',
            target: t.id,
            field: a.arg,
            message: `64-bit argument ${a.arg} (${a.type}) needs an aligned register pair: slot ${a.paddingSlot} is wasted as padding`,
            fix: `reorder to (${widestFirst(ctx.decl.syscall, ctx.slots[t.id]).join(', ')}) as sync_file_range2 did, or move ${a.arg} into a struct passed by pointer`,
          }),
        ),
    );
  },
};
