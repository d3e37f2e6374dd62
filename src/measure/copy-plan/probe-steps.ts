/**
 * Turns a copy plan (the reads an interface's kernel side makes) into set_tid-path probes.
 * A probe makes the kernel do one copy_from_user(P, 4k) with k whole pids, 1 <= k <= 32
 * (MAX_PID_NS_LEVEL), so:
 * - a read longer than 128 bytes becomes several probes of at most 128 bytes, in order: the
 *   measured cost then includes one extra per-call cost per extra piece, and the variant's
 *   record says how many reads were split (no default request has such a read);
 * - a length that is not a multiple of 4 (ns_last_pid writes a 2-byte string) is rounded up to
 *   whole pids, and the probe is placed so it ends where the read ends, never past it: each
 *   segment of a materialised image ends at a PROT_NONE guard page, and reading into it would
 *   fail with EFAULT. The extra bytes come from before the read (the same segment, or the
 *   zeroed padding before a segment shorter than 4k bytes, which sits mid-page);
 * - a `zero-check` read (copy_struct_from_user's scan of a tail newer than the kernel) is not a
 *   copy and has no set_tid equivalent: it is listed, not executed.
 * Pure: no native memory here, so the rules can be tested on any machine.
 */
import type { CopyRead, UserImage } from '../../encode/types.js';

/** set_tid_size limit (MAX_PID_NS_LEVEL) and the size of a pid. */
export const MAX_PIDS_PER_PROBE = 32;
export const PID_BYTES = 4;
export const MAX_PROBE_BYTES = MAX_PIDS_PER_PROBE * PID_BYTES;

export interface ProbeStep {
  /** Index of the plan read this probe executes (a split read has several steps). */
  read: number;
  segment: string;
  /** Where set_tid points, relative to the segment's first byte (negative only for a segment
   * shorter than the rounded read, see above). */
  offset: number;
  /** set_tid_size: pids copied. */
  count: number;
}

export interface ProbeSteps {
  steps: ProbeStep[];
  /** Plan reads not executed, each with the reason. */
  notExecuted: Array<{ read: number; why: string }>;
  /** Reads longer than MAX_PROBE_BYTES (each became several steps). */
  splitReads: number;
  /** Bytes the probes copy in all (whole pids). */
  probeBytes: number;
}

function segmentLength(img: UserImage, name: string): number {
  const seg = img.segments.find((s) => s.name === name);
  if (!seg) throw new Error(`plan of ${img.proposal} reads segment "${name}", which the image does not have`);
  return seg.bytes.length;
}

function stepsOfCopy(read: CopyRead, index: number, segLength: number): ProbeStep[] {
  const steps: ProbeStep[] = [];
  const end = read.offset + read.length;
  for (let at = read.offset; at < end; at += MAX_PROBE_BYTES) {
    const piece = Math.min(MAX_PROBE_BYTES, end - at);
    const count = Math.ceil(piece / PID_BYTES);
    const bytes = count * PID_BYTES;
    // Start at the piece unless the rounded copy would run past the segment's end (the guard).
    const offset = at + bytes <= segLength ? at : segLength - bytes;
    steps.push({ read: index, segment: read.segment, offset, count });
  }
  return steps;
}

export function probeSteps(img: UserImage): ProbeSteps {
  const out: ProbeSteps = { steps: [], notExecuted: [], splitReads: 0, probeBytes: 0 };
  img.plan.forEach((read, index) => {
    if (read.kind === 'zero-check') {
      out.notExecuted.push({ read: index, why: `zero-check of ${read.length} bytes of ${read.segment}: a scan, not a copy; no set_tid probe can make the kernel do it` });
      return;
    }
    if (read.length === 0) return;
    const steps = stepsOfCopy(read, index, segmentLength(img, read.segment));
    if (steps.length > 1) out.splitReads++;
    out.steps.push(...steps);
  });
  out.probeBytes = out.steps.reduce((n, s) => n + s.count * PID_BYTES, 0);
  return out;
}
