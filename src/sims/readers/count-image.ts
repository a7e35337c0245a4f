/**
 * Count images: 8/16/32-bit integer or float TIFF, 8/16-bit PNG — one channel per file
 * (e.g. refdata derived/tofsimsData_*_uint32.tif). Decoded with the shared `readImage`
 * (src/raster/read.ts), which keeps 16/32-bit data at full depth.
 */
import { VoidscopeError } from '../../errors.js';
import { readImage } from '../../raster/read.js';
import type { Raster } from '../../raster/types.js';
import type { CountRaster, SimsChannel, SimsDataset } from '../types.js';
import { describeXY, statInput, toCountRaster, validateCounts } from './common.js';

export function isTiffHead(head: Buffer): boolean {
  return head.length >= 4 && ((head[0] === 0x49 && head[1] === 0x49 && (head[2] === 42 || head[2] === 43) && head[3] === 0) || (head[0] === 0x4d && head[1] === 0x4d && head[2] === 0 && (head[3] === 42 || head[3] === 43)));
}

export function isPngHead(head: Buffer): boolean {
  return head.length >= 8 && head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
}

function toCounts(r: Raster, file: string): { raster: CountRaster; integer: boolean } {
  const d = r.data;
  if (d instanceof Uint32Array || d instanceof Float32Array || d instanceof Float64Array) {
    const { integer } = validateCounts(d, file, describeXY(r.width));
    return { raster: { ...r, data: d } as CountRaster, integer };
  }
  // 8/16-bit integer: widen to uint32 (values unchanged).
  const v = Float64Array.from(d);
  return { raster: toCountRaster(v, r.width, r.height, r.pixelSize), integer: true };
}

export async function readCountImage(file: string, kind: 'tiff' | 'png'): Promise<SimsDataset> {
  await statInput(file);
  let decoded;
  try {
    decoded = await readImage(file);
  } catch (e) {
    if (e instanceof VoidscopeError) throw e;
    throw new VoidscopeError('ECORRUPT', `cannot decode ${kind.toUpperCase()} count image: ${(e as Error).message}`, { file, cause: e });
  }
  const assumptions: string[] = [`one channel per ${kind.toUpperCase()} file; pixel values are counts`];
  if (decoded.greyConversion) {
    throw new VoidscopeError('EUNSUPPORTED', `${decoded.channels}-channel colour image: a count image must have one grey channel (a rendered colour map cannot be turned back into counts)`, { file });
  }
  for (const n of decoded.notes ?? []) assumptions.push(n);
  if (decoded.pages > 1) assumptions.push(`multi-page file: page ${decoded.page} of ${decoded.pages} read`);
  if (decoded.raster.bitDepth === 8) assumptions.push('8-bit image: counts above 255 cannot be represented (saturated or scaled export?)');
  const { raster, integer } = toCounts(decoded.raster, file);
  if (!integer) assumptions.push('non-integer pixel values: Poisson intervals are indicative only');
  const channel: SimsChannel = { index: 0, kind: 'unknown', counts: raster, load: async () => raster };
  return {
    file,
    format: kind === 'tiff' ? 'count-tiff' : 'count-png',
    channels: [channel],
    width: raster.width,
    height: raster.height,
    pixelSize: raster.pixelSize,
    assumptions,
    meta: { bitDepth: decoded.raster.bitDepth, sampleFormat: decoded.raster.sampleFormat },
  };
}
