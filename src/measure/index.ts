export * from './types.js';
export * from './plan.js';
export * from './runner.js';
export * from './executors.js';
