/**
 * TIFF structure pre-check: walk every IFD (the page chain and SubIFDs) before sharp or geotiff
 * see the bytes, with a visited set and hard limits, so that a hostile or broken file ends in one
 * VoidscopeError in bounded time and memory instead of a hang, a multi-GB allocation or a native
 * crash. Hand-written because neither decoder offers limits: geotiff follows an IFD chain that
 * loops back on itself forever (libtiff's `test_ifd_loop_to_self.tif`), allocates whatever a tag
 * count declares, and libvips' libtiff crashes the process (SIGTRAP) on old-style LZW
 * (libtiff's `quad-lzw-compat.tiff`).
 *
 * Two levels:
 * - `checkTiffStructure(buf, file)`: ECORRUPT for anything structurally impossible, for every page:
 *   IFD offsets outside the file, an IFD chain or SubIFD tree that loops, more than
 *   `maxPages` pages or `maxEntries` directory entries, a pixel-layout tag of an impossible type
 *   or count, a value array running past the end of the file, zero or absurd dimensions,
 *   tile/strip tables whose length does not match the declared layout. It reads no pixel data
 *   (except the first two bytes of LZW chunks, to detect the old bit order).
 * - `assertTiffPageSupported(structure, page, file)`: EUNSUPPORTED for valid layouts voidscope
 *   does not decode (compressions other than none, CCITT, LZW, JPEG, deflate, PackBits, zstd,
 *   WebP; old-style LZW and old-style JPEG; the floating-point predictor; float64 colour;
 *   CMYK, CIELab/ICCLab/ITULab, LogLuv and other photometric interpretations; complex samples).
 *
 * Both are pure functions of the bytes (the file name only labels errors).
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { VoidscopeError } from '../errors.js';

export interface TiffLimits {
  /** Pages (IFDs in the main chain) at most. */
  maxPages: number;
  /** Directory entries over all IFDs (main chain and SubIFDs) at most. */
  maxEntries: number;
  /** Entries in one IFD at most. */
  maxEntriesPerIfd: number;
  /** Tiles or strips in one page at most. */
  maxChunks: number;
  /** Width or height at most. */
  maxDimension: number;
  /** SubIFD nesting depth at most. */
  maxSubIfdDepth: number;
}

export const DEFAULT_TIFF_LIMITS: TiffLimits = {
  maxPages: 65_536,
  maxEntries: 4_000_000,
  maxEntriesPerIfd: 4_096,
  maxChunks: 16_777_216,
  maxDimension: 1 << 30,
  maxSubIfdDepth: 4,
};

export interface TiffPageInfo {
  /** Byte offset of the IFD. */
  offset: number;
  width: number;
  height: number;
  samplesPerPixel: number;
  bitsPerSample: number[];
  /** SampleFormat per sample (1 uint, 2 int, 3 float, ...). */
  sampleFormat: number[];
  compression: number;
  /** PhotometricInterpretation, or null when absent. */
  photometric: number | null;
  planarConfig: number;
  predictor: number;
  /** ExtraSamples values (0 unspecified, 1 associated alpha, 2 unassociated alpha). */
  extraSamples: number[];
  tiled: boolean;
  /** Number of tiles or strips (all planes). */
  chunks: number;
  /** Whether an ICC profile (tag 34675) is embedded. */
  hasIccProfile: boolean;
  /** The old-style (pre-TIFF 6.0, LSB-first) LZW bit order was found in at least one chunk. */
  oldStyleLzw: boolean;
  /** Non-fatal oddities (a non-layout tag pointing past the end of the file, missing byte counts, ...). */
  problems: string[];
  /**
   * Why the stored pixel data cannot hold this page (uncompressed chunks shorter than the layout;
   * compressed data more than 4096 times smaller than the page), or null. Decoders allocate the
   * whole page first, so such a page is refused (ECORRUPT) before decoding.
   */
  dataProblem: string | null;
}

export interface TiffStructure {
  littleEndian: boolean;
  bigTiff: boolean;
  pages: TiffPageInfo[];
  /** IFDs reached through SubIFDs (checked, not listed as pages). */
  subIfds: number;
  /** Whether any page has a problem that makes the file unsafe for geotiff. */
  problems: string[];
}

/** Random access to the bytes being checked (a buffer, or a file read on demand). */
interface Bytes {
  size: number;
  read(offset: number, length: number): Uint8Array;
}

