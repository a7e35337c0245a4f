export * from './region.js';
export * from './porosity.js';
export * from './pores.js';
export * from './registry.js';
