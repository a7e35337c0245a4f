/**
 * Pixel-based detection of a burnt-in data bar (the instrument's info band at the bottom of a
 * saved SEM image) for files whose metadata give no height (Zeiss data zone, Hitachi/JEOL exports
 * without sidecar, Tescan, generated samples).
 *
 * A data bar is drawn, not imaged: its rows are dominated by ONE exact grey value (the bar
 * background) with sparse high-contrast "ink" (text, scale bar, logo), it spans the full width,
 * and it starts on one image row where the row statistics jump. A micrograph row has its most
 * frequent grey value on a few percent of its pixels (noise spreads values), even in dark pores.
 *
 * Conservative by design (a false positive silently removes real data). All of these must hold:
 *  1. Band: scanning up from the bottom (ignoring up to MAX_TAIL stray rows at the very bottom, as
 *     in Zeiss files whose last row is a scan line), rows whose modal grey value — counted ±2 of 256
 *     levels, so that JPEG ringing does not break a flat background — covers ≥ 50 % of the row and
 *     is the band's background; drawn frame lines (≥ 85 % one value, any value) belong to it;
 *     weak rows (≥ 25 % background) are tolerated inside the band, never at its top edge.
 *  2. Band height between max(5 px, 1 % of the height) and 35 % of the height.
 *  3. Sharp horizontal transition: the row just above is a micrograph row (its single most
 *     frequent value covers < 35 %, and ≥ 0.35 less than the band's top row); the median of that
 *     share over the 16 rows above is < 30 %; the bar background covers < 25 % of those rows.
 *  4. Full width: in ≥ 80 % of the columns, the background value fills ≥ 50 % of the band rows.
 *  5. Ink: ≥ 0.3 % of the band pixels differ from the background by ≥ 1/4 of the grey range.
 * Returns null when any test fails.
 */
import type { Raster } from '../../raster/types.js';
import type { DatabarInfo } from './types.js';
import { words8 } from '../threshold/histogram.js';

export const DATABAR_DETECTED_SOURCE = 'detected from pixels';

const MAX_TAIL = 3;
const BAR_ROW = 0.5;
const WEAK_ROW = 0.25;
const MAX_WEAK_RUN = 8;
const ABOVE_ROWS = 16;
/** Grey levels (of 256) counted as the same background value. */
const TOL = 2;
/** A row this uniform (±TOL) is a drawn line (bar frame) whatever its grey value. */
const LINE_ROW = 0.85;

export function detectDatabar(raster: Raster): DatabarInfo | null {
  const { width: W, height: H } = raster;
  if (W < 16 || H < 32) return null;
  const maxRows = Math.floor(0.35 * H);
  const minRows = Math.max(5, Math.ceil(0.01 * H));
  const lowest = Math.max(0, H - maxRows - ABOVE_ROWS - MAX_TAIL - 1);
  // Every value binned to 0..255 over the image's value range, for the bottom rows only (the only
  // rows looked at; ABOVE_ROWS of margin): for 8-bit data a view of the pixels themselves.
  const first = Math.max(0, lowest - ABOVE_ROWS);
  const bins = binnedRows(raster, first);
  const base = first * W;
  const st = new RowStats(bins, W, first, H);
  // 1. find the band: first the run of bar-like rows, then its background (the mode most of those
  // rows share), then the rows from the bottom up that are consistent with that background.
  let y0 = H - 1;
  let tail = 0;
  while (y0 >= lowest && st.frac[st.at(y0)]! < BAR_ROW && tail < MAX_TAIL) {
    y0--;
    tail++;
  }
  if (y0 < lowest || st.frac[st.at(y0)]! < BAR_ROW) return null;
  const votes = new Uint32Array(256);
  for (let y = y0, weak = 0; y >= lowest; y--) {
    const k = st.at(y);
    const frac = st.frac[k]!;
    if (frac >= BAR_ROW) {
      votes[st.mode[k]!]!++;
      weak = 0;
    } else if (frac >= WEAK_ROW && weak < MAX_WEAK_RUN) weak++;
    else break;
  }
  const bg = smoothedArgmax(votes);
  let top = -1;
  for (let y = H - 1, weak = 0, skipped = 0; y >= lowest; y--) {
    const k = st.at(y);
    const frac = st.frac[k]!;
    const onBg = Math.abs(st.mode[k]! - bg) <= TOL;
    if ((frac >= BAR_ROW && onBg) || frac >= LINE_ROW) {
      top = y;
      weak = 0;
    } else if (top >= 0 && frac >= WEAK_ROW && onBg && weak < MAX_WEAK_RUN) weak++;
    else if (top < 0 && skipped < MAX_TAIL) skipped++; // stray rows below the bar
    else break;
  }
  if (top < 0) return null;
  const rows = H - top;
  // 2. size.
  if (rows < minRows || rows > maxRows) return null;
  // 3. sharp transition to a micrograph above.
  const aboveExact = st.exact[st.at(top - 1)]!;
  const topFrac = st.frac[st.at(top)]!;
  if (aboveExact >= 0.35 || topFrac - aboveExact < 0.35) return null;
  // background (|b − bg| ≤ TOL) and ink (|b − bg| ≥ 64) counts of whole rows come from the row
  // histograms; only the per-column background count needs the pixels
  const bgLo = Math.max(0, bg - TOL);
  const bgHi = Math.min(255, bg + TOL);
  const fr: number[] = [];
  let bgAbove = 0;
  let nAbove = 0;
  for (let k = 1; k <= ABOVE_ROWS && top - k >= 0; k++) {
    const r = st.at(top - k);
    fr.push(st.exact[r]!);
    const h = st.hists;
    for (let b = bgLo, o = r * 256; b <= bgHi; b++) bgAbove += h[o + b]!;
    nAbove += W;
  }
  fr.sort((a, b) => a - b);
  if (fr.length < 4 || fr[Math.floor(fr.length / 2)]! >= 0.3 || bgAbove / nAbove >= 0.25) return null;
  // 5. ink (tested before 4., which costs a pass over the band: both only reject).
  let ink = 0;
  for (let yy = top; yy < H; yy++) {
    const o = st.at(yy) * 256;
    const h = st.hists;
    for (let b = 0; b <= bg - 64; b++) ink += h[o + b]!;
    for (let b = bg + 64; b < 256; b++) ink += h[o + b]!;
  }
  if (ink < 0.003 * rows * W) return null;
  // 4. full width.
  const colBg = columnCounts(bins, W, top - first, H - first, bgLo, bgHi);
  let fullCols = 0;
  for (let x = 0; x < W; x++) if (colBg[x]! >= 0.5 * rows) fullCols++;
  if (fullCols < 0.8 * W) return null;
  return { rows, source: DATABAR_DETECTED_SOURCE };
}

