import type { SuiteDecl } from '../src/measure/types.js';
import { cloneSuite } from './clone.js';
import { copySuite } from './copy.js';
import { makeEncodeSuite } from './encode.js';
import { floorSuite } from './floor.js';
import { pidsSuite } from './pids.js';
import { makeProposalsSuite } from './proposals.js';

/**
 * The default suites of `clonebench run`, in the order they run, built when called so proposals
 * registered at start-up (`--header`) are in the proposals and encode suites. floor, copy and
 * proposals run in worker processes, each with placements of its own, so their intervals cover
 * the spread between processes; proposals follows copy, so the copy models and the plans they
 * predict are measured close together in time. clone runs in this process (and a small C
 * helper), after the workers are gone: fork's cost follows the parent's mappings. pids runs in
 * build/pidns, whose namespaces live until the run ends; encode (the caller's side, in
 * JavaScript) last, so its garbage never sits in the parent that fork copies. The answer (each
 * plan's share of every clone variant) is computed once all are done.
 */
export const defaultSuites = (): SuiteDecl[] => [floorSuite, copySuite, makeProposalsSuite(), cloneSuite, pidsSuite, makeEncodeSuite()];
export { cloneSuite, copySuite, floorSuite, makeEncodeSuite, makeProposalsSuite, pidsSuite };
