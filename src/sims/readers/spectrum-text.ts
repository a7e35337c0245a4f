/**
 * ION-TOF SurfaceLab ASCII exports that are not images:
 *
 * - spectrum export (refdata P_/N_HEA19_Bi1_1.txt): CRLF, tab-separated; `#` settings lines;
 *   header `Channel<TAB>m/z<TAB>Intensity`; one row per (binned) channel. Read as a 1×1 "map"
 *   whose total channel is the summed spectrum; `extractMz(lo, hi)` sums the bins whose m/z lies
 *   in [lo, hi] (inclusive) — the counts of a peak by window.
 * - depth-profile export (refdata "… - NF.txt"): line 2 = peak labels, line 3 = centre masses,
 *   line 4 = column titles (`#Data Point #`, `Sputter Time (s)`, `Dose (ions)`,
 *   `Fluence (ions/cm^2)`, then `Intensity` per peak). Read as N×1 rasters (one pixel per data
 *   point), one channel per peak column; ratio columns (`A / ( B )`) are kind 'ratio'.
 */
import { VoidscopeError } from '../../errors.js';
import { createRaster } from '../../raster/types.js';
import type { CountRaster, SimsChannel, SimsDataset } from '../types.js';
import { readInput } from './common.js';
import { parseCell, splitLines } from './text-lines.js';

export interface Spectrum {
  channel: Float64Array;
  mz: Float64Array;
  intensity: Float64Array;
  settings: string[];
}

export function isSpectrumText(head: string): boolean {
  return splitLines(head).some((l) => /^Channel\tm\/z\tIntensity\s*$/i.test(l));
}

