/**
 * The fast paths of the per-image hot loops (8-bit SWAR threshold, word-wise 8-bit histogram,
 * typed-array data-bar row statistics, run-based pore labelling) against plain reference
 * implementations written here, one comparison per pixel, straight from the documented rules.
 * Expected values are therefore the references' outputs on the same seeded random inputs
 * (mulberry32; no Math.random): odd widths, ROIs, masks (with mask bytes 0x01/0x80/0xff, which
 * the word-wise mask test must all read as "analysed"), arrays that start at byte offsets 1…3
 * inside their buffer (unaligned 32-bit words), 8- and 16-bit, both polarities.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRaster, type Raster, type Roi } from '../../src/raster/types.js';
import { applyThreshold, isVoidPixel, type Polarity } from '../../src/segmentation/threshold/compute.js';
import { histogram } from '../../src/segmentation/threshold/histogram.js';
import { labelPores } from '../../src/segmentation/metrics/pores.js';
import { detectDatabar } from '../../src/segmentation/metadata/databar.js';
import { mulberry32 } from '../../scripts/lib/random.js';

/** A Uint8Array of `n` values at byte offset `off` of a larger buffer (garbage around it). */
function u8At(n: number, off: number, fill: (i: number) => number): Uint8Array {
  const buf = new Uint8Array(n + off + 7).fill(0xa5);
  const a = buf.subarray(off, off + n);
  for (let i = 0; i < n; i++) a[i] = fill(i);
  return a;
}

interface Case {
  name: string;
  raster: Raster;
  roi?: Roi;
  mask?: Uint8Array;
}

/** Varied rasters: sizes with odd widths, data at offsets 0…3, smooth and noisy content. */
function cases(seed: number, bits: 8 | 16): Case[] {
  const rnd = mulberry32(seed);
  const out: Case[] = [];
  const sizes: [number, number][] = [[1, 1], [3, 2], [7, 5], [37, 11], [64, 9], [101, 33], [258, 17]];
  let k = 0;
  for (const [w, h] of sizes) {
    for (const off of [0, 1, 2, 3]) {
      const n = w * h;
      const max = bits === 8 ? 255 : 65535;
      // half the images noise over the full range, half a smooth ramp with noise (long runs)
      const smooth = (k++ & 1) === 1;
      const val = (i: number): number => {
        if (!smooth) return Math.floor(rnd() * (max + 1));
        const x = i % w;
        return Math.min(max, Math.max(0, Math.round(((x / Math.max(1, w - 1)) * 0.8 + rnd() * 0.2) * max)));
      };
      let data: Uint8Array | Uint16Array;
      if (bits === 8) data = u8At(n, off, val);
      else {
        const buf = new Uint16Array(n + off + 3);
        data = buf.subarray(off, off + n);
        for (let i = 0; i < n; i++) data[i] = val(i);
      }
      const raster = createRaster(w, h, data);
      out.push({ name: `${w}x${h}@${off}`, raster });
      const rx = Math.floor(rnd() * w);
      const ry = Math.floor(rnd() * h);
      const roi = { x: rx, y: ry, width: 1 + Math.floor(rnd() * (w - rx)), height: 1 + Math.floor(rnd() * (h - ry)) };
      out.push({ name: `${w}x${h}@${off} roi`, raster, roi });
      const maskVals = [0, 0, 1, 0x80, 0xff, 7];
      const mask = u8At(n, (off + 1) & 3, () => maskVals[Math.floor(rnd() * maskVals.length)]!);
      out.push({ name: `${w}x${h}@${off} mask`, raster, mask });
      out.push({ name: `${w}x${h}@${off} roi+mask`, raster, roi, mask });
      const alignedMask = u8At(n, off, () => maskVals[Math.floor(rnd() * maskVals.length)]!);
      out.push({ name: `${w}x${h}@${off} aligned mask`, raster, roi, mask: alignedMask });
    }
  }
  return out;
}

function inRegion(c: Case, x: number, y: number): boolean {
  const r = c.roi ?? { x: 0, y: 0, width: c.raster.width, height: c.raster.height };
  if (x < r.x || x >= r.x + r.width || y < r.y || y >= r.y + r.height) return false;
  return c.mask === undefined || c.mask[y * c.raster.width + x] !== 0;
}

