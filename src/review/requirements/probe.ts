/**
 * Asking an encoder: encode a request on one ABI and see whether it is refused (and by which
 * limit) or where in the user image it lands, and fold per-ABI answers into one cell.
 */
import type { TargetAbi } from '../../ctype/target.js';
import { encodeWith } from '../../encode/encode.js';
import { EncodeRefusal, type Encoder, type UserImage } from '../../encode/types.js';
import { InputError } from '../../errors.js';
import { makeRequest, type CloneRequest } from '../../request/types.js';
import { requestJson } from '../../request/types.js';
import type { ReviewContext } from '../context.js';
import type { Outcome, RequirementCell, RequirementStatus, Subject } from './types.js';

export function makeSubject(ctx: ReviewContext, encoder: Encoder): Subject {
  const memo = new Map<string, Outcome>();
  return {
    decl: ctx.decl,
    encoder,
    rp: ctx.proposal,
    ctx,
    targets: ctx.targets,
    encode(req, target) {
      const key = `${target.id} ${JSON.stringify(requestJson(req))}`;
      let o = memo.get(key);
      if (!o) {
        try {
          o = { image: encodeWith(encoder, req, target, ctx.proposal) };
        } catch (e) {
          if (e instanceof EncodeRefusal) o = { refusal: e };
          // A plugin's encoder that breaks on a probe is reported in the cell, not thrown.
          else if (e instanceof Error) o = { failure: `${e instanceof InputError ? '' : `${e.name}: `}${e.message}` };
          else throw e;
        }
        memo.set(key, o);
      }
      return o;
    },
  };
}

/** The refusal without "<id> cannot express this request: ". */
export const refusalText = (r: EncodeRefusal) => `refused: ${r.message.replace(/^.*? cannot express this request: /, '')}`;

export const cell = (status: RequirementStatus, reason: string): RequirementCell => ({ status, reason });

/** The cell for an outcome that is not an image. */
export function notEncoded(o: Exclude<Outcome, { image: UserImage }>): RequirementCell {
  return 'refusal' in o ? cell('not met', refusalText(o.refusal)) : cell('not met', `the encoder failed: ${o.failure}`);
}

/**
 * Where `probe` differs from `base`: register arguments whose value changed, segments added or
 * changed (a pointer argument that changed only because a segment appeared is not listed), and
 * system calls added (ns_last_pid's write).
 */
export interface Carriers {
  registers: string[];
  memory: Array<{ segment: string; ctype: string }>;
  calls: string[];
}

export function carriers(base: UserImage, probe: UserImage): Carriers {
  const registers: string[] = [];
  const calls: string[] = [];
  const used = new Set<number>();
  for (const call of probe.calls) {
    const i = base.calls.findIndex((c, k) => !used.has(k) && c.syscall === call.syscall);
    if (i < 0) {
      calls.push(`${call.syscall}()`);
      continue;
    }
    used.add(i);
    for (const a of call.args) {
      const b = base.calls[i].args.find((x) => x.name === a.name);
      if (a.value.kind === 'value' && (b?.value.kind !== 'value' || b.value.value !== a.value.value)) registers.push(a.name);
    }
  }
  const memory = probe.segments
    .filter((s) => {
      const b = base.segments.find((x) => x.name === s.name);
      return !b || b.bytes.length !== s.bytes.length || b.bytes.some((v, i) => v !== s.bytes[i]);
    })
    .map((s) => ({ segment: s.name, ctype: s.ctype }));
  return { registers, memory, calls };
}

export function carriersText(c: Carriers): string {
  const memory = c.memory.map((m) => (m.ctype.startsWith('struct ') ? m.ctype : `${m.segment} (${m.ctype})`));
  const parts = [
    ...(c.calls.length ? [`a ${c.calls.join(', ')} call first`] : []),
    ...(c.registers.length ? [`${c.registers.join(', ')} (register)`] : []),
    ...(memory.length ? [`${memory.join(', ')} (user memory)`] : []),
  ];
  return parts.join(', then ');
}

