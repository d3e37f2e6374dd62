export * from './native.js';
export * from './decode.js';
