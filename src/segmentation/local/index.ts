/**
 * voidscope local thresholds: Fiji's Auto Local Threshold (Auto_Local_Threshold 1.11.0 by G. Landini),
 * nine methods with the plugin's parameters and defaults, pixel-exact on 8-bit images, extended to
 * 16-bit by a stated rule. One file per method; see README.md in this folder.
 */
export * from './methods.js';
export { segmentLocal } from './segment.js';
