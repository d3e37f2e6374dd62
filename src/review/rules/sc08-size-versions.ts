import type { Finding, Rule } from '../types.js';
import { findingFor } from './helpers.js';

/**
 * SC-08: every published size constant must be the offset of a member's end on every ABI, and
 * the newest one sizeof the struct on every ABI; tail padding on one ABI (m68k, i386) breaks it.
 */
export const rule: Rule = {
  id: 'SC-08',
  statement: 'Bound and version the size explicitly; each SIZE_VERn equals the struct size on every ABI.',
  source: 'include/linux/uaccess.h (usage example); include/uapi/linux/sched.h CLONE_ARGS_SIZE_VER0..2; kernel/fork.c',
  appliesTo: (ctx) => ctx.decl.semantics.sizeVersioning !== undefined,
  check(ctx) {
    const make = findingFor(ctx, 'SC-08');
    const sv = ctx.decl.semantics.sizeVersioning!;
    const decl = ctx.proposal.scope.structs.get(sv.struct)!;
    const out: Finding[] = [];
    const versionIndex = (since: string | undefined) => (since ? sv.versions.findIndex((v) => v.name === since) : 0);
    for (const t of ctx.targets) {
      const l = ctx.layoutOn(sv.struct, t);
      sv.versions.forEach((v, i) => {
        const members = decl.fields.filter((f) => versionIndex(f.since) <= i);
        const last = members[members.length - 1];
        const end = last ? l.fields.find((f) => f.name === last.name)! : undefined;
        const endOffset = end ? end.offset + end.size : 0;
        if (endOffset !== v.size) {
          out.push(make({ severity: 'error', target: t.id, struct: sv.struct, field: last?.name, message: `${v.name} = ${v.size}, but offsetofend(struct ${sv.struct}, ${last?.name}) = ${endOffset}`, fix: `make the members of ${v.name} add up to ${v.size} B on every ABI (__aligned_u64, explicit reserved members)` }));
        }
      });
      const newest = sv.versions[sv.versions.length - 1];
      if (l.size !== newest.size) {
        out.push(make({ severity: 'error', target: t.id, struct: sv.struct, message: `sizeof(struct ${sv.struct}) = ${l.size}, but the newest size constant ${newest.name} = ${newest.size}: a caller passing sizeof gets rejected`, fix: 'remove the tail padding with an explicit reserved member or __aligned_u64 members (SC-20)' }));
      }
    }
    if (sv.rule === 'copy-struct-from-user' && !sv.maxSize) {
      out.push(make({ severity: 'warning', struct: sv.struct, field: sv.sizeArg, message: `${sv.sizeArg} has no upper bound: the zero check of the tail would scan whatever length userspace claims`, fix: `if (${sv.sizeArg} > PAGE_SIZE) return -E2BIG; if (${sv.sizeArg} < ${sv.versions[0].name}) return -EINVAL;` }));
    }
    return out;
  },
};
