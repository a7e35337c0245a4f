import { VoidscopeError } from '../../errors.js';
import type { Raster, Roi } from '../../raster/types.js';
import {
  binOf,
  histogramWithMap,
  isIntegerRaster,
  resolveRegion,
  type BinMap,
  type Region,
  type HistogramInfo,
  type HistogramResult,
} from './histogram.js';
import {
  ALL_THRESHOLD_METHODS,
  autoThreshold,
  MAX_QUADRATIC_BINS,
  parseThresholdMethod,
  QUADRATIC_METHODS,
  type AnyThresholdMethod,
} from './methods.js';
import { minErrorDetail } from './min-error.js';
import { multiOtsuDetail } from './multi-otsu.js';

/**
 * Which side of the threshold the voids are on.
 *  - 'dark' (default): voids are dark — void ⇔ pixel ≤ value. For 8-bit this is exactly ImageJ's
 *    `setAutoThreshold(method)` (no "dark" keyword), which selects [0, t]; for 16-bit/float it is
 *    exactly ImageJ's selection [0 (or −1e30), min + t/255·(max−min)].
 *  - 'bright': voids are bright (inverted contrast) — void ⇔ pixel > value, the exact complement
 *    of 'dark' within the analysed region. See `isVoidPixel` for the documented deviations from
 *    ImageJ's own "dark" selection.
 */
export type Polarity = 'dark' | 'bright';

/**
 * THE void rule, in one place, used by `applyThreshold`, `countVoidPixels` and anyone else:
 *
 *     dark voids:   void ⇔ pixel ≤ value
 *     bright voids: void ⇔ pixel > value
 *
 * NaN pixels are never void (both comparisons are false), as in ImageJ.
 *
 * Deviation from ImageJ, bright voids only: ImageJ's `setAutoThreshold(method + " dark")`
 * selects [t+1, 255] — with t+1 clamped to 255, so at t = 255 it selects the pixels equal to
 * 255 — and for 16-bit/float [min + (t+1)/255·(max−min), max]; neither is the complement of its
 * dark selection (for 16-bit, the pixels between the two scaled levels are in neither). We use
 * the complement (pixel > value), so that bright and dark porosity add up to the region and
 * `value` means the same thing for both. Tests in test/threshold/imagej-images.test.ts record
 * ImageJ's "dark" selection next to ours and show the difference.
 */
export function isVoidPixel(pixel: number, value: number, polarity: Polarity): boolean {
  return polarity === 'dark' ? pixel <= value : pixel > value;
}

/** Human-readable statement of the rule, e.g. "void = pixel <= 120". */
export function voidRule(value: number, polarity: Polarity): string {
  return polarity === 'dark' ? `void = pixel <= ${value}` : `void = pixel > ${value}`;
}

export interface ThresholdOptions {
  /** An ImageJ method name (case-insensitive) or 'MultiOtsu'. */
  method: AnyThresholdMethod | string;
  roi?: Roi;
  /** Same size as the raster; non-zero = analysed. */
  mask?: Uint8Array;
  /** 'imagej' (default) or a number of bins (see `histogram`). */
  bins?: 'imagej' | number;
  /** Voids dark (default) or bright. Only changes which MultiOtsu threshold is used (lower/upper). */
  polarity?: Polarity;
}

export interface ThresholdResult {
  /** The method that produced the threshold ('Manual' for a user-given value). */
  method: AnyThresholdMethod | 'Manual';
  /** Who defines the method: ImageJ 1.53t's AutoThresholder, scikit-image 0.19.3, or the user. */
  source: 'ImageJ 1.53t AutoThresholder' | 'scikit-image 0.19.3 threshold_multiotsu' | 'manual';
  /** Threshold in the raster's own pixel units; apply with `isVoidPixel` / `applyThreshold`. */
  value: number;
  /** Bin index the method returned (ImageJ's getThreshold), null for manual thresholds. */
  bin: number | null;
  /** Histogram the method ran on, null for manual thresholds. */
  histogram: HistogramInfo | null;
  polarity: Polarity;
  /** The rule in words, e.g. "void = pixel <= 120". */
  rule: string;
  /** Analysed pixels (ROI ∩ mask), null for manual thresholds. */
  pixels: number | null;
  /** MultiOtsu only: both thresholds (bins and values), ascending. */
  thresholds?: { bins: number[]; values: number[] };
  /** Anything unusual: degenerate histogram, ImageJ log message, NaN pixels … */
  note?: string;
}

