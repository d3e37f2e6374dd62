import type { Finding, Rule } from '../types.js';
import { findingFor } from './helpers.js';

/**
 * SC-06: a size-versioned struct grows only at its tail, and each appended member says what its
 * zero value means (the old behaviour), because older binaries send zeros there.
 */
export const rule: Rule = {
  id: 'SC-06',
  statement: 'Extend only by appending, with zero meaning "old behaviour".',
  source: 'Documentation/process/adding-syscalls.rst; include/uapi/linux/sched.h (struct clone_args comment)',
  appliesTo: (ctx) => ctx.decl.semantics.sizeVersioning !== undefined,
  check(ctx) {
    const make = findingFor(ctx, 'SC-06');
    const sv = ctx.decl.semantics.sizeVersioning!;
    const decl = ctx.proposal.scope.structs.get(sv.struct)!;
    const out: Finding[] = [];
    sv.versions.forEach((v, i) => {
      if (i > 0 && v.size <= sv.versions[i - 1].size) {
        out.push(make({ severity: 'error', struct: sv.struct, message: `${v.name} (${v.size}) is not larger than ${sv.versions[i - 1].name} (${sv.versions[i - 1].size}): versions must only grow`, fix: 'list the versions in order of growing size' }));
      }
    });
    const versionIndex = (since: string | undefined) => (since ? sv.versions.findIndex((v) => v.name === since) : 0);
    let highest = 0;
    for (const f of decl.fields) {
      const vi = versionIndex(f.since);
      if (vi < highest) {
        out.push(make({ severity: 'error', struct: sv.struct, field: f.name, message: `member ${f.name} (${f.since ?? 'the first version'}) comes after a member of a later version: it was inserted, not appended`, fix: `move ${f.name} before the members added in later versions` }));
      }
      highest = Math.max(highest, vi);
      if (f.since && !f.zeroMeans) {
        out.push(make({ severity: 'warning', struct: sv.struct, field: f.name, message: `appended member ${f.name} (${f.since}) does not say what its zero value means; older binaries always send zero`, fix: `document that ${f.name} == 0 reproduces the behaviour before ${f.since}` }));
      }
    }
    return out;
  },
};
