/**
 * The fast overlay path (palette PNG written by render's encodeIndexedPng, overlay drawn as palette
 * indices by drawOverlayIndexed) against plain references:
 *  - PNG bytes decoded by sharp/libvips and by node:zlib (which checks the Adler-32) must give back exactly
 *    the palette colours of the indices, for odd sizes, rows longer than a stored block, several IDAT chunks
 *    and index arrays at any byte offset;
 *  - the indexed overlay must match drawOverlay's exact RGBA within the palette's stated rounding (grey ±1,
 *    pore tint ±1, speck tint ±2; caption/scale-bar pixels: their nearest palette colour), on 8- and 16-bit
 *    images, ROIs, masks, with and without labels, and tiny images where caption and scale bar overlap.
 * Expected values come from the plain references computed here (per-pixel loops, drawOverlay itself) and
 * from the palette's construction (rounding bounds stated in OVERLAY_PALETTE's comment: 128 grey levels
 * k·255/127 → ±1; 64 pore-tint levels of slope 105/255 → ±1; 42 speck-tint levels of slope 85/255 → ±2).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inflateSync } from 'node:zlib';
import sharp from 'sharp';
import { createRaster, type Raster } from '../../src/raster/types.js';
import {
  createRgba,
  displayGrey,
  drawScaleBar,
  drawScaleBarLayout,
  drawText,
  encodeIndexedPng,
  greyToRgba,
  scaleBarLayout,
  textBounds,
  type RgbaImage,
} from '../../src/render/index.js';
import { measurePorosityDetailed, type MeasureOptions } from '../../src/segmentation/porosity.js';
import { OVERLAY_PALETTE, drawOverlay, drawOverlayIndexed, renderOverlay } from '../../src/render/overlay.js';
import { mulberry32 as rng } from '../../scripts/lib/random.js';

/** PNG chunks (type, body) of a PNG file. */
function chunks(png: Buffer): { type: string; body: Buffer }[] {
  const out: { type: string; body: Buffer }[] = [];
  for (let p = 8; p < png.length; ) {
    const n = png.readUInt32BE(p);
    out.push({ type: png.toString('latin1', p + 4, p + 8), body: png.subarray(p + 8, p + 8 + n) });
    p += 12 + n;
  }
  return out;
}

test('encodeIndexedPng: palette PNG that decodes to the palette colours of the indices (sizes, offsets, levels, IDAT splits)', async () => {
  const rand = rng(7);
  const palette = Array.from({ length: 256 }, () => [0, 0, 0].map(() => Math.floor(rand() * 256)) as [number, number, number]);
  // [width, height, byte offset of the index array, zlib level]
  const cases: [number, number, number, number][] = [
    [1, 1, 0, 0],
    [3, 5, 1, 0],
    [37, 11, 2, 0],
    [37, 11, 3, 1],
    [70001, 2, 1, 0], // rows longer than a stored block (65535 bytes)
    [301, 299, 0, 0], // several stored blocks, row boundaries inside blocks
    [301, 299, 3, 6],
    [3001, 2900, 1, 0], // > 8 MiB of zlib data: several IDAT chunks
  ];
  for (const [w, h, offset, level] of cases) {
    const store = new Uint8Array(w * h + offset);
    const data = store.subarray(offset);
    for (let i = 0; i < data.length; i++) data[i] = rand() < 0.3 ? 17 : Math.floor(rand() * 256); // runs and noise
    const png = await encodeIndexedPng({ width: w, height: h, data, palette }, { compressionLevel: level });
    const label = `${w}×${h} offset ${offset} level ${level}`;
    const meta = await sharp(png).metadata();
    assert.equal(meta.isPalette, true, label);
    assert.equal(meta.width, w, label);
    assert.equal(meta.height, h, label);
    // zlib itself inflates the IDAT stream (it verifies the Adler-32) to the scanlines: filter 0 + indices.
    const cs = chunks(png);
    assert.deepEqual([...new Set(cs.map((c) => c.type))], ['IHDR', 'PLTE', 'IDAT', 'IEND'], label);
    if (w * h > 8 << 20) assert.ok(cs.filter((c) => c.type === 'IDAT').length > 1, label);
    const raw = inflateSync(Buffer.concat(cs.filter((c) => c.type === 'IDAT').map((c) => c.body)));
    assert.equal(raw.length, (w + 1) * h, label);
    for (let y = 0; y < h; y++) {
      assert.equal(raw[y * (w + 1)], 0, label);
      assert.ok(Buffer.from(data.buffer, data.byteOffset + y * w, w).equals(raw.subarray(y * (w + 1) + 1, (y + 1) * (w + 1))), `${label} row ${y}`);
    }
    if (w * h <= 100_000) {
      const rgb = await sharp(png).removeAlpha().raw().toBuffer();
      for (let i = 0; i < w * h; i++) {
        const c = palette[data[i]!]!;
        if (rgb[3 * i] !== c[0] || rgb[3 * i + 1] !== c[1] || rgb[3 * i + 2] !== c[2]) assert.fail(`${label}: pixel ${i} decodes to ${[...rgb.subarray(3 * i, 3 * i + 3)]}, palette ${c}`);
      }
    }
  }
  await assert.rejects(encodeIndexedPng({ width: 2, height: 2, data: new Uint8Array(3), palette }), RangeError);
  await assert.rejects(encodeIndexedPng({ width: 2, height: 2, data: new Uint8Array(4), palette: [] }), RangeError);
  await assert.rejects(encodeIndexedPng({ width: 1, height: 1, data: new Uint8Array(1), palette }, { compressionLevel: 10 }), RangeError);
});

