/**
 * Types and helpers shared by the local-threshold methods (one file per method, as threshold/).
 *
 * Every method is a pure function `(raster, radius, param1, param2, whiteObjects) → Uint8Array` whose
 * result is 1 where Fiji's Auto_Local_Threshold writes 255 (the "objects") and 0 elsewhere. The
 * parameters are the values actually used (Fiji's "0 means default" rule is applied once, by
 * `resolveLocalParams` in index.ts, not here), so a library caller can pass any value.
 */
import type { Raster } from '../../raster/types.js';

/** The rasters the local methods accept: 8-bit (Fiji's own domain) and 16-bit (voidscope's extension). */
export type LocalRaster = Raster<Uint8Array> | Raster<Uint16Array>;

/** One method: 1 = object (Fiji's 255), 0 = background. */
export type LocalMethodFunction = (
  raster: LocalRaster,
  radius: number,
  param1: number,
  param2: number,
  whiteObjects: boolean,
) => Uint8Array;

/** What a method's two parameters are called and their Fiji defaults. */
export interface LocalParamInfo {
  /** Names of parameter 1 and 2 as recorded in results; null where the method ignores it. */
  names: readonly [string | null, string | null];
  /** Which parameters Fiji casts to int (they must be whole numbers here). */
  integer: readonly [boolean, boolean];
  /** Fiji's defaults (used when the parameter is 0), for this bit depth and object polarity. */
  defaults: (bitDepth: 8 | 16, whiteObjects: boolean) => readonly [number, number];
}

/**
 * 16-bit rule: grey-level constants and defaults of the 8-bit plugin are scaled by 257 = 65535/255
 * (so 255 ↦ 65535 and an image multiplied by 257 keeps its mask where the arithmetic allows).
 */
export const SCALE16 = 257;

export function bitDepthOf(raster: LocalRaster): 8 | 16 {
  return raster.data instanceof Uint8Array ? 8 : 16;
}

/** Fiji writes `cond ? object : background` with object = 255 for white objects, 0 otherwise. */
export function objectBit(cond: boolean, whiteObjects: boolean): number {
  return cond === whiteObjects ? 1 : 0;
}
