/**
 * readSemMetadata: the edge that reads a SEM image's calibration and data-bar metadata from its
 * TIFF tags and same-stem sidecars, and resolvePixelSize: user value > metadata.
 *
 * Precedence of calibrations (the first usable one wins; the others are cross-checked and a
 * disagreement > 0.1 % is reported in `warnings`):
 *   1. vendor tags inside the TIFF (FEI 34682/34683, Zeiss 34118, Fibics 51023, Olympus 33560,
 *      Hitachi 40092, embedded Tescan [MAIN] block) — they travel with the pixels;
 *   2. same-stem sidecars (Hitachi .txt, JEOL .txt, Tescan .hdr) — the only source for BMP/JPEG/PNG;
 *   3. ImageJ `unit=` + X/YResolution.
 * A plain DPI tag (X/YResolution without ImageJ's unit) is never a calibration.
 * Data bar: from the first metadata that states it (0 rows counts: "there is none"), else
 * detected from pixels (conservative), else null.
 * Malformed metadata never throws: the field is skipped and a warning says so.
 */
import { basename } from 'node:path';
import type { DecodedImage } from '../../raster/read.js';
import type { PixelSize } from '../../raster/types.js';
import { VoidscopeError } from '../../errors.js';
import type { DatabarInfo, ImageDims, SemMetadata, VendorReading } from './types.js';
import { detectDatabar } from './databar.js';
import { decodeFei34680, parseFeiMetadata } from './fei.js';
import { parseFibicsMetadata } from './fibics.js';
import { isHitachiTagText, isHitachiText, parseHitachiMetadata } from './hitachi.js';
import { parseImageJMetadata } from './imagej.js';
import { isJeolText, parseJeolMetadata } from './jeol.js';
import { parseOlympusSis } from './olympus.js';
import { findSidecars, readSidecar } from './sidecar.js';
import { isTescanText, parseTescanMetadata } from './tescan.js';
import { relDiff, sig } from './text.js';
import { TAG, openTiffTags, rational } from './tiff-tags.js';
import type { TiffPageTags, TiffTagReader } from './tiff-tags.js';
import { parseZeissMetadata } from './zeiss.js';

interface Found {
  reading: VendorReading;
  rank: number;
  sidecar?: string;
}

const RESOLUTION_UNIT: Record<number, string> = { 1: 'none', 2: 'inch', 3: 'cm' };

/**
 * Read vendor calibration and data-bar metadata for `file`, already decoded as `image` (from
 * readImage). When the file's bytes are at hand (`image.bytes`, or `options.bytes`), the TIFF tags
 * are read from them instead of from the file again.
 */
