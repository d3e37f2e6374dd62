export * from './harness.js';
export * from './helper.js';
export * from './pidns.js';
export * from './errno.js';
export * from './paths.js';
