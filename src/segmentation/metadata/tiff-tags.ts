/**
 * Read the metadata tags of one TIFF page with geotiff (the only place this module touches a
 * TIFF). Values come back as text (ASCII tags, byte tags decoded by `decodeText`) or numbers.
 */
import { fromArrayBuffer, fromFile } from 'geotiff';
import type { GeoTIFF } from 'geotiff';
import { open } from 'node:fs/promises';
import { checkTiffFileForGeotiff, checkTiffForGeotiff } from '../../raster/tiff-structure.js';
import { decodeText } from './text.js';

/** Vendor tags read by voidscope. */
export const TAG = {
  ImageDescription: 270,
  Make: 271,
  Model: 272,
  XResolution: 282,
  YResolution: 283,
  ResolutionUnit: 296,
  Software: 305,
  ZeissCzSem: 34118,
  FeiSfeg: 34680,
  FeiHelios: 34682,
  FeiXml: 34683,
  OlympusSis: 33560,
  HitachiXpComment: 40092,
  Fibics: 51023,
} as const;

export interface TiffPageTags {
  page: number;
  width: number;
  height: number;
  /** Tag id → decoded text (ASCII/BYTE/UNDEFINED tags). */
  text: Map<number, string>;
  /** Tag id → numbers (SHORT/LONG/RATIONAL... tags; rationals as [num, den, ...]). */
  numbers: Map<number, number[]>;
}

// Pixel layout, colour maps, EXIF/GPS/XMP/IPTC/Photoshop, ImageJ binary, JPEG tables, and the UTF-16
// duplicate of the Zeiss block (34119): never needed for calibration.
const SKIP = new Set([273, 279, 324, 325, 320, 34665, 34853, 700, 33723, 34377, 50838, 50839, 347, 34119]);
const MAX_TEXT = 4 << 20;

export interface TiffTagReader {
  pageCount: number;
  readPage(page: number): Promise<TiffPageTags>;
  /** Raw bytes of the file (for tags that point into the file, e.g. Olympus 33560). */
  readAt(offset: number, length: number): Promise<Uint8Array>;
  close(): Promise<void>;
}

/** Random access to the file's bytes: the open file, or the bytes already read by readImage. */
interface ByteSource {
  read(buf: Buffer, offset: number, length: number, position: number): Promise<{ bytesRead: number }>;
  close(): Promise<void>;
}

function bytesSource(bytes: Uint8Array): ByteSource {
  return {
    async read(buf, offset, length, position) {
      const end = Math.min(bytes.length, Math.max(0, position) + length);
      const n = Math.max(0, end - Math.max(0, position));
      if (n > 0) buf.set(bytes.subarray(position, end), offset);
      return { bytesRead: n };
    },
    async close() {},
  };
}

/**
 * Open a TIFF's tags: from `bytes` when the file is already in memory (readImage read it: no
 * second read of the file), else from the file.
 */
