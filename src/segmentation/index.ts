export * from './threshold/index.js';
export * from './metadata/index.js';