/** Reference void mask: one comparison per pixel (the documented rule). */
function refThreshold(c: Case, value: number, polarity: Polarity): Uint8Array {
  const { width: W, height: H, data } = c.raster;
  const out = new Uint8Array(W * H);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      if (!inRegion(c, x, y)) continue;
      const v = data[y * W + x]!;
      out[y * W + x] = polarity === 'dark' ? (v <= value ? 1 : 0) : v > value ? 1 : 0;
    }
  }
  return out;
}

function opts(c: Case): { roi?: Roi; mask?: Uint8Array } {
  return { ...(c.roi ? { roi: c.roi } : {}), ...(c.mask ? { mask: c.mask } : {}) };
}

test('applyThreshold (8-bit SWAR path) equals a per-pixel comparison: values inside, between and outside 0..255', () => {
  const values = [-1, 0, 0.5, 1, 37, 127, 127.5, 128, 200.25, 254, 254.9, 255, 256, 1e9, -Infinity, Infinity];
  let checked = 0;
  for (const c of cases(11, 8)) {
    for (const value of values) {
      for (const polarity of ['dark', 'bright'] as const) {
        const got = applyThreshold(c.raster, value, polarity, opts(c));
        assert.deepEqual(got, refThreshold(c, value, polarity), `${c.name} ${polarity} ${value}`);
        checked++;
      }
    }
  }
  assert.ok(checked > 1000);
});

test('applyThreshold 16-bit equals a per-pixel comparison', () => {
  for (const c of cases(12, 16)) {
    for (const value of [-1, 0, 300.5, 32767, 40000, 65534, 65535]) {
      for (const polarity of ['dark', 'bright'] as const) {
        assert.deepEqual(applyThreshold(c.raster, value, polarity, opts(c)), refThreshold(c, value, polarity), `${c.name} ${polarity} ${value}`);
      }
    }
  }
});

test('applyThreshold into a reused buffer (any byte offset, dirty) gives the same mask, returned as that buffer', () => {
  const rnd = mulberry32(13);
  for (const c of [...cases(14, 8), ...cases(15, 16)]) {
    const n = c.raster.width * c.raster.height;
    const top = c.raster.data instanceof Uint8Array ? 256 : 65536;
    for (const off of [0, 1, 2, 3]) {
      const into = u8At(n, off, () => Math.floor(rnd() * 256)); // dirty: previous image
      const value = Math.floor(rnd() * top);
      const polarity: Polarity = rnd() < 0.5 ? 'dark' : 'bright';
      const got = applyThreshold(c.raster, value, polarity, { ...opts(c), into });
      assert.equal(got, into);
      assert.deepEqual(got, refThreshold(c, value, polarity), `${c.name} into@${off}`);
    }
  }
  const r = createRaster(3, 2, new Uint8Array(6));
  assert.throws(() => applyThreshold(r, 1, 'dark', { into: new Uint8Array(5) }), /into must be a Uint8Array of 3×2 = 6/);
});

test('isVoidPixel agrees with the reference rule at the 8-bit SWAR boundary values', () => {
  // The SWAR path turns `value` into T = #{g ≤ value}; the boundary g = T−1 / T must flip.
  for (const value of [0, 99.5, 100, 255]) {
    const r = createRaster(8, 1, Uint8Array.from([0, 98, 99, 100, 101, 254, 255, 255]));
    const dark = applyThreshold(r, value, 'dark');
    for (let i = 0; i < 8; i++) assert.equal(dark[i], isVoidPixel(r.data[i]!, value, 'dark') ? 1 : 0);
  }
  // explicit expectation: pixels ≤ 100 are dark voids at 100 (0, 98, 99, 100)
  assert.deepEqual([...applyThreshold(createRaster(8, 1, Uint8Array.from([0, 98, 99, 100, 101, 254, 255, 255])), 100, 'dark')], [1, 1, 1, 1, 0, 0, 0, 0]);
});

/**
 * Reference histogram straight from the documented rules (histogram.ts module comment):
 * 8-bit: bin = value; 16-bit 'imagej': whole-image min/max, b = (int)((v−min)·256/(max−min+1) + 0.5)
 * clipped to 255; `bins: N`: region min/max, b = (int)((v−min)·N/(max−min+1)) clipped to N−1.
 */
