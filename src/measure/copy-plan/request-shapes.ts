/**
 * The requests the proposals suite asks every interface for: the empty request, and chosen pids
 * at 1, 4 and 32 pid-namespace levels (the caller at depth levels - 1 choosing a pid at every
 * level, 32 being MAX_PID_NS_LEVEL), as test/encode-plans.test.ts builds them. The pid values
 * never change what is copied, only how many there are.
 */
import { EMPTY_REQUEST, makeRequest, type CloneRequest } from '../../request/types.js';

export const REQUEST_LEVELS = [0, 1, 4, 32] as const;
const FIRST_PID = 100;

export function requestForLevels(levels: number): CloneRequest {
  if (levels === 0) return EMPTY_REQUEST;
  return makeRequest({ depth: levels - 1, pids: Array.from({ length: levels }, (_, level) => ({ level, pid: FIRST_PID + level })) });
}

/** Short name used in variant ids and tables: `empty`, `pids@4`. */
export const shapeName = (levels: number) => (levels === 0 ? 'empty' : `pids@${levels}`);

export function describeShape(levels: number): string {
  return levels === 0
    ? 'the empty request (no chosen pid, no flag)'
    : `pids chosen at ${levels} level(s), caller at depth ${levels - 1}`;
}
