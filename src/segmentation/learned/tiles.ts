/**
 * Tiles with overlap: features are computed on a crop that extends `margin` pixels beyond the tile
 * (clipped to the image), and only the tile's own pixels are kept. With a margin of at least the
 * feature stack's support (featureMargin) a pixel's features equal those of the whole image, so the
 * result does not depend on the tile size, and memory is bounded by the tile, not the image.
 */
import type { Raster } from '../../raster/types.js';
import { computeFeatures, featureChannels, fieldRow, PlanePool, type FeatureSettings, type Normalisation } from '../filters/features/index.js';

export interface Tile {
  /** The tile in image coordinates. */
  x0: number;
  y0: number;
  w: number;
  h: number;
  /** The padded crop in image coordinates. */
  cx0: number;
  cy0: number;
  cw: number;
  ch: number;
}

/** Default tile edge (pixels, before the margin): 512 keeps the margin overhead near 1.3× at 12 MB of planes. */
export const DEFAULT_TILE = 512;

export function* tilesOf(width: number, height: number, tile: number, margin: number): Generator<Tile> {
  for (let y0 = 0; y0 < height; y0 += tile) {
    for (let x0 = 0; x0 < width; x0 += tile) {
      const w = Math.min(tile, width - x0);
      const h = Math.min(tile, height - y0);
      const cx0 = Math.max(0, x0 - margin);
      const cy0 = Math.max(0, y0 - margin);
      const cx1 = Math.min(width, x0 + w + margin);
      const cy1 = Math.min(height, y0 + h + margin);
      yield { x0, y0, w, h, cx0, cy0, cw: cx1 - cx0, ch: cy1 - cy0 };
    }
  }
}

/** The crop of a tile as normalised float32: (v / field − offset) · scale. */
export function normalisedCrop(raster: Raster, norm: Normalisation, t: Tile, into?: Float32Array): Float32Array {
  const n = t.cw * t.ch;
  const out = into && into.length >= n ? into.subarray(0, n) : new Float32Array(n);
  const d = raster.data;
  const { offset, scale, field } = norm;
  const row = field ? new Float64Array(t.cw) : null;
  for (let y = 0; y < t.ch; y++) {
    const src = (t.cy0 + y) * raster.width + t.cx0;
    const dst = y * t.cw;
    if (field && row) {
      fieldRow(field, t.cy0 + y, t.cx0, t.cw, row);
      for (let x = 0; x < t.cw; x++) out[dst + x] = (d[src + x]! / row[x]! - offset) * scale;
    } else for (let x = 0; x < t.cw; x++) out[dst + x] = (d[src + x]! - offset) * scale;
  }
  // NaN / ±Inf pixels (float images) become 0, the 1st percentile, so they cannot spread through the
  // filters into their neighbours' features (they themselves are not classified: predict.ts).
  if (raster.sampleFormat === 'float') for (let i = 0; i < n; i++) if (!Number.isFinite(out[i]!)) out[i] = 0;
  return out;
}

let buffers: { crop: Float32Array; planes: Float32Array[]; pool: PlanePool } | null = null;
/** This thread's tile buffers, grown to `floats` per plane and `channels` planes when smaller (calls are synchronous: never shared by two at once). */
function tileBuffers(floats: number, channels: number): { crop: Float32Array; planes: Float32Array[]; pool: PlanePool } {
  if (!buffers || buffers.crop.length < floats) buffers = { crop: new Float32Array(floats), planes: [], pool: buffers?.pool ?? new PlanePool() };
  const { planes } = buffers;
  for (let k = 0; k < planes.length; k++) if (planes[k]!.length < floats) planes[k] = new Float32Array(floats);
  while (planes.length < channels) planes.push(new Float32Array(floats));
  return { crop: buffers.crop, planes: planes.slice(0, channels), pool: buffers.pool };
}

/**
 * Call fn(planes, tile, index) with each tile's (or each picked tile's) feature planes (crop-sized, channel order of
 * featureChannels); the tile's pixel (x, y) is at index (y − cy0) · cw + (x − cx0) of each plane.
 */
export function forEachFeatureTile(
  raster: Raster,
  norm: Normalisation,
  settings: FeatureSettings,
  margin: number,
  tile: number,
  fn: (planes: Float32Array[], t: Tile, index: number) => void,
  pick?: (index: number) => boolean,
): void {
  // One crop buffer, one set of feature planes and one scratch pool, sized for the largest crop and
  // reused by every tile and every later call on this thread (a new set per image cost a 40 MB
  // allocation and a first tile outside the pool's WebAssembly memory: 10–20 % of a 0.8 MP image).
  const most = Math.min(raster.width, tile + 2 * margin) * Math.min(raster.height, tile + 2 * margin);
  const { crop, planes, pool } = tileBuffers(most, featureChannels(settings).length);
  let index = 0;
  for (const t of tilesOf(raster.width, raster.height, tile, margin)) {
    const i = index++;
    if (pick && !pick(i)) continue;
    fn(computeFeatures(normalisedCrop(raster, norm, t, crop), t.cw, t.ch, settings, planes, pool), t, i);
  }
}