// ---------------------------------------------------------------------------------------------
// bin → value

function nextUp(x: number): number {
  if (x !== x || x === Infinity) return x;
  if (x === 0) return Number.MIN_VALUE;
  const b = new Float64Array([x]);
  const u = new BigInt64Array(b.buffer);
  u[0] = u[0]! + (x > 0 ? 1n : -1n);
  return b[0]!;
}

function nextDown(x: number): number {
  return -nextUp(-x);
}

/**
 * Threshold value in raster units for bin `t` of a histogram.
 *  - '8-bit': t itself.
 *  - 'imagej-256': ImageJ's `scaleAndSetThreshold`: min + (t/255)·(max−min) (= min when max ≤ min),
 *    evaluated in ImageJ's operation order so the selection is bit-identical; for 16-bit rasters
 *    rounded with Math.round, as `ShortProcessor.setThreshold` stores it (float: unrounded, as
 *    `FloatProcessor.setThreshold`). At t = 255 ImageJ stores 65535 (16-bit) or 1e30 (float) as
 *    the upper limit; we give the image maximum, which selects the same pixels.
 *  - 'bins': the largest value v with bin(v) ≤ t, so that pixel ≤ v ⇔ bin(pixel) ≤ t exactly
 *    (integer rasters: the largest such integer).
 */
export function binToValue(t: number, info: HistogramInfo, map: BinMap | null, integer: boolean): number {
  if (info.mode === '8-bit') return t;
  if (info.mode === 'imagej-256') {
    const { min, max } = info;
    if (!(max > min)) return min;
    const v = min + (t / 255.0) * (max - min);
    // ShortProcessor.setThreshold stores Math.round(upper) (16-bit); FloatProcessor keeps the double
    return integer ? Math.round(v) : v;
  }
  const b = map!;
  if (t >= b.last) return info.max;
  if (t < 0) return integer ? info.min - 1 : nextDown(info.min);
  if (!(b.scale > 0)) return info.max; // single value: everything in bin 0
  const edge = b.min + (t + 1) / b.scale;
  if (integer) {
    let v = Math.ceil(edge) - 1;
    for (let k = 0; k < 8 && binOf(v, b) > t; k++) v--;
    for (let k = 0; k < 8 && binOf(v + 1, b) <= t; k++) v++;
    return v;
  }
  let v = edge;
  for (let k = 0; k < 64 && binOf(v, b) > t; k++) v = nextDown(v);
  for (let k = 0; k < 64 && binOf(nextUp(v), b) <= t; k++) v = nextUp(v);
  return v;
}

// ---------------------------------------------------------------------------------------------

function sourceOf(method: AnyThresholdMethod): ThresholdResult['source'] {
  return method === 'MultiOtsu' ? 'scikit-image 0.19.3 threshold_multiotsu' : 'ImageJ 1.53t AutoThresholder';
}

function occupiedRange(counts: ArrayLike<number>): { lo: number; hi: number } {
  let lo = -1;
  let hi = -1;
  for (let i = 0; i < counts.length; i++) {
    if (counts[i]! > 0) {
      if (lo < 0) lo = i;
      hi = i;
    }
  }
  return { lo, hi };
}

/**
 * Compute an automatic threshold for the analysed region of a raster.
 *
 * 8-bit: the method runs on the 256-bin histogram of the region; value = bin.
 * 16-bit / float, `bins: 'imagej'` (default): ImageJ 1.53t's rule (whole-image min..max, 8-bit
 * conversion, 256 bins, value = min + t/255·(max−min)); dark voids select exactly ImageJ's pixels.
 * `bins: N`: N bins over the region's min..max (full precision); value = the highest grey value
 * in bins ≤ t.
 *
 * Throws VoidscopeError EOPTION for a bad method/ROI/mask/bins, EEMPTY when ROI ∩ mask is empty.
 */
export function computeThreshold(raster: Raster, opts: ThresholdOptions): ThresholdResult {
  const method = parseThresholdMethod(opts.method);
  const polarity = validatePolarity(opts.polarity);
  const { hist, map } = histogramWithMap(raster, { roi: opts.roi, mask: opts.mask, bins: opts.bins });
  checkQuadratic(method, hist.bins);
  if (hist.pixels === 0) {
    throw new VoidscopeError('EEMPTY', 'the analysed region (ROI ∩ mask) contains no pixels; nothing to threshold');
  }
  return thresholdFromHistogram(raster, hist, map, method, polarity);
}

