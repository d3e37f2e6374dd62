import type { SkipRecord } from '../results/schema.js';

/** Thrown by an executor that knows exactly why its variant cannot run (e.g. no pid namespace
 * could be made: which step failed, with what errno); the runner records `skip` as it is. */
export class SkipError extends Error {
  override name = 'SkipError';
  constructor(readonly skip: SkipRecord) {
    super(`${skip.code}: ${skip.meaning} (${skip.detail})`);
  }
}
