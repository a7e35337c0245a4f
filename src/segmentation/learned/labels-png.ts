/**
 * Reading the labels a user paints: a PNG (or any image sharp reads) of the same size as the image.
 *
 * Two forms are accepted:
 *  - index image (grey, or RGB with R = G = B everywhere): the value is the label, 0 = unlabelled,
 *    1..k = class k (the order of --classes); a transparent pixel is unlabelled;
 *  - colour scribbles (RGB/RGBA with coloured strokes, e.g. painted over a copy of the micrograph):
 *    grey pixels (R = G = B: the micrograph, black, white) and transparent pixels are unlabelled, and
 *    each coloured pixel takes the class of the nearest colour of LABEL_COLOURS (Euclidean RGB distance
 *    ≤ 60, so anti-aliased stroke edges still count; farther colours are unlabelled and counted).
 *
 * Colour key: 1 red #ff0000, 2 green #00ff00, 3 blue #0000ff, 4 yellow #ffff00, 5 magenta #ff00ff,
 * 6 cyan #00ffff, 7 orange #ff8000, 8 purple #8000ff.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { VoidscopeError } from '../../errors.js';
import { statInputFile } from '../../fsutil.js';
import { LABEL_COLOURS } from '../../raster/phase-colours.js';

// The colour key is the phase colour rule of raster/ (also the overlay's tint per class).
export { LABEL_COLOURS };
const MAX_COLOUR_DISTANCE = 60;

export interface LabelImage {
  /** 0 = unlabelled, 1..k. */
  labels: Uint8Array;
  width: number;
  height: number;
  kind: 'index' | 'colour';
  sha256: string;
  /** Coloured pixels matching no key colour (left unlabelled). */
  unmatched: number;
}

/** Labels from decoded pixels (channels 1–4, 8-bit). */
export function labelsFromPixels(px: Uint8Array, width: number, height: number, channels: number): { labels: Uint8Array; kind: 'index' | 'colour'; unmatched: number } {
  const n = width * height;
  const labels = new Uint8Array(n);
  const alpha = channels === 2 || channels === 4;
  if (channels <= 2) {
    for (let i = 0; i < n; i++) labels[i] = alpha && px[i * channels + 1] === 0 ? 0 : px[i * channels]!;
    return { labels, kind: 'index', unmatched: 0 };
  }
  let grey = true;
  for (let i = 0; i < n && grey; i++) {
    const o = i * channels;
    if (alpha && px[o + 3] === 0) continue;
    if (px[o] !== px[o + 1] || px[o] !== px[o + 2]) grey = false;
  }
  if (grey) {
    for (let i = 0; i < n; i++) labels[i] = alpha && px[i * channels + 3] === 0 ? 0 : px[i * channels]!;
    return { labels, kind: 'index', unmatched: 0 };
  }
  let unmatched = 0;
  for (let i = 0; i < n; i++) {
    const o = i * channels;
    if (alpha && px[o + 3] === 0) continue;
    const r = px[o]!;
    const g = px[o + 1]!;
    const b = px[o + 2]!;
    if (r === g && g === b) continue;
    let best = 0;
    let bd = Infinity;
    for (let k = 0; k < LABEL_COLOURS.length; k++) {
      const c = LABEL_COLOURS[k]!;
      const d = (r - c[0]) ** 2 + (g - c[1]) ** 2 + (b - c[2]) ** 2;
      if (d < bd) {
        bd = d;
        best = k + 1;
      }
    }
    if (bd <= MAX_COLOUR_DISTANCE * MAX_COLOUR_DISTANCE) labels[i] = best;
    else unmatched++;
  }
  return { labels, kind: 'colour', unmatched };
}

/** Read a label image; it must be width × height when those are given. */
export async function readLabelImage(file: string, width?: number, height?: number): Promise<LabelImage> {
  await statInputFile(file, 'a label image');
  const bytes = await readFile(file);
  let decoded: { data: Buffer; info: { width: number; height: number; channels: number } };
  try {
    decoded = await sharp(bytes, { limitInputPixels: 1 << 28 }).toColourspace('srgb').raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
  } catch (e) {
    throw new VoidscopeError('ECORRUPT', `cannot decode the label image: ${(e as Error).message}`, { file, cause: e });
  }
  const { data, info } = decoded;
  if (width !== undefined && height !== undefined && (info.width !== width || info.height !== height)) {
    throw new VoidscopeError('EOPTION', `label image is ${info.width}x${info.height}, its image ${width}x${height}: labels must be the same size`, { file });
  }
  const raw = new Uint8Array(data.buffer, data.byteOffset, data.length);
  const r = labelsFromPixels(raw, info.width, info.height, info.channels);
  return { ...r, width: info.width, height: info.height, sha256: createHash('sha256').update(bytes).digest('hex') };
}