function validatePolarity(p: unknown): Polarity {
  if (p === undefined || p === 'dark' || p === 'bright') return p ?? 'dark';
  throw new VoidscopeError('EOPTION', `voids must be 'dark' or 'bright' (got ${String(p)})`);
}

function checkQuadratic(method: AnyThresholdMethod, bins: number): void {
  if (bins > MAX_QUADRATIC_BINS && QUADRATIC_METHODS.includes(method)) {
    throw new VoidscopeError(
      'EOPTION',
      `${method} costs O(bins²) (or more); use at most ${MAX_QUADRATIC_BINS} bins with it (got ${bins})`,
    );
  }
}

function thresholdFromHistogram(
  raster: Raster,
  hist: HistogramResult,
  map: BinMap | null,
  method: AnyThresholdMethod,
  polarity: Polarity,
): ThresholdResult {
  const integer = isIntegerRaster(raster);
  const info: HistogramInfo = {
    mode: hist.mode,
    bins: hist.bins,
    min: hist.min,
    max: hist.max,
    binWidth: hist.binWidth,
    rangeOf: hist.rangeOf,
  };
  const notes: string[] = [];
  let bin: number;
  let thresholds: ThresholdResult['thresholds'];
  if (method === 'MultiOtsu') {
    const d = multiOtsuDetail(hist.counts, 3);
    bin = polarity === 'dark' ? d.thresholds[0]! : d.thresholds[d.thresholds.length - 1]!;
    thresholds = { bins: d.thresholds, values: d.thresholds.map((t) => binToValue(t, info, map, integer)) };
    notes.push(
      `MultiOtsu is scikit-image 0.19.3's threshold_multiotsu (3 classes), not an ImageJ method; ` +
        `${polarity === 'dark' ? 'lower' : 'upper'} threshold used`,
    );
    if (d.degenerate) notes.push('fewer than 3 grey levels: scikit-image would raise ValueError; thresholds padded with the top level');
  } else {
    bin = autoThreshold(method, hist.counts);
    if (method === 'MinError' && minErrorDetail(hist.counts).notConverging) {
      notes.push('ImageJ logs "MinError(I): not converging." for this histogram; its current estimate is used, as ImageJ does');
    }
  }
  const value = binToValue(bin, info, map, integer);
  const { lo, hi } = occupiedRange(hist.counts);
  if (lo === hi) notes.push('the analysed region has a single histogram bin: the threshold is not meaningful');
  if (lo >= 0 && bin < lo) notes.push(`threshold bin ${bin} is below the lowest occupied bin ${lo} (dark voids: none or almost none)`);
  else if (lo >= 0 && lo !== hi && bin >= hi) notes.push(`threshold bin ${bin} is at/above the highest occupied bin ${hi} (dark voids: all or almost all)`);
  if (hist.nanPixels > 0) notes.push(`${hist.nanPixels} NaN pixels: counted in bin 0 as ImageJ does, never void`);
  const result: ThresholdResult = {
    method,
    source: sourceOf(method),
    value,
    bin,
    histogram: info,
    polarity,
    rule: voidRule(value, polarity),
    pixels: hist.pixels,
  };
  if (thresholds) result.thresholds = thresholds;
  if (notes.length > 0) result.note = notes.join('; ');
  return result;
}

/** Every ImageJ method (and MultiOtsu) on one histogram, like ImageJ's "Try all". */
export interface TryAllEntry {
  method: AnyThresholdMethod;
  value: number;
  bin: number;
  voidPixels: number;
  /** void pixels / analysed pixels (0..1). */
  voidFraction: number;
  note?: string;
}

/**
 * All methods on the same region and histogram (one histogram, then one counting pass per
 * method). `methods` defaults to the 17 ImageJ methods plus MultiOtsu.
 */
