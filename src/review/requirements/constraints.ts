/**
 * The RFC's constraint beside its requirements: "system-calls are restricted to 6 parameters
 * and clone() already takes 5 parameters, any extension to clone() interface would require one
 * or more copy_from_user()". Two columns: register slots per ABI (src/ctype/slots.ts), and the
 * copies the encoder's plan makes, so that an interface copies nothing for what clone() itself
 * can carry (the point of the RFC's option 2 and of its register trick).
 */
import type { TargetAbi } from '../../ctype/target.js';
import { planTotals } from '../../encode/encode.js';
import { makeRequest } from '../../request/types.js';
import { registerWordFact, widenedText } from '../register-word.js';
import { acrossTargets, cell } from './probe.js';
import { EMPTY, fullRequests } from './requests.js';
import type { Requirement, RequirementCell, Subject } from './types.js';

function slots(s: Subject, t: TargetAbi): RequirementCell {
  const a = s.ctx.slots[t.id];
  const onStack = a.args.filter((x) => x.locations.includes('stack')).map((x) => x.arg);
  const text = `${a.slotsUsed} slots${a.paddingSlots ? ` (${a.paddingSlots} padding)` : ''}${onStack.length ? `, ${onStack.join(', ')} on the user stack` : ''}`;
  return cell(a.slotsUsed <= a.limit ? 'met' : 'not met', a.slotsUsed <= a.limit ? text : `${text}: over the limit of ${a.limit}`);
}

function sixArguments(s: Subject): RequirementCell {
  const c = acrossTargets(s, (t) => slots(s, t));
  const fact = registerWordFact(s.ctx);
  const wide = fact && widenedText(fact);
  return wide ? { ...c, reason: `${c.reason}; ${wide}` } : c;
}

/** Copies of the encoder's plan for a request, or "-" when the interface cannot express it. */
function copiesOf(s: Subject, t: TargetAbi, req: Parameters<Subject['encode']>[0]): number | undefined {
  const o = s.encode(req, t);
  return 'image' in o ? planTotals(o.image).copies : undefined;
}

/** A request with a flag in bits 32-63 (fewer than 65 flag bits): bit 63, or the highest it carries. */
function newFlagRequest(s: Subject, t: TargetAbi) {
  const top = Math.min(64, s.encoder.capacity(t, s.rp).flagBits);
  return top > 32 ? makeRequest({ flags: (1n << 8n) | (1n << BigInt(top - 1)) }) : undefined;
}

function copies(s: Subject, t: TargetAbi): RequirementCell {
  const empty = copiesOf(s, t, EMPTY);
  const flagReq = newFlagRequest(s, t);
  const flag = flagReq && copiesOf(s, t, flagReq);
  const full = fullRequests(s.encoder.capacity(t, s.rp)).map((r) => copiesOf(s, t, r)).find((n) => n !== undefined);
  const n = (v: number | undefined) => (v === undefined ? '-' : String(v));
  const text = `${n(empty)} for an empty request, ${flagReq ? n(flag) : '- (no flag above bit 31)'} with a flag in bits 32-63, ${n(full)} for a full one`;
  if (empty === undefined) return cell('not met', `the empty request is not encoded; ${text}`);
  if (empty > 0) return cell('not met', `${text}: even a plain clone copies`);
  if (flag !== undefined && flag > 0) return cell('partly', `${text}: a new flag costs copies`);
  return cell('met', text);
}

export const REQUIREMENTS: Requirement[] = [
  { id: 'args', label: 'at most 6 arguments', title: 'at most 6 arguments, counted in register slots per ABI (MIPS o32: arguments 5-8 on the user stack)', evaluate: sixArguments },
  {
    id: 'copies',
    label: 'copies only beyond clone()',
    title: 'copy_from_user() calls only for what clone() cannot carry: for an empty request, one with a flag in bits 32-63, and a full one',
    evaluate: (s) => acrossTargets(s, (t) => copies(s, t)),
  },
];
