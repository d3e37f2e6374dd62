import { elementType } from '../../ctype/model.js';
import type { Rule } from '../types.js';
import { findingFor, hasStructs } from './helpers.js';

/**
 * SC-22: plain char used as a number changes sign between ABIs (the model has no bitfields and
 * no enums, so char is what is left to check). char[] arrays are strings and fine.
 */
export const rule: Rule = {
  id: 'SC-22',
  statement: 'No bitfields, enums or plain char for numbers.',
  source: 'Documentation/driver-api/ioctl.rst',
  appliesTo: hasStructs,
  check(ctx) {
    const make = findingFor(ctx, 'SC-22');
    const signed = ctx.targets.filter((t) => t.charSigned).map((t) => t.id);
    const unsigned = ctx.targets.filter((t) => !t.charSigned).map((t) => t.id);
    return ctx.structs.flatMap((s) =>
      Object.values(s.layouts)[0]
        .fields.filter((f) => f.ctype.kind !== 'array' && f.ctype.kind !== 'flex')
        .filter((f) => {
          const e = elementType(f.ctype);
          return e.kind === 'scalar' && e.signed === 'plain-char';
        })
        .map((f) =>
          make({
            severity: 'warning',
            struct: s.name,
            field: f.name,
            message: `member ${f.name} is a plain char: signed on ${signed.join(', ') || 'none'}; unsigned on ${unsigned.join(', ') || 'none'}`,
            fix: `__u8 ${f.name}; (or __s8 if it can be negative)`,
          }),
        ),
    );
  },
};
