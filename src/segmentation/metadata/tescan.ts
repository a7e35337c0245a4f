/**
 * Tescan metadata: `.hdr` sidecar or the same INI block embedded in the TIFF.
 * `[MAIN] PixelSizeX/PixelSizeY` are in metres in scientific notation ("133.00e-9").
 */
import type { ImageDims, VendorReading } from './types.js';
import { emptyReading } from './types.js';
import { flattenIni, isoDate, parseClock, parseIni, parseNumber, relDiff, truncate } from './text.js';

export function isTescanText(text: string): boolean {
  return /^\s*\[MAIN\]/mu.test(text);
}

export function parseTescanMetadata(text: string, _dims: ImageDims, label: string): VendorReading {
  const r = emptyReading('Tescan');
  const ini = parseIni(text, label);
  r.warnings.push(...ini.warnings);
  Object.assign(r.fields, flattenIni(ini));
  const get = (sec: string, k: string): string | undefined => ini.sections.get(sec)?.get(k);
  const num = (sec: string, k: string): number | null => {
    const raw = get(sec, k);
    if (raw === undefined || raw === '') return null;
    const v = parseNumber(raw);
    if (v === null) r.warnings.push(`${label} [${sec}] ${k}: not a number (${JSON.stringify(truncate(raw, 40))}), skipped`);
    return v;
  };
  const px = num('MAIN', 'PixelSizeX');
  const py = num('MAIN', 'PixelSizeY');
  if (px !== null && px > 0) {
    r.pixelSize = { value: px * 1e6, unit: 'µm', source: `${label} [MAIN] PixelSizeX (m)` };
    if (py !== null && py > 0 && relDiff(px, py) > 1e-6) r.pixelSize.valueY = py * 1e6;
  } else if (px !== null) r.warnings.push(`${label} [MAIN] PixelSizeX ${px} is not positive, skipped`);
  r.instrument = get('MAIN', 'Device') || null;
  const hv = num('SEM', 'HV') ?? num('SEM', 'AcceleratorVoltage');
  if (hv !== null) r.acceleratingVoltageKV = hv / 1000;
  const wd = num('SEM', 'WD');
  if (wd !== null) r.workingDistanceMm = wd * 1000;
  const mag = num('MAIN', 'Magnification');
  if (mag !== null) r.magnification = mag;
  const det = get('SEM', 'Detector');
  if (det) r.detector = det;
  const d = /^(\d{4})-(\d{2})-(\d{2})$/u.exec(get('MAIN', 'Date')?.trim() ?? '');
  if (d) r.date = isoDate(+d[1]!, +d[2]!, +d[3]!, ...(parseClock(get('MAIN', 'Time')) ?? [0, 0, 0])) ?? get('MAIN', 'Date');
  else if (get('MAIN', 'Date')) r.date = get('MAIN', 'Date');
  return r;
}
