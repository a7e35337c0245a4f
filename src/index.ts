export * from './errors.js';
export * from './fsutil.js';
export * from './raster/index.js';
export * from './segmentation/index.js';
export * from './sims/index.js';
export * from './pipeline/index.js';
