import type { SuiteDecl } from '../src/measure/types.js';
import { cloneSuite } from './clone.js';
import { copySuite } from './copy.js';
import { floorSuite } from './floor.js';

/** The default suites of `clonebench run`, in the order they run. */
export const suites: SuiteDecl[] = [floorSuite, copySuite, cloneSuite];
export { cloneSuite, copySuite, floorSuite };
