import { elementType } from '../../ctype/model.js';
import type { Rule } from '../types.js';
import { findingFor, hasStructs } from './helpers.js';

/**
 * SC-22: plain char used as a number changes sign between ABIs; an enum member's size and
 * signedness are the compiler's choice (-fshort-enums, values beyond int). The model has no
 * bitfields (the header parser refuses them). char[] arrays are strings and fine.
 */
/** The fixed-width type of the integer type an enum was laid out as. */
const FIXED: Readonly<Record<string, string>> = { int: '__s32', 'unsigned int': '__u32', 'long long': '__s64', 'unsigned long long': '__u64' };

export const rule: Rule = {
  id: 'SC-22',
  statement: 'No bitfields, enums or plain char for numbers.',
  source: 'Documentation/driver-api/ioctl.rst',
  appliesTo: hasStructs,
  check(ctx) {
    const make = findingFor(ctx, 'SC-22');
    const enums = ctx.decl.structs.flatMap((s) =>
      s.fields.flatMap((f) =>
        f.enumType
          ? [make({ severity: 'warning', struct: s.name, field: f.name, message: `member ${f.name} is an enum (enum ${f.enumType.name}, laid out as ${f.type}): its size and signedness are the compiler's choice`, fix: `${FIXED[f.type] ?? '__u32'} ${f.name}; /* the values of enum ${f.enumType.name} */` })]
          : [],
      ),
    );
    const signed = ctx.targets.filter((t) => t.charSigned).map((t) => t.id);
    const unsigned = ctx.targets.filter((t) => !t.charSigned).map((t) => t.id);
    return [...enums, ...ctx.structs.flatMap((s) =>
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
    )];
  },
};