const TYPE_SIZE: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 13: 4, 16: 8, 17: 8, 18: 8 };

/** Compressions the decoders handle (sharp/libvips' libtiff; geotiff for the rare fallback). */
const SUPPORTED_COMPRESSION = new Set([1, 2, 3, 4, 5, 7, 8, 32773, 32946, 50000, 50001]);
const COMPRESSION_NAME: Record<number, string> = {
  6: 'old-style JPEG (compression 6)',
  34925: 'LZMA (compression 34925)',
  34712: 'JPEG 2000 (compression 34712)',
  33003: 'JPEG 2000 (compression 33003)',
  33005: 'JPEG 2000 (compression 33005)',
  34887: 'LERC (compression 34887)',
  34892: 'lossy JPEG (compression 34892)',
  32809: 'ThunderScan (compression 32809)',
  32766: 'NeXT (compression 32766)',
  34676: 'SGI LogLuv (compression 34676)',
  34677: 'SGI LogLuv (compression 34677)',
  32947: 'Kodak DCS (compression 32947)',
  34661: 'JBIG (compression 34661)',
};
const PHOTOMETRIC_NAME: Record<number, string> = {
  4: 'transparency mask (PhotometricInterpretation 4)',
  5: 'CMYK / separated (PhotometricInterpretation 5)',
  8: 'CIELab (PhotometricInterpretation 8)',
  9: 'ICCLab (PhotometricInterpretation 9)',
  10: 'ITULab (PhotometricInterpretation 10)',
  32803: 'colour filter array (PhotometricInterpretation 32803)',
  32844: 'LogL (PhotometricInterpretation 32844)',
  32845: 'LogLuv (PhotometricInterpretation 32845)',
  34892: 'linear raw (PhotometricInterpretation 34892)',
};
/** Photometric interpretations voidscope decodes: min-is-white, min-is-black, RGB, palette, YCbCr. */
const SUPPORTED_PHOTOMETRIC = new Set([0, 1, 2, 3, 6]);

/** Tags that describe the pixel layout: they must have an integer type and lie inside the file. */
const LAYOUT_TAGS = new Set([256, 257, 258, 259, 262, 273, 277, 278, 279, 284, 317, 322, 323, 324, 325, 330, 338, 339]);
const INTEGER_TYPES = new Set([1, 3, 4, 13, 16, 18]);

/** Check a whole TIFF held in memory. Throws VoidscopeError ECORRUPT; returns the page layout. */
export function checkTiffStructure(buf: Uint8Array, file: string, limits: Partial<TiffLimits> = {}): TiffStructure {
  return walk({ size: buf.length, read: (o, n) => buf.subarray(o, o + n) }, file, { ...DEFAULT_TIFF_LIMITS, ...limits });
}

/** The same check reading the file on demand (for files too large to hold in memory). */
export function checkTiffFileStructure(file: string, limits: Partial<TiffLimits> = {}): TiffStructure {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    const read = (o: number, n: number): Uint8Array => {
      const len = Math.max(0, Math.min(n, size - o));
      const b = new Uint8Array(len);
      if (len > 0) readSync(fd, b, 0, len, o);
      return b;
    };
    return walk({ size, read }, file, { ...DEFAULT_TIFF_LIMITS, ...limits });
  } finally {
    closeSync(fd);
  }
}

interface Entry {
  tag: number;
  type: number;
  count: number;
  /** Where the value bytes are (inline in the entry or out of line). */
  at: number;
  /** Whether [at, at + count·size) lies inside the file. */
  inFile: boolean;
}

