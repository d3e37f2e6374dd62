/** The entry point: request + target + resolved proposal -> user image, through the registry. */
import type { TargetAbi } from '../ctype/target.js';
import { InputError } from '../errors.js';
import { allEncoders, type ResolvedProposal } from '../registry.js';
import { validateRequest, type CloneRequest } from '../request/types.js';
import { checkCapacity, pidEntries } from './check.js';
import type { EncodeOptions, Encoder, UserImage } from './types.js';

export function encoderFor(id: string): Encoder {
  const encoders = allEncoders();
  const e = encoders.find((x) => x.id === id);
  if (!e) throw new InputError(`no encoder for proposal "${id}" (encoders: ${encoders.map((x) => x.id).join(', ')})`);
  return e;
}

export function encode(req: CloneRequest, target: TargetAbi, rp: ResolvedProposal, options: EncodeOptions = {}): UserImage {
  return encodeWith(encoderFor(rp.decl.id), req, target, rp, options);
}

/** encode() with a given encoder instead of the registered one (the review probes a modified one; a
 * header's encoder before registration). */
export function encodeWith(enc: Encoder, req: CloneRequest, target: TargetAbi, rp: ResolvedProposal, options: EncodeOptions = {}): UserImage {
  validateRequest(req);
  checkCapacity(req, target, enc.capacity(target, rp), rp.decl.id);
  return enc.build(req, target, rp, pidEntries(req, rp.decl.semantics.pids, rp.decl.id), options);
}

export interface PlanTotals {
  /** copy_from_user calls (a sysctl write counts as one copy). */
  copies: number;
  /** Bytes copied. */
  bytes: number;
  /** Bytes scanned for zero by copy_struct_from_user (clone3 with a size beyond the kernel's). */
  zeroChecked: number;
  syscalls: number;
}

export function planTotals(img: UserImage): PlanTotals {
  const copies = img.plan.filter((r) => r.kind === 'copy');
  return {
    copies: copies.length,
    bytes: copies.reduce((n, r) => n + r.length, 0),
    zeroChecked: img.plan.filter((r) => r.kind === 'zero-check').reduce((n, r) => n + r.length, 0),
    syscalls: img.calls.length,
  };
}