export async function readSemMetadata(file: string, image: DecodedImage & { bytes?: Uint8Array }, options: { bytes?: Uint8Array } = {}): Promise<SemMetadata> {
  const bytes = options.bytes ?? image.bytes;
  const dims: ImageDims = { width: image.raster.width, height: image.raster.height };
  const warnings: string[] = [];
  const fields: Record<string, string> = {};
  const found: Found[] = [];

  if (image.format === 'tiff') {
    let reader: TiffTagReader | null = null;
    try {
      reader = await openTiffTags(file, bytes);
      await readTiffMetadata(reader, image.page, dims, found, fields, warnings);
    } catch (e) {
      warnings.push(`TIFF tags could not be read (${(e as Error).message}); metadata skipped`);
    } finally {
      await reader?.close();
    }
  }

  let sidecarPaths: string[] = [];
  try {
    sidecarPaths = await findSidecars(file);
  } catch {
    sidecarPaths = [];
  }
  for (const p of sidecarPaths) {
    try {
      const sc = await readSidecar(p);
      if (!sc) continue;
      const label = `${sidecarVendorLabel(sc.text)} sidecar ${basename(p)}`;
      let reading: VendorReading | null = null;
      if (isHitachiText(sc.text)) reading = parseHitachiMetadata(sc.text, dims, label);
      else if (isJeolText(sc.text)) reading = parseJeolMetadata(sc.text, dims, label);
      else if (isTescanText(sc.text)) reading = parseTescanMetadata(sc.text, dims, label);
      if (reading) found.push({ reading, rank: 2, sidecar: p });
    } catch (e) {
      warnings.push(`sidecar ${basename(p)} could not be read (${(e as Error).message}), skipped`);
    }
  }

  found.sort((a, b) => a.rank - b.rank);
  for (const f of found) {
    warnings.push(...f.reading.warnings);
    for (const [k, v] of Object.entries(f.reading.fields)) if (!(k in fields)) fields[k] = v;
  }
  const calibrated = found.filter((f) => f.reading.pixelSize && validPixelSize(f.reading.pixelSize, warnings));
  const chosen = calibrated[0] ?? null;
  for (const other of calibrated.slice(1)) {
    const a = chosen!.reading.pixelSize!;
    const b = other.reading.pixelSize!;
    if (relDiff(a.value, b.value) > 1e-3) {
      warnings.push(`pixel size ${sig(b.value)} µm from ${b.source} disagrees with ${sig(a.value)} µm from ${a.source} (used)`);
    }
  }
  const vendorSrc = chosen ?? found.find((f) => f.reading.vendor !== 'ImageJ') ?? found[0] ?? null;
  const first = <K extends keyof VendorReading>(k: K): VendorReading[K] | undefined => {
    const order = vendorSrc ? [vendorSrc, ...found.filter((f) => f !== vendorSrc)] : found;
    for (const f of order) if (f.reading[k] !== undefined && f.reading[k] !== null) return f.reading[k];
    return undefined;
  };

  const meta: SemMetadata = {
    vendor: vendorSrc?.reading.vendor ?? null,
    instrument: vendorSrc?.reading.instrument ?? (first('instrument') as string | undefined) ?? null,
    pixelSize: chosen ? { ...chosen.reading.pixelSize! } : null,
    databar: null,
    sidecar: chosen?.sidecar ?? found.find((f) => f.sidecar)?.sidecar ?? null,
    fields,
    warnings,
  };
  const kv = first('acceleratingVoltageKV');
  if (kv !== undefined) meta.acceleratingVoltageKV = kv;
  const wd = first('workingDistanceMm');
  if (wd !== undefined) meta.workingDistanceMm = wd;
  const mag = first('magnification');
  if (mag !== undefined) meta.magnification = mag;
  const det = first('detector');
  if (det !== undefined) meta.detector = det;
  const date = first('date');
  if (date !== undefined) meta.date = date;

  let bar = found.find((f) => f.reading.databar)?.reading.databar ?? null;
  if (bar && (bar.rows < 0 || bar.rows >= 0.5 * dims.height)) {
    warnings.push(`${bar.source} gives a ${bar.rows}-row data bar on a ${dims.height}-row image: implausible, ignored`);
    bar = null;
  }
  if (bar && bar.rows > 0) meta.databar = bar;
  else {
    // No bar from metadata, or metadata implying none (imaged height = image height): look at the
    // pixels. Some exports burn the bar inside the nominal image size (Hitachi DataSize may include
    // it), so a bar found there overrides "none" — with a warning, since the two disagree.
    let detected: DatabarInfo | null = null;
    try {
      detected = detectDatabar(image.raster);
    } catch (e) {
      warnings.push(`data-bar detection failed (${(e as Error).message})`);
    }
    if (detected && bar) {
      warnings.push(`${bar.source} implies no data bar, but a ${detected.rows}-row bar was detected from the pixels; excluding it`);
    }
    meta.databar = detected ?? bar;
  }
  return meta;
}

function sidecarVendorLabel(text: string): string {
  if (isHitachiText(text)) return 'Hitachi';
  if (isJeolText(text)) return 'JEOL';
  if (isTescanText(text)) return 'Tescan';
  return 'unknown';
}