function walk(src: Bytes, file: string, lim: TiffLimits): TiffStructure {
  const corrupt = (msg: string): never => {
    throw new VoidscopeError('ECORRUPT', `corrupt TIFF: ${msg}`, { file });
  };
  if (src.size < 8) corrupt(`only ${src.size} bytes, shorter than the 8-byte header`);
  const h = src.read(0, 16);
  const le = h[0] === 0x49 && h[1] === 0x49;
  if (!le && !(h[0] === 0x4d && h[1] === 0x4d)) corrupt('no II/MM byte-order mark');
  const dv = (b: Uint8Array): DataView => new DataView(b.buffer, b.byteOffset, b.byteLength);
  const hv = dv(h);
  const magic = hv.getUint16(2, le);
  if (magic !== 42 && magic !== 43) corrupt(`version ${magic}, expected 42 (TIFF) or 43 (BigTIFF)`);
  const big = magic === 43;
  if (big && (src.size < 16 || hv.getUint16(4, le) !== 8 || hv.getUint16(6, le) !== 0)) corrupt('BigTIFF header is malformed');
  const u64 = (v: DataView, o: number): number => {
    const hi = v.getUint32(o + (le ? 4 : 0), le);
    const lo = v.getUint32(o + (le ? 0 : 4), le);
    return hi * 4294967296 + lo; // exact below 2^53; larger values fail every bound check below
  };
  const first = big ? u64(hv, 8) : hv.getUint32(4, le);

  const visited = new Set<number>();
  let entriesSeen = 0;
  let subIfdCount = 0;
  const problems: string[] = [];

  const readIfd = (offset: number, what: string): { entries: Entry[]; next: number } => {
    const countSize = big ? 8 : 2;
    const entrySize = big ? 20 : 12;
    const ptrSize = big ? 8 : 4;
    if (offset < (big ? 16 : 8) || offset + countSize > src.size) corrupt(`${what}: IFD offset ${offset} lies outside the file (${src.size} bytes)`);
    const cb = dv(src.read(offset, countSize));
    const n = big ? u64(cb, 0) : cb.getUint16(0, le);
    if (n === 0) corrupt(`${what}: IFD at offset ${offset} has no entries`);
    if (n > lim.maxEntriesPerIfd) corrupt(`${what}: IFD at offset ${offset} declares ${n} entries (limit ${lim.maxEntriesPerIfd})`);
    entriesSeen += n;
    if (entriesSeen > lim.maxEntries) corrupt(`more than ${lim.maxEntries} directory entries in all`);
    const end = offset + countSize + n * entrySize;
    if (end > src.size) corrupt(`${what}: IFD at offset ${offset} with ${n} entries runs past the end of the file (${src.size} bytes)`);
    const raw = dv(src.read(offset + countSize, n * entrySize + ptrSize));
    const entries: Entry[] = [];
    for (let i = 0; i < n; i++) {
      const e = i * entrySize;
      const tag = raw.getUint16(e, le);
      const type = raw.getUint16(e + 2, le);
      const count = big ? u64(raw, e + 4) : raw.getUint32(e + 4, le);
      const size = TYPE_SIZE[type];
      const inlineBytes = big ? 8 : 4;
      if (size === undefined || (!big && type >= 16)) {
        if (LAYOUT_TAGS.has(tag)) corrupt(`${what}: tag ${tag} has an unknown field type ${type}`);
        if (problems.length < 50) problems.push(`${what}: tag ${tag} has an unknown field type ${type}`);
        continue;
      }
      const bytes = count * size;
      const valueOff = e + (big ? 12 : 8);
      const at = bytes <= inlineBytes ? offset + countSize + valueOff : big ? u64(raw, valueOff) : raw.getUint32(valueOff, le);
      const inFile = Number.isSafeInteger(bytes) && at + bytes <= src.size;
      if (!inFile) {
        if (LAYOUT_TAGS.has(tag)) corrupt(`${what}: tag ${tag} declares ${count} values at offset ${at}, past the end of the file (${src.size} bytes)`);
        if (problems.length < 50) problems.push(`${what}: tag ${tag} declares ${count} values past the end of the file`);
      }
      if (LAYOUT_TAGS.has(tag) && !INTEGER_TYPES.has(type)) corrupt(`${what}: tag ${tag} has field type ${type}, expected an integer type`);
      entries.push({ tag, type, count, at, inFile });
    }
    // A next-IFD pointer cut off by the end of the file ends the chain (as libtiff reads it).
    const next = raw.byteLength < n * entrySize + ptrSize ? 0 : big ? u64(raw, n * entrySize) : raw.getUint32(n * entrySize, le);
    return { entries, next };
  };

  /** Integer values of an entry (at most `max` of them). */
  const ints = (e: Entry, max: number): number[] => {
    const n = Math.min(e.count, max);
    const size = TYPE_SIZE[e.type]!;
    const v = dv(src.read(e.at, n * size));
    const out: number[] = [];
    for (let i = 0; i < n; i++) {
      const o = i * size;
      out.push(size === 1 ? v.getUint8(o) : size === 2 ? v.getUint16(o, le) : size === 4 ? v.getUint32(o, le) : u64(v, o));
    }
    return out;
  };

  const pages: TiffPageInfo[] = [];

  /** IFDs of the main chain: a SubIFD chain reaching one of them loops. */
  const mainChain = new Set<number>();

  /**
   * Walk the SubIFD chains listed by one IFD. A chain that comes back to itself, to an ancestor or
   * to the main chain loops (ECORRUPT); one that reaches an IFD another chain already walked (Pillow's
   * child_ifd.tiff lists a chain's second IFD again) stops there.
   */
  const visitSubIfds = (offsets: number[], depth: number, what: string, ancestors: ReadonlySet<number>): void => {
    if (depth > lim.maxSubIfdDepth) corrupt(`${what}: SubIFDs nested deeper than ${lim.maxSubIfdDepth}`);
    for (const o of offsets) {
      let off = o;
      let k = 0;
      const chain = new Set<number>();
      while (off !== 0) {
        if (chain.has(off) || ancestors.has(off) || mainChain.has(off)) corrupt(`${what}: SubIFD chain loops back to the IFD at offset ${off}`);
        if (visited.has(off)) break;
        visited.add(off);
        chain.add(off);
        if (++subIfdCount > lim.maxPages) corrupt(`more than ${lim.maxPages} SubIFDs`);
        const sub = `${what} SubIFD ${k++}`;
        const { entries, next } = readIfd(off, sub);
        const s = entries.find((e) => e.tag === 330);
        if (s) visitSubIfds(ints(s, lim.maxPages), depth + 1, sub, new Set([...ancestors, ...chain]));
        off = next;
      }
    }
  };

  let offset = first;
  while (offset !== 0) {
    const what = `page ${pages.length}`;
    if (visited.has(offset)) corrupt(`the IFD chain loops: ${what} points back to the IFD at offset ${offset}`);
    visited.add(offset);
    mainChain.add(offset);
    if (pages.length >= lim.maxPages) corrupt(`more than ${lim.maxPages} pages`);
    const { entries, next } = readIfd(offset, what);
    pages.push(pageInfo(entries, offset, what));
    const s = entries.find((e) => e.tag === 330);
    if (s) visitSubIfds(ints(s, lim.maxPages), 1, what, new Set([offset]));
    offset = next;
  }
  if (pages.length === 0) corrupt('no pages');
  for (const p of pages) for (const x of p.problems) if (problems.length < 50) problems.push(x);

  function pageInfo(entries: Entry[], offset: number, what: string): TiffPageInfo {
    const byTag = new Map<number, Entry>();
    for (const e of entries) byTag.set(e.tag, e);
    const pageProblems: string[] = [];
    const one = (tag: number, dflt: number | null): number | null => {
      const e = byTag.get(tag);
      if (!e) return dflt;
      if (e.count < 1) corrupt(`${what}: tag ${tag} has no value`);
      return ints(e, 1)[0]!;
    };
    const width = one(256, null);
    const height = one(257, null);
    if (width === null || height === null) corrupt(`${what}: no ImageWidth/ImageLength`);
    if (!(width! >= 1 && height! >= 1)) corrupt(`${what}: image size ${width}×${height}`);
    if (width! > lim.maxDimension || height! > lim.maxDimension) corrupt(`${what}: image size ${width}×${height} is beyond any real image`);
    const spp = one(277, 1)!;
    if (spp < 1 || spp > 1024) corrupt(`${what}: ${spp} samples per pixel`);
    const bpsE = byTag.get(258);
    const bitsPerSample = bpsE ? ints(bpsE, Math.min(spp, 1024)) : [1];
    while (bitsPerSample.length < spp) bitsPerSample.push(bitsPerSample[bitsPerSample.length - 1]!);
    if (bitsPerSample.some((b) => b < 1 || b > 64)) corrupt(`${what}: bits per sample ${bitsPerSample.slice(0, 8).join(',')}`);
    const sfE = byTag.get(339);
    const sampleFormat = sfE ? ints(sfE, Math.min(spp, 1024)) : [1];
    while (sampleFormat.length < spp) sampleFormat.push(sampleFormat[sampleFormat.length - 1]!);
    const compression = one(259, 1)!;
    const photometric = one(262, null);
    const planarConfig = one(284, 1)!;
    if (planarConfig !== 1 && planarConfig !== 2) corrupt(`${what}: PlanarConfiguration ${planarConfig}`);
    const predictor = one(317, 1)!;
    const esE = byTag.get(338);
    const extraSamples = esE ? ints(esE, 64) : [];
    const planes = planarConfig === 2 ? spp : 1;

    const tiled = byTag.has(322) || byTag.has(323) || byTag.has(324) || byTag.has(325);
    let chunks: number;
    let offE: Entry | undefined;
    let cntE: Entry | undefined;
    if (tiled) {
      const tw = one(322, null);
      const th = one(323, null);
      if (tw === null || th === null || !(tw >= 1 && th >= 1)) corrupt(`${what}: tiled, but TileWidth/TileLength is missing or zero`);
      chunks = Math.ceil(width! / tw!) * Math.ceil(height! / th!) * planes;
      offE = byTag.get(324) ?? byTag.get(273);
      cntE = byTag.get(325) ?? byTag.get(279);
      if (!offE) corrupt(`${what}: tiled, but no TileOffsets`);
      if (chunks > lim.maxChunks) corrupt(`${what}: ${chunks} tiles declared (${width}×${height} in ${tw}×${th} tiles)`);
      if (offE!.count !== chunks) corrupt(`${what}: the layout needs ${chunks} tiles, but TileOffsets has ${offE!.count}`);
      if (cntE && cntE.count !== chunks) corrupt(`${what}: the layout needs ${chunks} tiles, but TileByteCounts has ${cntE.count}`);
    } else {
      const rps = Math.min(one(278, 0xffffffff)!, height!);
      if (rps < 1) corrupt(`${what}: RowsPerStrip is 0`);
      chunks = Math.ceil(height! / rps) * planes;
      offE = byTag.get(273);
      cntE = byTag.get(279);
      if (!offE) corrupt(`${what}: no StripOffsets`);
      if (chunks > lim.maxChunks) corrupt(`${what}: ${chunks} strips declared`);
      // libtiff tolerates a strip table of another length (it adjusts); geotiff does not.
      if (offE!.count !== chunks) pageProblems.push(`${what}: the layout needs ${chunks} strips, but StripOffsets has ${offE!.count}`);
      if (cntE && cntE.count !== offE!.count) pageProblems.push(`${what}: StripOffsets has ${offE!.count} values but StripByteCounts ${cntE.count}`);
    }
    if (!cntE) pageProblems.push(`${what}: no byte counts for its ${tiled ? 'tiles' : 'strips'}`);

    // Chunk extents (bounded by the table lengths, which lie inside the file) and the LZW bit order.
    let oldStyleLzw = false;
    let outside = 0;
    const nChunks = offE!.count;
    const offs = ints(offE!, nChunks);
    const cnts = cntE ? ints(cntE, nChunks) : null;
    for (let i = 0; i < offs.length; i++) {
      const o = offs[i]!;
      const c = cnts ? cnts[i] ?? 0 : 0;
      if (c === 0) continue;
      if (o + c > src.size) {
        outside++;
        continue;
      }
      if (compression === 5 && c >= 2) {
        const b = src.read(o, 2);
        // libtiff LZWPreDecode: a chunk starting 0x00 with bit 0 of the next byte set is the old, LSB-first code order.
        if (b[0] === 0 && (b[1]! & 1) === 1) oldStyleLzw = true;
      }
    }
    if (outside > 0) pageProblems.push(`${what}: ${outside} of ${offs.length} ${tiled ? 'tiles' : 'strips'} run past the end of the file`);

    // Can the stored bytes hold the page? (libtiff would find out only after the page is allocated.)
    let dataProblem: string | null = null;
    if (cnts) {
      let bitsPerPixel = 0;
      for (const b of bitsPerSample) bitsPerPixel += b;
      const pageBytes = (width! * height! * bitsPerPixel) / 8;
      let stored = 0;
      for (const c of cnts) stored += c;
      if (compression === 1 && !tiled) {
        const rps = Math.min(one(278, 0xffffffff)!, height!);
        const perPlane = Math.ceil(height! / rps);
        const rowBits = width! * (planarConfig === 2 ? bitsPerSample[0]! : bitsPerPixel);
        for (let i = 0; i < cnts.length && i < perPlane * planes && dataProblem === null; i++) {
          const rows = Math.min(rps, height! - (i % perPlane) * rps);
          const need = Math.ceil((rowBits * rows) / 8);
          if (cnts[i]! < need) dataProblem = `${what}: uncompressed strip ${i} holds ${cnts[i]} bytes, its ${rows} rows of ${width} pixels need ${need}`;
        }
      } else if (compression !== 1 && pageBytes > stored * 4096 + (1 << 20)) {
        dataProblem = `${what}: ${stored} bytes of compressed data cannot hold a ${width}×${height} page of ${pageBytes} bytes`;
      }
    }
    return {
      offset, width: width!, height: height!, samplesPerPixel: spp, bitsPerSample, sampleFormat, compression, photometric,
      planarConfig, predictor, extraSamples, tiled, chunks, hasIccProfile: byTag.has(34675), oldStyleLzw, problems: pageProblems, dataProblem,
    };
  }

  return { littleEndian: le, bigTiff: big, pages, subIfds: subIfdCount, problems };
}

