export * from './errors.js';
export * from './raster/index.js';
