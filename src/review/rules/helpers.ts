/** Small shared pieces for rule files. */
import type { StructDecl } from '../../ctype/model.js';
import type { FlagWords } from '../../proposal/types.js';
import type { ReviewContext } from '../context.js';
import type { Finding } from '../types.js';

/** A finding constructor bound to a rule and an interface. */
export const findingFor =
  (ctx: ReviewContext, rule: string) =>
  (f: Omit<Finding, 'rule' | 'proposal'>): Finding => ({ rule, proposal: ctx.decl.id, ...f });

/** What the kernel does with unknown bits of one flag word (SC-04). */
export function unknownBitHandling(ctx: ReviewContext, w: FlagWords): 'rejected' | 'ignored' | 'unspecified' {
  if (w.unknownBits) return w.unknownBits;
  const all = ctx.decl.semantics.rejectsUnknownFlags;
  return all === true ? 'rejected' : all === false ? 'ignored' : 'unspecified';
}

/** Syscall arguments that point to a declared struct. */
export function structArguments(ctx: ReviewContext): Array<{ arg: string; struct: StructDecl }> {
  return ctx.args.flatMap((a) => (a.ctype.kind === 'pointer' && a.ctype.to !== 'void' && a.ctype.to.kind === 'struct' ? [{ arg: a.name, struct: a.ctype.to.decl }] : []));
}

export const hasStructs = (ctx: ReviewContext) => ctx.decl.structs.length > 0;

/** Groups target ids by a key, for messages such as "4 B on i386, arm; 8 B on x86_64". */
export function spread<T>(ctx: ReviewContext, value: (t: ReviewContext['targets'][number]) => T, show: (v: T) => string): string {
  const groups = new Map<string, string[]>();
  for (const t of ctx.targets) {
    const k = show(value(t));
    groups.set(k, [...(groups.get(k) ?? []), t.id]);
  }
  return [...groups].map(([k, ids]) => `${k} on ${ids.join(', ')}`).join('; ');
}

/** Does the error table name this member (a word match, e.g. "num_pids")? */
export const errorsMention = (ctx: ReviewContext, name: string) => ctx.decl.semantics.errors.some((e) => new RegExp(`\\b${name}\\b`).test(e.when));
