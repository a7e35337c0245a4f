/**
 * Image decoding for all of voidscope (SEM micrographs and SIMS count images).
 *
 * sharp (libvips) decodes TIFF (8/16/32-bit integer and float, LZW/deflate/PackBits,
 * pages), PNG, JPEG, GIF and WebP at native depth; geotiff is the fallback for TIFF
 * layouts libvips refuses; BMP, which the prebuilt libvips cannot read, goes through
 * bmp-ts (the decoder jimp itself uses; jimp is never used to decode because it
 * drops 16-bit data). Values are never cut to 8 bits.
 *
 * Colour inputs become grey with ImageJ's default (unweighted) RGB conversion,
 * grey = (R + G + B) / 3 rounded to nearest, so that thresholds match ImageJ's on
 * the same file; any alpha channel is ignored. Both are stated in `greyConversion`.
 *
 * Decoded like ImageJ 1.53t (checked with ij.jar on the same files): samples are the stored
 * values. Embedded ICC profiles are not applied (sharp's `ignoreIcc`); associated (premultiplied)
 * alpha is ignored without being undone, min-is-white images keep their stored values (ImageJ
 * shows them with an inverting LUT) and 8/16-bit palette TIFFs give their index values (ImageJ
 * shows them with the file's LUT), all by reading such TIFFs with geotiff, because libvips
 * un-premultiplies, inverts and expands them at load; a note says so. CMYK, CIELab and other photometric
 * interpretations are refused (EUNSUPPORTED). Every TIFF passes `checkTiffStructure` first, and
 * geotiff runs in a worker thread with limits (see README.md in this folder).
 */
import { open, readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { decode as decodeBmp } from 'bmp-ts';
import { VoidscopeError } from '../errors.js';
import { statInputFile } from '../fsutil.js';
import type { PixelData, Raster } from './types.js';
import { createRaster } from './types.js';
import { assertTiffPageSupported, checkTiffFileStructure, checkTiffStructure } from './tiff-structure.js';
import type { TiffPageInfo, TiffStructure } from './tiff-structure.js';
import { decodeTiffInWorker } from './geotiff-decode.js';

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
  /** What the reader did that a user should know (min-is-white kept raw, alpha ignored, ...). */
  notes?: string[];
  /**
   * The whole file, when the reader read it into memory (TIFFs up to 256 MB), so the metadata reader
   * takes its tags from the same bytes instead of reading the file again.
   */
  bytes?: Uint8Array;
}

/** The note of a min-is-white image (values kept as stored, as ImageJ does). */
export const MIN_IS_WHITE_NOTE =
  'stored min-is-white (TIFF PhotometricInterpretation 0): values kept as stored, as ImageJ does (it shows them with an inverting LUT), so 0 is white and dark features have high values';
/** The note of a palette (indexed-colour) TIFF. */
export const PALETTE_NOTE = 'palette (indexed-colour) TIFF: the stored index values are used and the colour map is not applied, as ImageJ does (it shows them with the file\'s LUT)';
/** The note of an image with associated (premultiplied) alpha. */
export const ASSOCIATED_ALPHA_NOTE = 'associated (premultiplied) alpha ignored without undoing the premultiplication, as ImageJ does';

export const DEFAULT_MAX_PIXELS = 400_000_000;

/** ImageJ's default "unweighted" RGB → grey conversion, as stated in every result. */
export const GREY_CONVERSION = 'ImageJ unweighted: grey = round((R + G + B) / 3); alpha ignored';

