export * from './image.js';
export * from './text.js';
export * from './scalebar.js';
export * from './png.js';