function refHistogram(c: Case, bins: 'imagej' | number): { counts: number[]; pixels: number } {
  const { width: W, height: H, data } = c.raster;
  const is8 = data instanceof Uint8Array;
  let min = Infinity;
  let max = -Infinity;
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      if (bins === 'imagej' ? false : !inRegion(c, x, y)) continue;
      min = Math.min(min, data[y * W + x]!);
      max = Math.max(max, data[y * W + x]!);
    }
  }
  const nb = bins === 'imagej' ? 256 : bins;
  const counts = new Array<number>(nb).fill(0);
  let pixels = 0;
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      if (!inRegion(c, x, y)) continue;
      const v = data[y * W + x]!;
      let b: number;
      if (bins === 'imagej' || (is8 && bins === 256)) b = is8 ? v : Math.min(255, Math.floor((v - min) * (256 / (max - min + 1)) + 0.5));
      else b = Math.min(nb - 1, Math.floor((v - min) * (nb / (max - min + 1))));
      counts[b]!++;
      pixels++;
    }
  }
  return { counts, pixels };
}

test('histogram (8-bit word-wise and masked counting, 16-bit) equals per-pixel counting', () => {
  for (const bits of [8, 16] as const) {
    for (const c of cases(21 + bits, bits)) {
      for (const bins of ['imagej', 256, 7, 1000] as const) {
        const ref = refHistogram(c, bins);
        if (ref.pixels === 0) continue;
        const h = histogram(c.raster, { ...opts(c), bins });
        assert.equal(h.pixels, ref.pixels, `${c.name} ${bins}`);
        assert.deepEqual([...h.counts], ref.counts, `${bits}-bit ${c.name} bins ${bins}`);
      }
    }
  }
});

test('8-bit histogram of a large smooth image (the four-quarter word path) equals per-pixel counting', () => {
  const rnd = mulberry32(31);
  for (const [w, h, off] of [[2048, 37, 0], [1023, 41, 1], [517, 64, 3]] as const) {
    const data = u8At(w * h, off, (i) => Math.min(255, Math.floor(((i % w) / w) * 200 + ((i / w) | 0) + rnd() * 4)));
    const raster = createRaster(w, h, data);
    for (const c of [
      { name: `${w}x${h}`, raster },
      { name: `${w}x${h} rows`, raster, roi: { x: 0, y: 3, width: w, height: h - 5 } },
      { name: `${w}x${h} roi`, raster, roi: { x: 5, y: 3, width: w - 9, height: h - 5 } },
    ]) {
      assert.deepEqual([...histogram(c.raster, opts(c)).counts], refHistogram(c, 'imagej').counts, c.name);
    }
  }
});

// ---------------------------------------------------------------------------------------------
// labelPores

interface RefPore { areaPx: number; cx: number; cy: number; bbox: Roi; touchesBorder: boolean }

/**
 * Reference 8-connected labelling by flood fill (stack), components numbered by their first
 * pixel in raster order; touchesBorder = a pixel on the ROI edge or with a masked-out 8-neighbour.
 */
function refLabel(voids: Uint8Array, W: number, H: number, roi: Roi, mask: Uint8Array | null, minArea: number) {
  const inR = (x: number, y: number): boolean =>
    x >= roi.x && x < roi.x + roi.width && y >= roi.y && y < roi.y + roi.height && voids[y * W + x] !== 0 && (mask === null || mask[y * W + x] !== 0);
  const comp = new Int32Array(W * H);
  const all: RefPore[] = [];
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      if (!inR(x, y) || comp[y * W + x] !== 0) continue;
      const id = all.length + 1;
      const stack = [y * W + x];
      comp[y * W + x] = id;
      let a = 0, sx = 0, sy = 0, x0 = x, x1 = x, y0 = y, y1 = y, border = false;
      while (stack.length > 0) {
        const p = stack.pop()!;
        const px = p % W, py = (p - px) / W;
        a++; sx += px; sy += py;
        x0 = Math.min(x0, px); x1 = Math.max(x1, px); y0 = Math.min(y0, py); y1 = Math.max(y1, py);
        if (px === roi.x || px === roi.x + roi.width - 1 || py === roi.y || py === roi.y + roi.height - 1) border = true;
        for (let dy = -1; dy <= 1; dy++) {
          for (let dx = -1; dx <= 1; dx++) {
            const qx = px + dx, qy = py + dy;
            if (dx === 0 && dy === 0) continue;
            if (mask !== null && qx >= 0 && qx < W && qy >= 0 && qy < H && mask[qy * W + qx] === 0) border = true;
            if (inR(qx, qy) && comp[qy * W + qx] === 0) {
              comp[qy * W + qx] = id;
              stack.push(qy * W + qx);
            }
          }
        }
      }
      all.push({ areaPx: a, cx: sx / a + 0.5, cy: sy / a + 0.5, bbox: { x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 }, touchesBorder: border });
    }
  }
  const pores = all.filter((p) => p.areaPx >= minArea);
  const newId = new Int32Array(all.length + 1);
  let k = 0;
  all.forEach((p, i) => (newId[i + 1] = p.areaPx >= minArea ? ++k : -1));
  const labels = comp.map((c) => (c === 0 ? 0 : newId[c]!));
  const specks = all.length - pores.length;
  const speckPixels = all.filter((p) => p.areaPx < minArea).reduce((s, p) => s + p.areaPx, 0);
  return { pores, specks, speckPixels, voidPixels: all.reduce((s, p) => s + p.areaPx, 0), labels };
}

