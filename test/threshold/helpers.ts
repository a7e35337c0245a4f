import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repo root (compiled tests live in dist/test/threshold/). */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const FIXTURES = join(ROOT, 'test/fixtures/threshold');

export function readJson<T = unknown>(name: string): T {
  return JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')) as T;
}

/** Dense 256-bin histogram from the sparse [[bin, count], ...] form used in the JSON fixtures. */
export function dense(sparse: [number, number][], n = 256): Int32Array {
  const h = new Int32Array(n);
  for (const [i, c] of sparse) h[i] = c;
  return h;
}

import { fromArrayBuffer } from 'geotiff';
import { createRaster, type Raster } from '../../src/raster/types.js';

/**
 * Read a fixture TIFF with geotiff directly (independent of voidscope's own reader, so these
 * tests only exercise the threshold module). Native depth is kept: uint8, uint16, float32.
 */
export async function readFixture(name: string): Promise<Raster> {
  const buf = readFileSync(join(FIXTURES, name));
  const tiff = await fromArrayBuffer(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer);
  const img = await tiff.getImage();
  const rasters = await img.readRasters();
  const data = rasters[0] as Uint8Array | Uint16Array | Float32Array;
  return createRaster(img.getWidth(), img.getHeight(), data);
}

export interface IjMethodRecord {
  threshold: number;
  setAutoThreshold: Record<string, [number, number]>;
  void_selection: [number, number];
  void_pixels: number;
  void_fraction: number;
  void_fraction_complement_of_other_selection?: number;
}
export interface IjRun {
  args: string;
  roi: [number, number, number, number];
  roi_pixels: number;
  polarity: 'dark' | 'light';
  bitDepth: number;
  width: number;
  height: number;
  image_min?: number;
  image_max?: number;
  methods: Record<string, IjMethodRecord>;
  imagej_log: string[];
}
export interface IjExpected {
  _generator: { imagej_version: string; command: string };
  images: Record<string, { runs: IjRun[] }>;
}
