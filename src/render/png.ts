import sharp from 'sharp';
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
