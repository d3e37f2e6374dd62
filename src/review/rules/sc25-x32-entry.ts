import { TARGETS } from '../../../abi/targets/index.js';
import { layoutShape } from '../../abi/abi-report.js';
import type { TargetAbi } from '../../ctype/target.js';
import type { Finding, Rule } from '../types.js';
import type { ReviewContext } from '../context.js';
import { compatReasons } from '../compat.js';
import { findingFor } from './helpers.js';

/** x32-style targets: ILP32 on the 64-bit kernel's own registers. */
const x32Targets = (ctx: ReviewContext) => ctx.targets.filter((t) => t.usesNativeEntryWhenCompatFree && ctx.kernelOf(t));

/** The plain 32-bit ABI of the same kernel (i386 for x32), whose compat entry x32 may share. */
const native32Sibling = (t: TargetAbi) => TARGETS.find((x) => x.compatOf === t.compatOf && !x.usesNativeEntryWhenCompatFree && x.registerBits === 32);

/**
 * SC-25: x32 reuses the 64-bit entry when no compat case applies; otherwise it takes the compat
 * path, which is only correct if its layouts equal the 32-bit ABI's. Either way, prove it.
 */
export const rule: Rule = {
  id: 'SC-25',
  statement: 'Choose an x32 entry and prove it: x32 layout equals the 64-bit one or the 32-bit one.',
  source: 'Documentation/process/adding-syscalls.rst (Compatibility System Calls (x86))',
  appliesTo: (ctx) => x32Targets(ctx).length > 0,
  check(ctx) {
    const make = findingFor(ctx, 'SC-25');
    const sys = ctx.decl.syscall.name;
    const out: Finding[] = [];
    for (const t of x32Targets(ctx)) {
      const kernel = ctx.kernelOf(t)!;
      const sibling = native32Sibling(t);
      const needsCompat = compatReasons(ctx, t).length > 0;
      if (!needsCompat) continue; // the 64-bit entry ("common" in syscall_64.tbl) serves x32 as is
      const differing = ctx.decl.structs.filter((s) => !sibling || layoutShape(ctx.layoutOn(s.name, t)) !== layoutShape(ctx.layoutOn(s.name, sibling)));
      if (differing.length === 0) {
        out.push(make({ severity: 'note', target: t.id, field: sys, message: `${t.id} must take the compat path (__x32_compat_sys_${sys}, an "x32" row in syscall_64.tbl); its layouts equal ${sibling?.id ?? 'the 32-bit ABI'}'s, so the ${kernel.id} compat code is reusable` }));
      } else {
        for (const s of differing) {
          out.push(make({ severity: 'error', target: t.id, struct: s.name, field: sys, message: `${t.id} needs compat but struct ${s.name} is laid out neither like ${kernel.id} nor like ${sibling?.id ?? 'a 32-bit ABI'}: it needs its own conversion`, fix: 'make the struct compat-free (SC-19) so x32 can use the 64-bit entry' }));
        }
      }
    }
    return out;
  },
};
