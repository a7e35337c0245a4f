/**
 * imzML reader (`.imzML` XML + `.ibd` binary), continuous and processed modes.
 *
 * Hand-written because there is no maintained JavaScript imzML reader on npm (the maintained
 * readers are Python pyimzML, R CardinalIO/Cardinal and Java/C++ tools). The XML is parsed with
 * fast-xml-parser (metadata only: a few hundred bytes per spectrum); binary arrays are read from
 * the .ibd spectrum by spectrum with positioned reads, so ion and TIC images never hold more than
 * one spectrum (plus the shared m/z array of a continuous file) in memory.
 *
 * Rules followed (refdata/sims/FORMATS.md §5, imzML 1.1 specification):
 * - referenceable param groups are resolved for spectra, scans and binary data arrays;
 * - array meaning MS:1000514 m/z / MS:1000515 intensity; data types MS:1000521 f32, MS:1000523 f64,
 *   IMS:1000141 / MS:1000519 int32, IMS:1000142 / MS:1000522 int64; MS:1000576 none / MS:1000574 zlib;
 * - lengths come from IMS:1000103 (external array length) and IMS:1000104 (encoded length),
 *   never from defaultArrayLength (0 in the official examples);
 * - every array must lie inside the .ibd (offset + encoded length ≤ size);
 * - the first 16 bytes of the .ibd must equal the IMS:1000080 UUID; the IMS:1000091 SHA-1 /
 *   IMS:1000090 MD5 checksum is verified when present and the .ibd is ≤ 256 MiB (or on request);
 * - positions IMS:1000050/1000051 are 1-based: pixel (x, y) goes to column x−1, row y−1;
 * - pixel size IMS:1000046 / IMS:1000047 (µm) from scanSettings;
 * - the XML encoding is taken from its declaration (the official examples are ISO-8859-1).
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, readdir } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { XMLParser } from 'fast-xml-parser';
import { VoidscopeError } from '../../errors.js';
import { createRaster } from '../../raster/types.js';
import type { PixelSize } from '../../raster/types.js';
import type { CountRaster, SimsChannel, SimsDataset } from '../types.js';
import { SIMS_MAX_PIXELS, readInput, statInput } from './common.js';

export type ImzmlDataType = 'float32' | 'float64' | 'int32' | 'int64';

export interface ImzmlArrayRef {
  offset: number;
  /** Number of values (IMS:1000103). */
  length: number;
  /** Bytes in the .ibd (IMS:1000104). */
  encodedLength: number;
  dataType: ImzmlDataType;
  compression: 'none' | 'zlib';
}

export interface ImzmlSpectrumRef {
  index: number;
  /** 1-based positions as stored. */
  x: number;
  y: number;
  z: number | null;
  mz: ImzmlArrayRef;
  intensity: ImzmlArrayRef;
  /** MS:1000285 total ion current stated in the XML, when present. */
  statedTic: number | null;
}

export interface ImzmlIndex {
  xmlFile: string;
  ibdFile: string;
  encoding: string;
  mode: 'continuous' | 'processed';
  uuid: string;
  sha1: string | null;
  md5: string | null;
  polarity: 'positive' | 'negative' | null;
  spectrumType: 'profile' | 'centroid' | null;
  referenceableParamGroups: number;
  width: number;
  height: number;
  maxCountX: number | null;
  maxCountY: number | null;
  pixelSize: PixelSize | null;
  spectra: ImzmlSpectrumRef[];
}

/**
 * Largest raster an imzML may imply (16 Mi pixels = 4096 × 4096, 128 MiB per float64 image): SIMS
 * and MSI maps are far smaller, and one stray position must not allocate gigabytes.
 */
export const IMZML_MAX_PIXELS = SIMS_MAX_PIXELS;

