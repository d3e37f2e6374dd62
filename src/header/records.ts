/** Parsed structs and unions as the C type model's StructDecls, with the constants their array bounds name. */
import type { FieldDecl, StructDecl } from '../ctype/model.js';
import { typeString, type RecordDef, type TypeRef } from './ast.js';

export function recordToStruct(r: RecordDef): StructDecl {
  const fields: FieldDecl[] = r.members.map((m) => {
    return {
      name: m.name,
      type: typeString(m.type),
      ...(m.align ? { align: m.align } : {}),
      ...(m.type.align ? { typeAlign: m.type.align } : {}),
      ...(m.packed ? { packed: true } : {}),
      ...(m.type.enumType ? { enumType: m.type.enumType } : {}),
    };
  });
  return { name: r.name, fields, ...(r.kind === 'union' ? { kind: 'union' as const } : {}), ...(r.packed ? { packed: true } : {}), ...(r.align ? { align: r.align } : {}) };
}

/** The named array bounds used by these types, with their values. */
export function boundConstants(types: readonly TypeRef[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const t of types) if (t.array && !t.array.flex && t.array.name) out[t.array.name] = t.array.length;
  return out;
}