/** a·(1 − α) + c·α in integers: the overlay's tint rule (reference copy). */
const mix = (a: number, c: number, alpha: number) => ((a * (255 - alpha) + c * alpha + 127) / 255) | 0;

/** Palette index nearest to an RGB colour (squared distance, lowest index on ties), by brute force. */
function nearestRef(c: number[]): number {
  let best = 0;
  for (let k = 1; k < OVERLAY_PALETTE.length; k++) {
    const d = (p: readonly number[]) => (p[0]! - c[0]!) ** 2 + (p[1]! - c[1]!) ** 2 + (p[2]! - c[2]!) ** 2;
    if (d(OVERLAY_PALETTE[k]!) < d(OVERLAY_PALETTE[best]!)) best = k;
  }
  return best;
}

interface Case {
  name: string;
  raster: Raster;
  options: MeasureOptions;
  labels: boolean;
}

function cases(): Case[] {
  const rand = rng(11);
  const out: Case[] = [];
  const blobs = (w: number, h: number, max: number, dark: number) => {
    const d = new Float64Array(w * h);
    for (let i = 0; i < d.length; i++) d[i] = max * (0.55 + 0.1 * rand());
    for (let k = 0; k < (w * h) / 400; k++) {
      const cx = rand() * w;
      const cy = rand() * h;
      const r = 1 + rand() * 7;
      for (let y = Math.max(0, Math.floor(cy - r)); y < Math.min(h, cy + r); y++) {
        for (let x = Math.max(0, Math.floor(cx - r)); x < Math.min(w, cx + r); x++) if ((x - cx) ** 2 + (y - cy) ** 2 <= r * r) d[y * w + x] = dark * (0.5 + rand());
      }
    }
    return d;
  };
  const cal = { value: 0.05, unit: 'µm' as const, source: 'test' };
  // 8-bit, odd size, calibrated (scale bar), ROI, specks (minPore 12 px), data bar excluded.
  {
    const [w, h] = [203, 131];
    out.push({
      name: '8-bit ROI + data bar',
      raster: createRaster(w, h, Uint8Array.from(blobs(w, h, 255, 40), Math.round), { pixelSize: cal }),
      options: { threshold: 90, roi: { x: 7, y: 5, width: 150, height: 101 }, minPore: { value: 12, unit: 'px' }, databar: { rows: 12, source: 'test' } },
      labels: true,
    });
  }
  // Same image without labels (voids only), with an analysis mask.
  {
    const [w, h] = [203, 131];
    const mask = new Uint8Array(w * h);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) mask[y * w + x] = (x - 100) ** 2 + (y - 60) ** 2 < 55 ** 2 ? 255 : 0;
    out.push({
      name: '8-bit mask, no labels',
      raster: createRaster(w, h, Uint8Array.from(blobs(w, h, 255, 40), Math.round), { pixelSize: cal }),
      options: { threshold: 90, mask },
      labels: false,
    });
    out.push({
      name: '8-bit mask + labels',
      raster: createRaster(w, h, Uint8Array.from(blobs(w, h, 255, 40), Math.round), { pixelSize: cal }),
      options: { threshold: 90, mask, minPore: { value: 12, unit: 'px' } },
      labels: true,
    });
  }
  // 16-bit (display scaled to its min..max), wide enough for the 32-px font (≥ 1200), uncalibrated.
  {
    const [w, h] = [1211, 97];
    out.push({
      name: '16-bit wide',
      raster: createRaster(w, h, Uint16Array.from(blobs(w, h, 40000, 6000), Math.round)),
      options: { threshold: 15000, minPore: { value: 5, unit: 'px' } },
      labels: true,
    });
  }
  // Tiny calibrated image: caption and scale bar overlap (drawn together on one piece).
  {
    const [w, h] = [61, 43];
    out.push({
      name: 'tiny, caption over scale bar',
      raster: createRaster(w, h, Uint8Array.from(blobs(w, h, 255, 40), Math.round), { pixelSize: { ...cal, value: 0.5 } }),
      options: { threshold: 90 },
      labels: true,
    });
  }
  return out;
}

