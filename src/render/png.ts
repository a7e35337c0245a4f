import sharp from 'sharp';
import type { RgbaImage } from './image.js';

/** Encode an RGBA picture as PNG (sharp/libvips). */
export async function encodePng(img: RgbaImage): Promise<Buffer> {
  return sharp(img.data, { raw: { width: img.width, height: img.height, channels: 4 } }).png({ compressionLevel: 6 }).toBuffer();
}

/** Encode a one-channel 8-bit picture (e.g. a 0/255 void mask) as a grey PNG. */
export async function encodeGreyPng(data: Uint8Array, width: number, height: number): Promise<Buffer> {
  return sharp(data, { raw: { width, height, channels: 1 } }).png({ compressionLevel: 6 }).toBuffer();
}
