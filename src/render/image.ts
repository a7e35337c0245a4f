import type { Raster } from '../raster/types.js';
import { minMax } from '../raster/types.js';

/** An 8-bit RGBA picture used for overlays, heat maps and labels. Row-major, 4 bytes per pixel. */
export interface RgbaImage {
  width: number;
  height: number;
  data: Uint8Array;
}

export type Rgba = readonly [number, number, number, number];

export function createRgba(width: number, height: number, fill: Rgba = [0, 0, 0, 255]): RgbaImage {
  const data = new Uint8Array(width * height * 4);
  for (let i = 0; i < data.length; i += 4) {
    data[i] = fill[0];
    data[i + 1] = fill[1];
    data[i + 2] = fill[2];
    data[i + 3] = fill[3];
  }
  return { width, height, data };
}

/**
 * Grey raster → display grey levels 0..255, one byte per pixel. Values are mapped linearly from
 * [min, max] to 0..255 (default: 0..255 for 8-bit images, the data's own range otherwise), rounded.
 * An 8-bit image shown at 0..255 is returned as is (its own data, not a copy). Display only.
 */
export function displayGrey(raster: Raster, range: { min?: number; max?: number } = {}): Uint8Array {
  const { data } = raster;
  let { min, max } = range;
  if (min === undefined || max === undefined) {
    const mm = raster.bitDepth === 8 && raster.sampleFormat === 'uint' ? { min: 0, max: 255 } : minMax(data);
    min ??= mm.min;
    max ??= mm.max;
  }
  if (min === 0 && max === 255 && data instanceof Uint8Array) return data;
  const scale = max > min ? 255 / (max - min) : 0;
  const out = new Uint8Array(data.length);
  const identity = min === 0 && max === 255;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    out[i] = identity ? v : Math.max(0, Math.min(255, Math.round((v - min) * scale)));
  }
  return out;
}

/**
 * Grey raster → RGBA for display (grey levels as in `displayGrey`, alpha 255). Display only:
 * analysis never works on this copy.
 */
export function greyToRgba(raster: Raster, range: { min?: number; max?: number } = {}): RgbaImage {
  const { width, height } = raster;
  const grey = displayGrey(raster, range);
  const out = new Uint8Array(width * height * 4);
  for (let i = 0, j = 0; i < grey.length; i++, j += 4) {
    const g = grey[i]!;
    out[j] = g;
    out[j + 1] = g;
    out[j + 2] = g;
    out[j + 3] = 255;
  }
  return { width, height, data: out };
}

/** Alpha-blend one colour onto pixel (x, y); `coverage` 0..1 scales the colour's own alpha. */
export function blendPixel(img: RgbaImage, x: number, y: number, c: Rgba, coverage = 1): void {
  if (x < 0 || y < 0 || x >= img.width || y >= img.height) return;
  const a = (c[3] / 255) * coverage;
  if (a <= 0) return;
  const j = (y * img.width + x) * 4;
  const d = img.data;
  d[j] = Math.round(d[j]! * (1 - a) + c[0] * a);
  d[j + 1] = Math.round(d[j + 1]! * (1 - a) + c[1] * a);
  d[j + 2] = Math.round(d[j + 2]! * (1 - a) + c[2] * a);
  d[j + 3] = Math.max(d[j + 3]!, Math.round(255 * a));
}

export function fillRect(img: RgbaImage, x: number, y: number, w: number, h: number, c: Rgba): void {
  const x0 = Math.max(0, Math.floor(x));
  const y0 = Math.max(0, Math.floor(y));
  const x1 = Math.min(img.width, Math.floor(x + w));
  const y1 = Math.min(img.height, Math.floor(y + h));
  for (let yy = y0; yy < y1; yy++) for (let xx = x0; xx < x1; xx++) blendPixel(img, xx, yy, c);
}

/**
 * The four strips (x, y, w, h) of strokeRect's outline: lines `thickness` pixels wide inside `r`, thinned
 * so that they fit a small rectangle. One geometry for every renderer of the outline.
 */
export function outlineStrips(r: { x: number; y: number; width: number; height: number }, thickness = 2): [number, number, number, number][] {
  const t = Math.max(1, Math.min(thickness, Math.floor(r.width / 2), Math.floor(r.height / 2)));
  return [
    [r.x, r.y, r.width, t],
    [r.x, r.y + r.height - t, r.width, t],
    [r.x, r.y + t, t, r.height - 2 * t],
    [r.x + r.width - t, r.y + t, t, r.height - 2 * t],
  ];
}

/** Outline a rectangle (e.g. the analysed region) with lines `thickness` pixels wide, drawn inside it. */
export function strokeRect(
  img: RgbaImage,
  r: { x: number; y: number; width: number; height: number },
  c: Rgba,
  thickness = 2,
): void {
  for (const [x, y, w, h] of outlineStrips(r, thickness)) fillRect(img, x, y, w, h, c);
}
