import type { Raster } from './types.js';

export interface ReadImageOptions {
  /** Zero-based page of a multi-page TIFF (default 0). */
  page?: number;
  /** Refuse images with more pixels than this (default 400 megapixels). */
  maxPixels?: number;
}

export type ImageFormat = 'tiff' | 'png' | 'jpeg' | 'bmp' | 'gif' | 'webp';

export interface DecodedImage {
  file: string;
  format: ImageFormat;
  raster: Raster;
  /** Number of pages/IFDs in the file (1 for single images). */
  pages: number;
  page: number;
  /** Channels in the file before conversion to grey. */
  channels: number;
  /** How colour was turned into grey, or null when the file was already grey. */
  greyConversion: string | null;
}

// Implemented in the next commit (sharp decode with geotiff fallback).
export async function readImage(_file: string, _options: ReadImageOptions = {}): Promise<DecodedImage> {
  throw new Error('not implemented yet');
}
