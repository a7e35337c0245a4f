/**
 * Zeiss SmartSEM metadata (TIFF tag 34118 "CZ_SEM").
 *
 * Layout (as read by tifffile's `read_cz_sem`): a header of bare numbers, one per line, then
 * pairs of lines `AP_NAME` / `Label = value unit` (or `Label :value`).
 *
 * Calibration: the precise value is header[3] (metres per pixel at a 1024-pixel store width),
 * scaled to the saved width: header[3] × 1024 / width (rosettasciio `_axes_zeiss`). The display
 * strings `AP_IMAGE_PIXEL_SIZE` ("Image Pixel Size") and `AP_PIXEL_SIZE` ("Pixel Size") are rounded
 * to four digits, may be absent, and `Pixel Size` can refer to another store resolution
 * (test_tiff_Zeiss_SEM_512pix.tif, the multipage file): they are used as cross-checks, or as a last
 * resort when header[3] is unusable (Image Pixel Size; else Width / image width; Pixel Size only when
 * the store resolution equals the saved width). The data zone has no height tag: it is detected
 * from the pixels by the caller.
 */
import type { ImageDims, VendorReading } from './types.js';
import { emptyReading } from './types.js';
import { isoDate, parseClock, parseLengthUm, parseNumber, relDiff, sig, truncate } from './text.js';

export interface CzSem {
  /** Bare numbers before the first AP_/DP_/SV_ key (header[3] = pixel size in m at 1024 wide). */
  header: (number | null)[];
  /** KEY → {label, value} with value the text after "=" or ":" (trimmed). */
  entries: Map<string, { label: string; value: string }>;
}

export function parseCzSem(text: string): CzSem {
  const header: (number | null)[] = [];
  const entries = new Map<string, { label: string; value: string }>();
  let key: string | null = null;
  let inHeader = true;
  for (const raw of text.split(/\r\n|\r|\n/u)) {
    const line = raw.replace(/\u0000/gu, '').trim();
    if (line === '') continue;
    if (/^[A-Z][A-Z0-9_]*$/u.test(line) && /[A-Z]/u.test(line)) {
      key = line;
      inHeader = false;
      continue;
    }
    if (key !== null) {
      const m = /^([^=:]*?)\s*[=:]\s*(.*)$/u.exec(line);
      if (m) entries.set(key, { label: m[1]!.trim(), value: m[2]!.trim() });
      key = null;
      continue;
    }
    if (inHeader) header.push(parseNumber(line));
  }
  return { header, entries };
}

/** "50.00 K X" → 50000, "105 X" → 105. */
export function parseZeissMag(s: string): number | null {
  const m = /^\s*([\d.]+)\s*(K|M)?\s*X\s*$/iu.exec(s);
  if (!m) return null;
  const v = Number(m[1]);
  const f = m[2]?.toUpperCase() === 'K' ? 1e3 : m[2]?.toUpperCase() === 'M' ? 1e6 : 1;
  return Number.isFinite(v) ? v * f : null;
}

/** Relative rounding tolerance of a display string with 4 significant digits ("11.16", "2.615"). */
const DISPLAY_TOL = 6e-4;

