/**
 * k×k binning by summation: each output pixel holds the sum of k×k input pixels, so counts are
 * conserved (the binned map is still Poisson) and the mean per pixel grows by k². Rows/columns
 * that do not fill a whole block at the right/bottom edge are dropped; their counts are reported.
 */
import { createRaster } from '../../raster/types.js';
import type { PixelSize } from '../../raster/types.js';
import type { CountRaster } from '../types.js';

export interface BinningResult {
  raster: CountRaster;
  factor: number;
  droppedColumns: number;
  droppedRows: number;
  /** Counts in the dropped edge rows/columns (not in the binned map). */
  droppedCounts: number;
}

export function binCounts(r: CountRaster, factor: number): BinningResult {
  if (!Number.isInteger(factor) || factor < 1) throw new RangeError(`bin factor must be an integer ≥ 1, got ${factor}`);
  const w = Math.floor(r.width / factor);
  const h = Math.floor(r.height / factor);
  if (w < 1 || h < 1) throw new RangeError(`bin factor ${factor} is larger than the ${r.width}×${r.height} map`);
  const isInt = r.data instanceof Uint32Array;
  const out = new Float64Array(w * h);
  let kept = 0;
  let all = 0;
  for (let y = 0; y < r.height; y++) {
    const by = Math.floor(y / factor);
    for (let x = 0; x < r.width; x++) {
      const v = r.data[y * r.width + x]!;
      all += v;
      const bx = Math.floor(x / factor);
      if (bx < w && by < h) {
        out[by * w + bx] = out[by * w + bx]! + v;
        kept += v;
      }
    }
  }
  let pixelSize: PixelSize | null = null;
  if (r.pixelSize) {
    pixelSize = { ...r.pixelSize, value: r.pixelSize.value * factor, source: `${r.pixelSize.source}, ×${factor} binning` };
    if (r.pixelSize.valueY !== undefined) pixelSize.valueY = r.pixelSize.valueY * factor;
  }
  const data = isInt && out.every((v) => v <= 0xffffffff) ? Uint32Array.from(out) : r.data instanceof Float32Array ? Float64Array.from(out) : out;
  return {
    raster: createRaster(w, h, data, { pixelSize }),
    factor,
    droppedColumns: r.width - w * factor,
    droppedRows: r.height - h * factor,
    droppedCounts: all - kept,
  };
}