/** Plausible pixel sizes: 1 pm (TEM) to 1 cm (a navigation-camera overview is ~0.3 mm). */
const MIN_UM = 1e-6;
const MAX_UM = 1e4;

function validPixelSize(p: PixelSize, warnings: string[]): boolean {
  const ok = Number.isFinite(p.value) && p.value > 0 && (p.valueY === undefined || (Number.isFinite(p.valueY) && p.valueY > 0));
  if (!ok) {
    warnings.push(`pixel size from ${p.source} is not a positive number (${p.value}), skipped`);
    return false;
  }
  for (const v of [p.value, p.valueY ?? p.value]) {
    if (v < MIN_UM || v > MAX_UM) {
      warnings.push(`pixel size ${v} µm from ${p.source} is outside the plausible ${MIN_UM}–${MAX_UM} µm (wrong unit?), skipped`);
      return false;
    }
  }
  return true;
}

async function readTiffMetadata(
  reader: TiffTagReader,
  pageWanted: number,
  dims: ImageDims,
  found: Found[],
  fields: Record<string, string>,
  warnings: string[],
): Promise<void> {
  // The selected page first; other pages of the same size may carry the vendor block
  // (Olympus SIS puts it on page 1 behind an RGB preview on page 0).
  const pages = [pageWanted, ...Array.from({ length: Math.min(reader.pageCount, 16) }, (_, i) => i).filter((i) => i !== pageWanted)];
  let anyVendor = false;
  for (const p of pages) {
    if (p >= reader.pageCount) continue;
    let tags: TiffPageTags;
    try {
      tags = await reader.readPage(p);
    } catch (e) {
      warnings.push(`TIFF page ${p} tags could not be read (${(e as Error).message})`);
      continue;
    }
    if (p !== pageWanted && (tags.width !== dims.width || tags.height !== dims.height)) continue;
    const suffix = p === pageWanted ? '' : ` (page ${p})`;
    const before = found.length;
    if (p === pageWanted) basicTiffFields(tags, fields);
    await vendorTags(tags, reader, dims, suffix, found, fields, warnings);
    if (found.length > before) anyVendor = true;
    if (p === pageWanted && anyVendor) break;
    if (p !== pageWanted && anyVendor) break;
  }
}

function basicTiffFields(tags: TiffPageTags, fields: Record<string, string>): void {
  const t = (id: number, name: string): void => {
    const v = tags.text.get(id);
    if (v !== undefined && v.trim() !== '' && v.length < 400) fields[`TIFF.${name}`] = v.trim();
  };
  t(TAG.Make, 'Make');
  t(TAG.Model, 'Model');
  t(TAG.Software, 'Software');
  const xr = rational(tags.numbers.get(TAG.XResolution));
  const yr = rational(tags.numbers.get(TAG.YResolution));
  if (xr !== null) fields['TIFF.XResolution'] = String(xr);
  if (yr !== null) fields['TIFF.YResolution'] = String(yr);
  const ru = tags.numbers.get(TAG.ResolutionUnit)?.[0];
  if (ru !== undefined) fields['TIFF.ResolutionUnit'] = RESOLUTION_UNIT[ru] ?? String(ru);
}

