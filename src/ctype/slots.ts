/**
 * Register-slot accounting for a syscall signature on a target (SC-16, SC-17): each argument
 * takes one register slot, except a 64-bit scalar on a 32-bit-register ABI, which takes two,
 * plus a padding slot before it on even-pair ABIs when it would start at an odd slot.
 */
import { resolveType, type TypeScope } from './model.js';
import { typeSizeAlign } from './layout.js';
import type { TargetAbi } from './target.js';
import type { SyscallDecl } from '../proposal/types.js';

export interface SlotUse {
  arg: string;
  type: string;
  /** Slot indices (0-based) the argument occupies. */
  slots: number[];
  /** Slot wasted before it to reach an even pair. */
  paddingSlot?: number;
  /** Where each slot travels: a register name, or "stack" (MIPS o32 args 5-8). */
  locations: string[];
}

export interface SlotAccount {
  syscall: string;
  target: string;
  args: SlotUse[];
  slotsUsed: number;
  paddingSlots: number;
  stackSlots: number;
  /** Slots a portable design may use (SYSCALL_DEFINE_MAXARGS). */
  limit: 6;
}

/** Orders legacy clone's arguments the way this target's kernel reads them. */
export function orderedArgs(sys: SyscallDecl, target: TargetAbi): SyscallDecl['args'] {
  if (!sys.targetOrdered) return sys.args;
  const by = (n: string) => {
    const a = sys.args.find((x) => x.name === n);
    if (!a) throw new Error(`${sys.name}: target-ordered signature lacks "${n}"`);
    return a;
  };
  const order: Record<TargetAbi['cloneArgOrder'], string[]> = {
    'ptid-ctid-tls': ['flags', 'stack', 'parent_tid', 'child_tid', 'tls'],
    'ptid-tls-ctid': ['flags', 'stack', 'parent_tid', 'tls', 'child_tid'],
    'stack-first': ['stack', 'flags', 'parent_tid', 'child_tid', 'tls'],
  };
  return order[target.cloneArgOrder].map(by);
}

export function accountSlots(sys: SyscallDecl, target: TargetAbi, scope: TypeScope): SlotAccount {
  const regs = target.syscall.argumentRegisters;
  let next = 0;
  let padding = 0;
  const args: SlotUse[] = orderedArgs(sys, target).map((a) => {
    const t = resolveType(a.type, scope, `${sys.name} argument "${a.name}"`);
    const { size } = typeSizeAlign(t, target, scope);
    const width = size > target.registerBits / 8 ? 2 : 1;
    let paddingSlot: number | undefined;
    if (width === 2 && target.syscall.arg64 === 'even-pair' && next % 2 === 1) {
      paddingSlot = next++;
      padding++;
    }
    const slots = Array.from({ length: width }, (_, i) => next + i);
    next += width;
    const locations = slots.map((s) => (s < regs.length ? regs[s] : 'stack'));
    return { arg: a.name, type: a.type, slots, paddingSlot, locations };
  });
  const stackSlots = Math.max(0, next - regs.length);
  return { syscall: sys.name, target: target.id, args, slotsUsed: next, paddingSlots: padding, stackSlots, limit: 6 };
}
