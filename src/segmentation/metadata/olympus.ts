/**
 * Olympus Soft Imaging Solutions (SIS) TIFF tag 33560: a LONG offset to a binary "SIS0"
 * structure. Layout as read by tifffile's `read_sis` (no public specification exists):
 * '<4s6xhhhhh6x32sh' header (magic, minute, hour, day, month, year, name, tag count), then
 * tag count × '<hhI' (type, count, offset); the type-1 block is '<10xhdd8xd2x34s32s':
 * length exponent, x and y calibration, magnification, camera name, picture type, with
 * pixel size = calibration × 10^exponent metres. Hand-written because no npm package reads it.
 */
import type { VendorReading } from './types.js';
import { emptyReading } from './types.js';
import { isoDate, relDiff } from './text.js';

/** `read(offset, length)` returns file bytes (short reads allowed at EOF). */
export type ReadAt = (offset: number, length: number) => Promise<Uint8Array>;

export async function parseOlympusSis(offset: number, read: ReadAt, label = 'Olympus SIS tag 33560'): Promise<VendorReading> {
  const r = emptyReading('Olympus');
  const head = await read(offset, 60);
  if (head.length < 60 || String.fromCharCode(...head.subarray(0, 4)) !== 'SIS0') {
    r.warnings.push(`${label}: no SIS0 structure at offset ${offset}, skipped`);
    return r;
  }
  const dv = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const minute = dv.getInt16(10, true);
  const hour = dv.getInt16(12, true);
  const day = dv.getInt16(14, true);
  const month = dv.getInt16(16, true);
  const year = dv.getInt16(18, true);
  const name = latin1z(head.subarray(26, 58));
  const count = dv.getInt16(58, true);
  if (name) r.fields['OlympusSIS.name'] = name;
  const date = isoDate(1900 + year, month + 1, day, hour, minute);
  if (date) r.date = date;
  if (count < 0 || count > 1000) {
    r.warnings.push(`${label}: implausible tag count ${count}, skipped`);
    return r;
  }
  const table = await read(offset + 60, 8 * count);
  const tv = new DataView(table.buffer, table.byteOffset, table.byteLength);
  for (let i = 0; i + 8 <= table.length; i += 8) {
    const type = tv.getInt16(i, true);
    const off = tv.getUint32(i + 4, true);
    if (type !== 1) continue;
    const b = await read(off, 112);
    if (b.length < 112) {
      r.warnings.push(`${label}: truncated calibration block, skipped`);
      continue;
    }
    const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
    const lenexp = v.getInt16(10, true);
    const xcal = v.getFloat64(12, true);
    const ycal = v.getFloat64(20, true);
    const mag = v.getFloat64(36, true);
    const cam = latin1z(b.subarray(46, 80));
    const pic = latin1z(b.subarray(80, 112));
    const m = Math.pow(10, lenexp);
    r.fields['OlympusSIS.pixelsizex'] = String(xcal * m);
    r.fields['OlympusSIS.pixelsizey'] = String(ycal * m);
    r.fields['OlympusSIS.magnification'] = String(mag);
    if (cam) r.fields['OlympusSIS.cameraname'] = cam;
    if (pic) r.fields['OlympusSIS.picturetype'] = pic;
    if (Number.isFinite(xcal * m) && xcal * m > 0) {
      r.pixelSize = { value: xcal * m * 1e6, unit: 'µm', source: `${label} pixelsizex (m)` };
      if (Number.isFinite(ycal * m) && ycal * m > 0 && relDiff(xcal, ycal) > 1e-6) r.pixelSize.valueY = ycal * m * 1e6;
    } else r.warnings.push(`${label}: pixel size ${xcal}×10^${lenexp} is not a positive number, skipped`);
    if (Number.isFinite(mag) && mag > 0) r.magnification = mag;
    if (cam) r.detector = cam;
  }
  return r;
}

function latin1z(b: Uint8Array): string {
  const z = b.indexOf(0);
  return new TextDecoder('latin1').decode(z >= 0 ? b.subarray(0, z) : b).trim();
}
