/**
 * Decoding a materialised image with the native kernel-side decoder, back into a request, and
 * the copy plan resolved to the real addresses the decoder should have read.
 */
import type { NativeImage } from '../encode/materialise.js';
import type { GenericSemantics } from '../encode/generic-plan.js';
import { proposalById, resolveProposal, type ResolvedProposal } from '../registry.js';
import { decodeGenericRaw, genericSemanticsOf } from './generic.js';
import type { CloneRequest, PidChoice } from '../request/types.js';
import { DEFAULT_PID_MAX, loadDecoder, type DecodeResult, type KernelState, type RawDecoded } from './native.js';

/** The state in which a request is valid: caller at its depth, privileged, nothing taken. */
export function stateFor(req: Pick<CloneRequest, 'depth'>, rp: ResolvedProposal, overrides: Partial<KernelState> = {}): KernelState {
  return {
    callerLevel: req.depth,
    pidMax: DEFAULT_PID_MAX,
    privileged: true,
    taken: [],
    flagWords: rp.constants.CLONE_FLAGS_WORDS ?? 1,
    ...overrides,
  };
}

/** The request the kernel side saw: the caller's depth comes from the kernel state. */
export function toRequest(raw: RawDecoded, state: KernelState): CloneRequest {
  const pids: PidChoice[] = raw.pidByLevel.flatMap((pid, level) => (pid === 0 ? [] : [{ level, pid }]));
  return {
    flags: raw.flags,
    exitSignal: raw.exitSignal,
    stack: raw.stack,
    stackSize: raw.stackSize,
    parentTid: raw.parentTid,
    childTid: raw.childTid,
    tls: raw.tls,
    cgroup: raw.cgroup,
    depth: state.callerLevel,
    pids,
  };
}

export interface Decoded extends DecodeResult {
  request?: CloneRequest;
}

/** Decodes with the interface's decoder: its own in native/decoder.c, or the generic one for a header proposal. */
export function decodeNative(native: NativeImage, state: KernelState, registers = native.registers()): Decoded {
  const sem = genericSemanticsOf(native.image.proposal);
  if (sem) return decodeGeneric(native, resolveProposal(proposalById(native.image.proposal), { CLONE_FLAGS_WORDS: state.flagWords }), sem, state, registers);
  const r = loadDecoder().decode(native.image.proposal, registers, state);
  return { ...r, request: r.decoded ? toRequest(r.decoded, state) : undefined };
}

/** Decodes with the generic decoder and a proposal's bindings (registered or not). */
export function decodeGeneric(native: NativeImage, rp: ResolvedProposal, sem: GenericSemantics, state: KernelState, registers = native.registers()): Decoded {
  const r = decodeGenericRaw(native, rp, sem, state, registers);
  return { ...r, request: r.decoded ? toRequest(r.decoded, state) : undefined };
}

/** The copy plan with real addresses: what the decoder's reads must equal. */
export function planReads(native: NativeImage): RawDecoded['reads'] {
  return native.image.plan.map((p) => ({ address: native.address(p.segment) + BigInt(p.offset), length: p.length, kind: p.kind }));
}
