import type { SkipRecord, VariantSpec } from '../results/schema.js';

/** Thrown by an executor that knows exactly why its variant cannot run (e.g. no pid namespace
 * could be made: which step failed, with what errno); the runner records `skip` as it is. */
export class SkipError extends Error {
  override name = 'SkipError';
  constructor(readonly skip: SkipRecord) {
    super(`${skip.code}: ${skip.meaning} (${skip.detail})`);
  }
}

/** What a variant's batch asks the kernel for, named in its skip when the kernel refuses. */
export function callOf(spec: VariantSpec): string {
  switch (spec.kind) {
    case 'empty':
      return 'the empty loop';
    case 'getppid':
    case 'getppid-raw':
      return 'getppid';
    case 'clone3-probe':
      return spec.structSize === 0 ? 'the clone3 probe clone3(args, 0)' : 'the clone3 probe (flag bit 63, fails after its copies)';
    case 'copy-plan':
      return `the clone3 probes executing ${spec.proposal}'s copy plan (set_tid path)`;
    case 'clone':
      return spec.via === 'clone3' ? `clone3 (${spec.shape}-like)` : `legacy clone (${spec.shape}-like)`;
    case 'pids':
      return spec.method === 'set_tid'
        ? 'clone3 with set_tid (no fallback: choosing pids this way needs clone3)'
        : `the ${spec.method === 'plain' ? 'plain create' : spec.method} path (clone3, or legacy clone where clone3 is refused)`;
    case 'encode':
      return `${spec.proposal}'s encoder`;
  }
}