const BYTES: Record<ImzmlDataType, number> = { float32: 4, float64: 8, int32: 4, int64: 8 };
const DATA_TYPES: Record<string, ImzmlDataType> = {
  'MS:1000521': 'float32',
  'MS:1000523': 'float64',
  'IMS:1000141': 'int32',
  'IMS:1000142': 'int64',
  'MS:1000519': 'int32',
  'MS:1000522': 'int64',
};

type Node = Record<string, unknown>;
type CvParam = { accession?: string; value?: string; name?: string; unitAccession?: string; unitName?: string };

const ARRAY_TAGS = new Set([
  'cvParam',
  'userParam',
  'referenceableParamGroup',
  'referenceableParamGroupRef',
  'spectrum',
  'scan',
  'binaryDataArray',
  'scanSettings',
  'sourceFile',
]);

export function isImzmlHead(head: string): boolean {
  return /<(indexedmzML|mzML)[\s>]/.test(head) && /imzML|IMS:|imagingMS/i.test(head);
}

/** Decode the XML bytes with the encoding its declaration names (Latin-1 in the official examples). */
export function decodeXml(buf: Buffer): { text: string; encoding: string } {
  const decl = /^\s*<\?xml[^>]*encoding\s*=\s*["']([^"']+)["']/i.exec(buf.subarray(0, 200).toString('latin1'));
  const enc = (decl?.[1] ?? 'utf-8').toLowerCase();
  if (/^(iso-?8859-?1|latin-?1|l1|windows-1252|cp1252|us-ascii|ascii)$/.test(enc)) return { text: buf.toString('latin1'), encoding: enc };
  try {
    return { text: new TextDecoder(enc).decode(buf), encoding: enc };
  } catch {
    return { text: buf.toString('latin1'), encoding: `${enc} (unknown; read as latin1)` };
  }
}

function list<T = Node>(v: unknown): T[] {
  if (v === undefined || v === null) return [];
  return (Array.isArray(v) ? v : [v]) as T[];
}

/** Find the .ibd next to an .imzML (same base name, .ibd in any letter case). */
export async function findIbd(xmlFile: string): Promise<string> {
  const dir = dirname(xmlFile);
  const stem = basename(xmlFile, extname(xmlFile));
  let names: string[] = [];
  try {
    names = await readdir(dir);
  } catch {
    /* reported below */
  }
  const hit = names.find((n) => n.toLowerCase() === `${stem.toLowerCase()}.ibd`);
  if (!hit) throw new VoidscopeError('ENOENT', `no binary file "${stem}.ibd" next to the imzML (both files must share a base name)`, { file: xmlFile });
  return join(dir, hit);
}