test('labelPores (word-wise run scanning) equals a flood-fill reference: 0/1 and other void values, offsets 0…7, ROIs, masks', () => {
  const rnd = mulberry32(41);
  let compared = 0;
  for (const [W, H] of [[1, 1], [9, 3], [33, 17], [131, 40], [257, 23]] as const) {
    for (let rep = 0; rep < 6; rep++) {
      const off = rep % 8 === 0 ? 0 : Math.floor(rnd() * 8);
      const binary = rep % 3 !== 2; // else void values 1, 0x80, 0xff mixed (non-zero = void)
      const density = [0.05, 0.45, 0.9][rep % 3]!;
      // blobs: random rectangles and discs (long runs), plus salt noise
      const field = new Uint8Array(W * H);
      for (let b = 0; b < 6; b++) {
        const cx = rnd() * W, cy = rnd() * H, r = 1 + rnd() * Math.max(W, H) * 0.3;
        for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) if ((x - cx) ** 2 + (y - cy) ** 2 < r * r) field[y * W + x] = 1;
      }
      const vals = [1, 0x80, 0xff, 3];
      const voids = u8At(W * H, off, (i) => {
        const v = field[i] === 1 ? rnd() < 0.97 : rnd() < density * 0.2;
        return v ? (binary ? 1 : vals[Math.floor(rnd() * vals.length)]!) : 0;
      });
      const rx = Math.floor(rnd() * W * 0.3), ry = Math.floor(rnd() * H * 0.3);
      const rois: Roi[] = [{ x: 0, y: 0, width: W, height: H }, { x: rx, y: ry, width: W - rx - Math.floor(rnd() * (W - rx)), height: H - ry }];
      const mask = u8At(W * H, (off + 3) & 7, () => (rnd() < 0.1 ? 0 : [1, 0x80, 0xff][Math.floor(rnd() * 3)]!));
      for (const roi of rois) {
        if (roi.width < 1 || roi.height < 1) continue;
        for (const m of [null, mask]) {
          for (const minArea of [0, 4]) {
            const got = labelPores(voids, W, H, { roi, mask: m }, { minAreaPx: minArea, labels: true });
            const ref = refLabel(voids, W, H, roi, m, minArea);
            const name = `${W}x${H}@${off} roi ${JSON.stringify(roi)} mask ${m !== null} min ${minArea}`;
            assert.equal(got.voidPixels, ref.voidPixels, name);
            assert.equal(got.specks, ref.specks, name);
            assert.equal(got.speckPixels, ref.speckPixels, name);
            assert.deepEqual(
              got.pores.map((p) => ({ areaPx: p.areaPx, cx: p.centroidPx.x, cy: p.centroidPx.y, bbox: p.bbox, touchesBorder: p.touchesBorder })),
              ref.pores,
              name,
            );
            assert.deepEqual(got.labels, ref.labels, name);
            compared++;
          }
        }
      }
    }
  }
  assert.ok(compared > 100);
});

