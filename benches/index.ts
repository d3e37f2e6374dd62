import type { SuiteDecl } from '../src/measure/types.js';
import { cloneSuite } from './clone.js';
import { copySuite } from './copy.js';
import { makeEncodeSuite } from './encode.js';
import { floorSuite } from './floor.js';
import { pidsSuite } from './pids.js';
import { makeProposalsSuite } from './proposals.js';

/** The default suites of `clonebench run`, in the order they run. proposals follows copy, so
 * the model's fit and the plans it predicts are measured close together in time; its images
 * are freed before clone runs (fork's cost grows with the parent's mappings), and its answer
 * (share of clone) is computed once every suite is done. pids runs last, in its own small
 * processes (build/pidns), whose namespaces live until the run ends; encode (the caller's side,
 * in JavaScript) after it. floor, copy and proposals run in worker processes, each with its own
 * placements, so their intervals cover the spread between processes. */
/** Built when called, so proposals registered at start-up (`--header`) are in the proposals suite. */
export const defaultSuites = (): SuiteDecl[] => [floorSuite, copySuite, makeProposalsSuite(), cloneSuite, pidsSuite, makeEncodeSuite()];
export { cloneSuite, copySuite, floorSuite, makeEncodeSuite, makeProposalsSuite, pidsSuite };
