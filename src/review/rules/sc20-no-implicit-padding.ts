import type { Finding, Rule } from '../types.js';
import { structFix } from '../fix.js';
import { findingFor, hasStructs } from './helpers.js';

/**
 * SC-20: every hole and every byte of tail padding on any ABI is a layout difference and an
 * information leak; the fix is an explicit reserved member that must be zero.
 */
export const rule: Rule = {
  id: 'SC-20',
  statement: 'No implicit padding: declare explicit reserved fields and require them to be zero.',
  source: 'Documentation/driver-api/ioctl.rst (Structure layout, Information leaks)',
  appliesTo: hasStructs,
  check(ctx) {
    const make = findingFor(ctx, 'SC-20');
    const out: Finding[] = [];
    for (const s of ctx.structs) {
      const fix = structFix(s.name, ctx.proposal.scope);
      for (const t of ctx.targets) {
        const l = s.layouts[t.id];
        for (const h of l.holes) {
          out.push(make({ severity: 'error', target: t.id, struct: s.name, field: h.after, message: `${h.size}-byte hole after ${h.after} (offset ${h.offset}) in struct ${s.name}`, fix }));
        }
        if (l.tailPadding > 0) {
          const last = l.fields[l.fields.length - 1].name;
          out.push(make({ severity: 'error', target: t.id, struct: s.name, field: last, message: `${l.tailPadding} bytes of tail padding after ${last} in struct ${s.name} (sizeof ${l.size})`, fix }));
        }
      }
    }
    return out;
  },
};
