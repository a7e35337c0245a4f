/**
 * ION-TOF BIF6 multi-interval image export reader (and a writer used by tests and the sample
 * generator). Layout from refdata/sims/FORMATS.md §1 (the consensus of the tofsims C++ importer,
 * pybif6 and the ReadBIF6 script; no vendor specification exists):
 *
 *   0  6 bytes  magic 00 00 'B' 'I' 'F' '6'
 *   6  uint16   number of intervals N
 *   8  uint16   raster dimension A (fast-varying pixel index; taken as x = width)
 *  10  uint16   raster dimension B (taken as y = height)
 *  12  N blocks of: uint32 id, 3 × float32 masses, A·B × uint32 counts
 *
 * All little-endian. Expected size 12 + N·(16 + 4·A·B) is checked exactly.
 * Assumptions recorded on every dataset: A = x (so rows of the image are runs of A counts);
 * the three masses are ordered by value (lower = min, upper = max, centre = the other one,
 * because readers disagree on their order); interval id 0 is the total-ion image (pybif6
 * convention, also ITA channel 0 = total).
 */
import { VoidscopeError } from '../../errors.js';
import { createRaster } from '../../raster/types.js';
import type { CountRaster, SimsChannel, SimsDataset } from '../types.js';
import { open, readFile } from 'node:fs/promises';
import { readAt, statInput } from './common.js';

/** BIF6 files up to this size are read into memory once (descriptors and counts). */
const SMALL_FILE = 64 << 20;

export const BIF6_MAGIC = Buffer.from([0x00, 0x00, 0x42, 0x49, 0x46, 0x36]);
const HEADER = 12;
const DESCRIPTOR = 16;

export function isBif6(head: Buffer): boolean {
  return head.length >= 6 && head.subarray(0, 6).equals(BIF6_MAGIC);
}

