/**
 * The layout oracle for a header as written: the user's own text, not the structs clonebench
 * re-emits from its model, compiled by each target's compiler with `_Static_assert`s of every
 * size, alignment and offset the engine computed from the parsed header. A disagreement is a
 * parser or model error, named by the header line of the member concerned.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { layoutStruct, type StructLayout } from '../ctype/layout.js';
import { compileAssertions, ORACLE_PRELUDE, staticAsserts, type Assertion, type OracleResult } from '../ctype/oracle.js';
import type { TargetAbi } from '../ctype/target.js';
import type { TypeScope } from '../ctype/model.js';
import type { ParsedHeader, RecordDef } from './ast.js';
import { KNOWN_INCLUDES } from './preprocess.js';

/** What the kernel's build gives a uapi header besides linux/types.h. */
const HEADER_PRELUDE = `
#define __user
#define asmlinkage
#define SYSCALL_DEFINE0(name) long sys_##name(void)
${[1, 2, 3, 4, 5, 6].map((n) => `#define SYSCALL_DEFINE${n}(name, ...) long sys_##name(void)`).join('\n')}
`;

export function headerAssertions(target: TargetAbi, parsed: ParsedHeader, scope: TypeScope): Assertion[] {
  const out: Assertion[] = [];
  const byName = new Map(parsed.records.map((r) => [r.name, r]));
  for (const rec of parsed.records) {
    if (!rec.cName) continue;
    const c = rec.cName;
    const l = layoutStruct(scope.structs.get(rec.name)!, target, scope);
    out.push({ expr: `sizeof(${c})`, expected: l.size, label: `sizeof(${c}) (line ${rec.pos.line})` });
    out.push({ expr: `ALIGN_IN_STRUCT(${c})`, expected: l.align, label: `align of ${c} (line ${rec.pos.line})` });
    // Members of anonymous members are reached by their own names, as C11 allows.
    const walk = (r: RecordDef, layout: StructLayout, base: number) =>
      r.members.forEach((m, i) => {
        const f = layout.fields[i];
        if (m.anonymous) {
          walk(byName.get(m.type.base.split(' ')[1])!, f.nested!, base + f.offset);
          return;
        }
        out.push({ expr: `OFFSETOF(${c}, ${m.name})`, expected: base + f.offset, label: `offsetof(${c}, ${m.name}) (line ${m.pos.line})` });
        if (f.ctype.kind !== 'flex') out.push({ expr: `sizeof(((${c} *)0)->${m.name})`, expected: f.size, label: `sizeof(${c}.${m.name}) (line ${m.pos.line})` });
      });
    walk(rec, l, 0);
  }
  return out;
}

/** Compiles the header text with the assertions; its #include <linux/types.h> finds an empty file (the prelude has the types). */
export function runHeaderOracle(target: TargetAbi, parsed: ParsedHeader, source: string, scope: TypeScope): OracleResult {
  const assertions = headerAssertions(target, parsed, scope);
  const dir = mkdtempSync(join(tmpdir(), 'clonebench-include-'));
  try {
    for (const inc of KNOWN_INCLUDES) {
      mkdirSync(join(dir, dirname(inc)), { recursive: true });
      writeFileSync(join(dir, inc), '');
    }
    const text = [`/* clonebench: ${parsed.file} as written, on ${target.id} */`, ORACLE_PRELUDE, HEADER_PRELUDE, `#line 1 ${JSON.stringify(parsed.file)}`, source, '', ...staticAsserts(assertions), ''].join('\n');
    return compileAssertions(target, text, assertions, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