/**
 * Per column x, the number of rows r0 ≤ r < r1 of `bins` (W wide) with lo ≤ value ≤ hi.
 * When every row starts at the same 32-bit alignment (W a multiple of 4) the middle of the rows
 * is done four pixels per word: lo ≤ b ⇔ bit 8 of b + (256 − lo) in 16-bit lanes (no carry
 * between lanes), the flags summed in 16-bit lanes per word for even and odd byte positions
 * (flushed before 65535 rows). Hand-written (no library counts per column on typed arrays).
 */
function columnCounts(bins: Uint8Array, W: number, r0: number, r1: number, lo: number, hi: number): Uint32Array {
  const col = new Uint32Array(W);
  const shift = bins.byteOffset & 3;
  const head = W % 4 === 0 ? (4 - ((r0 * W + shift) & 3)) & 3 : W; // scalar columns before the words
  const nw = head < W ? (W - head) >> 2 : 0;
  const inRange = (b: number): number => (b >= lo && b <= hi ? 1 : 0);
  if (nw === 0) {
    for (let r = r0; r < r1; r++) for (let x = 0, o = r * W; x < W; x++) col[x]! += inRange(bins[o + x]!);
    return col;
  }
  const words = words8(bins);
  const K1 = (256 - lo) * 0x00010001;
  const K2 = (256 - (hi + 1)) * 0x00010001;
  const even = new Uint32Array(nw);
  const odd = new Uint32Array(nw);
  const tail = head + 4 * nw;
  const flush = (): void => {
    for (let j = 0; j < nw; j++) {
      const x = head + 4 * j;
      col[x]! += even[j]! & 0xffff;
      col[x + 2]! += even[j]! >>> 16;
      col[x + 1]! += odd[j]! & 0xffff;
      col[x + 3]! += odd[j]! >>> 16;
    }
    even.fill(0);
    odd.fill(0);
  };
  for (let r = r0, n = 0; r < r1; r++) {
    const o = r * W;
    for (let x = 0; x < head; x++) col[x]! += inRange(bins[o + x]!);
    for (let x = tail; x < W; x++) col[x]! += inRange(bins[o + x]!);
    const w0 = (o + head + shift) >> 2;
    for (let j = 0; j < nw; j++) {
      const v = words[w0 + j]!;
      const e = v & 0x00ff00ff;
      const d = (v >>> 8) & 0x00ff00ff;
      // (b ≥ lo) and not (b ≥ hi + 1), one bit per 16-bit lane
      even[j]! += (((e + K1) & ~(e + K2)) >>> 8) & 0x00010001;
      odd[j]! += (((d + K1) & ~(d + K2)) >>> 8) & 0x00010001;
    }
    if (++n === 65535) {
      flush();
      n = 0;
    }
  }
  flush();
  return col;
}

/**
 * Row statistics of the binned bottom rows, computed on first use (`at(y)` returns the row's index
 * into the arrays): `mode`/`frac` of the histogram smoothed over ±TOL grey levels (JPEG ringing
 * spreads a flat bar background over neighbouring values), and `exact`, the share of the single
 * most frequent value (how a micrograph row is recognised: noise spreads its values).
 */