test('labelPores: a void byte 0x80 alone in an 8-byte word (the bit pattern of −0.0) is not skipped as background', () => {
  for (let pos = 0; pos < 16; pos++) {
    const voids = new Uint8Array(24);
    voids[pos] = 0x80;
    const r = labelPores(voids, 24, 1, { roi: { x: 0, y: 0, width: 24, height: 1 } });
    assert.equal(r.voidPixels, 1, `pixel ${pos}`);
    assert.deepEqual(r.pores[0]!.bbox, { x: pos, y: 0, width: 1, height: 1 });
  }
});

// ---------------------------------------------------------------------------------------------
// detectDatabar

/**
 * Reference data-bar detection: the rules of src/segmentation/metadata/databar.ts (module
 * comment) written plainly — one row histogram per row when asked, per-pixel tests with Math.abs.
 * (This is the implementation the fast one replaced, kept here as the specification.)
 */
function refDetectDatabar(raster: Raster): { rows: number } | null {
  const { width: W, height: H } = raster;
  const TOL = 2;
  if (W < 16 || H < 32) return null;
  const maxRows = Math.floor(0.35 * H);
  const minRows = Math.max(5, Math.ceil(0.01 * H));
  const lowest = Math.max(0, H - maxRows - 16 - 3 - 1);
  const d = raster.data;
  let bin: (i: number) => number;
  if (raster.bitDepth === 8) bin = (i) => d[i]!;
  else {
    let min = Infinity, max = -Infinity;
    for (let i = 0; i < d.length; i++) { min = Math.min(min, d[i]!); max = Math.max(max, d[i]!); }
    bin = (i) => (max > min ? Math.min(255, Math.floor((d[i]! - min) * (256 / (max - min)))) : 0);
  }
  const stat = (y: number): { mode: number; frac: number; exact: number } => {
    const hist = new Array<number>(256).fill(0);
    for (let x = 0; x < W; x++) hist[bin(y * W + x)]!++;
    const exact = Math.max(...hist);
    let best = -1, mode = 0;
    for (let m = 0; m < 256; m++) {
      let win = 0;
      for (let k = Math.max(0, m - TOL); k <= Math.min(255, m + TOL); k++) win += hist[k]!;
      if (win > best) { best = win; mode = m; }
    }
    let peak = Math.max(0, mode - TOL);
    for (let k = peak; k <= Math.min(255, mode + TOL); k++) if (hist[k]! > hist[peak]!) peak = k;
    return { mode: peak, frac: best / W, exact: exact / W };
  };
  let y0 = H - 1, tail = 0;
  while (y0 >= lowest && stat(y0).frac < 0.5 && tail < 3) { y0--; tail++; }
  if (y0 < lowest || stat(y0).frac < 0.5) return null;
  const votes = new Array<number>(256).fill(0);
  for (let y = y0, weak = 0; y >= lowest; y--) {
    const s = stat(y);
    if (s.frac >= 0.5) { votes[s.mode]!++; weak = 0; } else if (s.frac >= 0.25 && weak < 8) weak++; else break;
  }
  let bgBest = 0, n = -1;
  for (let m = 0; m < 256; m++) {
    let s = 0;
    for (let k = Math.max(0, m - TOL); k <= Math.min(255, m + TOL); k++) s += votes[k]!;
    if (s > n) { bgBest = m; n = s; }
  }
  let bg = Math.max(0, bgBest - TOL);
  for (let k = bg; k <= Math.min(255, bgBest + TOL); k++) if (votes[k]! > votes[bg]!) bg = k;
  let top = -1;
  for (let y = H - 1, weak = 0, skipped = 0; y >= lowest; y--) {
    const s = stat(y);
    const onBg = Math.abs(s.mode - bg) <= TOL;
    if ((s.frac >= 0.5 && onBg) || s.frac >= 0.85) { top = y; weak = 0; }
    else if (top >= 0 && s.frac >= 0.25 && onBg && weak < 8) weak++;
    else if (top < 0 && skipped < 3) skipped++;
    else break;
  }
  if (top < 0) return null;
  const rows = H - top;
  if (rows < minRows || rows > maxRows) return null;
  const above = stat(top - 1);
  if (above.exact >= 0.35 || stat(top).frac - above.exact < 0.35) return null;
  const fr: number[] = [];
  let bgAbove = 0, nAbove = 0;
  for (let k = 1; k <= 16 && top - k >= 0; k++) {
    fr.push(stat(top - k).exact);
    for (let x = 0; x < W; x++) if (Math.abs(bin((top - k) * W + x) - bg) <= TOL) bgAbove++;
    nAbove += W;
  }
  fr.sort((a, b) => a - b);
  if (fr.length < 4 || fr[Math.floor(fr.length / 2)]! >= 0.3 || bgAbove / nAbove >= 0.25) return null;
  let fullCols = 0, ink = 0;
  for (let x = 0; x < W; x++) {
    let c = 0;
    for (let y = top; y < H; y++) {
      const dv = Math.abs(bin(y * W + x) - bg);
      if (dv <= TOL) c++;
      else if (dv >= 64) ink++;
    }
    if (c >= 0.5 * rows) fullCols++;
  }
  if (fullCols < 0.8 * W || ink < 0.003 * rows * W) return null;
  return { rows };
}