export async function openTiffTags(file: string, bytes?: Uint8Array): Promise<TiffTagReader> {
  // geotiff has no limits of its own (IFD loops, huge counts, values past the end): the structure is
  // checked first and a bad file ends here in ECORRUPT / EUNSUPPORTED (raster/tiff-structure.ts).
  if (bytes) checkTiffForGeotiff(bytes, file);
  else checkTiffFileForGeotiff(file);
  let tiff: GeoTIFF;
  let fh: ByteSource;
  if (bytes) {
    // geotiff takes an ArrayBuffer: the file's own when the bytes span it (a readFile buffer), else a copy.
    const ab =
      bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer
        ? bytes.buffer
        : bytes.slice().buffer;
    tiff = await fromArrayBuffer(ab);
    fh = bytesSource(bytes);
  } else {
    tiff = await fromFile(file);
    fh = await open(file, 'r');
  }
  const pageCount = await tiff.getImageCount();
  return {
    pageCount,
    async readPage(page: number): Promise<TiffPageTags> {
      const img = await tiff.getImage(page);
      const fd = img.fileDirectory;
      const ids = new Set<number>();
      for (const m of [fd.actualizedFields, fd.deferredFields, fd.deferredArrays] as Map<string | number, unknown>[]) {
        for (const k of m.keys()) if (typeof k === 'number') ids.add(k);
      }
      const text = new Map<number, string>();
      const numbers = new Map<number, number[]>();
      for (const id of ids) {
        if (SKIP.has(id)) continue;
        let v: unknown;
        try {
          v = await fd.loadValue(id);
        } catch {
          continue;
        }
        if (typeof v === 'string') {
          // geotiff decodes ASCII tags as UTF-8; Zeiss/JEOL write Latin-1 ("µ" = 0xB5), which comes
          // out as U+FFFD. Re-read the raw bytes and decode them properly in that case.
          const raw = v.includes('\uFFFD') ? await rawTagBytes(fh, page, id).catch(() => null) : null;
          text.set(id, (raw ? decodeText(raw) : v).replace(/\u0000+$/u, ''));
        }
        else if (typeof v === 'number') numbers.set(id, [v]);
        else if (v instanceof Uint8Array) {
          if (v.length <= MAX_TEXT) text.set(id, decodeText(v));
        } else if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
          const arr = v as unknown as ArrayLike<number | bigint>;
          if (arr.length <= 64) numbers.set(id, Array.from(arr, Number));
        } else if (Array.isArray(v) && v.length <= 64 && v.every((x) => typeof x === 'number')) numbers.set(id, v as number[]);
      }
      return { page, width: img.getWidth(), height: img.getHeight(), text, numbers };
    },
    async readAt(offset: number, length: number): Promise<Uint8Array> {
      const buf = Buffer.alloc(length);
      const { bytesRead } = await fh.read(buf, 0, length, offset);
      return new Uint8Array(buf.buffer, buf.byteOffset, bytesRead);
    },
    async close(): Promise<void> {
      await fh.close().catch(() => undefined);
      await Promise.resolve(tiff.close()).catch(() => undefined);
    },
  };
}

/** A TIFF RATIONAL pair [num, den] → number, or null. */
export function rational(v: number[] | undefined): number | null {
  if (!v || v.length === 0) return null;
  if (v.length === 1) return Number.isFinite(v[0]) ? v[0]! : null;
  const [n, d] = v as [number, number];
  return d > 0 && Number.isFinite(n) ? n / d : null;
}

/**
 * Raw bytes of one tag of page `page`, walking the classic-TIFF IFD chain directly (BigTIFF → null).
 * Hand-written because geotiff exposes only the UTF-8-decoded string of ASCII tags.
 */
async function rawTagBytes(fh: ByteSource, page: number, tag: number): Promise<Uint8Array | null> {
  const read = async (off: number, n: number): Promise<Buffer> => {
    const b = Buffer.alloc(n);
    const { bytesRead } = await fh.read(b, 0, n, off);
    return b.subarray(0, bytesRead);
  };
  const head = await read(0, 8);
  if (head.length < 8) return null;
  const le = head[0] === 0x49;
  const u16 = (b: Buffer, o: number): number => (le ? b.readUInt16LE(o) : b.readUInt16BE(o));
  const u32 = (b: Buffer, o: number): number => (le ? b.readUInt32LE(o) : b.readUInt32BE(o));
  if (u16(head, 2) !== 42) return null;
  let ifd = u32(head, 4);
  for (let p = 0; p < page && ifd !== 0; p++) {
    const n = u16(await read(ifd, 2), 0);
    ifd = u32(await read(ifd + 2 + n * 12, 4), 0);
  }
  if (ifd === 0) return null;
  const n = u16(await read(ifd, 2), 0);
  const entries = await read(ifd + 2, n * 12);
  for (let i = 0; i + 12 <= entries.length; i += 12) {
    if (u16(entries, i) !== tag) continue;
    const type = u16(entries, i + 2);
    const count = u32(entries, i + 4);
    if (![1, 2, 6, 7].includes(type) || count > MAX_TEXT) return null;
    const bytes = count <= 4 ? entries.subarray(i + 8, i + 8 + count) : await read(u32(entries, i + 8), count);
    return new Uint8Array(bytes);
  }
  return null;
}