/** Identify an image format from its first bytes (never from the file name). */
export function sniffImageFormat(head: Uint8Array): ImageFormat | null {
  const b = head;
  if (b.length >= 4 && ((b[0] === 0x49 && b[1] === 0x49 && (b[2] === 42 || b[2] === 43) && b[3] === 0) ||
      (b[0] === 0x4d && b[1] === 0x4d && b[2] === 0 && (b[3] === 42 || b[3] === 43)))) return 'tiff';
  if (b.length >= 8 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47) return 'png';
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg';
  if (b.length >= 2 && b[0] === 0x42 && b[1] === 0x4d) return 'bmp';
  if (b.length >= 4 && b[0] === 0x47 && b[1] === 0x49 && b[2] === 0x46 && b[3] === 0x38) return 'gif';
  if (b.length >= 12 && b[0] === 0x52 && b[1] === 0x49 && b[2] === 0x46 && b[3] === 0x46 &&
      b[8] === 0x57 && b[9] === 0x45 && b[10] === 0x42 && b[11] === 0x50) return 'webp';
  return null;
}

function validateOptions(options: ReadImageOptions): { page: number; maxPixels: number } {
  const page = options.page ?? 0;
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  if (!Number.isInteger(page) || page < 0) {
    throw new VoidscopeError('EOPTION', `page must be a whole number >= 0, got ${String(options.page)}`);
  }
  if (!Number.isFinite(maxPixels) || maxPixels <= 0) {
    throw new VoidscopeError('EOPTION', `maxPixels must be a positive number, got ${String(options.maxPixels)}`);
  }
  return { page, maxPixels };
}

/** Read one image as a single-channel raster at its native bit depth. */
export async function readImage(file: string, options: ReadImageOptions = {}): Promise<DecodedImage> {
  const { page, maxPixels } = validateOptions(options);
  const size = await statInputFile(file, 'an image file');

  const head = new Uint8Array(16);
  const fh = await open(file, 'r');
  try {
    await fh.read(head, 0, 16, 0);
  } finally {
    await fh.close();
  }
  const format = sniffImageFormat(head);
  if (format === null) {
    throw new VoidscopeError('ECORRUPT', 'not a recognised image (expected TIFF, PNG, JPEG, BMP, GIF or WebP content)', { file });
  }
  if (format === 'bmp') return readBmp(file, page, maxPixels);
  if (format === 'tiff') return readTiff(file, size, page, maxPixels);
  try {
    return await readWithSharp(file, format, page, maxPixels, null);
  } catch (e) {
    if (e instanceof VoidscopeError) throw e;
    const reason = cleanSharpMessage((e as Error).message);
    throw new VoidscopeError('ECORRUPT', `cannot decode ${format.toUpperCase()}: ${reason}`, { file, cause: e });
  }
}

/**
 * TIFF: structure pre-check (ECORRUPT/EUNSUPPORTED before any decoder), then the plain 8-bit fast
 * path, then sharp, then geotiff in a worker for what libvips refuses or would change.
 */
async function readTiff(file: string, size: number, page: number, maxPixels: number): Promise<DecodedImage> {
  let buf: Buffer | null = null;
  if (size <= PLAIN_TIFF_MAX_BYTES) {
    try {
      buf = await readFile(file);
    } catch (e) {
      throw new VoidscopeError('EIO', `cannot read file: ${(e as Error).message}`, { file, cause: e });
    }
  }
  const structure = buf ? checkTiffStructure(buf, file) : checkTiffFileStructure(file);
  checkPage(file, page, structure.pages.length);
  assertTiffPageSupported(structure, page, file);
  const info = structure.pages[page]!;
  checkSize(file, info.width, info.height, maxPixels);
  if (info.dataProblem) throw new VoidscopeError('ECORRUPT', `corrupt TIFF: ${info.dataProblem}`, { file });
  if (buf) {
    const plain = readPlainTiff8(buf, file, page, maxPixels);
    if (plain) return plain;
  }
  const isUint = (info.sampleFormat[0] ?? 1) === 1;
  const rawBits = info.bitsPerSample[0] === 8 || info.bitsPerSample[0] === 16 || info.bitsPerSample[0] === 32;
  const paletteIndices = info.photometric === 3 && isUint && (info.bitsPerSample[0] === 8 || info.bitsPerSample[0] === 16) && info.samplesPerPixel === 1;
  if ((info.photometric === 0 && isUint && rawBits) || info.extraSamples.includes(1) || paletteIndices) {
    // libvips would invert min-is-white, un-premultiply associated alpha and expand a palette to
    // RGB: read the stored values, as ImageJ does.
    return withBytes(await readTiffWithGeotiff(file, buf, structure, page, maxPixels), buf);
  }
  try {
    return withBytes(await readWithSharp(file, 'tiff', page, maxPixels, structure), buf);
  } catch (e) {
    if (e instanceof VoidscopeError) throw e;
    const reason = cleanSharpMessage((e as Error).message);
    if (structure.problems.length > 0) {
      throw new VoidscopeError('ECORRUPT', `cannot decode TIFF: ${reason} (${structure.problems[0]})`, { file, cause: e });
    }
    // libtiff read the layout but found the compressed data broken: another decoder will not do
    // better (geotiff's LZW decoder runs away on such data), so it is corrupt.
    if (/read error|not yet in table|corrupt|bogus|premature|unexpected end|truncat|decod(e|ing) error|invalid (code|data|block)/i.test(reason)) {
      throw new VoidscopeError('ECORRUPT', `cannot decode TIFF: ${reason}`, { file, cause: e });
    }
    try {
      return withBytes(await readTiffWithGeotiff(file, buf, structure, page, maxPixels), buf);
    } catch (e2) {
      if (e2 instanceof VoidscopeError && e2.code !== 'ECORRUPT') throw e2;
      throw new VoidscopeError('ECORRUPT', `cannot decode TIFF: ${reason}`, { file, cause: e });
    }
  }
}