/** Parse the imzML XML into an index of spectra (no binary data read). Pure apart from `file` in errors. */
export function parseImzmlXml(xmlFile: string, text: string, ibdFile = ''): Omit<ImzmlIndex, 'encoding'> {
  let doc: Node;
  try {
    const parser = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: '',
      removeNSPrefix: true,
      parseAttributeValue: false,
      parseTagValue: false,
      isArray: (name) => ARRAY_TAGS.has(name),
    });
    doc = parser.parse(text, true) as Node;
  } catch (e) {
    throw new VoidscopeError('EPARSE', `invalid imzML XML: ${(e as Error).message}`, { file: xmlFile, cause: e });
  }
  const mzml = ((doc.indexedmzML as Node | undefined)?.mzML ?? doc.mzML) as Node | undefined;
  if (!mzml) throw new VoidscopeError('EPARSE', 'not an imzML file: no <mzML> root element', { file: xmlFile });

  const groups = new Map<string, CvParam[]>();
  const groupList = list<Node>((mzml.referenceableParamGroupList as Node | undefined)?.referenceableParamGroup);
  for (const g of groupList) groups.set(String(g.id), list<CvParam>(g.cvParam));
  const params = (node: Node | undefined): CvParam[] => {
    if (!node) return [];
    const out = [...list<CvParam>(node.cvParam)];
    for (const ref of list<Node>(node.referenceableParamGroupRef)) {
      const g = groups.get(String(ref.ref));
      if (!g) throw new VoidscopeError('ECORRUPT', `referenceableParamGroupRef "${String(ref.ref)}" names no referenceableParamGroup`, { file: xmlFile });
      for (const p of g) out.push(p);
    }
    return out;
  };
  const has = (ps: CvParam[], acc: string) => ps.some((p) => p.accession === acc);
  const val = (ps: CvParam[], acc: string) => ps.find((p) => p.accession === acc)?.value;

  const content = params((mzml.fileDescription as Node | undefined)?.fileContent as Node | undefined);
  const uuidRaw = val(content, 'IMS:1000080');
  if (!uuidRaw) throw new VoidscopeError('ECORRUPT', 'imzML has no IMS:1000080 universally unique identifier in fileContent', { file: xmlFile });
  const uuid = uuidRaw.replace(/[{}-]/g, '').toLowerCase();
  if (!/^[0-9a-f]{32}$/.test(uuid)) throw new VoidscopeError('ECORRUPT', `IMS:1000080 UUID "${uuidRaw}" is not 32 hex digits`, { file: xmlFile });
  const mode = has(content, 'IMS:1000030') ? 'continuous' : has(content, 'IMS:1000031') ? 'processed' : null;
  if (!mode) throw new VoidscopeError('ECORRUPT', 'imzML fileContent states neither continuous (IMS:1000030) nor processed (IMS:1000031)', { file: xmlFile });

  // Scan settings: raster size and pixel size.
  const settings = list<Node>((mzml.scanSettingsList as Node | undefined)?.scanSettings).flatMap((s) => params(s));
  const num = (acc: string) => {
    const v = val(settings, acc);
    return v === undefined ? null : Number(v);
  };
  const maxCountX = num('IMS:1000042');
  const maxCountY = num('IMS:1000043');
  const unitFactor = (acc: string) => {
    const p = settings.find((q) => q.accession === acc);
    const u = p?.unitAccession ?? '';
    if (u === 'UO:0000018') return 1e-3; // nanometer
    if (u === 'UO:0000016') return 1e3; // millimeter
    return 1; // UO:0000017 micrometer, the imzML default
  };
  let pixelSize: PixelSize | null = null;
  const psx = num('IMS:1000046');
  const psy = num('IMS:1000047');
  if (psx !== null && Number.isFinite(psx) && psx > 0) {
    const vx = psx * unitFactor('IMS:1000046');
    pixelSize = { value: vx, unit: 'µm', source: 'imzML scanSettings IMS:1000046 pixel size (x)' };
    if (psy !== null && Number.isFinite(psy) && psy > 0) {
      const vy = psy * unitFactor('IMS:1000047');
      if (vy !== vx) pixelSize.valueY = vy;
    }
  }

  // Polarity / spectrum type from the first spectrum (groups resolved).
  const run = mzml.run as Node | undefined;
  const spectrumNodes = list<Node>((run?.spectrumList as Node | undefined)?.spectrum);
  if (spectrumNodes.length === 0) throw new VoidscopeError('EEMPTY', 'imzML has no spectra', { file: xmlFile });

  const spectra: ImzmlSpectrumRef[] = [];
  let polarity: ImzmlIndex['polarity'] = null;
  let spectrumType: ImzmlIndex['spectrumType'] = null;
  spectrumNodes.forEach((s, i) => {
    const sp = params(s);
    if (i === 0) {
      polarity = has(sp, 'MS:1000129') ? 'negative' : has(sp, 'MS:1000130') ? 'positive' : null;
      spectrumType = has(sp, 'MS:1000128') ? 'profile' : has(sp, 'MS:1000127') ? 'centroid' : null;
    }
    const where = `spectrum ${i} (id "${String(s.id ?? '')}")`;
    const scans = list<Node>((s.scanList as Node | undefined)?.scan);
    const scanParams = scans.flatMap((sc) => params(sc));
    const pos = (acc: string, name: string, required: boolean): number | null => {
      const v = val(scanParams, acc);
      if (v === undefined) {
        if (required) throw new VoidscopeError('ECORRUPT', `${where} has no ${name} (${acc})`, { file: xmlFile });
        return null;
      }
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1) throw new VoidscopeError('ECORRUPT', `${where}: ${name} "${v}" is not a 1-based integer position`, { file: xmlFile });
      return n;
    };
    const x = pos('IMS:1000050', 'position x', true)!;
    const y = pos('IMS:1000051', 'position y', true)!;
    const z = pos('IMS:1000052', 'position z', false);
    let mz: ImzmlArrayRef | null = null;
    let intensity: ImzmlArrayRef | null = null;
    for (const bda of list<Node>((s.binaryDataArrayList as Node | undefined)?.binaryDataArray)) {
      const bp = params(bda);
      const kind = has(bp, 'MS:1000514') ? 'mz' : has(bp, 'MS:1000515') ? 'intensity' : null;
      if (!kind) continue;
      const dtAcc = bp.find((p) => p.accession !== undefined && DATA_TYPES[p.accession] !== undefined)?.accession;
      if (!dtAcc) throw new VoidscopeError('EUNSUPPORTED', `${where}: ${kind} array has no supported data type (32/64-bit float or integer)`, { file: xmlFile });
      // MS:1000574 zlib, MS:1000576 none; numpress (MS:1002312-1002314, MS:1002746-1002748) is not supported.
      const compression = has(bp, 'MS:1000574')
        ? 'zlib'
        : bp.some((p) => /^MS:100(231[234]|274[678])$/.test(p.accession ?? ''))
          ? null
          : 'none';
      if (!compression) throw new VoidscopeError('EUNSUPPORTED', `${where}: ${kind} array uses a compression other than none or zlib`, { file: xmlFile });
      const need = (acc: string, name: string) => {
        const v = val(bp, acc);
        const n = v === undefined ? NaN : Number(v);
        if (!Number.isInteger(n) || n < 0) throw new VoidscopeError('ECORRUPT', `${where}: ${kind} array has no valid ${name} (${acc}${v !== undefined ? ` = "${v}"` : ''})`, { file: xmlFile });
        return n;
      };
      const ref: ImzmlArrayRef = {
        offset: need('IMS:1000102', 'external offset'),
        length: need('IMS:1000103', 'external array length'),
        encodedLength: need('IMS:1000104', 'external encoded length'),
        dataType: DATA_TYPES[dtAcc]!,
        compression,
      };
      if (compression === 'none' && ref.encodedLength !== ref.length * BYTES[ref.dataType]) {
        throw new VoidscopeError('ECORRUPT', `${where}: ${kind} array encoded length ${ref.encodedLength} bytes ≠ ${ref.length} values × ${BYTES[ref.dataType]} bytes`, { file: xmlFile });
      }
      if (compression === 'zlib' && ref.length * BYTES[ref.dataType] > (ref.encodedLength + 64) * ZLIB_MAX_RATIO) {
        throw new VoidscopeError('ECORRUPT', `${where}: ${kind} array declares ${ref.length} values, more than ${ref.encodedLength} zlib bytes can hold`, { file: xmlFile });
      }
      if (kind === 'mz') mz = ref;
      else intensity = ref;
    }
    if (!mz || !intensity) throw new VoidscopeError('ECORRUPT', `${where} lacks an ${mz ? 'intensity' : 'm/z'} array`, { file: xmlFile });
    if (mz.length !== intensity.length) throw new VoidscopeError('ECORRUPT', `${where}: m/z array has ${mz.length} values but intensity array ${intensity.length}`, { file: xmlFile });
    const ticV = val(sp, 'MS:1000285');
    spectra.push({ index: i, x, y, z, mz, intensity, statedTic: ticV === undefined ? null : Number(ticV) });
  });
  let width = 0;
  let height = 0;
  for (const s of spectra) {
    if (s.x > width) width = s.x;
    if (s.y > height) height = s.y;
  }
  if (maxCountX !== null && maxCountX > width) width = maxCountX;
  if (maxCountY !== null && maxCountY > height) height = maxCountY;
  if (width * height > IMZML_MAX_PIXELS) {
    throw new VoidscopeError('ETOOLARGE', `pixel positions imply a ${width}×${height} raster, over the limit of ${IMZML_MAX_PIXELS / (1 << 20)} Mi pixels (each image takes 8 bytes per pixel)`, { file: xmlFile });
  }
  return {
    xmlFile,
    ibdFile,
    mode,
    uuid,
    sha1: val(content, 'IMS:1000091')?.toLowerCase() ?? null,
    md5: val(content, 'IMS:1000090')?.toLowerCase() ?? null,
    polarity,
    spectrumType,
    referenceableParamGroups: groupList.length,
    width,
    height,
    maxCountX,
    maxCountY,
    pixelSize,
    spectra,
  };
}

