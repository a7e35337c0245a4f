/**
 * The 0/1 void mask a label map was made from, where its segmenter had one: threshold segmenters
 * apply the one void rule (threshold/compute.ts applyThreshold) and keep that mask, so measurements
 * reuse it instead of recomputing it from the label map (one pass and one allocation fewer per image).
 */
import { phaseMask, type LabelMap } from './labels.js';

const VOID_MASKS = new WeakMap<LabelMap, Uint8Array>();

/** Remember `voids` (0/1, label-map sized, 1 exactly where map.data === map.voidPhase) as the map's void mask. */
export function rememberVoidMask(map: LabelMap, voids: Uint8Array): void {
  const n = map.width * map.height * map.depth;
  if (voids.length !== n) throw new RangeError(`void mask has ${voids.length} pixels, the label map ${n}`);
  VOID_MASKS.set(map, voids);
}

/** 0/1 void mask of a label map (the segmenter's own mask when it kept one, else phaseMask). */
export function voidMaskOf(map: LabelMap): Uint8Array {
  return VOID_MASKS.get(map) ?? phaseMask(map, map.voidPhase);
}
