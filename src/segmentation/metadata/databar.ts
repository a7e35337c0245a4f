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
 *  1. Scanning up from the bottom (ignoring up to MAX_TAIL stray rows at the very bottom, as in
 *     Zeiss files whose last row is a scan line), a run of "bar rows": the modal grey value covers
 *     ≥ 50 % of the row (weak rows ≥ 25 % with the bar's background as mode are tolerated inside
 *     the band, never at its top edge).
 *  2. Band height between max(5 px, 1 % of the height) and 35 % of the height.
 *  3. Sharp horizontal transition: the row just above has a modal fraction < 35 % and at least
 *     0.35 less than the band's top row; the median modal fraction of the 16 rows above is < 30 %;
 *     the bar background value covers < 25 % of those rows.
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

export function detectDatabar(raster: Raster): DatabarInfo | null {
  const { width: W, height: H, data } = raster;
  if (W < 16 || H < 32) return null;
  const maxRows = Math.floor(0.35 * H);
  const minRows = Math.max(5, Math.ceil(0.01 * H));
  // Bin every value to 0..255 over the image's value range (exact values for 8-bit data).
  const toBin = binner(raster);
  const lowest = Math.max(0, H - maxRows - ABOVE_ROWS - MAX_TAIL - 1);
  const rowCache = new Map<number, { mode: number; frac: number }>();
  const hist = new Uint32Array(256);
  const rowStat = (y: number): { mode: number; frac: number } => {
    let s = rowCache.get(y);
    if (s) return s;
    hist.fill(0);
    const o = y * W;
    for (let x = 0; x < W; x++) hist[toBin(data[o + x]!)]!++;
    let mode = 0;
    for (let i = 1; i < 256; i++) if (hist[i]! > hist[mode]!) mode = i;
    s = { mode, frac: hist[mode]! / W };
    rowCache.set(y, s);
    return s;
  };
  // 1. find the band.
  let y = H - 1;
  let tail = 0;
  while (y >= lowest && rowStat(y).frac < BAR_ROW && tail < MAX_TAIL) {
    y--;
    tail++;
  }
  if (y < lowest || rowStat(y).frac < BAR_ROW) return null;
  // Background = the most common mode among the strong rows of the band (border lines differ).
  const modeVotes = new Map<number, number>();
  let top = y;
  let weakRun = 0;
  for (; y >= lowest; y--) {
    const s = rowStat(y);
    if (s.frac >= BAR_ROW) {
      top = y;
      weakRun = 0;
      modeVotes.set(s.mode, (modeVotes.get(s.mode) ?? 0) + 1);
    } else if (s.frac >= WEAK_ROW && modeVotes.size > 0 && s.mode === majority(modeVotes) && weakRun < MAX_WEAK_RUN) {
      weakRun++;
    } else break;
  }
  const rows = H - top;
  // 2. size.
  if (rows < minRows || rows > maxRows) return null;
  const bg = majority(modeVotes);
  // 3. sharp transition to a micrograph above.
  const above = rowStat(top - 1);
  const topStat = rowStat(top);
  if (above.frac >= 0.35 || topStat.frac - above.frac < 0.35) return null;
  const fr: number[] = [];
  let bgAbove = 0;
  let nAbove = 0;
  for (let k = 1; k <= ABOVE_ROWS && top - k >= 0; k++) {
    fr.push(rowStat(top - k).frac);
    const o = (top - k) * W;
    for (let x = 0; x < W; x++) if (toBin(data[o + x]!) === bg) bgAbove++;
    nAbove += W;
  }
  fr.sort((a, b) => a - b);
  if (fr.length < 4 || fr[Math.floor(fr.length / 2)]! >= 0.3 || bgAbove / nAbove >= 0.25) return null;
  // 4. full width and 5. ink.
  const colBg = new Uint32Array(W);
  let ink = 0;
  for (let yy = top; yy < H; yy++) {
    const o = yy * W;
    for (let x = 0; x < W; x++) {
      const b = toBin(data[o + x]!);
      if (b === bg) colBg[x]!++;
      else if (Math.abs(b - bg) >= 64) ink++;
    }
  }
  let fullCols = 0;
  for (let x = 0; x < W; x++) if (colBg[x]! >= 0.5 * rows) fullCols++;
  if (fullCols < 0.8 * W) return null;
  if (ink < 0.003 * rows * W) return null;
  return { rows, source: DATABAR_DETECTED_SOURCE };
}

function majority(votes: Map<number, number>): number {
  let best = -1;
  let n = -1;
  for (const [k, v] of votes) if (v > n) [best, n] = [k, v];
  return best;
}

function binner(r: Raster): (v: number) => number {
  if (r.bitDepth === 8 && r.sampleFormat === 'uint') return (v) => v;
  let min = Infinity;
  let max = -Infinity;
  const d = r.data;
  for (let i = 0; i < d.length; i++) {
    const v = d[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (!(max > min)) return () => 0;
  const f = 256 / (max - min);
  return (v) => (Number.isNaN(v) ? 0 : Math.min(255, Math.floor((v - min) * f)));
}