async function vendorTags(
  tags: TiffPageTags,
  reader: TiffTagReader,
  dims: ImageDims,
  suffix: string,
  found: Found[],
  fields: Record<string, string>,
  warnings: string[],
): Promise<void> {
  const guard = (what: string, f: () => void): void => {
    try {
      f();
    } catch (e) {
      warnings.push(`${what}: could not be parsed (${(e as Error).message}), skipped`);
    }
  };
  // FEI / Thermo.
  let feiIni = tags.text.get(TAG.FeiHelios) ?? null;
  let feiLabel = `FEI tag ${TAG.FeiHelios}${suffix}`;
  const sfeg = tags.text.get(TAG.FeiSfeg);
  if (sfeg !== undefined) {
    const d = decodeFei34680(sfeg);
    if (d.kind === 'ini' && feiIni === null) {
      feiIni = d.text;
      feiLabel = `FEI tag ${TAG.FeiSfeg}${suffix}`;
    } else if (d.kind === 'xml') fields['FEI34680'] = 'base64/XML MementoItemCollection (not used for calibration)';
  }
  const feiXml = tags.text.get(TAG.FeiXml) ?? null;
  if (feiIni !== null || (feiXml !== null && feiXml.includes('<Metadata'))) {
    guard('FEI metadata', () => found.push({ reading: parseFeiMetadata(feiIni, feiXml, dims, feiLabel), rank: 1 }));
  }
  // Zeiss SmartSEM.
  const cz = tags.text.get(TAG.ZeissCzSem);
  if (cz !== undefined) guard('Zeiss tag 34118', () => found.push({ reading: parseZeissMetadata(cz, dims, `Zeiss tag 34118${suffix}`), rank: 1 }));
  // Fibics.
  const fib = tags.text.get(TAG.Fibics);
  if (fib !== undefined) guard('Fibics tag 51023', () => found.push({ reading: parseFibicsMetadata(fib, dims, `Fibics tag 51023${suffix}`), rank: 1 }));
  // Hitachi block in XPComment.
  const hit = tags.text.get(TAG.HitachiXpComment);
  if (hit !== undefined && isHitachiTagText(hit)) {
    guard('Hitachi tag 40092', () => found.push({ reading: parseHitachiMetadata(hit, dims, `Hitachi tag 40092${suffix}`), rank: 1 }));
  }
  // Olympus SIS.
  const sis = tags.numbers.get(TAG.OlympusSis)?.[0];
  if (sis !== undefined) {
    try {
      const r = await parseOlympusSis(sis, (o, n) => reader.readAt(o, n), `Olympus SIS tag 33560${suffix}`);
      r.instrument = [tags.text.get(TAG.Make), tags.text.get(TAG.Model)].filter(Boolean).join(' ').trim() || null;
      found.push({ reading: r, rank: 1 });
    } catch (e) {
      warnings.push(`Olympus SIS tag 33560: could not be read (${(e as Error).message}), skipped`);
    }
  }
  // Tescan [MAIN] block embedded in any text tag.
  for (const [id, text] of tags.text) {
    if (id === TAG.FeiHelios || id === TAG.ZeissCzSem) continue;
    if (isTescanText(text) && /PixelSizeX\s*=/u.test(text)) {
      guard(`Tescan tag ${id}`, () => found.push({ reading: parseTescanMetadata(text, dims, `Tescan tag ${id}${suffix}`), rank: 1 }));
      break;
    }
  }
  // ImageJ.
  const desc = tags.text.get(TAG.ImageDescription);
  if (desc !== undefined) {
    guard('ImageJ ImageDescription', () => {
      const r = parseImageJMetadata(
        desc,
        rational(tags.numbers.get(TAG.XResolution)),
        rational(tags.numbers.get(TAG.YResolution)),
      );
      if (r) found.push({ reading: r, rank: 3 });
    });
  }
}

/**
 * The calibration to use: a user value always wins (source "user"); otherwise the metadata's.
 * Throws EOPTION for a user value that is not a positive finite number.
 */
export function resolvePixelSize(meta: SemMetadata, userUmPerPx?: number): PixelSize | null {
  if (userUmPerPx !== undefined) {
    if (!(typeof userUmPerPx === 'number' && Number.isFinite(userUmPerPx) && userUmPerPx > 0)) {
      throw new VoidscopeError('EOPTION', `--pixel-size must be a positive number of µm per pixel, got ${String(userUmPerPx)}`);
    }
    return { value: userUmPerPx, unit: 'µm', source: 'user' };
  }
  return meta.pixelSize ? { ...meta.pixelSize } : null;
}
