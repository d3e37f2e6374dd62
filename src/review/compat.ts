/**
 * SC-18: does a 64-bit kernel need a compat entry point for this syscall, and why? The cases
 * (a)-(e) of Documentation/process/adding-syscalls.rst, decided from the argument types and from
 * the layouts on the 32-bit ABI and on the 64-bit kernel that runs it (TargetAbi.compatOf).
 */
import { layoutShape } from '../abi/abi-report.js';
import type { FieldLayout, StructLayout } from '../ctype/layout.js';
import { registerSized } from '../ctype/model.js';
import type { TargetAbi } from '../ctype/target.js';
import type { ReviewContext } from './context.js';

export type CompatCase = 'a' | 'b' | 'c' | 'd' | 'e';

export const COMPAT_CASES: Readonly<Record<CompatCase, string>> = {
  a: 'pointer to a pointer',
  b: 'pointer to a struct containing a pointer',
  c: 'pointer to a type whose size varies',
  d: 'pointer to a struct containing such a type, or laid out differently',
  e: '64-bit scalar argument split across two registers',
};

export interface CompatReason {
  case: CompatCase;
  /** The 32-bit ABI, and the 64-bit kernel that runs it. */
  target: string;
  kernel: string;
  arg: string;
  struct?: string;
  /** Member path inside the struct ("pid_set.pids" for a nested struct). */
  field?: string;
  why: string;
}

/** Members whose size follows the register width, with their paths, nested structs included. */
function registerSizedMembers(task: StructLayout, kernel: StructLayout, prefix = ''): Array<{ path: string; kind: 'pointer' | 'long'; task: FieldLayout; kernel: FieldLayout }> {
  return task.fields.flatMap((f, i) => {
    const k = kernel.fields[i];
    const path = `${prefix}${f.name}`;
    const kind = registerSized(f.ctype);
    if (kind) return [{ path, kind, task: f, kernel: k }];
    return f.nested && k.nested ? registerSizedMembers(f.nested, k.nested, `${path}.`) : [];
  });
}

/** The first member that sits elsewhere or has another size, for case (d) by alignment alone. */
function firstDifference(task: StructLayout, kernel: StructLayout): string {
  const i = task.fields.findIndex((f, n) => f.offset !== kernel.fields[n].offset || f.size !== kernel.fields[n].size);
  if (i >= 0) {
    const f = task.fields[i];
    const k = kernel.fields[i];
    return `member ${f.name} is at offset ${f.offset} (${f.size} B) for these tasks but at ${k.offset} (${k.size} B) in the 64-bit kernel`;
  }
  return `sizeof is ${task.size} B for these tasks but ${kernel.size} B in the 64-bit kernel (tail padding)`;
}

export function compatReasons(ctx: ReviewContext, target: TargetAbi): CompatReason[] {
  const kernel = ctx.kernelOf(target);
  if (!kernel) return [];
  const base = { target: target.id, kernel: kernel.id };
  const out: CompatReason[] = [];
  for (const a of ctx.args) {
    const t = a.ctype;
    if (t.kind === 'scalar' && ctx.sizeOn(t, target) * 8 > target.registerBits) {
      out.push({ ...base, case: 'e', arg: a.name, why: `argument ${a.name} (${a.type}) is ${ctx.sizeOn(t, target) * 8} bits wide and arrives in two ${target.registerBits}-bit registers` });
    }
    if (t.kind !== 'pointer' || t.to === 'void') continue;
    const to = t.to;
    if (to.kind === 'pointer') {
      out.push({ ...base, case: 'a', arg: a.name, why: `argument ${a.name} (${a.type}) points to a pointer, ${ctx.sizeOn(to, target)} B here and ${ctx.sizeOn(to, kernel)} B in the kernel` });
    } else if (to.kind === 'scalar' && ctx.sizeOn(to, target) !== ctx.sizeOn(to, kernel)) {
      out.push({ ...base, case: 'c', arg: a.name, why: `argument ${a.name} points to ${to.name}, ${ctx.sizeOn(to, target)} B here and ${ctx.sizeOn(to, kernel)} B in the kernel` });
    } else if (to.kind === 'struct') {
      const name = to.decl.name;
      const tl = ctx.layoutOn(name, target);
      const kl = ctx.layoutOn(name, kernel);
      const members = registerSizedMembers(tl, kl);
      for (const m of members) {
        out.push({
          ...base,
          case: m.kind === 'pointer' ? 'b' : 'd',
          arg: a.name,
          struct: name,
          field: m.path,
          why: `struct ${name} member ${m.path} is ${m.kind === 'pointer' ? 'a pointer' : 'a long'} (${m.task.type}): ${m.task.size} B here, ${m.kernel.size} B in the 64-bit kernel, so the struct is ${tl.size} B vs ${kl.size} B`,
        });
      }
      if (members.length === 0 && layoutShape(tl) !== layoutShape(kl)) {
        out.push({ ...base, case: 'd', arg: a.name, struct: name, why: `struct ${name}: ${firstDifference(tl, kl)}` });
      }
    }
  }
  return out;
}

/** All targets' reasons; empty when the interface can share the 64-bit entry everywhere. */
export const allCompatReasons = (ctx: ReviewContext): CompatReason[] => ctx.targets.flatMap((t) => compatReasons(ctx, t));