test('drawOverlayIndexed matches drawOverlay within the palette rounding; renderOverlay writes exactly those pictures', async () => {
  for (const c of cases()) {
    const det = measurePorosityDetailed(c.raster, c.options, { labels: c.labels });
    assert.equal(det.labels !== null, c.labels, c.name);
    const { width, height } = c.raster;
    const exact = drawOverlay(c.raster, det);
    const idx = drawOverlayIndexed(c.raster, det);
    // Reference class colour of every pixel (per-pixel rule, written out plainly here).
    const grey = displayGrey(c.raster);
    const roi = det.result.roi;
    let counts = { plain: 0, pore: 0, speck: 0, outside: 0, decorated: 0, whiteText: 0 };
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const i = y * width + x;
        const g = grey[i]!;
        const inRoi = x >= roi.x && x < roi.x + roi.width && y >= roi.y && y < roi.y + roi.height;
        const l = !inRoi ? 0 : det.labels ? det.labels[i]! : det.voids[i]!;
        const cls = !inRoi ? 'outside' : l > 0 ? 'pore' : l < 0 ? 'speck' : det.regionMask && det.regionMask[i] === 0 ? 'outside' : 'plain';
        const tint = { plain: null, pore: [255, 32, 32, 150], speck: [255, 215, 0, 170], outside: [0, 0, 0, 120] }[cls];
        const ref = tint ? [mix(g, tint[0]!, tint[3]!), mix(g, tint[1]!, tint[3]!), mix(g, tint[2]!, tint[3]!)] : [g, g, g];
        const ex = [...exact.data.subarray(4 * i, 4 * i + 3)];
        const got = OVERLAY_PALETTE[idx[i]!]!;
        const diff = Math.max(...ex.map((v, k) => Math.abs(v - got[k]!)));
        const where = `${c.name} (${x},${y}) ${cls}: exact ${ex}, palette ${got}`;
        if (ex.every((v, k) => v === ref[k])) {
          counts[cls]++;
          assert.ok(diff <= (cls === 'speck' ? 2 : 1), where);
          if (cls !== 'plain' && cls !== 'outside') assert.ok(got[0] - got[2] >= 60, `tint kept: ${where}`);
        } else {
          // Outline, caption, scale bar: the nearest palette colour (so grey stays grey within ±1, and the cyan
          // outline is exact).
          counts.decorated++;
          assert.equal(idx[i], nearestRef(ex), where);
          if (ex[0] === ex[1] && ex[1] === ex[2]) assert.ok(diff <= 1 && got[0] === got[1] && got[1] === got[2], where);
          if (ex[0] === 0 && ex[1] === 230 && ex[2] === 255) assert.equal(diff, 0, where);
          if (ex[0] === 255 && ex[1] === 255 && ex[2] === 255) counts.whiteText += got[0] === 255 && got[1] === 255 && got[2] === 255 ? 1 : 0;
        }
      }
    }
    // (the tiny image is nearly all caption and scale bar)
    assert.ok((counts.pore > 0 && counts.plain > 0) || c.name.startsWith('tiny'), `${c.name}: ${JSON.stringify(counts)}`);
    assert.ok(counts.decorated > 0 && counts.whiteText > 0, `${c.name}: ${JSON.stringify(counts)}`);
    if (c.options.minPore) assert.ok(counts.speck > 0, `${c.name}: specks expected, ${JSON.stringify(counts)}`);
    if (c.options.mask || c.options.roi) assert.ok(counts.outside > 0, `${c.name}: ${JSON.stringify(counts)}`);

    // The written PNGs decode to exactly these pictures.
    const pal = await sharp(await renderOverlay(c.raster, det)).removeAlpha().raw().toBuffer();
    for (let i = 0; i < width * height; i++) {
      const p = OVERLAY_PALETTE[idx[i]!]!;
      if (pal[3 * i] !== p[0] || pal[3 * i + 1] !== p[1] || pal[3 * i + 2] !== p[2]) assert.fail(`${c.name}: palette PNG pixel ${i}`);
    }
    const rgb = await sharp(await renderOverlay(c.raster, det, { colours: 'exact' })).raw().toBuffer({ resolveWithObject: true });
    assert.equal(rgb.info.channels, 3);
    for (let i = 0; i < width * height; i++) {
      if (rgb.data[3 * i] !== exact.data[4 * i] || rgb.data[3 * i + 1] !== exact.data[4 * i + 1] || rgb.data[3 * i + 2] !== exact.data[4 * i + 2]) assert.fail(`${c.name}: exact PNG pixel ${i}`);
    }
    // A reused index buffer (dirty) gives the same picture, in that buffer.
    const into = new Uint8Array(width * height).fill(99);
    assert.equal(drawOverlayIndexed(c.raster, det, into), into);
    assert.deepEqual(into, idx, c.name);
  }
});

