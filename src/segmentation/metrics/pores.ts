/**
 * Pores = 8-connected components of void pixels inside the analysed region (the same
 * connectivity as ImageJ's ParticleAnalyzer on a thresholded image, and
 * skimage.measure.label(connectivity=2)). Components are cut at the region border, as
 * ImageJ does when it analyses inside a ROI. Holes inside a pore are not part of it
 * (ImageJ without "include holes").
 *
 * Algorithm: one raster scan over runs of void pixels (run-length labelling) with union-find
 * over provisional labels, keeping only the runs of two rows; per-label sums (area, Σx, Σy, bounding box, border contact) are
 * accumulated during the scan and merged into the union-find roots at the end. No
 * per-pixel objects. The smaller label always becomes the root, so a pore's root is
 * the label of its first pixel in raster order and pores are numbered in the order
 * ImageJ's ParticleAnalyzer finds them (top-to-bottom, left-to-right by first pixel).
 * Hand-written because no installed library labels typed arrays (sharp has none).
 */
import { LITTLE_ENDIAN, type Roi } from '../../raster/types.js';
import type { AnalysisRegion } from './region.js';

/** One pore in pixel units. Centroid uses ImageJ's convention: pixel (i,j) covers [i,i+1)×[j,j+1), so its centre is (i+0.5, j+0.5). */
export interface PorePx {
  /** 1-based, in ImageJ ParticleAnalyzer order (first pixel in raster order). */
  id: number;
  areaPx: number;
  centroidPx: { x: number; y: number };
  /** Bounding box in pixels. */
  bbox: Roi;
  /** The pore has a pixel on the edge of the analysed region (ROI edge, image edge, or next to a masked-out pixel, 8-neighbourhood). */
  touchesBorder: boolean;
}

export interface LabelResult {
  /** Pores with areaPx >= minAreaPx, in ImageJ order. */
  pores: PorePx[];
  /** Number of components smaller than minAreaPx ("specks"), and their total pixels. */
  specks: number;
  speckPixels: number;
  /** All void pixels inside the region (pores + specks). */
  voidPixels: number;
  /** Optional label image (width×height; 0 = not void/outside; −1 = speck; else pore id). */
  labels?: Int32Array;
}

export interface LabelOptions {
  /** Keep components with at least this many pixels (default 0 = keep all, ImageJ's default). */
  minAreaPx?: number;
  /** Also return a full-size label image. */
  labels?: boolean;
  /**
   * With `labels`: write the label image into this array (width×height; it is cleared first)
   * instead of a new one — lets a caller reuse one buffer across images.
   */
  labelsInto?: Int32Array;
}

class Growable {
  parent: Int32Array;
  area: Float64Array;
  sx: Float64Array;
  sy: Float64Array;
  minX: Int32Array;
  maxX: Int32Array;
  minY: Int32Array;
  maxY: Int32Array;
  border: Uint8Array;
  constructor(public cap: number) {
    this.parent = new Int32Array(cap);
    this.area = new Float64Array(cap);
    this.sx = new Float64Array(cap);
    this.sy = new Float64Array(cap);
    this.minX = new Int32Array(cap);
    this.maxX = new Int32Array(cap);
    this.minY = new Int32Array(cap);
    this.maxY = new Int32Array(cap);
    this.border = new Uint8Array(cap);
  }
  grow(): void {
    const cap = this.cap * 2;
    const g = <A extends Int32Array | Float64Array | Uint8Array>(a: A): A => {
      const b = new (a.constructor as { new (n: number): A })(cap);
      b.set(a as never);
      return b;
    };
    this.parent = g(this.parent);
    this.area = g(this.area);
    this.sx = g(this.sx);
    this.sy = g(this.sy);
    this.minX = g(this.minX);
    this.maxX = g(this.maxX);
    this.minY = g(this.minY);
    this.maxY = g(this.maxY);
    this.border = g(this.border);
    this.cap = cap;
  }
}

/** Union-find root of label a (with path compression). */
function findRoot(p: Int32Array, a: number): number {
  let r = a;
  while (p[r] !== r) r = p[r]!;
  while (p[a] !== r) {
    const n = p[a]!;
    p[a] = r;
    a = n;
  }
  return r;
}

