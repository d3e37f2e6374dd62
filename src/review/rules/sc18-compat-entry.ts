import type { Rule } from '../types.js';
import { COMPAT_CASES, compatReasons, type CompatReason } from '../compat.js';
import { structFix } from '../fix.js';
import type { ReviewContext } from '../context.js';
import { findingFor } from './helpers.js';

function fixFor(ctx: ReviewContext, r: CompatReason): string {
  if (r.struct) return structFix(r.struct, ctx.proposal.scope, r.field?.split('.').pop());
  if (r.case === 'e') return `carry ${r.arg} inside a struct of __aligned_u64 members, or split it into two 32-bit arguments`;
  return `make ${r.arg} point to __aligned_u64 values (u64_to_user_ptr()) so every ABI reads the same bytes`;
}

/** SC-18: a 64-bit kernel needs compat_sys_* for 32-bit tasks in cases (a)-(e). */
export const rule: Rule = {
  id: 'SC-18',
  statement: 'Know when a compat entry point is needed: (a) ptr to ptr, (b) ptr to struct with ptr, (c)/(d) varying size, (e) 64-bit scalar.',
  source: 'Documentation/process/adding-syscalls.rst (Compatibility System Calls (Generic))',
  appliesTo: (ctx) => ctx.targets.some((t) => ctx.kernelOf(t) !== undefined),
  check(ctx) {
    const make = findingFor(ctx, 'SC-18');
    const sys = ctx.decl.syscall.name;
    return ctx.targets.flatMap((t) =>
      compatReasons(ctx, t).map((r) =>
        make({
          severity: 'error',
          target: t.id,
          struct: r.struct,
          field: r.field ?? r.arg,
          message: `a 64-bit kernel needs compat_sys_${sys}() for these tasks, case (${r.case}) ${COMPAT_CASES[r.case]}: ${r.why}`,
          fix: fixFor(ctx, r),
        }),
      ),
    );
  },
};
