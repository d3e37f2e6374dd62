import type { Rule } from '../types.js';
import { findingFor, hasStructs, spread } from './helpers.js';

/** SC-21: long, unsigned long, size_t and pointers change size with the register width. */
export const rule: Rule = {
  id: 'SC-21',
  statement: 'No long, unsigned long, pointers, size_t, time_t or off_t in ABI structs.',
  source: 'Documentation/driver-api/ioctl.rst',
  appliesTo: hasStructs,
  check(ctx) {
    const make = findingFor(ctx, 'SC-21');
    return ctx.structs.flatMap((s) =>
      s.registerSizedMembers.map((m) => {
        const field = Object.values(s.layouts)[0].fields.find((f) => f.name === m.field)!;
        const isArray = field.ctype.kind === 'array';
        const sizes = spread(ctx, (t) => s.layouts[t.id].fields.find((f) => f.name === m.field)!.size, (n) => `${n} B`);
        const length = field.ctype.kind === 'array' ? (field.ctype.lengthName ?? String(field.ctype.length)) : '';
        return make({
          severity: 'error',
          struct: s.name,
          field: m.field,
          message: `member ${m.field} is ${m.kind === 'pointer' ? 'a pointer' : 'a long'} (${field.type}), its size follows the register width: ${sizes}`,
          fix: m.kind === 'pointer' ? `__aligned_u64 ${m.field}; /* user pointer, u64_to_user_ptr() in the kernel */` : isArray ? `__aligned_u64 ${m.field}[${length}]; with the word count passed explicitly (SC-24)` : `__aligned_u64 ${m.field};`,
        });
      }),
    );
  },
};

