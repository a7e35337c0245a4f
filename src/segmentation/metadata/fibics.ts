/**
 * Fibics ATLAS metadata (TIFF tag 51023, XML). The scan vectors `<Ux>,<Uy>` and `<Vx>,<Vy>` are
 * the pixel steps in µm along the image x and y axes (Vy is negative: y runs down), so the
 * pixel size is |U| along x and |V| along y. `<FOV_X units="um">` / `<Width>` is a cross-check.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { ImageDims, VendorReading } from './types.js';
import { emptyReading } from './types.js';
import { dig } from './fei.js';
import { isoDate, parseNumber, relDiff, sig } from './text.js';
import { flattenXml } from './xml.js';

export function parseFibicsMetadata(xml: string, dims: ImageDims, label = 'Fibics tag 51023'): VendorReading {
  const r = emptyReading('Fibics');
  let o: Record<string, unknown>;
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    r.warnings.push(`${label}: malformed XML (${valid.err.msg}, line ${valid.err.line}), skipped`);
    return r;
  }
  try {
    o = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', parseTagValue: false }).parse(xml) as Record<
      string,
      unknown
    >;
  } catch (e) {
    r.warnings.push(`${label}: XML could not be parsed (${(e as Error).message}), skipped`);
    return r;
  }
  Object.assign(r.fields, flattenXml(o, ''));
  const text = (path: string[]): string | undefined => {
    const v = dig(o, path);
    if (typeof v === 'string' || typeof v === 'number') return String(v);
    if (v && typeof v === 'object' && '#text' in v) return String((v as Record<string, unknown>)['#text']);
    return undefined;
  };
  const num = (path: string[]): number | null => {
    const raw = text(path);
    if (raw === undefined || raw === '') return null;
    const v = parseNumber(raw);
    if (v === null) r.warnings.push(`${label} <${path.at(-1)}>: not a number (${JSON.stringify(raw)}), skipped`);
    return v;
  };
  const ux = num(['Fibics', 'Scan', 'Ux']);
  const uy = num(['Fibics', 'Scan', 'Uy']) ?? 0;
  const vx = num(['Fibics', 'Scan', 'Vx']) ?? 0;
  const vy = num(['Fibics', 'Scan', 'Vy']);
  if (ux !== null && Math.hypot(ux, uy) > 0) {
    const x = Math.hypot(ux, uy);
    r.pixelSize = { value: x, unit: 'µm', source: `${label} <Scan><Ux>,<Uy> (µm)` };
    if (vy !== null) {
      const y = Math.hypot(vx, vy);
      if (y > 0 && relDiff(x, y) > 1e-6) r.pixelSize.valueY = y;
    }
    const fov = num(['Fibics', 'Scan', 'FOV_X']);
    const w = num(['Fibics', 'Image', 'Width']) ?? dims.width;
    if (fov !== null && w > 0 && relDiff(fov / w, x) > 1e-3) {
      r.warnings.push(`${label}: FOV_X / Width = ${sig(fov / w)} µm disagrees with Ux = ${sig(x)} µm`);
    }
  }
  r.instrument = text(['Fibics', 'Image', 'Machine']) ?? null;
  const det = text(['Fibics', 'Image', 'Detector']);
  if (det) r.detector = det;
  const date = text(['Fibics', 'Application', 'Date']);
  const dm = date ? /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})/u.exec(date) : null;
  if (dm) r.date = isoDate(+dm[1]!, +dm[2]!, +dm[3]!, +dm[4]!, +dm[5]!, +dm[6]!) ?? date;
  const ap = /\(([\d.]+)\s*kV\)/u.exec(text(['Fibics', 'Image', 'Aperture']) ?? '');
  if (ap) r.acceleratingVoltageKV = Number(ap[1]);
  return r;
}