export function parseZeissMetadata(text: string, dims: ImageDims, label = 'Zeiss tag 34118'): VendorReading {
  const r = emptyReading('Zeiss');
  const cz = parseCzSem(text);
  cz.header.forEach((v, i) => {
    if (v !== null) r.fields[`CZ_SEM.header[${i}]`] = String(v);
  });
  for (const [k, e] of cz.entries) r.fields[`CZ_SEM.${k}`] = e.value;
  const val = (k: string): string | undefined => cz.entries.get(k)?.value;

  const h3 = cz.header[3] ?? null;
  const imagePx = parseLengthUm(val('AP_IMAGE_PIXEL_SIZE'));
  const dispPx = parseLengthUm(val('AP_PIXEL_SIZE'));
  const widthUm = parseLengthUm(val('AP_WIDTH'));
  const store = /^\s*(\d+)\s*\*\s*(\d+)\s*$/u.exec(val('DP_IMAGE_STORE') ?? '');
  const storeW = store ? Number(store[1]) : null;

  if (h3 !== null && h3 > 0) {
    r.pixelSize = {
      value: (h3 * 1e6 * 1024) / dims.width,
      unit: 'µm',
      source: `${label} header[3] (${h3} m at 1024 px) × 1024 / width ${dims.width}`,
    };
  } else {
    if (cz.header.length > 3 || h3 === null) r.warnings.push(`${label}: header[3] pixel size missing or not a positive number`);
    if (imagePx !== null && imagePx > 0) {
      r.pixelSize = { value: imagePx, unit: 'µm', source: `${label} AP_IMAGE_PIXEL_SIZE (rounded display value)` };
    } else if (widthUm !== null && widthUm > 0) {
      r.pixelSize = { value: widthUm / dims.width, unit: 'µm', source: `${label} AP_WIDTH / image width ${dims.width}` };
    } else if (dispPx !== null && dispPx > 0 && storeW === dims.width) {
      r.pixelSize = { value: dispPx, unit: 'µm', source: `${label} AP_PIXEL_SIZE (rounded display value)` };
    } else if (dispPx !== null) {
      r.warnings.push(
        `${label} AP_PIXEL_SIZE ${val('AP_PIXEL_SIZE')} not used: it may refer to another store resolution than the saved ${dims.width} px`,
      );
    }
  }
  // Cross-checks against the rounded display values.
  if (r.pixelSize) {
    const v = r.pixelSize.value;
    if (imagePx !== null && relDiff(imagePx, v) > DISPLAY_TOL) {
      r.warnings.push(`${label}: Image Pixel Size ${val('AP_IMAGE_PIXEL_SIZE')} disagrees with ${sig(v)} µm used`);
    }
    if (widthUm !== null && relDiff(widthUm / dims.width, v) > DISPLAY_TOL) {
      r.warnings.push(`${label}: Width ${val('AP_WIDTH')} / ${dims.width} px disagrees with ${sig(v)} µm used`);
    }
    if (dispPx !== null && relDiff(dispPx, v) > DISPLAY_TOL && imagePx === null) {
      r.warnings.push(
        `${label}: Pixel Size ${val('AP_PIXEL_SIZE')} differs from ${sig(v)} µm used (it refers to another store resolution)`,
      );
    }
  }
  for (const [k, e] of [
    ['AP_IMAGE_PIXEL_SIZE', imagePx],
    ['AP_PIXEL_SIZE', dispPx],
    ['AP_WIDTH', widthUm],
  ] as const) {
    const raw = val(k);
    if (raw !== undefined && e === null) r.warnings.push(`${label} ${k}: unreadable value ${JSON.stringify(truncate(raw, 40))}, skipped`);
  }

  r.instrument = val('SV_SERIAL_NUMBER') || null;
  const kv = /^\s*([\d.]+)\s*kV\s*$/iu.exec(val('AP_ACTUALKV') ?? val('AP_MANUALKV') ?? '');
  if (kv) r.acceleratingVoltageKV = Number(kv[1]);
  const wdUm = parseLengthUm(val('AP_WD'));
  if (wdUm !== null) r.workingDistanceMm = wdUm / 1000;
  const mag = parseZeissMag(val('AP_MAG') ?? '');
  if (mag !== null) r.magnification = mag;
  const det = val('DP_DETECTOR_CHANNEL') ?? val('DP_DETECTOR_TYPE');
  if (det) r.detector = det;
  const d = /^\s*(\d{1,2})\s+([A-Za-z]{3})\w*\s+(\d{4})\s*$/u.exec(val('AP_DATE') ?? '');
  if (d) {
    const mo = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'].indexOf(d[2]!.toLowerCase()) + 1;
    const t = parseClock(val('AP_TIME')) ?? [0, 0, 0];
    r.date = isoDate(Number(d[3]), mo, Number(d[1]), ...t) ?? (val('AP_DATE') as string);
  } else if (val('AP_DATE')) r.date = val('AP_DATE');
  return r;
}
