export * from './native.js';
export * from './decode.js';
export * from './verdict.js';