/** Merge the sets of labels a and b; the smaller root becomes the root (see the module comment). */
function unionRoots(p: Int32Array, a: number, b: number): number {
  const ra = findRoot(p, a);
  const rb = findRoot(p, b);
  if (ra === rb) return ra;
  if (ra < rb) {
    p[rb] = ra;
    return ra;
  }
  p[ra] = rb;
  return rb;
}

/** Index (0…3) of the lowest-addressed non-zero byte of a non-zero 32-bit word. */
function firstNonZeroByte(v: number): number {
  if (LITTLE_ENDIAN) return (31 - Math.clz32(v & -v)) >> 3;
  return Math.clz32(v) >> 3;
}

/**
 * First index p' in [p, pe) with voids[p'] ≠ 0, or pe (no mask). Eight bytes at a time where the
 * 64-bit word is all zero — as a double it is then +0 (−0 is a 0x80 byte, a void pixel, and stops
 * the skip) — then four, and the byte itself found in the word's bits.
 */
function skipZeros(voids: Uint8Array, v32: Uint32Array, v64: Float64Array, base: number, p: number, pe: number): number {
  while (p < pe && ((base + p) & 3) !== 0 && voids[p] === 0) p++;
  if (p >= pe || voids[p] !== 0) return p;
  let w = (base + p) >> 2;
  const wEnd = (base + pe) >> 2;
  if ((w & 1) !== 0 && w < wEnd && v32[w] === 0) w++;
  if ((w & 1) === 0) {
    let q = w >> 1;
    const qEnd = wEnd >> 1;
    while (q < qEnd) {
      const f = v64[q]!;
      if (f !== 0 || Object.is(f, -0)) break;
      q++;
    }
    w = q << 1;
  }
  while (w < wEnd && v32[w] === 0) w++;
  if (w < wEnd) return (w << 2) - base + firstNonZeroByte(v32[w]!);
  p = (w << 2) - base;
  while (p < pe && voids[p] === 0) p++;
  return p;
}

/**
 * First index p' in [p, pe) with voids[p'] = 0, or pe (no mask). Eight bytes at a time while the
 * 64-bit word is eight 1 bytes (what applyThreshold writes; compared as a double: that bit pattern
 * is neither ±0 nor NaN, so equality is bit equality), then four at a time while all four bytes
 * are non-zero — ((b & 0x7f) + 0x7f | b) has bit 7 set ⇔ b ≠ 0, per byte without carries — and
 * the first zero byte found in the word's bits.
 */
function skipNonZeros(voids: Uint8Array, v32: Uint32Array, v64: Float64Array, base: number, p: number, pe: number, ones8: number): number {
  while (p < pe && ((base + p) & 3) !== 0 && voids[p] !== 0) p++;
  if (p >= pe || voids[p] === 0) return p;
  let w = (base + p) >> 2;
  const wEnd = (base + pe) >> 2;
  if ((w & 1) !== 0 && w < wEnd && v32[w] === 0x01010101) w++;
  if ((w & 1) === 0) {
    let q = w >> 1;
    const qEnd = wEnd >> 1;
    while (q < qEnd && v64[q] === ones8) q++;
    w = q << 1;
  }
  while (w < wEnd) {
    const v = v32[w]!;
    const zero = ~(((v & 0x7f7f7f7f) + 0x7f7f7f7f) | v) & 0x80808080; // bit 7 of each zero byte
    if (zero !== 0) return (w << 2) - base + firstNonZeroByte(zero);
    w++;
  }
  p = (w << 2) - base;
  while (p < pe && voids[p] !== 0) p++;
  return p;
}

/** Eight bytes of value 1, read as a double. */
const ONES8 = new Float64Array(new Uint8Array(8).fill(1).buffer)[0]!;

/** The `Growable` of the last `labelPores` call, reused by the next one (null while in use). */
let spareStats: Growable | null = null;

/**
 * Label the 8-connected void components of `voids` (non-zero = void, full image
 * width×height) inside `region`.
 */
