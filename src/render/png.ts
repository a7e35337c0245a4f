import sharp from 'sharp';
import { constants as zlibConstants, crc32, deflate } from 'node:zlib';
import { promisify } from 'node:util';
import type { RgbaImage } from './image.js';

export interface PngOptions {
  /** zlib level 0..9 (default 6). Level 2 without adaptive filtering is ~10× faster on large overlays. */
  compressionLevel?: number;
  adaptiveFiltering?: boolean;
}

function isOpaque(img: RgbaImage): boolean {
  const d = img.data;
  for (let i = 3; i < d.length; i += 4) if (d[i] !== 255) return false;
  return true;
}

/** Encode an RGBA picture as PNG (sharp/libvips); an opaque picture is written as RGB. */
export async function encodePng(img: RgbaImage, options: PngOptions = {}): Promise<Buffer> {
  const png = { compressionLevel: options.compressionLevel ?? 6, adaptiveFiltering: options.adaptiveFiltering ?? true };
  if (!isOpaque(img)) {
    return sharp(img.data, { raw: { width: img.width, height: img.height, channels: 4 } }).png(png).toBuffer();
  }
  const n = img.width * img.height;
  const rgb = Buffer.allocUnsafe(n * 3);
  const d = img.data;
  for (let i = 0, j = 0, k = 0; i < n; i++, j += 3, k += 4) {
    rgb[j] = d[k]!;
    rgb[j + 1] = d[k + 1]!;
    rgb[j + 2] = d[k + 2]!;
  }
  return sharp(rgb, { raw: { width: img.width, height: img.height, channels: 3 } }).png(png).toBuffer();
}

/** Encode a one-channel 8-bit picture (e.g. a 0/255 void mask) as a one-channel grey PNG. */
export async function encodeGreyPng(data: Uint8Array, width: number, height: number, options: PngOptions = {}): Promise<Buffer> {
  return sharp(data, { raw: { width, height, channels: 1 } })
    .toColourspace('b-w')
    .png({ compressionLevel: options.compressionLevel ?? 6, adaptiveFiltering: options.adaptiveFiltering ?? true })
    .toBuffer();
}

/** An 8-bit palette picture: one palette index per pixel, row-major. */
export interface IndexedImage {
  width: number;
  height: number;
  /** width·height palette indices. */
  data: Uint8Array;
  /** Up to 256 opaque RGB colours; every index in `data` must be below its length. */
  palette: readonly (readonly [number, number, number])[];
}

function pngChunk(type: string, body: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(12 + body.length);
  out.writeUInt32BE(body.length, 0);
  out.write(type, 4, 'latin1');
  out.set(body, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + body.length)), 8 + body.length);
  return out;
}

const deflateAsync = promisify(deflate);

/**
 * Encode an indexed picture as an 8-bit palette PNG (colour type 3), written here rather than by sharp:
 * libvips only writes palette PNGs through its own colour quantiser, which is slow and would choose
 * the colours itself. Scanlines are unfiltered (the PNG spec's advice for palette images) and deflated
 * by node:zlib with the run-length strategy: on noisy micrographs plain Huffman coding of the index
 * bytes is as small as LZ77 matching (there are no long repeats), and the runs catch flat areas.
 */
export async function encodeIndexedPng(img: IndexedImage, options: { compressionLevel?: number } = {}): Promise<Buffer> {
  const level = options.compressionLevel ?? 1;
  if (!(Number.isInteger(level) && level >= 0 && level <= 9)) throw new RangeError(`PNG compression level must be 0..9, got ${level}`);
  const { width, height, data, palette } = img;
  if (!(Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0)) throw new RangeError(`bad PNG size ${width}×${height}`);
  if (data.length !== width * height) throw new RangeError(`indexed picture has ${data.length} pixels, expected ${width * height}`);
  if (palette.length < 1 || palette.length > 256) throw new RangeError(`a PNG palette holds 1..256 colours, got ${palette.length}`);
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 3; // colour type: palette
  const plte = Buffer.alloc(3 * palette.length);
  palette.forEach((c, k) => plte.set([c[0], c[1], c[2]], 3 * k));
  // Scanlines: filter byte 0 (None) + the row's indices.
  // (a per-thread spare buffer, taken for the duration of the deflate: fresh pages cost more than the copy)
  const size = (width + 1) * height;
  const rows = spareRows && spareRows.length === size ? spareRows : Buffer.allocUnsafe(size);
  if (rows === spareRows) spareRows = null;
  for (let y = 0; y < height; y++) {
    rows[y * (width + 1)] = 0;
    rows.set(data.subarray(y * width, (y + 1) * width), y * (width + 1) + 1);
  }
  let z: Buffer;
  try {
    z = await deflateAsync(rows, { level, ...(level > 0 ? { strategy: zlibConstants.Z_RLE } : {}), chunkSize: 1 << 20 });
  } finally {
    spareRows = rows;
  }
  const chunks = [PNG_SIGNATURE, pngChunk('IHDR', ihdr), pngChunk('PLTE', plte)];
  // IDAT chunks of at most 8 MiB (any split is valid; a chunk must stay below 2^31 bytes).
  for (let o = 0; o < z.length || o === 0; o += IDAT_MAX) chunks.push(pngChunk('IDAT', z.subarray(o, o + IDAT_MAX)));
  chunks.push(pngChunk('IEND', new Uint8Array(0)));
  return Buffer.concat(chunks);
}

/** A scanline buffer not in use (per thread; the last palette PNG's). */
let spareRows: Buffer | null = null;
const PNG_SIGNATURE = Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]);
const IDAT_MAX = 8 << 20;