export async function readBif6(file: string): Promise<SimsDataset> {
  const size = await statInput(file);
  if (size < HEADER) throw new VoidscopeError('ECORRUPT', `not a BIF6 file: only ${size} bytes, header needs 12`, { file });
  const head = await readAt(file, 0, HEADER);
  if (!isBif6(head)) {
    throw new VoidscopeError('ECORRUPT', `not a BIF6 file: magic bytes are ${head.subarray(0, 6).toString('hex')}, expected 000042494636 ("\\0\\0BIF6")`, { file });
  }
  const n = head.readUInt16LE(6);
  const a = head.readUInt16LE(8);
  const b = head.readUInt16LE(10);
  if (n === 0 || a === 0 || b === 0) {
    throw new VoidscopeError('ECORRUPT', `BIF6 header declares ${n} intervals of ${a}×${b} pixels: nothing to read`, { file });
  }
  const block = DESCRIPTOR + 4 * a * b;
  const expected = HEADER + n * block;
  if (size !== expected) {
    throw new VoidscopeError(
      'ECORRUPT',
      `BIF6 size mismatch: header declares ${n} intervals of ${a}×${b} pixels, which needs 12 + ${n}·(16 + 4·${a}·${b}) = ${expected} bytes, but the file has ${size} bytes${size < expected ? ' (truncated?)' : ''}`,
      { file },
    );
  }
  const assumptions = [
    `BIF6 raster ${a}×${b}: the first dimension (header offset 8, fast-varying) is taken as x (width), the second as y (height); for square rasters only a transpose/flip is at stake, which changes no total, ratio or area fraction, only spatial ROIs`,
    'BIF6 interval masses: the three float32 values are ordered by value (lower = min, centre = middle, upper = max) because published readers disagree on their order',
  ];
  const channels: SimsChannel[] = [];
  let sawTotal = false;
  // All descriptors through one handle (or from memory for small files): opening the file once per
  // interval took 15 s for 65,535 intervals.
  const whole = size <= SMALL_FILE ? await readFile(file) : null;
  const fh = whole ? null : await open(file, 'r');
  const descriptor = async (at: number): Promise<Buffer> => {
    if (whole) return whole.subarray(at, at + DESCRIPTOR);
    const d = Buffer.alloc(DESCRIPTOR);
    const { bytesRead } = await fh!.read(d, 0, DESCRIPTOR, at);
    if (bytesRead !== DESCRIPTOR) throw new VoidscopeError('ECORRUPT', `truncated: wanted ${DESCRIPTOR} bytes at offset ${at}, got ${bytesRead}`, { file });
    return d;
  };
  try {
    for (let i = 0; i < n; i++) {
      const start = HEADER + i * block;
      const d = await descriptor(start);
      const id = d.readUInt32LE(0);
      // float32 carries ~7 significant digits: 6.99 is stored as 6.98999977…; report 7 digits.
      const raw = [d.readFloatLE(4), d.readFloatLE(8), d.readFloatLE(12)].map((m) => (Number.isFinite(m) ? Number(m.toPrecision(7)) : m));
      const sorted = [...raw].sort((x, y) => x - y) as [number, number, number];
      if (raw.some((m) => !Number.isFinite(m))) {
        throw new VoidscopeError('ECORRUPT', `BIF6 interval ${i} (id ${id}) has a non-finite mass value (${raw.join(', ')})`, { file });
      }
      const allZero = raw.every((m) => m === 0);
      const sentinel = sorted[0] > 5000;
      // id 0 = total (pybif6/ITA convention) unless it carries a narrow peak window (< 1 u wide): then it is a peak.
      const narrow = !allZero && sorted[2] - sorted[0] < 1;
      const isTotal = sentinel || (id === 0 && !narrow);
      if (id === 0 && narrow) {
        assumptions.push(`BIF6 interval ${i} has id 0 but a peak window ${sorted[0]}–${sorted[2]} u: read as a peak, not as the total-ion image`);
      }
      if (raw[1] !== sorted[1] && raw[0] !== sorted[1]) {
        assumptions.push(`BIF6 interval ${i} (id ${id}): no stored order puts a centre between the bounds (${raw.join(', ')}); used [${sorted[0]}, ${sorted[2]}]`);
      }
      if (isTotal) sawTotal = true;
      const pixelsAt = start + DESCRIPTOR;
      let cache: CountRaster | null = null;
      const ch: SimsChannel = {
        index: i,
        id,
        kind: isTotal ? 'total' : 'peak',
        counts: null,
        async load() {
          if (cache) return cache;
          const buf = whole ? whole.subarray(pixelsAt, pixelsAt + 4 * a * b) : await readAt(file, pixelsAt, 4 * a * b);
          const data = new Uint32Array(a * b);
          for (let k = 0; k < data.length; k++) data[k] = buf.readUInt32LE(4 * k);
          cache = createRaster(a, b, data);
          ch.counts = cache;
          return cache;
        },
      };
      if (isTotal) ch.label = 'total';
      if (!allZero && !sentinel) {
        ch.mzRange = [sorted[0], sorted[2]];
        ch.mzCentre = sorted[1];
      }
      channels.push(ch);
    }
  } finally {
    await fh?.close();
  }
  if (sawTotal) {
    assumptions.push('BIF6 interval id 0 (or an interval with masses > 5000 u) is taken as the total-ion image (pybif6 / ITA convention: channel 0 = total counts)');
  }
  assumptions.push('BIF6 stores no field of view: calibrate with --fov');
  return { file, format: 'bif6', channels, width: a, height: b, pixelSize: null, assumptions, meta: { intervals: n } };
}

export interface Bif6Interval {
  id: number;
  /** The three stored masses, written in this order (tofsims/pybif6 read them as lower, centre, upper). */
  masses: [number, number, number];
  counts: Uint32Array;
}

/** Write a BIF6 file image in the consensus layout (for tests and sample data). */
export function encodeBif6(width: number, height: number, intervals: Bif6Interval[]): Buffer {
  if (width > 0xffff || height > 0xffff || intervals.length > 0xffff) throw new RangeError('BIF6 dimensions are uint16');
  const block = DESCRIPTOR + 4 * width * height;
  const buf = Buffer.alloc(HEADER + intervals.length * block);
  BIF6_MAGIC.copy(buf, 0);
  buf.writeUInt16LE(intervals.length, 6);
  buf.writeUInt16LE(width, 8);
  buf.writeUInt16LE(height, 10);
  intervals.forEach((iv, i) => {
    if (iv.counts.length !== width * height) throw new RangeError(`interval ${i}: ${iv.counts.length} counts for ${width}×${height}`);
    const o = HEADER + i * block;
    buf.writeUInt32LE(iv.id, o);
    buf.writeFloatLE(iv.masses[0], o + 4);
    buf.writeFloatLE(iv.masses[1], o + 8);
    buf.writeFloatLE(iv.masses[2], o + 12);
    for (let k = 0; k < iv.counts.length; k++) buf.writeUInt32LE(iv.counts[k]!, o + DESCRIPTOR + 4 * k);
  });
  return buf;
}