export function labelPores(
  voids: Uint8Array,
  width: number,
  height: number,
  region: AnalysisRegion,
  options: LabelOptions = {},
): LabelResult {
  const minArea = options.minAreaPx ?? 0;
  const { roi, mask } = region;
  const x0 = roi.x;
  const y0 = roi.y;
  const w = roi.width;
  const h = roi.height;
  // Per-label statistics come from a per-thread pool (≈0.7 MB at the initial capacity; a fresh
  // set per image costs about as much as labelling a 3-Mpx image). Every label's entries are
  // initialised when the label is created, so stale contents never matter.
  const st = spareStats ?? new Growable(1 << 14);
  spareStats = null;
  let next = 1; // label 0 = background
  // Runs of void pixels of the previous and the current ROI row: start, end (inclusive, image x), label.
  const maxRuns = (w >> 1) + 1;
  let pS = new Int32Array(maxRuns), pE = new Int32Array(maxRuns), pL = new Int32Array(maxRuns);
  let cS = new Int32Array(maxRuns), cE = new Int32Array(maxRuns), cL = new Int32Array(maxRuns);
  let pN = 0;
  // With a label image: the runs (first pixel, length, provisional label) are kept and painted with
  // the final pore ids once the merges are known (one fill per run, no second pass over the image).
  const wantLabels = options.labels === true;
  let runCap = wantLabels ? 1 << 15 : 0;
  let runAt: Int32Array<ArrayBuffer> = new Int32Array(runCap);
  let runLen: Int32Array<ArrayBuffer> = new Int32Array(runCap);
  let runLab: Int32Array<ArrayBuffer> = new Int32Array(runCap);
  let runs = 0;
  const xEnd = x0 + w;
  // 64- and 32-bit views over the void bytes (whole words only) for skipping background and
  // taking void runs eight or four pixels at a time; `base` = bytes of the first word before voids[0].
  const base = voids.byteOffset & 7;
  const noMask = mask === null || mask === undefined;
  const v64 = noMask ? new Float64Array(voids.buffer, voids.byteOffset - base, (base + voids.length) >> 3) : null;
  const v32 = noMask ? new Uint32Array(voids.buffer, voids.byteOffset - base, (base + voids.length) >> 2) : null;
  const ones8 = ONES8;

  for (let yy = 0; yy < h; yy++) {
    const y = y0 + yy;
    const rowOff = y * width;
    let cN = 0;
    let j = 0; // first previous-row run that can still touch the current run
    let x = x0;
    while (x < xEnd) {
      // Skip background, then take one run of void pixels [xs, xe].
      if (mask) {
        while (x < xEnd && (voids[rowOff + x] === 0 || mask[rowOff + x] === 0)) x++;
      } else x = skipZeros(voids, v32!, v64!, base, rowOff + x, rowOff + xEnd) - rowOff;
      if (x >= xEnd) break;
      const xs = x;
      if (mask) {
        while (x < xEnd && voids[rowOff + x] !== 0 && mask[rowOff + x] !== 0) x++;
      } else x = skipNonZeros(voids, v32!, v64!, base, rowOff + x, rowOff + xEnd, ones8) - rowOff;
      const xe = x - 1;
      // 8-connectivity: previous-row runs overlapping [xs − 1, xe + 1].
      while (j < pN && pE[j]! < xs - 1) j++;
      let l = 0;
      for (let k = j; k < pN && pS[k]! <= xe + 1; k++) l = l === 0 ? pL[k]! : unionRoots(st.parent, l, pL[k]!);
      if (l === 0) {
        if (next >= st.cap) st.grow();
        l = next++;
        st.parent[l] = l;
        st.area[l] = 0;
        st.sx[l] = 0;
        st.sy[l] = 0;
        st.minX[l] = xs;
        st.maxX[l] = xe;
        st.minY[l] = y;
        st.maxY[l] = y;
        st.border[l] = 0;
      }
      cS[cN] = xs;
      cE[cN] = xe;
      cL[cN++] = l;
      const len = xe - xs + 1;
      st.area[l]! += len;
      st.sx[l]! += ((xs + xe) * len) / 2;
      st.sy[l]! += y * len;
      if (xs < st.minX[l]!) st.minX[l] = xs;
      if (xe > st.maxX[l]!) st.maxX[l] = xe;
      if (y < st.minY[l]!) st.minY[l] = y;
      if (y > st.maxY[l]!) st.maxY[l] = y;
      if (wantLabels) {
        if (runs === runCap) {
          runCap *= 2;
          const g = (a: Int32Array): Int32Array<ArrayBuffer> => {
            const b = new Int32Array(runCap);
            b.set(a);
            return b;
          };
          runAt = g(runAt);
          runLen = g(runLen);
          runLab = g(runLab);
        }
        runAt[runs] = rowOff + xs;
        runLen[runs] = len;
        runLab[runs++] = l;
      }
      // Border contact: on the ROI edge, or an 8-neighbour masked out.
      if (xs === x0 || xe === xEnd - 1 || yy === 0 || yy === h - 1) st.border[l] = 1;
      else if (mask && st.border[l] === 0) {
        for (let q = rowOff + xs; q <= rowOff + xe; q++) {
          const a = q - width;
          const b = q + width;
          if (
            mask[a - 1] === 0 || mask[a] === 0 || mask[a + 1] === 0 ||
            mask[q - 1] === 0 || mask[q + 1] === 0 ||
            mask[b - 1] === 0 || mask[b] === 0 || mask[b + 1] === 0
          ) {
            st.border[l] = 1;
            break;
          }
        }
      }
    }
    // The current row becomes the previous one.
    let t = pS; pS = cS; cS = t;
    t = pE; pE = cE; cE = t;
    t = pL; pL = cL; cL = t;
    pN = cN;
  }

  // Merge provisional statistics into their roots (children always have larger labels,
  // so processing labels in decreasing order never merges into a non-root twice).
  const P = st.parent;
  for (let l = next - 1; l >= 1; l--) {
    const r = findRoot(P, l);
    if (r === l) continue;
    st.area[r]! += st.area[l]!;
    st.sx[r]! += st.sx[l]!;
    st.sy[r]! += st.sy[l]!;
    if (st.minX[l]! < st.minX[r]!) st.minX[r] = st.minX[l]!;
    if (st.maxX[l]! > st.maxX[r]!) st.maxX[r] = st.maxX[l]!;
    if (st.minY[l]! < st.minY[r]!) st.minY[r] = st.minY[l]!;
    if (st.maxY[l]! > st.maxY[r]!) st.maxY[r] = st.maxY[l]!;
    if (st.border[l]) st.border[r] = 1;
  }

  const pores: PorePx[] = [];
  const finalId = wantLabels ? new Int32Array(next) : null;
  let specks = 0;
  let speckPixels = 0;
  let voidPixels = 0;
  for (let l = 1; l < next; l++) {
    if (P[l] !== l) continue;
    const a = st.area[l]!;
    voidPixels += a;
    if (a < minArea) {
      specks++;
      speckPixels += a;
      if (finalId) finalId[l] = -1;
      continue;
    }
    const id = pores.length + 1;
    if (finalId) finalId[l] = id;
    pores.push({
      id,
      areaPx: a,
      centroidPx: { x: st.sx[l]! / a + 0.5, y: st.sy[l]! / a + 0.5 },
      bbox: {
        x: st.minX[l]!,
        y: st.minY[l]!,
        width: st.maxX[l]! - st.minX[l]! + 1,
        height: st.maxY[l]! - st.minY[l]! + 1,
      },
      touchesBorder: st.border[l] === 1,
    });
  }
  const result: LabelResult = { pores, specks, speckPixels, voidPixels };
  if (finalId) {
    const into = options.labelsInto;
    const labels = into && into.length === width * height ? into.fill(0) : new Int32Array(width * height);
    for (let k = 0; k < runs; k++) {
      const at = runAt[k]!;
      labels.fill(finalId[findRoot(P, runLab[k]!)]!, at, at + runLen[k]!);
    }
    result.labels = labels;
  }
  spareStats = st;
  return result;
}

