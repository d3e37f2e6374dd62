/**
 * The koffi binding of build/decoder_generic.so (native/decoder_generic.c): the kernel side of
 * a header proposal, decoding a materialised image by its compiled plan into the same request
 * and read record as the built-in decoders. Header proposals register here when they are
 * registered as proposals, so decodeNative() finds them by id.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import koffi from 'koffi';
import type { NativeImage } from '../encode/materialise.js';
import type { GenericSemantics } from '../encode/generic-plan.js';
import { hostTarget, type ResolvedProposal } from '../registry.js';
import { BUILD_DIR } from '../native/paths.js';
import { describeErrno } from '../native/errno.js';
import { compileDecoderPlan } from './generic-plan.js';
import { DecoderLoadError, RequestType, StateType, stateStruct, toRaw, type CRequest, type DecodeResult, type KernelState } from './native.js';

export const GENERIC_DECODER_PATH = join(BUILD_DIR, 'decoder_generic.so');
/** Must match CBG_ABI_VERSION in native/decoder_generic.c. */
const ABI_VERSION = 1;
/** What cbg_decode returns for a plan it cannot read (a bug in generic-plan.ts, never the request's fault). */
const EBADMSG = 74;

interface GenericDecoder {
  decode(plan: BigInt64Array, registers: readonly bigint[], state: KernelState): DecodeResult;
}

let cached: GenericDecoder | undefined;

export function loadGenericDecoder(path = GENERIC_DECODER_PATH): GenericDecoder {
  if (cached) return cached;
  if (!existsSync(path)) throw new DecoderLoadError(`${path} is missing: run \`npm run build\` (needs cc)`);
  const lib = koffi.load(path);
  const abi = lib.func('int cbg_abi_version(void)')() as number;
  if (abi !== ABI_VERSION) throw new DecoderLoadError(`${path} has ABI ${abi}, expected ${ABI_VERSION}: rebuild with \`npm run build\``);
  const cReq = lib.func('int cbg_sizeof_request(void)')() as number;
  const cSt = lib.func('int cbg_sizeof_state(void)')() as number;
  if (cReq !== koffi.sizeof(RequestType) || cSt !== koffi.sizeof(StateType))
    throw new DecoderLoadError(`struct mismatch with ${path}: request ${cReq} vs ${koffi.sizeof(RequestType)}, state ${cSt} vs ${koffi.sizeof(StateType)}`);
  const decodeFn = lib.func('int cbg_decode(const int64_t *plan, int nplan, const uint64_t *regs, int nregs, const cbd_state *st, _Out_ cbd_request *out)');
  cached = {
    decode(plan, registers, state) {
      const regs = new BigUint64Array(registers.map((r) => BigInt.asUintN(64, r)));
      const out = {} as CRequest;
      const rc = decodeFn(plan, plan.length, regs, regs.length, stateStruct(state), out) as number;
      if (rc === -EBADMSG) throw new Error('native/decoder_generic.c rejected the plan (EBADMSG): src/decode/generic-plan.ts and the C side disagree');
      const raw = toRaw(out);
      return { errno: -rc, code: rc === 0 ? 'OK' : describeErrno(rc).code, decoded: rc === 0 ? raw : undefined, reads: raw.reads };
    },
  };
  return cached;
}

const registered = new Map<string, GenericSemantics>();

/** A header proposal's bindings, for decodeNative() to find by proposal id. */
export function registerGenericDecoder(id: string, sem: GenericSemantics): void {
  registered.set(id, sem);
}

export const genericSemanticsOf = (id: string): GenericSemantics | undefined => registered.get(id);

const plans = new WeakMap<ResolvedProposal, BigInt64Array>();

/** Decodes an image of a header proposal with the generic decoder (the host's layout). */
export function decodeGenericRaw(native: NativeImage, rp: ResolvedProposal, sem: GenericSemantics, state: KernelState, registers = native.registers()): DecodeResult {
  let plan = plans.get(rp);
  if (!plan) plans.set(rp, (plan = compileDecoderPlan(rp, sem, hostTarget())));
  return loadGenericDecoder().decode(plan, registers, state);
}