/** The decoded image with the file's bytes attached (when they were read whole). */
function withBytes(img: DecodedImage, buf: Buffer | null): DecodedImage {
  return buf ? { ...img, bytes: buf } : img;
}

/** Files up to this size are considered for the plain-TIFF fast path (read whole into memory). */
const PLAIN_TIFF_MAX_BYTES = 256 << 20;

/**
 * Fast path for the commonest SEM export: a classic TIFF holding ONE 8-bit grey page
 * (BlackIsZero, 1 sample, uncompressed, in strips, no ICC profile). Its pixels are the strip
 * bytes, so they are copied straight out of the file. Hand-written because libvips' pipeline costs
 * ~6–10 ms of CPU for this byte copy on a 3-Mpx image (and geotiff ~50 ms), which is a tenth of
 * the whole porosity analysis. Anything else, or anything unexpected (truncated strips, odd tag
 * types, several pages), returns null and the file goes through sharp exactly as before, so
 * errors and every other layout are handled in one place.
 */
function readPlainTiff8(buf: Buffer, file: string, page: number, maxPixels: number): DecodedImage | null {
  const n = buf.length;
  if (n < 8) return null;
  const le = buf[0] === 0x49;
  const u16 = (o: number): number => (le ? buf.readUInt16LE(o) : buf.readUInt16BE(o));
  const u32 = (o: number): number => (le ? buf.readUInt32LE(o) : buf.readUInt32BE(o));
  if (u16(2) !== 42) return null; // BigTIFF (43) → sharp
  const ifd = u32(4);
  if (ifd < 8 || ifd + 2 > n) return null;
  const count = u16(ifd);
  const end = ifd + 2 + count * 12;
  if (end + 4 > n) return null;
  if (u32(end) !== 0) return null; // more than one page → sharp (page count, page choice)
  const tags = new Map<number, number[]>();
  for (let e = ifd + 2; e < end; e += 12) {
    const tag = u16(e);
    const type = u16(e + 2);
    const cnt = u32(e + 4);
    const size = type === 3 ? 2 : type === 4 ? 4 : 0;
    if (size === 0) {
      tags.set(tag, []); // present, value not needed (or not SHORT/LONG)
      continue;
    }
    const at = cnt * size <= 4 ? e + 8 : u32(e + 8);
    if (cnt > 1 << 20 || at + cnt * size > n) return null;
    const v: number[] = new Array<number>(cnt);
    for (let i = 0; i < cnt; i++) v[i] = size === 2 ? u16(at + 2 * i) : u32(at + 4 * i);
    tags.set(tag, v);
  }
  const one = (tag: number, dflt: number | null): number | null => {
    const v = tags.get(tag);
    if (v === undefined) return dflt;
    return v.length === 1 ? v[0]! : null;
  };
  const width = one(256, null);
  const height = one(257, null);
  const rowsPerStrip = Math.min(one(278, 0xffffffff) ?? 0, height ?? 0);
  if (
    width === null || height === null || !(width > 0 && height > 0) || !(rowsPerStrip > 0) ||
    one(258, 1) !== 8 || one(259, 1) !== 1 || one(262, null) !== 1 || one(277, 1) !== 1 ||
    one(339, 1) !== 1 || one(274, 1) !== 1 || one(266, 1) !== 1 ||
    tags.has(338) || tags.has(322) || tags.has(323) || tags.has(34675) || tags.has(320)
  ) {
    return null;
  }
  const offsets = tags.get(273);
  const counts = tags.get(279);
  const strips = Math.ceil(height / rowsPerStrip);
  if (!offsets || !counts || offsets.length !== strips || counts.length !== strips) return null;
  for (let s = 0; s < strips; s++) {
    const bytes = Math.min(rowsPerStrip, height - s * rowsPerStrip) * width;
    if (counts[s]! < bytes || offsets[s]! + bytes > n) return null; // truncated/odd → sharp reports it
  }
  checkPage(file, page, 1);
  checkSize(file, width, height, maxPixels);
  // Strips stored back to back (the usual layout) are already the raster: use a view of the file
  // buffer (no second 3 MB allocation and copy per image); otherwise copy strip by strip.
  let contiguous = true;
  for (let s = 1; s < strips && contiguous; s++) contiguous = offsets[s] === offsets[0]! + s * rowsPerStrip * width;
  let data: Uint8Array;
  if (contiguous) data = new Uint8Array(buf.buffer, buf.byteOffset + offsets[0]!, width * height);
  else {
    data = new Uint8Array(width * height);
    for (let s = 0; s < strips; s++) {
      const bytes = Math.min(rowsPerStrip, height - s * rowsPerStrip) * width;
      data.set(buf.subarray(offsets[s]!, offsets[s]! + bytes), s * rowsPerStrip * width);
    }
  }
  return { file, format: 'tiff', raster: createRaster(width, height, data), pages: 1, page, channels: 1, greyConversion: null };
}