export function isProfileText(head: string): boolean {
  return splitLines(head).some((l) => /^#\s*Data Point #/i.test(l));
}

export function parseSpectrumText(file: string, body: string): Spectrum {
  const lines = splitLines(body);
  const settings: string[] = [];
  let i = 0;
  for (; i < lines.length && lines[i]!.startsWith('#'); i++) settings.push(lines[i]!);
  if (i >= lines.length || !/^Channel\tm\/z\tIntensity\s*$/i.test(lines[i]!)) {
    throw new VoidscopeError('EPARSE', `line ${i + 1}: expected the header "Channel<TAB>m/z<TAB>Intensity"`, { file });
  }
  const ch: number[] = [];
  const mz: number[] = [];
  const inten: number[] = [];
  for (let k = i + 1; k < lines.length; k++) {
    const l = lines[k]!;
    if (l.trim() === '') continue;
    const cells = l.split('\t');
    while (cells.length > 3 && cells[cells.length - 1] === '') cells.pop();
    if (cells.length !== 3) throw new VoidscopeError('EPARSE', `line ${k + 1}: ragged row with ${cells.length} fields, expected 3 (Channel, m/z, Intensity)`, { file });
    const c = parseCell(cells[0]!.trim(), file, k + 1, 1);
    const m = parseCell(cells[1]!.trim(), file, k + 1, 2);
    const v = parseCell(cells[2]!.trim(), file, k + 1, 3);
    if (!Number.isFinite(m)) throw new VoidscopeError('ECORRUPT', `line ${k + 1}: m/z is ${cells[1]}`, { file });
    if (!Number.isFinite(v)) throw new VoidscopeError('ECORRUPT', `line ${k + 1}: intensity is ${cells[2]} (not a finite number)`, { file });
    if (v < 0) throw new VoidscopeError('ECORRUPT', `line ${k + 1}: negative intensity ${v}`, { file });
    ch.push(c);
    mz.push(m);
    inten.push(v);
  }
  if (inten.length === 0) throw new VoidscopeError('EEMPTY', 'spectrum export has no data rows', { file });
  return { channel: Float64Array.from(ch), mz: Float64Array.from(mz), intensity: Float64Array.from(inten), settings };
}

export interface PeakWindow {
  mzRange: [number, number];
  /** Sum of the intensities of all bins with lo ≤ m/z ≤ hi. */
  counts: number;
  bins: number;
  /** The largest single bin in the window (null when the window holds no bin). */
  maxBin: { mz: number; channel: number; counts: number } | null;
}

/** Counts of a peak by window: inclusive on both ends. Pure. */
export function peakInWindow(s: Spectrum, lo: number, hi: number): PeakWindow {
  let counts = 0;
  let bins = 0;
  let maxBin: PeakWindow['maxBin'] = null;
  for (let i = 0; i < s.mz.length; i++) {
    const m = s.mz[i]!;
    if (m < lo || m > hi) continue;
    const v = s.intensity[i]!;
    counts += v;
    bins++;
    if (!maxBin || v > maxBin.counts) maxBin = { mz: m, channel: s.channel[i]!, counts: v };
  }
  return { mzRange: [lo, hi], counts, bins, maxBin };
}

function scalar(v: number): CountRaster {
  return Number.isInteger(v) && v <= 0xffffffff
    ? createRaster(1, 1, Uint32Array.of(v))
    : createRaster(1, 1, Float64Array.of(v));
}

export async function readSpectrumText(file: string, text?: string): Promise<SimsDataset> {
  const body = text ?? (await readInput(file)).toString('latin1');
  const s = parseSpectrumText(file, body);
  let total = 0;
  let integer = true;
  for (let i = 0; i < s.intensity.length; i++) {
    total += s.intensity[i]!;
    if (!Number.isInteger(s.intensity[i]!)) integer = false;
  }
  const tic = scalar(total);
  const channel: SimsChannel = {
    index: 0,
    label: 'total',
    kind: 'total',
    mzRange: [s.mz[0]!, s.mz[s.mz.length - 1]!],
    counts: tic,
    load: async () => tic,
  };
  const assumptions = ['spectrum export: a single summed spectrum, handled as a 1×1 map; a peak = the sum of the bins whose m/z lies in the window (inclusive)'];
  if (!integer) assumptions.push('intensities are not integers (dead-time corrected?): Poisson intervals are indicative only');
  return {
    file,
    format: 'surfacelab-spectrum',
    channels: [channel],
    width: 1,
    height: 1,
    pixelSize: null,
    assumptions,
    extractMz: async (lo, hi) => scalar(peakInWindow(s, lo, hi).counts),
    mzExtent: async () => {
      let min = Infinity;
      let max = -Infinity;
      for (let i = 0; i < s.mz.length; i++) {
        const m = s.mz[i]!;
        if (m < min) min = m;
        if (m > max) max = m;
      }
      return min <= max ? [min, max] : null;
    },
    meta: { settings: s.settings, bins: s.mz.length, spectrum: s },
  };
}

export async function readProfileText(file: string, text?: string): Promise<SimsDataset> {
  const body = text ?? (await readInput(file)).toString('latin1');
  const lines = splitLines(body);
  const titleAt = lines.findIndex((l) => /^#\s*Data Point #/i.test(l));
  if (titleAt < 2) throw new VoidscopeError('EPARSE', 'depth-profile export: expected peak labels and masses on the two lines before "#Data Point #"', { file });
  const strip = (l: string) => l.replace(/^#/, '').split('\t');
  const labels = strip(lines[titleAt - 2]!);
  const masses = strip(lines[titleAt - 1]!);
  const titles = strip(lines[titleAt]!);
  while (titles.length && titles[titles.length - 1] === '') titles.pop();
  const ncol = titles.length;
  const rows: number[][] = [];
  for (let k = titleAt + 1; k < lines.length; k++) {
    const l = lines[k]!;
    if (l.trim() === '' || l.startsWith('#')) continue;
    const cells = l.split('\t');
    while (cells.length > ncol && cells[cells.length - 1] === '') cells.pop();
    if (cells.length !== ncol) throw new VoidscopeError('EPARSE', `line ${k + 1}: ragged row with ${cells.length} fields, the header has ${ncol}`, { file });
    rows.push(cells.map((c, j) => parseCell(c.trim(), file, k + 1, j + 1)));
  }
  if (rows.length === 0) throw new VoidscopeError('EEMPTY', 'depth-profile export has no data rows', { file });
  const n = rows.length;
  const channels: SimsChannel[] = [];
  const firstPeak = titles.findIndex((t) => /^Intensity$/i.test(t.trim()));
  if (firstPeak < 0) throw new VoidscopeError('EPARSE', 'depth-profile export: no "Intensity" column', { file });
  for (let j = firstPeak; j < ncol; j++) {
    const label = (labels[j] ?? '').trim();
    const isRatio = label.includes(' / ');
    const data = Float64Array.from(rows, (r) => r[j]!);
    if (!isRatio) {
      for (let i = 0; i < n; i++) {
        const v = data[i]!;
        if (!Number.isFinite(v)) throw new VoidscopeError('ECORRUPT', `data point ${i + 1}, column ${j + 1} (${label}): intensity is ${v}`, { file });
        if (v < 0) throw new VoidscopeError('ECORRUPT', `data point ${i + 1}, column ${j + 1} (${label}): negative intensity ${v}`, { file });
      }
    }
    const raster = createRaster(n, 1, data);
    const centre = Number((masses[j] ?? '').trim());
    const ch: SimsChannel = {
      index: channels.length,
      label,
      kind: /^total$/i.test(label) ? 'total' : isRatio ? 'ratio' : 'peak',
      counts: raster,
      load: async () => raster,
    };
    if (Number.isFinite(centre) && (masses[j] ?? '').trim() !== '') ch.mzCentre = centre;
    channels.push(ch);
  }
  return {
    file,
    format: 'surfacelab-profile',
    channels,
    width: n,
    height: 1,
    pixelSize: null,
    assumptions: [
      `depth profile: ${n} data points handled as an ${n}×1 raster (one "pixel" per sputter step); peak windows are not stated in the file, only centre masses`,
      'profile intensities are dead-time corrected (non-integer): Poisson intervals are indicative only',
    ],
    meta: { sputterTimeS: Float64Array.from(rows, (r) => r[1]!), settings: lines.slice(0, titleAt - 2) },
  };
}