/** Number-weighted percentile (0..100) with linear interpolation between order statistics (numpy.percentile's default). */
export function sortedPercentile(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const pos = ((n - 1) * p) / 100;
  const lo = Math.floor(pos);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

export interface PoreStatsPixelSize {
  /** µm per px along x. */
  value: number;
  /** µm per px along y (default = value). */
  valueY?: number;
}

export interface Pore {
  id: number;
  /** Area in `pores.areaUnit` (µm² when calibrated, else px). */
  area: number;
  /** Area in pixels. */
  areaPx: number;
  /** Equivalent circular diameter 2·sqrt(area/π), in `pores.unit`. */
  ecd: number;
  /** Centroid in `pores.unit` from the image's top-left corner (ImageJ convention: pixel centres at +0.5). */
  centroid: { x: number; y: number };
  /** Bounding box in pixels (always px). */
  bbox: Roi;
  touchesBorder: boolean;
}

export interface PoreSummary {
  /** Length unit of ecd, centroid and the ECD statistics. */
  unit: 'µm' | 'px';
  /** Unit of the areas. */
  areaUnit: 'µm²' | 'px';
  /** Minimum pore area used (in pixels) — smaller components are specks. */
  minAreaPx: number;
  count: number;
  /** Components below the minimum size and their pixels (not in `list`). */
  specks: number;
  speckPixels: number;
  /** Statistics of ECD over `list` (number-weighted; percentiles linearly interpolated as numpy.percentile); null without pores. */
  meanEcd: number | null;
  medianEcd: number | null;
  d10: number | null;
  d50: number | null;
  d90: number | null;
  /** Largest pore area in `areaUnit` (null without pores). */
  largestArea: number | null;
  /** Pores (count) per analysed area: per µm² when calibrated, else per px. */
  poresPerArea: number;
  poresPerAreaUnit: '1/µm²' | '1/px';
  /** Pores touching the analysed region's border (included in all statistics above). */
  touchingBorder: number;
  list: Pore[];
}

/** Convert pixel pores to the reported units and compute the summary statistics. */
export function summarizePores(
  labelled: LabelResult,
  analysedPixels: number,
  minAreaPx: number,
  pixelSize: PoreStatsPixelSize | null,
): PoreSummary {
  const sx = pixelSize ? pixelSize.value : 1;
  const sy = pixelSize ? (pixelSize.valueY ?? pixelSize.value) : 1;
  const pxArea = sx * sy;
  const list: Pore[] = labelled.pores.map((p) => {
    const area = p.areaPx * pxArea;
    return {
      id: p.id,
      area,
      areaPx: p.areaPx,
      ecd: 2 * Math.sqrt(area / Math.PI),
      centroid: { x: p.centroidPx.x * sx, y: p.centroidPx.y * sy },
      bbox: p.bbox,
      touchesBorder: p.touchesBorder,
    };
  });
  const ecds = Float64Array.from(list, (p) => p.ecd).sort();
  const n = ecds.length;
  let mean: number | null = null;
  let largest: number | null = null;
  let touching = 0;
  if (n > 0) {
    let s = 0;
    for (let i = 0; i < n; i++) s += ecds[i]!;
    mean = s / n;
    largest = 0;
    for (const p of list) {
      if (p.area > largest) largest = p.area;
      if (p.touchesBorder) touching++;
    }
  }
  const analysedArea = analysedPixels * pxArea;
  return {
    unit: pixelSize ? 'µm' : 'px',
    areaUnit: pixelSize ? 'µm²' : 'px',
    minAreaPx,
    count: n,
    specks: labelled.specks,
    speckPixels: labelled.speckPixels,
    meanEcd: mean,
    medianEcd: n ? sortedPercentile(ecds, 50) : null,
    d10: n ? sortedPercentile(ecds, 10) : null,
    d50: n ? sortedPercentile(ecds, 50) : null,
    d90: n ? sortedPercentile(ecds, 90) : null,
    largestArea: largest,
    poresPerArea: analysedArea > 0 ? n / analysedArea : 0,
    poresPerAreaUnit: pixelSize ? '1/µm²' : '1/px',
    touchingBorder: touching,
    list,
  };
}
