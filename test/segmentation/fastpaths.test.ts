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
  for (const c of cases(14, 8)) {
    const n = c.raster.width * c.raster.height;
    for (const off of [0, 1, 2, 3]) {
      const into = u8At(n, off, () => Math.floor(rnd() * 256)); // dirty: previous image
      const value = Math.floor(rnd() * 256);
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