function cleanSharpMessage(msg: string): string {
  return msg
    .replace(/^Input (file|buffer) contains unsupported image format$/i, 'truncated, corrupt or an unsupported layout')
    .replace(/^Input (file|buffer) has corrupt header:\s*/i, '')
    .replace(/\s+/g, ' ')
    .trim() || msg;
}

function checkSize(file: string, width: number, height: number, maxPixels: number): void {
  if (!(width > 0 && height > 0)) throw new VoidscopeError('ECORRUPT', `invalid image size ${width}x${height}`, { file });
  if (width * height > maxPixels) {
    throw new VoidscopeError(
      'ETOOLARGE',
      `image is ${width}x${height} = ${(width * height / 1e6).toFixed(1)} Mpx, over the limit of ${(maxPixels / 1e6).toFixed(1)} Mpx (raise maxPixels / --max-pixels to read it)`,
      { file },
    );
  }
}

function checkPage(file: string, page: number, pages: number): void {
  if (page >= pages) {
    throw new VoidscopeError('EOPTION', `page ${page} requested but the file has ${pages} page${pages === 1 ? '' : 's'} (pages count from 0)`, { file });
  }
}

async function readWithSharp(file: string, format: ImageFormat, page: number, maxPixels: number, structure: TiffStructure | null): Promise<DecodedImage> {
  // ignoreIcc: an embedded ICC profile is never applied (ImageJ reads stored values).
  const opts = { page, limitInputPixels: maxPixels, failOn: 'warning' as const, ignoreIcc: true };
  const meta = await sharp(file, { limitInputPixels: false, ignoreIcc: true }).metadata();
  const pages = structure ? structure.pages.length : meta.pages ?? 1;
  checkPage(file, page, pages);
  const pm = page === 0 ? meta : await sharp(file, { page, limitInputPixels: false, ignoreIcc: true }).metadata();
  if (pm.space === 'cmyk' || pm.space === 'lab' || pm.space === 'labs' || pm.space === 'labq') {
    throw new VoidscopeError('EUNSUPPORTED', `${pm.space === 'cmyk' ? 'CMYK' : 'CIELab'} images are not supported (no conversion to grey would match ImageJ's); convert the image to grey or RGB first`, { file });
  }
  const tiffPage: TiffPageInfo | null = structure?.pages[page] ?? null;
  const width = pm.width ?? 0;
  const height = pm.pageHeight ?? pm.height ?? 0;
  checkSize(file, width, height, maxPixels);
  const depth = pm.depth ?? 'uchar';
  const channels = pm.channels ?? 1;
  const colour = channels >= 3 && pm.space !== 'b-w' && pm.space !== 'grey16';
  const img = sharp(file, opts);

  if (!colour) {
    // Grey (with or without alpha): keep the native sample type.
    let raster: Raster;
    switch (depth) {
      case 'uchar': {
        const { data } = await img.toColourspace('b-w').extractChannel(0).raw().toBuffer({ resolveWithObject: true });
        raster = createRaster(width, height, new Uint8Array(data.buffer, data.byteOffset, data.length));
        break;
      }
      case 'ushort': {
        const { data } = await img.toColourspace('grey16').extractChannel(0).raw({ depth: 'ushort' }).toBuffer({ resolveWithObject: true });
        raster = createRaster(width, height, typed(Uint16Array, data));
        break;
      }
      case 'uint': {
        const { data } = await img.toColourspace('b-w').extractChannel(0).raw({ depth: 'uint' }).toBuffer({ resolveWithObject: true });
        raster = createRaster(width, height, typed(Uint32Array, data));
        break;
      }
      case 'float': {
        const { data } = await img.toColourspace('b-w').extractChannel(0).raw({ depth: 'float' }).toBuffer({ resolveWithObject: true });
        raster = createRaster(width, height, typed(Float32Array, data));
        break;
      }
      case 'char':
      case 'short':
      case 'int':
      case 'double':
        // libvips clamps signed samples to the unsigned range on the way out; geotiff reads them exactly.
        if (format === 'tiff') return readTiffWithGeotiff(file, null, structure!, page, maxPixels);
        throw new VoidscopeError('EUNSUPPORTED', `unsupported sample type '${depth}'`, { file });
      default:
        throw new VoidscopeError('EUNSUPPORTED', `unsupported sample type '${depth}'`, { file });
    }
    const notes: string[] = [];
    if (tiffPage?.photometric === 0 && (raster.data instanceof Uint8Array || raster.data instanceof Uint16Array)) {
      // libvips inverted min-is-white on load; ImageJ keeps the stored values: invert back.
      const max = raster.data instanceof Uint8Array ? 255 : 65535;
      const d = raster.data;
      for (let i = 0; i < d.length; i++) d[i] = max - d[i]!;
      notes.push(MIN_IS_WHITE_NOTE);
    }
    return { file, format, raster, pages, page, channels, greyConversion: null, ...(notes.length ? { notes } : {}) };
  }

  // Colour: take R, G, B at native depth and average them as ImageJ does.
  if (depth === 'uchar') {
    const { data } = await img.toColourspace('srgb').removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const grey = new Uint8Array(width * height);
    const same = rgbToGrey(data, width * height, grey);
    return { file, format, raster: createRaster(width, height, grey), pages, page, channels, greyConversion: conversionNote(same) };
  }
  if (depth === 'ushort') {
    const { data } = await img.toColourspace('rgb16').removeAlpha().raw({ depth: 'ushort' }).toBuffer({ resolveWithObject: true });
    const grey = new Uint16Array(width * height);
    const same = rgbToGrey(typed(Uint16Array, data), width * height, grey);
    return { file, format, raster: createRaster(width, height, grey), pages, page, channels, greyConversion: conversionNote(same) };
  }
  throw new VoidscopeError('EUNSUPPORTED', `colour images with '${depth}' samples are not supported; convert to grey first`, { file });
}