export function tryAllThresholds(
  raster: Raster,
  opts: Omit<ThresholdOptions, 'method'> & { methods?: readonly (AnyThresholdMethod | string)[] } = {},
): { histogram: HistogramInfo; pixels: number; polarity: Polarity; methods: TryAllEntry[] } {
  const polarity = validatePolarity(opts.polarity);
  const methods = (opts.methods ?? ALL_THRESHOLD_METHODS).map((m) => parseThresholdMethod(m));
  const { hist, map } = histogramWithMap(raster, { roi: opts.roi, mask: opts.mask, bins: opts.bins });
  if (hist.pixels === 0) {
    throw new VoidscopeError('EEMPTY', 'the analysed region (ROI ∩ mask) contains no pixels; nothing to threshold');
  }
  // 8-bit and 'bins' histograms: pixel ≤ value ⇔ bin ≤ t exactly, so void counts come from the
  // cumulative histogram (NaN pixels excepted); ImageJ's 16-bit/float rule needs a pixel pass.
  const fromHistogram = hist.mode !== 'imagej-256' && hist.nanPixels === 0;
  const cum = new Float64Array(hist.bins);
  let acc = 0;
  for (let b = 0; b < hist.bins; b++) cum[b] = acc += hist.counts[b]!;
  const out: TryAllEntry[] = [];
  for (const m of methods) {
    if (hist.bins > MAX_QUADRATIC_BINS && QUADRATIC_METHODS.includes(m)) continue;
    const r = thresholdFromHistogram(raster, hist, map, m, polarity);
    let voidPixels: number;
    if (fromHistogram) {
      const t = r.bin!;
      const dark = t < 0 ? 0 : cum[Math.min(t, hist.bins - 1)]!;
      voidPixels = polarity === 'dark' ? dark : hist.pixels - dark;
    } else voidPixels = countVoidPixels(raster, r.value, polarity, { roi: opts.roi, mask: opts.mask });
    const e: TryAllEntry = { method: m, value: r.value, bin: r.bin!, voidPixels, voidFraction: voidPixels / hist.pixels };
    if (r.note) e.note = r.note;
    out.push(e);
  }
  const { counts: _c, pixels, nanPixels: _n, ...info } = hist;
  return { histogram: info, pixels, polarity, methods: out };
}

// ---------------------------------------------------------------------------------------------
// applying a threshold

/**
 * Void mask of the raster: 1 = void (by `isVoidPixel`), 0 = not void or outside the analysed
 * region (ROI ∩ mask). Same size as the raster.
 *
 * `opts.into`: write the mask into this array (raster-sized) instead of a new one, so that a
 * caller can reuse one buffer across images; every element is written (0 outside the region).
 *
 * 8-bit rasters take a separate path with the same rule tabulated once for the 256 grey values
 * (with a mask) or four pixels per 32-bit word (without; see `threshold8`).
 */
export function applyThreshold(
  raster: Raster,
  value: number,
  polarity: Polarity,
  opts: { roi?: Roi; mask?: Uint8Array; into?: Uint8Array } = {},
): Uint8Array {
  validatePolarity(polarity);
  if (typeof value !== 'number' || Number.isNaN(value)) throw new VoidscopeError('EOPTION', `threshold must be a number (got ${String(value)})`);
  const reg = resolveRegion(raster, opts);
  const n = raster.width * raster.height;
  let out: Uint8Array;
  if (opts.into !== undefined) {
    if (!(opts.into instanceof Uint8Array) || opts.into.length !== n) {
      throw new VoidscopeError('EOPTION', `into must be a Uint8Array of ${raster.width}×${raster.height} = ${n} values (got ${opts.into?.length ?? typeof opts.into})`);
    }
    out = opts.into;
    if (!reg.full) out.fill(0);
  } else out = new Uint8Array(n);
  const data = raster.data;
  if (data instanceof Uint8Array) {
    threshold8(data, raster.width, reg, value, polarity, out);
    return out;
  }
  if (data instanceof Uint16Array) {
    threshold16(data, raster.width, reg, value, polarity, out);
    return out;
  }
  const W = raster.width;
  const m = reg.mask;
  const dark = polarity === 'dark';
  for (let y = reg.y0; y < reg.y1; y++) {
    const row = y * W;
    const e = row + reg.x1;
    if (m === undefined) {
      if (dark) for (let i = row + reg.x0; i < e; i++) out[i] = data[i]! <= value ? 1 : 0;
      else for (let i = row + reg.x0; i < e; i++) out[i] = data[i]! > value ? 1 : 0;
    } else if (dark) {
      for (let i = row + reg.x0; i < e; i++) out[i] = m[i] !== 0 && data[i]! <= value ? 1 : 0;
    } else {
      for (let i = row + reg.x0; i < e; i++) out[i] = m[i] !== 0 && data[i]! > value ? 1 : 0;
    }
  }
  return out;
}