/** Row-histogram storage of `RowStats`, kept between calls (detection runs once per image). */
let histPool = new Int32Array(0);

class RowStats {
  readonly mode: Int32Array;
  readonly frac: Float64Array;
  readonly exact: Float64Array;
  private readonly done: Uint8Array;
  private readonly words: Uint32Array;
  private readonly shift: number;
  /** Row histograms, 256 counts per row (valid for computed rows). */
  readonly hists: Int32Array;
  private readonly c4 = new Int32Array(4 * 256);
  constructor(
    private readonly bins: Uint8Array,
    private readonly W: number,
    private readonly first: number,
    H: number,
  ) {
    const n = H - first;
    this.mode = new Int32Array(n);
    this.frac = new Float64Array(n);
    this.exact = new Float64Array(n);
    this.done = new Uint8Array(n);
    // reused across calls (rows are only read after `compute` has filled them)
    if (histPool.length < n * 256) histPool = new Int32Array(n * 256);
    this.hists = histPool;
    this.words = words8(bins);
    this.shift = bins.byteOffset & 3;
  }

  at(y: number): number {
    const k = y - this.first;
    if (this.done[k] === 0) {
      this.compute(k);
      this.done[k] = 1;
    }
    return k;
  }

  private compute(k: number): void {
    const { W, c4, bins } = this;
    const hist = this.hists.subarray(k * 256, k * 256 + 256);
    c4.fill(0);
    // four interleaved sub-histograms (a bar row is mostly one value: one counter would serialise
    // the increments), the aligned middle of the row read as 32-bit words
    const s = k * W;
    const e = s + W;
    let i = s;
    while (i < e && ((i + this.shift) & 3) !== 0) c4[bins[i++]!]!++;
    const words = this.words;
    const wEnd = (e + this.shift) >> 2;
    // runs of identical words (a flat bar background) are counted once per run
    let w = (i + this.shift) >> 2;
    while (w < wEnd) {
      const v = words[w]!;
      let n = 1;
      while (w + n < wEnd && words[w + n] === v) n++;
      w += n;
      c4[v & 255]! += n;
      c4[256 + ((v >>> 8) & 255)]! += n;
      c4[512 + ((v >>> 16) & 255)]! += n;
      c4[768 + (v >>> 24)]! += n;
    }
    const done = (wEnd << 2) - this.shift;
    if (done > i) i = done;
    for (; i < e; i++) c4[bins[i]!]!++;
    for (let b = 0; b < 256; b++) hist[b] = c4[b]! + c4[b + 256]! + c4[b + 512]! + c4[b + 768]!;
    let exact = 0;
    for (let i = 0; i < 256; i++) if (hist[i]! > exact) exact = hist[i]!;
    let win = 0;
    for (let i = 0; i <= TOL; i++) win += hist[i]!;
    let mode = 0;
    let best = win;
    for (let m = 1; m < 256; m++) {
      if (m + TOL < 256) win += hist[m + TOL]!;
      if (m - TOL - 1 >= 0) win -= hist[m - TOL - 1]!;
      if (win > best) {
        best = win;
        mode = m;
      }
    }
    // Report the actual most frequent value inside the best window (not the window's centre).
    let peak = Math.max(0, mode - TOL);
    for (let i = peak; i <= Math.min(255, mode + TOL); i++) if (hist[i]! > hist[peak]!) peak = i;
    this.mode[k] = peak;
    this.frac[k] = best / W;
    this.exact[k] = exact / W;
  }
}

/** The grey level whose ±TOL neighbourhood collects the most votes. */
function smoothedArgmax(votes: Uint32Array): number {
  let best = 0;
  let n = -1;
  for (let m = 0; m < 256; m++) {
    let s = 0;
    for (let k = Math.max(0, m - TOL); k <= Math.min(255, m + TOL); k++) s += votes[k]!;
    if (s > n) [best, n] = [m, s];
  }
  let peak = Math.max(0, best - TOL);
  for (let k = peak; k <= Math.min(255, best + TOL); k++) if (votes[k]! > votes[peak]!) peak = k;
  return peak;
}

/** Rows `first`..H−1 binned to 0..255 over the image's value range (exact values for 8-bit data). */
function binnedRows(r: Raster, first: number): Uint8Array {
  const d = r.data;
  const start = first * r.width;
  if (r.bitDepth === 8 && r.sampleFormat === 'uint') return d instanceof Uint8Array ? d.subarray(start) : Uint8Array.from(d.subarray(start));
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < d.length; i++) {
    const v = d[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const out = new Uint8Array(d.length - start);
  if (!(max > min)) return out;
  const f = 256 / (max - min);
  for (let i = start; i < d.length; i++) {
    const v = d[i]!;
    out[i - start] = Number.isNaN(v) ? 0 : Math.min(255, Math.floor((v - min) * f));
  }
  return out;
}
