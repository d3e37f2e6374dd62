/**
 * `@errno ERRNO CHECK [FLAG...] [REF...] [-- text]`: the checks the generic decoder performs,
 * each validated against what the other annotations declare (a check needs its @size, @pids,
 * count or reserved member) and worded for the review's error table.
 */
import { constants as osConstants } from 'node:os';
import { CHECK_KINDS, refText, sameRef, type Check, type CheckKind, type FlagGroup, type PidTransport, type RequestRole, type RoleBinding, type ValueRef } from '../encode/generic-plan.js';
import type { FlagWords, PidSemantics, SizeVersioning } from '../proposal/types.js';
import { typeString } from './ast.js';
import { oneOf, word } from './annotation-args.js';
import type { Annotation, Word } from './annotations.js';
import { isPointer, isScalar, type HeaderRefs, type Resolved } from './refs.js';
import { fail } from './tokens.js';

/** What the other annotations declared, for checks to refer to. */
export interface CheckContext {
  refs: HeaderRefs;
  size?: SizeVersioning;
  pids?: { transport: PidTransport; semantics: PidSemantics; pointer?: Resolved; zeroOk: boolean };
  groups: ReadonlyArray<{ group: FlagGroup; words: FlagWords }>;
  roles: readonly RoleBinding[];
  zero: readonly ValueRef[];
  knownFlags: Readonly<Record<string, bigint>>;
  unknownOf(g: FlagGroup): 'rejected' | 'ignored' | 'unspecified';
}

export function parseCheck(a: Annotation, ctx: CheckContext): Check {
  const errnoWord = word(a, 0, 'ERRNO [CHECK [REF...]] [-- text]');
  const errno = errnoWord.text === 'none' ? '(none)' : errnoWord.text;
  if (errno !== '(none)' && (osConstants.errno as Record<string, number>)[errno] === undefined) fail(errnoWord.pos, `found ${JSON.stringify(errno)}, expected an errno name (EINVAL, EFAULT, E2BIG, EPERM, EBUSY, EEXIST, ...) or none`);
  const kindWord = a.words[1];
  if (!kindWord) {
    if (!a.text) fail(a.pos, `found @errno ${errno} without a check or text, expected a check (${CHECK_KINDS.join(', ')}) or -- text`);
    return { errno, kind: 'text', refs: [], when: a.text };
  }
  const kind = oneOf(kindWord, CHECK_KINDS, 'a check the generic decoder performs (or -- text for one it does not)');
  // flags-exclusive and flag-forbids name flag constants first.
  const nFlags = kind === 'flags-exclusive' ? 2 : kind === 'flag-forbids' ? 1 : 0;
  const flagWords = a.words.slice(2, 2 + nFlags);
  if (flagWords.length < nFlags) fail(kindWord.pos, `found ${kind} with ${flagWords.length} flag(s), expected ${nFlags} flag constant(s) first`);
  const flags = flagWords.map((w) => ({ name: w.text, value: ctx.refs.singleBit(w) }));
  const refs = a.words.slice(2 + nFlags).map((w) => ctx.refs.resolve(w));
  const when = checkText(ctx, kind, refs, kindWord, flags);
  return { errno, kind, refs: refs.map((r) => r.ref), ...(flags.length ? { flags } : {}), when: a.text ?? when };
}

