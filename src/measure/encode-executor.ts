/**
 * The caller's side of an interface: what building a request costs in the process that makes
 * the call. `encode` is the encoder alone (bytes into Buffers, in JavaScript); `materialise`
 * adds putting the image into fresh native memory through koffi (an mmap, the bytes, the
 * pointer fixups, the munmap), as the proposals suite does before it measures the kernel's
 * copies. Timed in JavaScript with process.hrtime around a batch, as the harness times its
 * loops in C: the figures are microseconds, far above the clock's cost.
 */
import { encode } from '../encode/encode.js';
import { materialise } from '../encode/materialise.js';
import { EncodeRefusal } from '../encode/types.js';
import { hostTarget, proposalById, resolveProposal } from '../registry.js';
import type { VariantSpec } from '../results/schema.js';
import type { Rng } from '../stats/prng.js';
import { requestForLevels } from './copy-plan/request-shapes.js';
import type { Executor, Unmeasured } from './executors.js';

type EncodeSpec = Extract<VariantSpec, { kind: 'encode' }>;

export function makeEncodeExecutor(spec: EncodeSpec, { rng }: { rng: Rng }): Executor | Unmeasured {
  const host = hostTarget();
  if (spec.target !== host.id)
    return { unmeasured: { errno: 0, code: 'NOT_HOST', meaning: `images for ${spec.target} cannot be materialised on a ${host.id} host`, detail: 'not measured' } };
  const rp = resolveProposal(proposalById(spec.proposal));
  const req = requestForLevels(spec.levels);
  try {
    encode(req, host, rp);
  } catch (e) {
    if (!(e instanceof EncodeRefusal)) throw e;
    return { unmeasured: { errno: 0, code: 'REFUSED', meaning: e.message, detail: `encoder limit: ${e.limit}` } };
  }
  const once =
    spec.step === 'encode'
      ? () => void encode(req, host, rp)
      : () => materialise(encode(req, host, rp), host, { placement: 'co-located', rng }).dispose();
  return {
    expectedRet: 0,
    async batch(iters) {
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < iters; i++) once();
      return { ns: Number(process.hrtime.bigint() - t0), ret: 0, done: iters };
    },
    parent: async () => null,
  };
}
