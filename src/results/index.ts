export * from './schema.js';
export * from './io.js';