function typed<T extends PixelData>(Ctor: { new (b: ArrayBufferLike, o: number, n: number): T; BYTES_PER_ELEMENT: number; new (n: number): T }, buf: Buffer): T {
  if (buf.byteOffset % Ctor.BYTES_PER_ELEMENT === 0) return new Ctor(buf.buffer, buf.byteOffset, buf.length / Ctor.BYTES_PER_ELEMENT);
  const copy = new Uint8Array(buf.length);
  copy.set(buf);
  return new Ctor(copy.buffer, 0, buf.length / Ctor.BYTES_PER_ELEMENT);
}

/**
 * Interleaved RGB (3 samples per pixel) → grey, ImageJ's unweighted mean, rounded.
 * Returns whether every pixel had R = G = B (a grey image stored as colour, common
 * for exported micrographs), in which case the conversion changed nothing.
 */
export function rgbToGrey<T extends Uint8Array | Uint16Array>(rgb: ArrayLike<number>, n: number, out: T): boolean {
  let allEqual = true;
  for (let i = 0, j = 0; i < n; i++, j += 3) {
    const r = rgb[j]!, g = rgb[j + 1]!, b = rgb[j + 2]!;
    if (r !== g || g !== b) allEqual = false;
    out[i] = Math.floor((r + g + b) / 3 + 0.5);
  }
  return allEqual;
}