/**
 * Is what `parts` adds to `base` carried on `t`? Refused: not met, with the limit. Accepted
 * but the image is unchanged: not met (the value would be dropped). Else met, saying where.
 */
export function carried(s: Subject, t: TargetAbi, base: CloneRequest, parts: Partial<CloneRequest>, what: string): RequirementCell {
  const b = s.encode(base, t);
  if (!('image' in b)) return notEncoded(b);
  const p = s.encode(makeRequest({ ...base, ...parts }), t);
  if (!('image' in p)) return notEncoded(p);
  const c = carriers(b.image, p.image);
  // A size argument that grows with its struct (clone3's size) is not where the value travels.
  const sizeArg = s.decl.semantics.sizeVersioning?.sizeArg;
  if (c.memory.length) c.registers = c.registers.filter((r) => r !== sizeArg);
  if (!c.registers.length && !c.memory.length && !c.calls.length) return cell('not met', `${what}: accepted, but the image does not change (it would be dropped)`);
  return cell('met', `${what}: in ${carriersText(c)}`);
}

const RANK: Record<RequirementStatus, number> = { met: 0, partly: 1, 'not met': 2 };

/**
 * One cell from the same question asked on every chosen ABI: equal answers fold into one; where
 * the status differs, the ABIs that fall short are named in `abis`.
 */
export function acrossTargets(s: Subject, fn: (t: TargetAbi) => RequirementCell): RequirementCell {
  const groups = new Map<string, { c: RequirementCell; targets: string[] }>();
  for (const t of s.targets) {
    const c = fn(t);
    const key = JSON.stringify([c.status, c.reason]);
    const g = groups.get(key) ?? { c, targets: [] };
    g.targets.push(t.id);
    groups.set(key, g);
  }
  const all = [...groups.values()];
  if (all.length === 1) return { status: all[0].c.status, reason: all[0].c.reason };
  const statuses = new Set(all.map((g) => g.c.status));
  // A group of all but one or two ABIs reads better as "the other N" (named in the rest).
  const rest = all.find((g) => g.targets.length >= s.targets.length - 2 && g.targets.length > 2);
  const on = (g: (typeof all)[number]) => (g === rest ? `on the other ${g.targets.length} ABIs` : `on ${g.targets.join(', ')}`);
  const reason = [...all.filter((g) => g !== rest), ...(rest ? [rest] : [])].map((g) => `${g.c.reason} ${on(g)}`).join('; ');
  if (statuses.size === 1) return { status: all[0].c.status, reason };
  const best = Math.min(...all.map((g) => RANK[g.c.status]));
  const short = all.filter((g) => RANK[g.c.status] > best).flatMap((g) => g.targets);
  const status: RequirementStatus = statuses.has('met') || statuses.has('partly') ? 'partly' : 'not met';
  return { status, reason, abis: s.targets.map((t) => t.id).filter((id) => short.includes(id)) };
}

/** The cell of one of the RFC's three requirements, from its rows. */
export function summarise(rows: ReadonlyArray<{ label: string; cell: RequirementCell }>): RequirementCell {
  const short = rows.filter((r) => r.cell.status !== 'met');
  const abis = [...new Set(short.flatMap((r) => r.cell.abis ?? []))];
  if (short.length === 0) return cell('met', `all ${rows.length}: ${rows.map((r) => r.label).join(', ')}`);
  const status: RequirementStatus = rows.every((r) => r.cell.status === 'not met') ? 'not met' : 'partly';
  const reason = `falls short on ${short.map((r) => `${r.label} (${r.cell.status})`).join(', ')}`;
  // ABIs only when every shortfall depends on them; otherwise it falls short everywhere.
  return short.every((r) => r.cell.abis) ? { status, reason, abis } : { status, reason };
}
