export * from './threshold/index.js';
export * from './metadata/index.js';
export * from './filters/index.js';
export * from './metrics/index.js';
export * from './porosity.js';
export * from './overlay.js';
