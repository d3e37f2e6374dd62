import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package root: this file is dist/src/native/paths.js once compiled. */
export const PACKAGE_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const BUILD_DIR = join(PACKAGE_ROOT, 'build');
export const HARNESS_PATH = join(BUILD_DIR, 'harness.so');
export const HELPER_PATH = join(BUILD_DIR, 'clonehelper');
export const PIDNS_PATH = join(BUILD_DIR, 'pidns');
export const CLOOP_PATH = join(BUILD_DIR, 'cloop.so');
/** The worker process entry (compiled): runs a suite's share of rounds for the runner. */
export const WORKER_PATH = join(PACKAGE_ROOT, 'dist', 'src', 'measure', 'worker-main.js');