/** What to state about colour → grey: null when the colour channels were identical everywhere. */
function conversionNote(allEqual: boolean): string | null {
  return allEqual ? null : GREY_CONVERSION;
}

async function readBmp(file: string, page: number, maxPixels: number): Promise<DecodedImage> {
  checkPage(file, page, 1);
  const { readFile } = await import('node:fs/promises');
  const buf = await readFile(file);
  if (buf.length < 54) throw new VoidscopeError('ECORRUPT', 'BMP file is truncated (shorter than its header)', { file });
  const width = buf.readInt32LE(18);
  const height = Math.abs(buf.readInt32LE(22));
  const bpp = buf.readUInt16LE(28);
  checkSize(file, width, height, maxPixels);
  const offset = buf.readUInt32LE(10);
  const compression = buf.readUInt32LE(30);
  if (compression === 0 || compression === 3) {
    const rowBytes = Math.ceil((width * bpp) / 32) * 4;
    if (offset + rowBytes * height > buf.length) {
      throw new VoidscopeError('ECORRUPT', `BMP file is truncated (pixel data needs ${offset + rowBytes * height} bytes, file has ${buf.length})`, { file });
    }
  } else if (compression === 1 || compression === 2) {
    // Run-length data: the decoder allocates width × height × 4 bytes up front, so a tiny file must
    // not declare a huge image. A run codes at most 255 pixels in 2 bytes.
    const data = Math.max(0, buf.length - offset);
    if (width * height > 128 * data + 65536) {
      throw new VoidscopeError('ECORRUPT', `BMP run-length data (${data} bytes) is far too short for ${width}×${height} pixels`, { file });
    }
  } else {
    throw new VoidscopeError('EUNSUPPORTED', `BMP compression ${compression}${compression === 4 ? ' (embedded JPEG)' : compression === 5 ? ' (embedded PNG)' : ''} is not supported`, { file });
  }
  let decoded;
  try {
    decoded = decodeBmp(buf, { toRGBA: false }); // ABGR layout (bmp-ts's toRGBA path mis-writes alpha for palettes)
  } catch (e) {
    throw new VoidscopeError('ECORRUPT', `cannot decode BMP: ${(e as Error).message}`, { file, cause: e });
  }
  const n = width * height;
  const d = decoded.data;
  const rgb = new Uint8Array(n * 3);
  for (let i = 0, j = 0; i < n; i++, j += 4) {
    rgb[3 * i] = d[j + 3]!; // ABGR → RGB
    rgb[3 * i + 1] = d[j + 2]!;
    rgb[3 * i + 2] = d[j + 1]!;
  }
  const grey = new Uint8Array(n);
  const same = rgbToGrey(rgb, n, grey);
  return {
    file, format: 'bmp', raster: createRaster(width, height, grey), pages: 1, page, channels: bpp <= 8 && same ? 1 : 3,
    greyConversion: conversionNote(same),
  };
}

