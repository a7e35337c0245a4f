/**
 * JEOL `.txt` sidecars (`$CM_FORMAT JEOL-SEM`): lines `$KEY value` / `$$KEY value`.
 * Pixel size = marker length (`$$SM_MICRON_MARKER`, e.g. "100um") / bar length in pixels
 * (`$$SM_MICRON_BAR`), both counted at `$CM_FULL_SIZE`; exports at another resolution keep the
 * full-size numbers, so the result is rescaled by full width / saved width. The data bar lies
 * below the (rescaled) full-size height.
 */
import type { ImageDims, VendorReading } from './types.js';
import { emptyReading } from './types.js';
import { isoDate, parseClock, parseLengthUm, parseNumber, truncate } from './text.js';

export function parseJeolText(text: string): { entries: Map<string, string>; malformed: number[] } {
  const entries = new Map<string, string>();
  const malformed: number[] = [];
  text.split(/\r\n|\r|\n/u).forEach((raw, i) => {
    const line = raw.replace(/\u0000/gu, '').trim();
    if (line === '') return;
    const m = /^(\$\$?[A-Za-z0-9_%]+)(?:\s+(.*))?$/u.exec(line);
    if (!m) {
      malformed.push(i + 1);
      return;
    }
    if (!entries.has(m[1]!)) entries.set(m[1]!, (m[2] ?? '').trim());
  });
  return { entries, malformed };
}

export function isJeolText(text: string): boolean {
  return /^\s*\$CM_FORMAT\s+JEOL/mu.test(text) || (/^\s*\$\$?SM_/mu.test(text) && /^\s*\$CM_/mu.test(text));
}

export function parseJeolMetadata(text: string, dims: ImageDims, label: string): VendorReading {
  const r = emptyReading('JEOL');
  const { entries, malformed } = parseJeolText(text);
  if (malformed.length) r.warnings.push(`${label}: ${malformed.length} malformed line(s) skipped (first: line ${malformed[0]})`);
  for (const [k, v] of entries) r.fields[k] = v;
  const get = (k: string): string | undefined => entries.get(k);
  const full = /^\s*(\d+)\s+(\d+)\s*$/u.exec(get('$CM_FULL_SIZE') ?? '');
  const fullW = full ? Number(full[1]) : null;
  const fullH = full ? Number(full[2]) : null;
  const scale = fullW !== null && fullW > 0 ? fullW / dims.width : 1;
  const barRaw = get('$$SM_MICRON_BAR');
  const markRaw = get('$$SM_MICRON_MARKER');
  const bar = parseNumber(barRaw);
  const markUm = parseLengthUm(markRaw);
  if (bar !== null && bar > 0 && markUm !== null && markUm > 0) {
    r.pixelSize = {
      value: (markUm / bar) * scale,
      unit: 'µm',
      source: `${label} $$SM_MICRON_MARKER ${markRaw} / $$SM_MICRON_BAR ${barRaw} px`,
    };
    if (fullW !== null) r.pixelSize.source += ` × $CM_FULL_SIZE width ${fullW} / image width ${dims.width}`;
    else r.warnings.push(`${label}: no $CM_FULL_SIZE; the scale bar is assumed counted at the saved width`);
  } else if (barRaw !== undefined || markRaw !== undefined) {
    r.warnings.push(
      `${label}: unusable scale bar ($$SM_MICRON_BAR ${JSON.stringify(truncate(barRaw ?? '', 20))}, $$SM_MICRON_MARKER ${JSON.stringify(truncate(markRaw ?? '', 20))}), skipped`,
    );
  }
  if (fullH !== null && fullH > 0) {
    const imaged = Math.round(fullH / scale);
    if (imaged <= dims.height) r.databar = { rows: dims.height - imaged, source: `${label} $CM_FULL_SIZE height ${fullH}` };
    else r.warnings.push(`${label}: $CM_FULL_SIZE height ${fullH} (scaled ${imaged}) exceeds the image height ${dims.height}`);
  }
  r.instrument = get('$CM_INSTRUMENT') || null;
  const kv = parseNumber(get('$CM_ACCEL_VOLT'));
  if (kv !== null) r.acceleratingVoltageKV = kv;
  const wd = parseNumber(get('$$SM_WD'));
  if (wd !== null) r.workingDistanceMm = wd;
  const mag = parseNumber(get('$CM_MAG'));
  if (mag !== null) r.magnification = mag;
  const det = get('$CM_SIGNAL') || get('$CM_SIGNAL_NAME');
  if (det) r.detector = det;
  const d = /^(\d{4})\/(\d{1,2})\/(\d{1,2})$/u.exec(get('$CM_DATE')?.trim() ?? '');
  if (d) r.date = isoDate(+d[1]!, +d[2]!, +d[3]!, ...(parseClock(get('$CM_TIME')) ?? [0, 0, 0])) ?? get('$CM_DATE');
  else if (get('$CM_DATE')) r.date = get('$CM_DATE');
  return r;
}