/** Validates a check's references and words what it rejects. */
function checkText(ctx: CheckContext, kind: CheckKind, refs: Resolved[], at: Word, flags: ReadonlyArray<{ name: string }>): string {
  const needRefs = (n: number | 'some') => {
    if (n === 'some' ? refs.length === 0 : refs.length !== n) fail(at.pos, `found ${kind} with ${refs.length} reference(s), expected ${n === 'some' ? 'at least one' : n}`);
  };
  const size = () => ctx.size ?? fail(at.pos, `found ${kind}, which needs @size, expected @size ARG struct=... first`);
  const pidsRef = () => ctx.pids ?? fail(at.pos, `found ${kind}, which needs @pids, expected @pids first`);
  const short = (r: Resolved) => (r.ref.kind === 'arg' ? r.ref.name : r.ref.member);
  const countOf = (r: Resolved): { max?: number; pointer?: string; levelsOf?: string } => {
    if (ctx.pids?.transport.via === 'array' && sameRef(ctx.pids.transport.count, r.ref))
      return { max: ctx.pids.semantics.maxPids, pointer: ctx.pids.pointer ? short(ctx.pids.pointer) : undefined, levelsOf: ctx.pids.semantics.levelsOf };
    const g = ctx.groups.find((x) => x.group.count.kind === 'counted' && sameRef(x.group.count.at, r.ref));
    if (g && g.group.count.kind === 'counted') return { max: g.group.count.max, pointer: g.group.at.kind === 'arg' ? g.group.at.name : g.group.at.member };
    fail(r.pos, `found ${r.text}, expected the count of @pids or of a counted @flags group`);
  };
  switch (kind) {
    case 'size-above-max':
      needRefs(0);
      if (!size().maxSize) fail(at.pos, 'found size-above-max without max=PAGE_SIZE on @size, expected the bound there');
      return `${size().sizeArg} > PAGE_SIZE`;
    case 'size-below-min':
      needRefs(0);
      return `${size().sizeArg} < ${size().versions[0].name} (${size().versions[0].size})`;
    case 'size-not-exact':
      needRefs(0);
      if (size().rule !== 'exact') fail(at.pos, 'found size-not-exact with rule=copy-struct-from-user, expected rule=exact on @size');
      return `${size().sizeArg} != sizeof(struct ${size().struct})`;
    case 'tail-not-zero': {
      needRefs(0);
      const sv = size();
      if (sv.rule !== 'copy-struct-from-user') fail(at.pos, 'found tail-not-zero with rule=exact, expected rule=copy-struct-from-user on @size');
      return `a non-zero byte in [${sv.versions[sv.versions.length - 1].size}, ${sv.sizeArg})`;
    }
    case 'fault':
      for (const r of refs) if (!isPointer(r.type) && !isCarriedPointer(ctx, r)) fail(r.pos, `found ${r.text} of type ${typeString(r.type)}, expected a pointer whose target is copied`);
      return `${refs.map(short).join(' or ') || 'user memory'} unreadable`;
    case 'negative':
      needRefs(1);
      countOf(refs[0]);
      return `${short(refs[0])} < 0`;
    case 'above-max': {
      needRefs(1);
      const c = countOf(refs[0]);
      if (c.max === undefined) fail(refs[0].pos, `found above-max for ${refs[0].text}, which has no max=N, expected max=N on its @pids or @flags`);
      return `${short(refs[0])} > ${c.max}`;
    }
    case 'null-mismatch': {
      needRefs(1);
      const c = countOf(refs[0]);
      if (!c.pointer || (ctx.pids?.transport.via === 'array' && ctx.pids.transport.storage === 'array' && sameRef(ctx.pids.transport.count, refs[0].ref))) fail(refs[0].pos, `found null-mismatch for ${refs[0].text}, whose array is not behind a pointer`);
      return `${c.pointer} NULL with ${short(refs[0])} > 0, or ${c.pointer} set with ${short(refs[0])} 0`;
    }
    case 'above-levels': {
      needRefs(1);
      const c = countOf(refs[0]);
      if (!c.levelsOf) fail(refs[0].pos, `found above-levels for ${refs[0].text}, expected the count of @pids`);
      return `${short(refs[0])} greater than the ${c.levelsOf}'s level + 1`;
    }
    case 'not-zero':
      needRefs('some');
      for (const r of refs) if (!ctx.zero.some((z) => sameRef(z, r.ref))) fail(r.pos, `found not-zero ${r.text}, expected a reference listed in @zero`);
      return `${refs.map(short).join(' or ')} non-zero`;
    case 'unknown-flags': {
      needRefs(0);
      if (!Object.keys(ctx.knownFlags).length) fail(at.pos, 'found unknown-flags without @known-flags, expected the flag constants the kernel knows');
      const rejected = ctx.groups.filter((g) => ctx.unknownOf(g.group) === 'rejected' && !g.group.zero);
      if (!rejected.length) fail(at.pos, 'found unknown-flags, but no @flags group rejects unknown bits (unknown=rejected or @unknown-flags rejected)');
      return `unknown bits in ${rejected.map((g) => g.words.name).join(' or ')}`;
    }
    case 'exit-signal': {
      const binding = ctx.roles.find((x) => x.role === 'exit_signal') ?? fail(at.pos, 'found exit-signal, expected @carries REF exit_signal first');
      needRefs(0);
      return `${refText(binding.at).split('.').pop()} with bits above CSIGNAL or above _NSIG (64)`;
    }
    case 'flag-member': {
      needRefs(1);
      const binding = ctx.roles.find((x) => sameRef(x.at, refs[0].ref) && x.flag) ?? fail(refs[0].pos, `found flag-member ${refs[0].text}, expected a member of @carries ... flag=NAME`);
      if (refs[0].ref.kind !== 'member' || refs[0].ref.struct !== ctx.size?.struct) fail(refs[0].pos, `found flag-member ${refs[0].text}, expected a member of the size-versioned struct`);
      return `${binding.flag!.name} with ${short(refs[0])} beyond ${size().sizeArg} or above INT_MAX`;
    }
    case 'pid-range':
      needRefs(0);
      if (pidsRef().transport.via !== 'array') fail(at.pos, 'found pid-range with via=ns_last_pid, whose checks are the sysctl handler\'s own');
      return `a pid < ${ctx.pids!.zeroOk ? 0 : 1} or >= pid_max${ctx.pids!.zeroOk ? ' (0: the kernel picks)' : ''}`;
    case 'pid-not-1':
      needRefs(0);
      if (pidsRef().semantics.levelsOf !== 'child') fail(at.pos, 'found pid-not-1, but the pids count the caller\'s levels (levels=caller), expected levels=child');
      return 'a pid other than 1 in a pid namespace the call creates';
    case 'unprivileged':
      needRefs(0);
      pidsRef();
      return 'pids chosen without privilege';
    case 'pid-taken':
      needRefs(0);
      if (pidsRef().transport.via !== 'array') fail(at.pos, 'found pid-taken with via=ns_last_pid, which has no errno for it (the clone takes another pid)');
      return 'a chosen pid is in use';
    case 'flags-exclusive':
      needRefs(0);
      return `${flags[0].name} with ${flags[1].name}`;
    case 'flag-forbids':
      needRefs(1);
      if (!isScalar(refs[0].type)) fail(refs[0].pos, `found ${refs[0].text} of type ${typeString(refs[0].type)}, expected a scalar that must be 0 with ${flags[0].name}`);
      return `${flags[0].name} with a non-zero ${short(refs[0])}`;
    case 'stack-pair': {
      needRefs(0);
      const has = (role: RequestRole) => ctx.roles.some((x) => x.role === role);
      if (!has('stack') || !has('stack_size')) fail(at.pos, 'found stack-pair, expected @carries ... stack and @carries ... stack_size first');
      return 'a stack without a stack size or the reverse, or a stack outside user memory';
    }
  }
}

function isCarriedPointer(ctx: CheckContext, r: Resolved): boolean {
  const p = ctx.pids?.transport;
  return (p?.via === 'array' && sameRef(p.at, r.ref)) || ctx.groups.some((g) => g.group.storage === 'pointer' && sameRef(g.group.at, r.ref));
}
