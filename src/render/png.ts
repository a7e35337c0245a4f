import sharp from 'sharp';
import { constants as zlibConstants, crc32, deflate } from 'node:zlib';
import { promisify } from 'node:util';
import type { RgbaImage } from './image.js';
import { LITTLE_ENDIAN } from '../raster/types.js';

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

/** Write one PNG chunk (length, type, body already in place at o + 8, CRC) at `o` of `out`; returns the offset after it. */
function finishChunk(out: Buffer, o: number, type: string, bodyLength: number): number {
  out.writeUInt32BE(bodyLength, o);
  out.write(type, o + 4, 'latin1');
  out.writeUInt32BE(crc32(out.subarray(o + 4, o + 8 + bodyLength)), o + 8 + bodyLength);
  return o + 12 + bodyLength;
}

/**
 * Adler-32 (RFC 1950), as zlib computes it, of the PNG scanlines of an indexed picture: each row is a
 * filter byte 0 and then the row's `width` bytes of `data`. Four bytes at a time where `data` can be read
 * as aligned little-endian 32-bit words (b gains 4a + 4x0 + 3x1 + 2x2 + x3, a gains x0 + x1 + x2 + x3,
 * exactly as four single steps would); sums reduced mod 65521 at least every 3796 bytes, so they stay
 * below 2^31 (int32 arithmetic; zlib's NMAX of 5552 is for unsigned 32-bit).
 */
function adler32Scanlines(data: Uint8Array, width: number, height: number): number {
  let a = 1;
  let b = 0;
  const shift = data.byteOffset % 4;
  const d32 = LITTLE_ENDIAN ? new Uint32Array(data.buffer, data.byteOffset - shift, (shift + data.length) >>> 2) : null;
  for (let y = 0; y < height; y++) {
    b += a; // the filter byte (0)
    for (let s = y * width, rowEnd = s + width; s < rowEnd; ) {
      const e = Math.min(rowEnd, s + 3796);
      let i = s;
      if (d32) {
        const j0 = (i + shift + 3) >>> 2;
        const j1 = (e + shift) >>> 2;
        for (const h = Math.min(e, 4 * j0 - shift); i < h; i++) {
          a += data[i]!;
          b += a;
        }
        for (let j = j0; j < j1; j++, i += 4) {
          const w = d32[j]!;
          const x0 = w & 255;
          const x1 = (w >>> 8) & 255;
          const x2 = (w >>> 16) & 255;
          const x3 = w >>> 24;
          b += 4 * a + 4 * x0 + 3 * x1 + 2 * x2 + x3;
          a += x0 + x1 + x2 + x3;
        }
      }
      for (; i < e; i++) {
        a += data[i]!;
        b += a;
      }
      a %= 65521;
      b %= 65521;
      s = e;
    }
  }
  return ((b << 16) | a) >>> 0;
}

const deflateAsync = promisify(deflate);

/**
 * Encode an indexed picture as an 8-bit palette PNG (colour type 3), written here rather than by sharp:
 * libvips only writes palette PNGs through its own colour quantiser, which is slow and would choose
 * the colours itself. Scanlines are unfiltered (the PNG spec's advice for palette images).
 * compressionLevel 0 (the default): the zlib stream is made of stored blocks, written straight into the
 * output (RFC 1950/1951 stored blocks are a 5-byte header per ≤ 65535 bytes and an Adler-32 at the end;
 * zlib's level 0 produces the same format but through its stream API costs extra copies and buffers).
 * 1..9: node:zlib with the run-length strategy: on noisy micrographs LZ77 matching finds little more
 * than Huffman coding of the index bytes does, and the runs catch flat areas.
 */
