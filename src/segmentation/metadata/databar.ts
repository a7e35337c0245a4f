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
  const rowCache = new Map<number, { mode: number; frac: number; exact: number }>();
  const hist = new Uint32Array(256);
  /**
   * Row statistics: `mode`/`frac` of the histogram smoothed over ±TOL grey levels (JPEG ringing
   * spreads a flat bar background over neighbouring values), and `exact`, the share of the single
   * most frequent value (how a micrograph row is recognised: noise spreads its values).
   */
  const rowStat = (y: number): { mode: number; frac: number; exact: number } => {
    let s = rowCache.get(y);
    if (s) return s;
    hist.fill(0);
    const o = y * W - base;
    for (let x = 0; x < W; x++) hist[bins[o + x]!]!++;
    let exact = 0;
    for (let i = 0; i < 256; i++) if (hist[i]! > exact) exact = hist[i]!;
    let win = 0;
    for (let i = 0; i <= TOL; i++) win += hist[i]!;
    let mode = 0;
    let best = win;
    for (let m = 1; m < 256; m++) {
      if (m + TOL < 256) win += hist[m + TOL]!;
      if (m - TOL - 1 >= 0) win -= hist[m - TOL - 1]!;
      if (win > best) [best, mode] = [win, m];
    }
    // Report the actual most frequent value inside the best window (not the window's centre).
    let peak = Math.max(0, mode - TOL);
    for (let k = peak; k <= Math.min(255, mode + TOL); k++) if (hist[k]! > hist[peak]!) peak = k;
    s = { mode: peak, frac: best / W, exact: exact / W };
    rowCache.set(y, s);
    return s;
  };
  // 1. find the band: first the run of bar-like rows, then its background (the mode most of those
  // rows share), then the rows from the bottom up that are consistent with that background.
  let y0 = H - 1;
  let tail = 0;
  while (y0 >= lowest && rowStat(y0).frac < BAR_ROW && tail < MAX_TAIL) {
    y0--;
    tail++;
  }
  if (y0 < lowest || rowStat(y0).frac < BAR_ROW) return null;
  const votes = new Uint32Array(256);
  for (let y = y0, weak = 0; y >= lowest; y--) {
    const s = rowStat(y);
    if (s.frac >= BAR_ROW) {
      votes[s.mode]!++;
      weak = 0;
    } else if (s.frac >= WEAK_ROW && weak < MAX_WEAK_RUN) weak++;
    else break;
  }
  const bg = smoothedArgmax(votes);
  let top = -1;
  for (let y = H - 1, weak = 0, skipped = 0; y >= lowest; y--) {
    const s = rowStat(y);
    const onBg = Math.abs(s.mode - bg) <= TOL;
    if ((s.frac >= BAR_ROW && onBg) || s.frac >= LINE_ROW) {
      top = y;
      weak = 0;
    } else if (top >= 0 && s.frac >= WEAK_ROW && onBg && weak < MAX_WEAK_RUN) weak++;
    else if (top < 0 && skipped < MAX_TAIL) skipped++; // stray rows below the bar
    else break;
  }
  if (top < 0) return null;
  const rows = H - top;
  // 2. size.
  if (rows < minRows || rows > maxRows) return null;
  // 3. sharp transition to a micrograph above.
  const above = rowStat(top - 1);
  const topStat = rowStat(top);
  if (above.exact >= 0.35 || topStat.frac - above.exact < 0.35) return null;
  const fr: number[] = [];
  let bgAbove = 0;
  let nAbove = 0;
  for (let k = 1; k <= ABOVE_ROWS && top - k >= 0; k++) {
    fr.push(rowStat(top - k).exact);
    const o = (top - k) * W - base;
    for (let x = 0; x < W; x++) if (Math.abs(bins[o + x]! - bg) <= TOL) bgAbove++;
    nAbove += W;
  }
  fr.sort((a, b) => a - b);
  if (fr.length < 4 || fr[Math.floor(fr.length / 2)]! >= 0.3 || bgAbove / nAbove >= 0.25) return null;
  // 4. full width and 5. ink.
  const colBg = new Uint32Array(W);
  let ink = 0;
  for (let yy = top; yy < H; yy++) {
    const o = yy * W - base;
    for (let x = 0; x < W; x++) {
      const b = bins[o + x]!;
      if (Math.abs(b - bg) <= TOL) colBg[x]!++;
      else if (Math.abs(b - bg) >= 64) ink++;
    }
  }
  let fullCols = 0;
  for (let x = 0; x < W; x++) if (colBg[x]! >= 0.5 * rows) fullCols++;
  if (fullCols < 0.8 * W) return null;
  if (ink < 0.003 * rows * W) return null;
  return { rows, source: DATABAR_DETECTED_SOURCE };
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
