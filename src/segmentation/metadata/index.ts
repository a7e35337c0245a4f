/**
 * SEM calibration and data-bar metadata (issue 3): pixel size and data-bar height from every
 * major vendor's TIFF tags and sidecars, pixel-based data-bar detection, user override.
 */
export type { DatabarInfo, SemMetadata, SemVendor, VendorReading, ImageDims } from './types.js';
export { readSemMetadata, resolvePixelSize } from './read-sem-metadata.js';
export { detectDatabar, DATABAR_DETECTED_SOURCE } from './databar.js';
export { parseFeiMetadata, decodeFei34680 } from './fei.js';
export { parseZeissMetadata, parseCzSem } from './zeiss.js';
export { parseFibicsMetadata } from './fibics.js';
export { parseHitachiMetadata } from './hitachi.js';
export { parseJeolMetadata } from './jeol.js';
export { parseTescanMetadata } from './tescan.js';
export { parseImageJMetadata } from './imagej.js';
export { parseOlympusSis } from './olympus.js';
export { decodeText, parseIni } from './text.js';
export { findSidecars } from './sidecar.js';
