/**
 * What an interface's kernel-side checks answer to an encoded request, shown before its copy
 * plan: the image is materialised on the host and run through the native decoder
 * (native/decoder.c), which applies the interface's checks in their documented order. The
 * rules live there once; this module only reports the answer, how far the reads got, and the
 * declaration's documented causes of that errno.
 */
import type { TargetAbi } from '../ctype/target.js';
import { encode } from '../encode/encode.js';
import { withNative } from '../encode/materialise.js';
import { EncodeRefusal, type EncodeOptions, type UserImage } from '../encode/types.js';
import { EnvironmentError } from '../errors.js';
import type { ResolvedProposal } from '../registry.js';
import type { CloneRequest } from '../request/types.js';
import { decodeNative, stateFor } from './decode.js';
import { loadDecoder, type KernelState } from './native.js';

export interface KernelVerdict {
  /** 'OK' when every check passes, else the errno's name (EINVAL, E2BIG, EFAULT...). */
  code: string;
  /** Reads the kernel side made (copies and zero checks, a faulting one included). */
  readsMade: number;
  /** Reads in the copy plan. */
  readsPlanned: number;
  /** The declaration's documented cases of this errno, in its check order. */
  causes: string[];
  /** The target whose layout the checks ran on: the image's own, or the host's. */
  layout: string;
  /** The image was for another target: the same request was laid out for the host. */
  relaidOut: boolean;
  /** The kernel state assumed: the caller at the request's depth, privileged, nothing taken. */
  state: KernelState;
}

export type VerdictOutcome = { verdict: KernelVerdict } | { unavailable: string };

/**
 * The decoder's answer for `image` (encoded from `req` for `rp`). An image for another target
 * cannot be placed in this process's memory: the same request is encoded for the host and
 * checked there, which the verdict says (the checks of these interfaces do not depend on the
 * ABI; a request the host layout cannot express is reported as unavailable).
 */
export function kernelVerdict(image: UserImage, req: CloneRequest, rp: ResolvedProposal, options: EncodeOptions, host: TargetAbi): VerdictOutcome {
  try {
    loadDecoder();
  } catch (err) {
    if (err instanceof EnvironmentError) return { unavailable: err.message };
    throw err;
  }
  let onHost = image;
  if (image.target !== host.id) {
    try {
      onHost = encode(req, host, rp, options);
    } catch (err) {
      if (err instanceof EncodeRefusal) return { unavailable: `the same request cannot be laid out for ${host.id}, the host: ${err.message}` };
      throw err;
    }
  }
  const state = stateFor(req, rp);
  const r = withNative(onHost, host, (n) => decodeNative(n, state));
  const causes = rp.decl.semantics.errors.filter((e) => e.errno === r.code).map((e) => e.when);
  return { verdict: { code: r.code, readsMade: r.reads.length, readsPlanned: onHost.plan.length, causes, layout: host.id, relaidOut: onHost !== image, state } };
}

/** The lines printed above an image's copy plan. */
export function verdictLines(outcome: VerdictOutcome): string[] {
  if ('unavailable' in outcome) return [`  kernel checks: not evaluated (${outcome.unavailable})`];
  const v = outcome.verdict;
  const s = v.state;
  const layout = v.relaidOut ? `the same request laid out for ${v.layout}, the host` : `the image on ${v.layout}`;
  const assuming = `    (native/decoder.c, given ${layout}; the caller privileged at pid-namespace level ${s.callerLevel}, pid_max ${s.pidMax}, no pid taken)`;
  if (v.code === 'OK') return ['  kernel checks: pass', assuming];
  const when =
    v.readsMade === 0
      ? 'before any read: the copy plan below is not carried out'
      : v.readsMade < v.readsPlanned
        ? `after read ${v.readsMade} of ${v.readsPlanned}: the rest of the copy plan below is not carried out`
        : `after the plan's ${v.readsPlanned} read(s)`;
  const lines = [`  kernel checks: ${v.code} ${when}`, assuming];
  if (v.causes.length) lines.push(`    ${v.code} is documented for:`, ...v.causes.map((c) => `      - ${c}`));
  return lines;
}

/** One cell for the summary table: "pass", or "EINVAL at 0/1" (reads made / planned). */
export function verdictCell(outcome: VerdictOutcome): string {
  if ('unavailable' in outcome) return 'n/a';
  const v = outcome.verdict;
  return v.code === 'OK' ? 'pass' : `${v.code} at ${v.readsMade}/${v.readsPlanned}`;
}

export function verdictJson(outcome: VerdictOutcome): Record<string, unknown> {
  if ('unavailable' in outcome) return { unavailable: outcome.unavailable };
  const { state, ...v } = outcome.verdict;
  return { ...v, state: { callerLevel: state.callerLevel, pidMax: state.pidMax, privileged: state.privileged, taken: state.taken } };
}
