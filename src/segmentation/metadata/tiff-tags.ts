/**
 * Read the metadata tags of one TIFF page with geotiff (the only place this module touches a
 * TIFF). Values come back as text (ASCII tags, byte tags decoded by `decodeText`) or numbers.
 */
import { fromFile } from 'geotiff';
import type { GeoTIFF } from 'geotiff';
import { open } from 'node:fs/promises';
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

const SKIP = new Set([273, 279, 324, 325, 320, 34665, 34853, 700, 33723, 34377, 50838, 50839, 347]);
const MAX_TEXT = 4 << 20;

export interface TiffTagReader {
  pageCount: number;
  readPage(page: number): Promise<TiffPageTags>;
  /** Raw bytes of the file (for tags that point into the file, e.g. Olympus 33560). */
  readAt(offset: number, length: number): Promise<Uint8Array>;
  close(): Promise<void>;
}

export async function openTiffTags(file: string): Promise<TiffTagReader> {
  const tiff: GeoTIFF = await fromFile(file);
  const fh = await open(file, 'r');
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
        if (typeof v === 'string') text.set(id, v.replace(/\u0000+$/u, ''));
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