async function hashFile(file: string, algo: 'sha1' | 'md5'): Promise<string> {
  const h = createHash(algo);
  for await (const chunk of createReadStream(file)) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** zlib cannot expand data more than ~1032-fold: a declared length beyond this is impossible. */
const ZLIB_MAX_RATIO = 1032;

function decodeArray(buf: Buffer, ref: ImzmlArrayRef, file: string, what: string): Float64Array {
  let bytes = buf;
  if (ref.compression === 'zlib') {
    const want = ref.length * BYTES[ref.dataType];
    try {
      // Never inflate past the declared size: a small .ibd can otherwise expand to gigabytes.
      bytes = inflateSync(buf, { maxOutputLength: Math.max(want, 1) });
    } catch (e) {
      const tooLarge = (e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE';
      throw new VoidscopeError('ECORRUPT', tooLarge ? `${what}: zlib data inflates to more than the declared ${ref.length} × ${BYTES[ref.dataType]} bytes` : `${what}: zlib data cannot be inflated (${(e as Error).message})`, { file, cause: e });
    }
    if (bytes.length !== ref.length * BYTES[ref.dataType]) {
      throw new VoidscopeError('ECORRUPT', `${what}: inflates to ${bytes.length} bytes, expected ${ref.length} × ${BYTES[ref.dataType]}`, { file });
    }
  }
  const out = new Float64Array(ref.length);
  switch (ref.dataType) {
    case 'float32':
      for (let i = 0; i < ref.length; i++) out[i] = bytes.readFloatLE(4 * i);
      break;
    case 'float64':
      for (let i = 0; i < ref.length; i++) out[i] = bytes.readDoubleLE(8 * i);
      break;
    case 'int32':
      for (let i = 0; i < ref.length; i++) out[i] = bytes.readInt32LE(4 * i);
      break;
    case 'int64':
      for (let i = 0; i < ref.length; i++) out[i] = Number(bytes.readBigInt64LE(8 * i));
      break;
  }
  return out;
}

/** Open handle on an .ibd for spectrum-by-spectrum reads. */
export class ImzmlReader {
  private mzCache: { offset: number; data: Float64Array } | null = null;
  private constructor(
    readonly index: ImzmlIndex,
    private readonly ibdSize: number,
  ) {}

  static async open(xmlFile: string, opts: { verifyChecksum?: boolean } = {}): Promise<ImzmlReader> {
    const xml = await readInput(xmlFile);
    const { text, encoding } = decodeXml(xml);
    const ibdFile = await findIbd(xmlFile);
    const parsed = parseImzmlXml(xmlFile, text, ibdFile);
    const ibdSize = await statInput(ibdFile);
    const index: ImzmlIndex = { ...parsed, encoding };
    if (ibdSize < 16) throw new VoidscopeError('ECORRUPT', `.ibd has ${ibdSize} bytes, fewer than the 16-byte UUID`, { file: ibdFile });
    const fh = await open(ibdFile, 'r');
    try {
      const head = Buffer.alloc(16);
      await fh.read(head, 0, 16, 0);
      const got = head.toString('hex');
      if (got !== index.uuid) {
        throw new VoidscopeError('ECORRUPT', `UUID mismatch: the .ibd starts with ${got} but ${basename(xmlFile)} declares IMS:1000080 = ${index.uuid} (files from different exports?)`, { file: ibdFile });
      }
    } finally {
      await fh.close();
    }
    for (const s of index.spectra) {
      for (const [kind, ref] of [['m/z', s.mz], ['intensity', s.intensity]] as const) {
        if (ref.offset + ref.encodedLength > ibdSize) {
          throw new VoidscopeError(
            'ECORRUPT',
            `spectrum ${s.index} ${kind} array at offset ${ref.offset} + ${ref.encodedLength} bytes runs past the end of the .ibd (${ibdSize} bytes)`,
            { file: ibdFile },
          );
        }
        if (ref.offset < 16) throw new VoidscopeError('ECORRUPT', `spectrum ${s.index} ${kind} array offset ${ref.offset} overlaps the 16-byte UUID`, { file: ibdFile });
      }
    }
    const verify = opts.verifyChecksum ?? ibdSize <= 256 * 1024 * 1024;
    if (verify && (index.sha1 || index.md5)) {
      const algo = index.sha1 ? 'sha1' : 'md5';
      const want = (index.sha1 ?? index.md5)!;
      const got = await hashFile(ibdFile, algo);
      if (got !== want) throw new VoidscopeError('ECORRUPT', `${algo.toUpperCase()} of the .ibd is ${got}, the imzML declares ${want}`, { file: ibdFile });
    }
    const r = new ImzmlReader(index, ibdSize);
    r.checksumVerified = verify && (index.sha1 !== null || index.md5 !== null);
    return r;
  }

  checksumVerified = false;
  /** Lowest and highest m/z over all spectra, known after the first `image()`; null before or when empty. */
  mzExtent: [number, number] | null = null;

  private async readRef(fh: import('node:fs/promises').FileHandle, ref: ImzmlArrayRef, what: string): Promise<Float64Array> {
    const buf = Buffer.alloc(ref.encodedLength);
    const { bytesRead } = await fh.read(buf, 0, ref.encodedLength, ref.offset);
    if (bytesRead !== ref.encodedLength) throw new VoidscopeError('ECORRUPT', `${what}: .ibd truncated at offset ${ref.offset}`, { file: this.index.ibdFile });
    return decodeArray(buf, ref, this.index.ibdFile, what);
  }

  /** Read one spectrum (m/z and intensities as float64). */
  async spectrum(i: number): Promise<{ mz: Float64Array; intensity: Float64Array }> {
    const fh = await open(this.index.ibdFile, 'r');
    try {
      return await this.spectrumWith(fh, i);
    } finally {
      await fh.close();
    }
  }

  private async spectrumWith(fh: import('node:fs/promises').FileHandle, i: number) {
    const s = this.index.spectra[i];
    if (!s) throw new RangeError(`spectrum ${i} out of range`);
    let mz: Float64Array;
    if (this.mzCache && this.mzCache.offset === s.mz.offset && this.mzCache.data.length === s.mz.length) mz = this.mzCache.data;
    else {
      mz = await this.readRef(fh, s.mz, `spectrum ${i} m/z array`);
      if (this.index.mode === 'continuous') this.mzCache = { offset: s.mz.offset, data: mz };
    }
    const intensity = await this.readRef(fh, s.intensity, `spectrum ${i} intensity array`);
    return { mz, intensity };
  }

  /**
   * Per pixel, the sum of intensities with lo ≤ m/z ≤ hi (inclusive; pyimzML convention),
   * placed at row y−1, column x−1. `lo = -Infinity, hi = Infinity` gives the TIC image.
   * Spectra are read one at a time.
   */
  async image(lo: number, hi: number): Promise<CountRaster> {
    const { width, height } = this.index;
    const out = new Float64Array(width * height);
    const fh = await open(this.index.ibdFile, 'r');
    let mzMin = Infinity;
    let mzMax = -Infinity;
    try {
      for (const s of this.index.spectra) {
        const { mz, intensity } = await this.spectrumWith(fh, s.index);
        let sum = 0;
        for (let k = 0; k < mz.length; k++) {
          const m = mz[k]!;
          if (m < mzMin) mzMin = m;
          if (m > mzMax) mzMax = m;
          if (m >= lo && m <= hi) sum += intensity[k]!;
        }
        const p = (s.y - 1) * width + (s.x - 1);
        out[p] = out[p]! + sum;
      }
    } finally {
      await fh.close();
    }
    this.mzExtent = mzMin <= mzMax ? [mzMin, mzMax] : null;
    for (let i = 0; i < out.length; i++) {
      if (!Number.isFinite(out[i]!)) throw new VoidscopeError('ECORRUPT', `pixel x=${(i % width) + 1}, y=${Math.floor(i / width) + 1} (1-based) sums to ${out[i]}`, { file: this.index.ibdFile });
      if (out[i]! < 0) throw new VoidscopeError('ECORRUPT', `negative intensity sum ${out[i]} at pixel x=${(i % width) + 1}, y=${Math.floor(i / width) + 1} (1-based)`, { file: this.index.ibdFile });
    }
    return createRaster(width, height, out, { pixelSize: this.index.pixelSize });
  }
}

export async function readImzml(file: string, opts: { verifyChecksum?: boolean } = {}): Promise<SimsDataset> {
  const reader = await ImzmlReader.open(file, opts);
  const ix = reader.index;
  const assumptions = [
    'imzML positions are 1-based: spectrum at (x, y) is pixel column x−1, row y−1',
    'ion image = per-pixel sum of intensities with m/z in the window, inclusive at both ends (pyimzML convention); TIC = sum of all intensities of the spectrum',
  ];
  const occupied = new Set(ix.spectra.map((s) => `${s.x},${s.y}`));
  if (occupied.size < ix.spectra.length) assumptions.push(`${ix.spectra.length - occupied.size} spectra share a pixel with another (3D or repeated): their intensities are summed`);
  if (occupied.size < ix.width * ix.height) assumptions.push(`${ix.width * ix.height - occupied.size} pixels have no spectrum: taken as 0`);
  if (ix.spectra[0]!.intensity.dataType.startsWith('float')) assumptions.push('intensities are stored as floats, not integer counts: Poisson intervals are indicative only');
  if (!reader.checksumVerified) assumptions.push(ix.sha1 || ix.md5 ? '.ibd checksum not verified (file > 256 MiB; pass verifyChecksum)' : 'no .ibd checksum in the imzML: only the UUID link was checked');
  let tic: CountRaster | null = null;
  const channel: SimsChannel = {
    index: 0,
    label: 'total',
    kind: 'total',
    counts: null,
    async load() {
      tic ??= await reader.image(-Infinity, Infinity);
      channel.counts = tic;
      return tic;
    },
  };
  return {
    file,
    format: 'imzml',
    channels: [channel],
    width: ix.width,
    height: ix.height,
    pixelSize: ix.pixelSize,
    assumptions,
    extractMz: (lo, hi) => reader.image(lo, hi),
    mzExtent: async () => {
      if (!reader.mzExtent) await reader.image(-Infinity, Infinity);
      return reader.mzExtent;
    },
    meta: {
      mode: ix.mode,
      uuid: ix.uuid,
      ibdFile: ix.ibdFile,
      encoding: ix.encoding,
      spectra: ix.spectra.length,
      polarity: ix.polarity,
      spectrumType: ix.spectrumType,
      checksumVerified: reader.checksumVerified,
      reader,
    },
  };
}