/**
 * 8-bit void mask of the region into `out`: the same rule as the generic loop (`isVoidPixel`),
 * four pixels per aligned 32-bit word (SWAR): with T = the number of grey values g ≤ value
 * (0…256), g > value ⇔ g ≥ T ⇔ bit 8 of g + (256 − T), computed for two bytes at a time in 16-bit
 * lanes, which cannot carry into each other (max 255 + 256); dark voids are the complement; a
 * mask byte m is reduced to (m ≠ 0) by ((m & 0x7f) + 0x7f | m) >> 7. Unaligned pixels go through
 * a 256-entry table of the rule. Byte order does not matter (every byte stays in its place).
 * Hand-written: no library does this on typed arrays, and it is several times faster than one
 * comparison per pixel.
 */
function threshold8(d: Uint8Array, W: number, reg: Region, value: number, polarity: Polarity, out: Uint8Array): void {
  const lut = new Uint8Array(256);
  for (let g = 0; g < 256; g++) lut[g] = isVoidPixel(g, value, polarity) ? 1 : 0;
  let T = 0;
  while (T < 256 && T <= value) T++;
  const K = (256 - T) * 0x00010001;
  const flip = polarity === 'dark' ? 0x01010101 : 0;
  const m = reg.mask;
  const shift = d.byteOffset & 3;
  const aligned = (out.byteOffset & 3) === shift && (m === undefined || (m.byteOffset & 3) === shift);
  const words = (a: Uint8Array): Uint32Array => new Uint32Array(a.buffer, a.byteOffset - shift, (a.length + shift) >> 2);
  const d32 = aligned ? words(d) : null;
  const o32 = aligned ? words(out) : null;
  if (m === undefined) {
    if (reg.full) threshold8Span(d, out, lut, d32, o32, shift, K, flip, 0, d.length);
    else for (let y = reg.y0; y < reg.y1; y++) threshold8Span(d, out, lut, d32, o32, shift, K, flip, y * W + reg.x0, y * W + reg.x1);
  } else {
    const m32 = aligned ? words(m) : null;
    for (let y = reg.y0; y < reg.y1; y++) threshold8MaskSpan(d, m, out, lut, d32, m32, o32, shift, K, flip, y * W + reg.x0, y * W + reg.x1);
  }
}

/** Pixels [s, e) of `threshold8`, no mask. */
function threshold8Span(
  d: Uint8Array,
  out: Uint8Array,
  lut: Uint8Array,
  d32: Uint32Array | null,
  o32: Uint32Array | null,
  shift: number,
  K: number,
  flip: number,
  s: number,
  e: number,
): void {
  let i = s;
  if (d32 !== null && o32 !== null) {
    while (i < e && ((i + shift) & 3) !== 0) {
      out[i] = lut[d[i]!]!;
      i++;
    }
    const wEnd = (e + shift) >> 2;
    for (let w = (i + shift) >> 2; w < wEnd; w++) {
      const v = d32[w]!;
      o32[w] = (((((v & 0x00ff00ff) + K) >>> 8) & 0x00010001) | ((((v >>> 8) & 0x00ff00ff) + K) & 0x01000100)) ^ flip;
    }
    const done = (wEnd << 2) - shift;
    if (done > i) i = done;
  }
  for (; i < e; i++) out[i] = lut[d[i]!]!;
}

/** Pixels [s, e) of `threshold8` with a mask (non-zero = analysed). */
function threshold8MaskSpan(
  d: Uint8Array,
  m: Uint8Array,
  out: Uint8Array,
  lut: Uint8Array,
  d32: Uint32Array | null,
  m32: Uint32Array | null,
  o32: Uint32Array | null,
  shift: number,
  K: number,
  flip: number,
  s: number,
  e: number,
): void {
  let i = s;
  if (d32 !== null && m32 !== null && o32 !== null) {
    while (i < e && ((i + shift) & 3) !== 0) {
      out[i] = m[i] !== 0 ? lut[d[i]!]! : 0;
      i++;
    }
    const wEnd = (e + shift) >> 2;
    for (let w = (i + shift) >> 2; w < wEnd; w++) {
      const v = d32[w]!;
      const mw = m32[w]!;
      const on = ((((mw & 0x7f7f7f7f) + 0x7f7f7f7f) | mw) >>> 7) & 0x01010101;
      o32[w] = ((((((v & 0x00ff00ff) + K) >>> 8) & 0x00010001) | ((((v >>> 8) & 0x00ff00ff) + K) & 0x01000100)) ^ flip) & on;
    }
    const done = (wEnd << 2) - shift;
    if (done > i) i = done;
  }
  for (; i < e; i++) out[i] = m[i] !== 0 ? lut[d[i]!]! : 0;
}

