/**
 * ImageJ-calibrated TIFFs: ImageDescription (tag 270) starting "ImageJ=" with `unit=` and the
 * X/YResolution tags holding pixels per unit. ImageJ writes "micron"/"um" for µm. A unit of
 * "inch" or "cm" (what ImageJ derives from a plain DPI tag) and "pixel" are not SEM calibrations.
 */
import type { VendorReading } from './types.js';
import { emptyReading } from './types.js';
import { lengthUnitToUm } from './text.js';

export function parseImageJDescription(desc: string): Map<string, string> | null {
  if (!/^ImageJ=/u.test(desc.trimStart())) return null;
  const m = new Map<string, string>();
  for (const line of desc.split(/\r\n|\r|\n/u)) {
    const eq = line.indexOf('=');
    if (eq > 0) m.set(line.slice(0, eq).trim(), line.slice(eq + 1).replace(/\u0000/gu, '').trim());
  }
  return m;
}

/** `xres`/`yres` are pixels per unit (TIFF rationals already divided), or null when absent. */
export function parseImageJMetadata(desc: string, xres: number | null, yres: number | null): VendorReading | null {
  const kv = parseImageJDescription(desc);
  if (!kv) return null;
  const r = emptyReading('ImageJ');
  for (const [k, v] of kv) r.fields[`ImageDescription.${k}`] = v;
  r.instrument = `ImageJ ${kv.get('ImageJ') ?? ''}`.trim();
  const unitRaw = kv.get('unit');
  if (unitRaw === undefined) return r;
  const unit = unitRaw.replace(/\\u00B5/giu, 'µ');
  if (/^(inch|cm|pixel|pixels)$/iu.test(unit)) {
    r.warnings.push(`ImageJ unit=${unitRaw} is not a microscope calibration (ImageJ derives it from a DPI tag); ignored`);
    return r;
  }
  const f = lengthUnitToUm(unit);
  if (f === null) {
    r.warnings.push(`ImageJ ImageDescription unit=${JSON.stringify(unitRaw)} is not a known length unit, skipped`);
    return r;
  }
  if (xres === null || !(xres > 0)) {
    r.warnings.push('ImageJ unit= present but XResolution missing or not positive, skipped');
    return r;
  }
  r.pixelSize = { value: f / xres, unit: 'µm', source: `ImageJ ImageDescription unit=${unitRaw} with TIFF XResolution` };
  if (yres !== null && yres > 0 && Math.abs(yres - xres) / xres > 1e-9) r.pixelSize.valueY = f / yres;
  return r;
}