/**
 * Refuse a page voidscope cannot decode faithfully, before any decoder touches it: EUNSUPPORTED
 * naming the layout and what to do instead.
 */
export function assertTiffPageSupported(s: TiffStructure, page: number, file: string): void {
  const p = s.pages[page];
  if (!p) return; // the page count is checked by the caller (EOPTION)
  const unsupported = (what: string): never => {
    throw new VoidscopeError('EUNSUPPORTED', `${what} is not supported; convert the image to an uncompressed or LZW/deflate grey or RGB TIFF first`, { file });
  };
  if (!SUPPORTED_COMPRESSION.has(p.compression)) unsupported(COMPRESSION_NAME[p.compression] ?? `compression ${p.compression}`);
  if (p.oldStyleLzw) unsupported('old-style (pre-TIFF 6.0) LZW');
  if (p.predictor === 3) unsupported('the floating-point predictor (Predictor 3)');
  if (p.predictor !== 1 && p.predictor !== 2) unsupported(`Predictor ${p.predictor}`);
  // libvips cannot undo horizontal differencing of floats (libtiff's test_float64_predictor2_*_lzw.tif: "samples out of range").
  if (p.predictor === 2 && (p.sampleFormat[0] ?? 1) === 3 && p.compression !== 1) unsupported('the horizontal predictor on floating-point samples');
  const photometric = p.photometric ?? (p.samplesPerPixel >= 3 ? 2 : 1);
  if (!SUPPORTED_PHOTOMETRIC.has(photometric)) unsupported(PHOTOMETRIC_NAME[photometric] ?? `PhotometricInterpretation ${photometric}`);
  const fmt = p.sampleFormat[0] ?? 1;
  if (fmt !== 1 && fmt !== 2 && fmt !== 3 && fmt !== 4) unsupported(`SampleFormat ${fmt} (complex or unknown samples)`);
  const colourSamples = p.samplesPerPixel - p.extraSamples.length;
  if (fmt === 3 && p.bitsPerSample[0] === 64 && colourSamples >= 3) unsupported('float64 colour');
  if (fmt === 3 && p.bitsPerSample[0] !== 32 && p.bitsPerSample[0] !== 64) unsupported(`${p.bitsPerSample[0]}-bit floating-point samples`);
}

/**
 * The check to run before geotiff parses a TIFF (the metadata reader's tags): the structure check,
 * plus ECORRUPT for the oddities libtiff tolerates but geotiff does not bound (a tag whose values
 * run past the end of the file makes geotiff allocate or loop on its declared count; an unknown
 * field type). Pure; `file` only labels the error.
 */
export function checkTiffForGeotiff(buf: Uint8Array, file: string): TiffStructure {
  const s = checkTiffStructure(buf, file);
  if (s.problems.length > 0) throw new VoidscopeError('ECORRUPT', `corrupt TIFF: ${s.problems[0]}`, { file });
  return s;
}

/** `checkTiffForGeotiff` reading the file on demand (for callers that hold no buffer). */
export function checkTiffFileForGeotiff(file: string): TiffStructure {
  const s = checkTiffFileStructure(file);
  if (s.problems.length > 0) throw new VoidscopeError('ECORRUPT', `corrupt TIFF: ${s.problems[0]}`, { file });
  return s;
}