test('displayGrey is greyToRgba\'s grey channel (8-bit: the data itself; 16-bit: min..max, rounded)', () => {
  const d16 = Uint16Array.from([100, 1100, 600, 350, 100, 1100]);
  const r16 = createRaster(3, 2, d16);
  // (600 − 100)·255/1000 = 127.5 → 128; (350 − 100)·0.255 = 63.75 → 64
  assert.deepEqual([...displayGrey(r16)], [0, 255, 128, 64, 0, 255]);
  const rgba = greyToRgba(r16);
  assert.deepEqual([...displayGrey(r16)], [...rgba.data].filter((_, k) => k % 4 === 0));
  const r8 = createRaster(2, 1, Uint8Array.from([3, 250]));
  assert.equal(displayGrey(r8), r8.data);
  assert.deepEqual([...displayGrey(r8, { min: 3, max: 253 })], [0, 252]); // (250 − 3)·255/250 = 251.94 → 252
});

test('textBounds holds every pixel drawText touches; scale bar drawn on a piece equals the same part of the whole', () => {
  for (const [text, size] of [['Otsu t=139  void 43.41 %, 16 pores', 32], ['2 µm', 16], ['jgq|', 16], ['', 16]] as const) {
    const img = createRgba(900, 80, [0, 0, 0, 0]);
    drawText(img, 20.4, 10.6, text, { size });
    const b = textBounds(text, size);
    let touched = 0;
    for (let y = 0; y < img.height; y++) {
      for (let x = 0; x < img.width; x++) {
        if (img.data[4 * (y * img.width + x) + 3] === 0) continue;
        touched++;
        assert.ok(x >= 20 + b.left && x < 20 + b.right && y >= 11 + b.top && y < 11 + b.bottom, `${text}: (${x},${y}) outside ${JSON.stringify(b)}`);
      }
    }
    assert.equal(touched > 0, text.length > 0, text);
  }
  const rand = rng(3);
  const base = createRgba(257, 151);
  for (let i = 0; i < base.data.length; i++) base.data[i] = i % 4 === 3 ? 255 : Math.floor(rand() * 256);
  const whole: RgbaImage = { ...base, data: base.data.slice() };
  const ps = { value: 0.07, unit: 'µm' as const, source: 'test' };
  const bar = drawScaleBar(whole, ps, { bottom: 140 });
  const l = scaleBarLayout(257, 151, ps, { bottom: 140 });
  assert.deepEqual(l.bar, bar);
  const [ox, oy, pw, ph] = [l.box.x - 3, l.box.y - 2, l.box.width + 6, l.box.height + 4];
  const piece = createRgba(pw, ph);
  for (let y = 0; y < ph; y++) piece.data.set(base.data.subarray(4 * ((oy + y) * 257 + ox), 4 * ((oy + y) * 257 + ox + pw)), 4 * y * pw);
  drawScaleBarLayout(piece, l, ox, oy);
  for (let y = 0; y < ph; y++) assert.deepEqual(piece.data.subarray(4 * y * pw, 4 * (y + 1) * pw), whole.data.subarray(4 * ((oy + y) * 257 + ox), 4 * ((oy + y) * 257 + ox + pw)), `row ${y}`);
});
