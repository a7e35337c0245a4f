export * from './gaussian.js';
export * from './median.js';
