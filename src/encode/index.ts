export * from './types.js';
export * from './writer.js';
export * from './builder.js';
export * from './check.js';
export * from './encode.js';
export * from './flagwords.js';
export * from './materialise.js';