export async function encodeIndexedPng(img: IndexedImage, options: { compressionLevel?: number } = {}): Promise<Buffer> {
  const { width, height, data, palette } = img;
  const level = options.compressionLevel ?? 0;
  if (!(Number.isInteger(level) && level >= 0 && level <= 9)) throw new RangeError(`PNG compression level must be 0..9, got ${level}`);
  if (!(Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0)) throw new RangeError(`bad PNG size ${width}×${height}`);
  if (data.length !== width * height) throw new RangeError(`indexed picture has ${data.length} pixels, expected ${width * height}`);
  if (palette.length < 1 || palette.length > 256) throw new RangeError(`a PNG palette holds 1..256 colours, got ${palette.length}`);
  const rowBytes = width + 1; // filter byte 0 (None) + the row's indices
  const raw = rowBytes * height;
  const head = 8 + (12 + 13) + (12 + 3 * palette.length);
  const tail = 12; // IEND
  let out: Buffer;
  let o: number;
  if (level === 0) {
    const blocks = Math.max(1, Math.ceil(raw / 65535));
    const zLength = 2 + raw + 5 * blocks + 4;
    const idatChunks = Math.ceil(zLength / IDAT_MAX);
    out = Buffer.allocUnsafe(head + zLength + 12 * idatChunks + tail);
    o = writeHead(out, width, height, palette);
    // The zlib stream, built in place at `z` (then split into IDAT chunks by moving it, if it needs several).
    const z = o + 8;
    let p = z;
    out[p++] = 0x78; // deflate, 32 KiB window
    out[p++] = 0x01; // no dictionary, fastest; (0x78·256 + 0x01) % 31 = 0
    const dataStart = p;
    const src = Buffer.from(data.buffer, data.byteOffset, data.length); // a view, for Buffer#copy (no per-row views)
    let left = raw;
    let row = 0;
    let col = -1; // -1: the row's filter byte is next
    while (left > 0) {
      const n = Math.min(65535, left);
      left -= n;
      out[p++] = left === 0 ? 1 : 0; // BFINAL, BTYPE 00 (stored)
      out[p++] = n & 255;
      out[p++] = n >>> 8;
      out[p++] = ~n & 255;
      out[p++] = (~n >>> 8) & 255;
      // n bytes of scanlines, continuing where the last block stopped.
      let k = n;
      while (k > 0) {
        if (col < 0) {
          out[p++] = 0;
          col = 0;
          k--;
          continue;
        }
        const m = Math.min(k, width - col);
        src.copy(out, p, row * width + col, row * width + col + m);
        p += m;
        k -= m;
        col += m;
        if (col === width) {
          row++;
          col = -1;
        }
      }
    }
    out.writeUInt32BE(adler32Scanlines(data, width, height), p);
    p += 4;
    o = writeIdat(out, o, zLength);
  } else {
    // (a per-thread spare buffer, taken for the duration of the deflate: fresh pages cost more than the copy)
    const rows = spareRows && spareRows.length === raw ? spareRows : Buffer.allocUnsafe(raw);
    if (rows === spareRows) spareRows = null;
    for (let y = 0; y < height; y++) {
      rows[y * rowBytes] = 0;
      rows.set(data.subarray(y * width, (y + 1) * width), y * rowBytes + 1);
    }
    let zs: Buffer;
    try {
      zs = await deflateAsync(rows, { level, strategy: zlibConstants.Z_RLE, chunkSize: 1 << 20 });
    } finally {
      spareRows = rows;
    }
    const idatChunks = Math.ceil(zs.length / IDAT_MAX);
    out = Buffer.allocUnsafe(head + zs.length + 12 * idatChunks + tail);
    o = writeHead(out, width, height, palette);
    zs.copy(out, o + 8);
    o = writeIdat(out, o, zs.length);
  }
  o = finishChunk(out, o, 'IEND', 0);
  if (o !== out.length) throw new Error(`PNG writer: wrote ${o} of ${out.length} bytes`);
  return out;
}

/** Signature, IHDR and PLTE at the start of `out`; returns the offset after them. */
function writeHead(out: Buffer, width: number, height: number, palette: IndexedImage['palette']): number {
  PNG_SIGNATURE.copy(out, 0);
  let o = 8;
  out.writeUInt32BE(width, o + 8);
  out.writeUInt32BE(height, o + 12);
  out[o + 16] = 8; // bit depth
  out[o + 17] = 3; // colour type: palette
  out[o + 18] = 0; // compression: deflate
  out[o + 19] = 0; // filter method 0
  out[o + 20] = 0; // no interlace
  o = finishChunk(out, o, 'IHDR', 13);
  palette.forEach((c, k) => {
    out[o + 8 + 3 * k] = c[0];
    out[o + 9 + 3 * k] = c[1];
    out[o + 10 + 3 * k] = c[2];
  });
  return finishChunk(out, o, 'PLTE', 3 * palette.length);
}

/**
 * The zlib stream of `zLength` bytes sits at o + 8: wrap it in IDAT chunks of at most IDAT_MAX bytes (any
 * split is valid; a chunk must stay below 2^31 bytes), moving later pieces up to make room for the chunk
 * framing. Returns the offset after the last chunk.
 */
function writeIdat(out: Buffer, o: number, zLength: number): number {
  const chunks = Math.max(1, Math.ceil(zLength / IDAT_MAX));
  // Move pieces from the last to the first (each moves up by 12 bytes per chunk before it).
  for (let k = chunks - 1; k > 0; k--) {
    const from = o + 8 + k * IDAT_MAX;
    out.copyWithin(from + 12 * k, from, from + Math.min(IDAT_MAX, zLength - k * IDAT_MAX));
  }
  for (let k = 0; k < chunks; k++) o = finishChunk(out, o, 'IDAT', Math.min(IDAT_MAX, zLength - k * IDAT_MAX));
  return o;
}

/** A scanline buffer not in use (per thread; the last compressed palette PNG's). */
let spareRows: Buffer | null = null;
const PNG_SIGNATURE = Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]);
const IDAT_MAX = 8 << 20;