/** Bytes per decoded sample geotiff may hold at most for one page (its output arrays). */
const GEOTIFF_MAX_BYTES = 2 ** 31;

async function readTiffWithGeotiff(file: string, buf: Buffer | null, structure: TiffStructure, page: number, maxPixels: number): Promise<DecodedImage> {
  const info = structure.pages[page]!;
  checkSize(file, info.width, info.height, maxPixels);
  if (structure.problems.length > 0) throw new VoidscopeError('ECORRUPT', `corrupt TIFF: ${structure.problems[0]}`, { file });
  let bytesPerPixel = 0;
  for (const b of info.bitsPerSample) bytesPerPixel += Math.ceil(b / 8);
  if (info.width * info.height * bytesPerPixel > GEOTIFF_MAX_BYTES) {
    throw new VoidscopeError('ETOOLARGE', `page of ${info.width}×${info.height} pixels × ${info.samplesPerPixel} samples is too large for the fallback TIFF decoder`, { file });
  }
  const bytes = buf ?? (await readFile(file));
  const { width, height, spp, rasters } = await decodeTiffInWorker(bytes, page, file);
  if (width !== info.width || height !== info.height || rasters.length < 1) {
    throw new VoidscopeError('ECORRUPT', `cannot decode TIFF: the decoder returned ${width}×${height} for a ${info.width}×${info.height} page`, { file });
  }
  const n = width * height;
  for (const r of rasters) if (r.length < n) throw new VoidscopeError('ECORRUPT', 'cannot decode TIFF: short pixel data', { file });
  const notes: string[] = [];
  if (info.photometric === 0) notes.push(MIN_IS_WHITE_NOTE);
  if (info.extraSamples.includes(1)) notes.push(ASSOCIATED_ALPHA_NOTE);
  if (info.photometric === 3) notes.push(PALETTE_NOTE);
  const first = rasters[0]!;
  const colourSamples = spp - info.extraSamples.length;
  if (colourSamples >= 3 && info.photometric !== 0 && info.photometric !== 1 && rasters.length >= 3) {
    const out = new Float64Array(n);
    const [r, g, b] = [rasters[0]!, rasters[1]!, rasters[2]!];
    let same = true;
    for (let i = 0; i < n; i++) {
      const R = r[i]!, G = g[i]!, B = b[i]!;
      if (R !== G || G !== B) same = false;
      out[i] = Math.floor((R + G + B) / 3 + 0.5);
    }
    return {
      file, format: 'tiff', raster: createRaster(width, height, toNativeArray(out, first)), pages: structure.pages.length, page, channels: spp,
      greyConversion: conversionNote(same), ...(notes.length ? { notes } : {}),
    };
  }
  return {
    file, format: 'tiff', raster: createRaster(width, height, toNativeArray(first, first)), pages: structure.pages.length, page, channels: spp,
    greyConversion: null, ...(notes.length ? { notes } : {}),
  };
}

function toNativeArray(values: ArrayLike<number>, like: ArrayLike<number>): PixelData {
  if (like instanceof Uint8Array) return Uint8Array.from(values);
  if (like instanceof Uint16Array) return Uint16Array.from(values);
  if (like instanceof Uint32Array) return Uint32Array.from(values);
  if (like instanceof Float32Array || like instanceof Int8Array || like instanceof Int16Array) return Float32Array.from(values);
  return Float64Array.from(values);
}
