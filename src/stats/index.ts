export * from './prng.js';
export * from './summary.js';
export * from './fit.js';
export * from './ratio.js';
export * from './grouped.js';
export * from './bootstrap.js';
export * from './next-run.js';
