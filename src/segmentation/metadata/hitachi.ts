/**
 * Hitachi `[SemImageFile]` metadata: a `.txt` sidecar with the image's stem (often UTF-16LE with
 * BOM and CRLF) or the same block in TIFF tag 40092 (XPComment, UTF-16LE). `PixelSize` is in nm
 * for an image of `DataSize` pixels; if the saved image is wider or narrower it is rescaled, and
 * rows below the rescaled DataSize height are the data bar. `ImageName` is NOT trusted to pair
 * files (it often names the file before renaming); pairing is by stem, done by the caller.
 */
import type { ImageDims, VendorReading } from './types.js';
import { emptyReading } from './types.js';
import { flattenIni, isoDate, parseClock, parseIni, parseLengthUm, parseNumber, truncate } from './text.js';

export function parseHitachiMetadata(text: string, dims: ImageDims, label: string): VendorReading {
  const r = emptyReading('Hitachi');
  const ini = parseIni(text, label);
  r.warnings.push(...ini.warnings);
  Object.assign(r.fields, flattenIni(ini));
  // Sidecars have a [SemImageFile] section; the copy in tag 40092 is the bare key=value lines.
  const inSection = ini.sections.has('SemImageFile');
  const s = ini.sections.get('SemImageFile') ?? ini.sections.get('') ?? new Map<string, string>();
  const field = (k: string): string => (inSection ? `[SemImageFile] ${k}` : k);
  const get = (k: string): string | undefined => s.get(k);
  const num = (k: string): number | null => {
    const raw = get(k);
    if (raw === undefined || raw === '') return null;
    const v = parseNumber(raw);
    if (v === null) r.warnings.push(`${label} ${k}: not a number (${JSON.stringify(truncate(raw, 40))}), skipped`);
    return v;
  };
  const ds = /^\s*(\d+)\s*[xX*]\s*(\d+)\s*$/u.exec(get('DataSize') ?? '');
  const dataW = ds ? Number(ds[1]) : null;
  const dataH = ds ? Number(ds[2]) : null;
  const scale = dataW !== null && dataW > 0 ? dataW / dims.width : 1;
  const pxNm = num('PixelSize');
  if (pxNm !== null && pxNm > 0) {
    r.pixelSize = { value: (pxNm / 1000) * scale, unit: 'µm', source: `${label} ${field('PixelSize')} (nm)` };
    if (scale !== 1) {
      r.pixelSize.source += ` × DataSize width ${dataW} / image width ${dims.width}`;
      r.warnings.push(`${label}: image width ${dims.width} differs from DataSize ${get('DataSize')}; pixel size rescaled`);
    }
  } else if (pxNm !== null) r.warnings.push(`${label} PixelSize ${pxNm} is not positive, skipped`);
  // Rows below the (rescaled) DataSize height are an appended data bar. When the heights are equal
  // nothing follows: Hitachi burns the bar INTO DataSize when DataDisplayCombine=1 (TM4000 refdata
  // files: 59-row bar inside 1280x960), so the caller must look at the pixels.
  if (dataH !== null && dataH > 0) {
    const imaged = Math.round(dataH / scale);
    if (imaged < dims.height) {
      r.databar = { rows: dims.height - imaged, source: `${label} ${field('DataSize')} height ${dataH}` };
    }
  }
  r.instrument = get('InstructName') || null;
  const kv = /^\s*([\d.]+)\s*(V|Volt|kV)?\s*$/iu.exec(get('AcceleratingVoltage') ?? '');
  if (kv) r.acceleratingVoltageKV = /^kV$/iu.test(kv[2] ?? '') ? Number(kv[1]) : Number(kv[1]) / 1000;
  const wdUm = parseLengthUm(get('WorkingDistance'));
  if (wdUm !== null) r.workingDistanceMm = wdUm / 1000;
  const mag = num('Magnification');
  if (mag !== null) r.magnification = mag;
  const det = get('SignalName');
  if (det) r.detector = det;
  const d = /^(\d{4})\/(\d{1,2})\/(\d{1,2})$/u.exec(get('Date')?.trim() ?? '');
  if (d) r.date = isoDate(+d[1]!, +d[2]!, +d[3]!, ...(parseClock(get('Time')) ?? [0, 0, 0])) ?? get('Date');
  else if (get('Date')) r.date = get('Date');
  return r;
}

export function isHitachiText(text: string): boolean {
  return /^\s*\[SemImageFile\]/mu.test(text.replace(/^\uFEFF/u, ''));
}

/** The block in TIFF tag 40092 has no section header: recognise it by its keys. */
export function isHitachiTagText(text: string): boolean {
  return (
    isHitachiText(text) ||
    (/^\s*PixelSize\s*=/mu.test(text) && /^\s*(SerialNumber|DataNumber|InstructName|SemVersion|SignalName)\s*=/mu.test(text))
  );
}