/** 16-bit void mask of the region into `out` (its own function: one array type per loop). */
function threshold16(d: Uint16Array, W: number, reg: Region, value: number, polarity: Polarity, out: Uint8Array): void {
  const m = reg.mask;
  const dark = polarity === 'dark';
  for (let y = reg.y0; y < reg.y1; y++) {
    const e = y * W + reg.x1;
    if (m === undefined) {
      if (dark) for (let i = y * W + reg.x0; i < e; i++) out[i] = d[i]! <= value ? 1 : 0;
      else for (let i = y * W + reg.x0; i < e; i++) out[i] = d[i]! > value ? 1 : 0;
    } else if (dark) {
      for (let i = y * W + reg.x0; i < e; i++) out[i] = m[i] !== 0 && d[i]! <= value ? 1 : 0;
    } else {
      for (let i = y * W + reg.x0; i < e; i++) out[i] = m[i] !== 0 && d[i]! > value ? 1 : 0;
    }
  }
}

/** Number of void pixels in the analysed region (same rule as `applyThreshold`, no allocation). */
export function countVoidPixels(
  raster: Raster,
  value: number,
  polarity: Polarity,
  opts: { roi?: Roi; mask?: Uint8Array } = {},
): number {
  validatePolarity(polarity);
  const reg = resolveRegion(raster, opts);
  const { data, width: W } = raster;
  const m = reg.mask;
  let n = 0;
  for (let y = reg.y0; y < reg.y1; y++) {
    const row = y * W;
    const e = row + reg.x1;
    for (let i = row + reg.x0; i < e; i++) {
      if (m !== undefined && m[i] === 0) continue;
      if (polarity === 'dark' ? data[i]! <= value : data[i]! > value) n++;
    }
  }
  return n;
}

// ---------------------------------------------------------------------------------------------
// manual thresholds

/** Largest value a raster's sample type can hold (∞ for float). */
function typeRange(raster: Raster): { lo: number; hi: number } {
  const d = raster.data;
  if (d instanceof Uint8Array) return { lo: 0, hi: 255 };
  if (d instanceof Uint16Array) return { lo: 0, hi: 65535 };
  if (d instanceof Uint32Array) return { lo: 0, hi: 4294967295 };
  return { lo: -Infinity, hi: Infinity };
}

/**
 * A user-given threshold (`--threshold N`), in the raster's own units, validated against the
 * raster: it must be a finite number within the sample type's range (0..255 for 8-bit,
 * 0..65535 for 16-bit). A value outside the image's actual min..max is accepted, with a note
 * (then no pixel, or every pixel, is void).
 */
export function manualThreshold(raster: Raster, value: number, polarity: Polarity = 'dark'): ThresholdResult {
  validatePolarity(polarity);
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new VoidscopeError('EOPTION', `--threshold must be a finite number (got ${String(value)})`);
  }
  const { lo, hi } = typeRange(raster);
  if (value < lo || value > hi) {
    throw new VoidscopeError(
      'EOPTION',
      `--threshold ${value} is outside the ${raster.bitDepth}-bit pixel range ${lo}..${hi} of this image`,
    );
  }
  const result: ThresholdResult = {
    method: 'Manual',
    source: 'manual',
    value,
    bin: null,
    histogram: null,
    polarity,
    rule: voidRule(value, polarity),
    pixels: null,
  };
  let min = Infinity;
  let max = -Infinity;
  const d = raster.data;
  for (let i = 0; i < d.length; i++) {
    const v = d[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (value < min) result.note = `threshold ${value} is below the image minimum ${min}`;
  else if (value >= max) result.note = `threshold ${value} is at/above the image maximum ${max}`;
  return result;
}