/** A micrograph (smooth + noise) with an optional burnt-in bar: background, ink, frame line, stray tail rows, JPEG-like ±2 ringing. */
function barImage(rnd: () => number, W: number, H: number, bits: 8 | 16, off: number, bar: number) {
  const bg = Math.floor(rnd() * 256);
  const ink = rnd() * 0.06;
  const jpeg = rnd() < 0.4;
  const tail = rnd() < 0.3 ? 1 + Math.floor(rnd() * 3) : 0;
  const frame = rnd() < 0.5;
  const noise = 4 + rnd() * 40;
  const level = 30 + rnd() * 190;
  const val = (i: number): number => {
    const x = i % W, y = (i - x) / W;
    let v: number;
    if (y >= H - tail) v = rnd() * 255;
    else if (bar > 0 && y >= H - bar) {
      if (frame && y === H - bar) v = 255;
      else v = rnd() < ink ? (bg + 128) % 256 : bg + (jpeg ? Math.floor(rnd() * 5) - 2 : 0);
    } else v = level + (rnd() - 0.5) * noise * 2 + 20 * Math.sin(x / 9 + y / 13);
    return Math.max(0, Math.min(255, Math.round(v)));
  };
  if (bits === 8) return createRaster(W, H, u8At(W * H, off, val));
  const buf = new Uint16Array(W * H + off);
  const data = buf.subarray(off);
  for (let i = 0; i < W * H; i++) data[i] = val(i) * 257;
  return createRaster(W, H, data);
}

test('detectDatabar (typed-array row statistics, word-wise column counts) equals the plain reference: bars of many heights, none, 8/16-bit, odd widths', () => {
  const rnd = mulberry32(51);
  let detected = 0;
  let absent = 0;
  for (let k = 0; k < 160; k++) {
    const W = [16, 17, 64, 100, 203, 256, 515][k % 7]!;
    const H = 32 + Math.floor(rnd() * 220);
    const bar = k % 5 === 0 ? 0 : Math.floor(rnd() * 0.4 * H);
    const r = barImage(rnd, W, H, k % 6 === 5 ? 16 : 8, Math.floor(rnd() * 4), bar);
    const got = detectDatabar(r);
    const ref = refDetectDatabar(r);
    assert.deepEqual(got ? { rows: got.rows } : null, ref, `#${k} ${W}x${H} bar ${bar}`);
    if (got) detected++;
    else absent++;
  }
  // both outcomes are exercised
  assert.ok(detected > 20 && absent > 20, `${detected} detected, ${absent} not`);
});

test('detectDatabar finds a 24-row bar on a 2048-wide 8-bit image (ground truth: drawn here) and nothing without it', () => {
  const rnd = mulberry32(52);
  const W = 2049; // odd: rows start at every 32-bit alignment
  const H = 200;
  const make = (bar: number): Raster =>
    createRaster(W, H, u8At(W * H, 1, (i) => {
      const x = i % W, y = (i - x) / W;
      if (y >= H - bar) return x % 50 < 3 && y % 6 < 4 ? 250 : 40; // background 40, "text" blocks of 250
      return Math.round(120 + 30 * Math.sin(x / 17) + (rnd() - 0.5) * 60);
    }));
  const r = make(24);
  assert.deepEqual(detectDatabar(r), { rows: 24, source: 'detected from pixels' });
  assert.deepEqual(refDetectDatabar(r), { rows: 24 });
  assert.equal(detectDatabar(make(0)), null);
  assert.equal(refDetectDatabar(make(0)), null);
});
