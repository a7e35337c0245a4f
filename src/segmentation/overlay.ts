/**
 * Overlay and void-mask pictures for checking a porosity segmentation by eye.
 *
 * Overlay: the grey image (display-scaled; 16-bit → its min..max), with
 *  - pores tinted red, specks (components below the minimum pore size) tinted yellow;
 *  - pixels outside the analysed region (outside the ROI/mask, and the excluded data bar)
 *    dimmed, and the analysed rectangle outlined in cyan;
 *  - a caption (method, threshold, void %) at the top left;
 *  - when calibrated, a scale bar with its length, drawn above the data bar.
 * Void mask: 0/255 grey PNG of the full image size, 255 = void (0 in the data bar and
 * outside the analysed region).
 */
import type { Raster } from '../raster/types.js';
import sharp from 'sharp';
import { drawScaleBar, drawText, fillRect, greyToRgba, strokeRect, textHeight, textWidth } from '../render/index.js';
import type { RgbaImage, Rgba } from '../render/index.js';
import type { PorosityDetail } from './porosity.js';

const PORE: Rgba = [255, 32, 32, 150];
const SPECK: Rgba = [255, 215, 0, 170];
const OUTSIDE: Rgba = [0, 0, 0, 120];
const OUTLINE: Rgba = [0, 230, 255, 255];

function formatNumber(v: number): string {
  return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(6)));
}

/** a·(1 − α) + c·α in integers (α in 0..255). */
function mix(a: number, c: number, alpha: number): number {
  return (a * (255 - alpha) + c * alpha + 127) / 255 | 0;
}

/** Pixel classes of the overlay, in the order of TINTS. */
const NONE = 0;
const TINTS: (Rgba | null)[] = [null, PORE, SPECK, OUTSIDE];
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * The RGBA result of tinting every display grey level with every class: lut[c·256 + g] is the
 * packed (little-endian) RGBA of grey g under class c, `mix` applied per channel, alpha 255.
 */
function tintTable(): Uint32Array {
  const lut = new Uint32Array(4 * 256);
  for (let c = 0; c < 4; c++) {
    const t = TINTS[c];
    for (let g = 0; g < 256; g++) {
      const [r, gg, b] = t ? [mix(g, t[0], t[3]), mix(g, t[1], t[3]), mix(g, t[2], t[3])] : [g, g, g];
      lut[c * 256 + g] = (r | (gg << 8) | (b << 16) | (255 << 24)) >>> 0;
    }
  }
  return lut;
}

/**
 * render's greyToRgba, with a fast path for 8-bit images: their display mapping is fixed (it does
 * not depend on the data), so it is taken from greyToRgba itself on a 0..255 ramp and applied with
 * one 32-bit store per pixel.
 */
function displayRgba(raster: Raster, into?: Uint8Array): RgbaImage {
  const { width, height, data } = raster;
  if (!(LITTLE_ENDIAN && raster.bitDepth === 8 && raster.sampleFormat === 'uint' && data instanceof Uint8Array)) return greyToRgba(raster);
  const ramp = greyToRgba({ ...raster, width: 256, height: 1, data: Uint8Array.from({ length: 256 }, (_, i) => i) });
  const map = new Uint32Array(ramp.data.buffer, ramp.data.byteOffset, 256);
  // (every pixel is written below, so a reused buffer needs no clearing)
  const out = into && into.length === width * height * 4 && into.byteOffset === 0 ? into : new Uint8Array(width * height * 4);
  const o32 = new Uint32Array(out.buffer);
  for (let i = 0, n = width * height; i < n; i++) o32[i] = map[data[i]!]!;
  return { width, height, data: out };
}

/** Draw the overlay into an RGBA picture of the full image (data bar included). */
export function drawOverlay(raster: Raster, detail: PorosityDetail): RgbaImage {
  return drawOverlayInto(raster, detail);
}

/** drawOverlay, drawing into `into` (width·height·4 bytes) when given and 8-bit. */
function drawOverlayInto(raster: Raster, detail: PorosityDetail, into?: Uint8Array): RgbaImage {
  // Grey → RGBA with render's display mapping, then every pixel's tint looked up from its display
  // grey and its class in one pass (one 32-bit store per pixel; same integer blend as `mix`).
  const img = displayRgba(raster, into);
  const { result, labels, voids } = detail;
  const { width, height } = raster;
  const roi = result.roi;
  const regionMask = detail.regionMask;
  const d = img.data;
  const x1 = roi.x + roi.width;
  const y1 = roi.y + roi.height;
  const lut = tintTable();
  const d32 = LITTLE_ENDIAN && d.byteOffset % 4 === 0 ? new Uint32Array(d.buffer, d.byteOffset, width * height) : null;
  const paint = (i: number, c: number): void => {
    if (d32) d32[i] = lut[c * 256 + (d32[i]! & 255)]!;
    else {
      const v = lut[c * 256 + d[4 * i]!]!;
      d[4 * i] = v & 255;
      d[4 * i + 1] = (v >>> 8) & 255;
      d[4 * i + 2] = (v >>> 16) & 255;
    }
  };
  for (let y = 0; y < height; y++) {
    const o = y * width;
    if (y < roi.y || y >= y1) {
      for (let i = o, e = o + width; i < e; i++) paint(i, 3);
      continue;
    }
    for (let i = o, e = o + roi.x; i < e; i++) paint(i, 3);
    for (let i = o + roi.x, e = o + x1; i < e; i++) {
      const l = labels ? labels[i]! : voids[i]!;
      const c = l > 0 ? 1 : l < 0 ? 2 : regionMask && regionMask[i] === 0 ? 3 : NONE;
      if (c !== NONE) paint(i, c);
    }
    for (let i = o + x1, e = o + width; i < e; i++) paint(i, 3);
  }
  strokeRect(img, roi, OUTLINE, Math.max(1, Math.round(width / 500)));
  // Caption (two lines when one does not fit).
  const size = width >= 1200 ? 32 : 16;
  const pad = Math.round(size / 4);
  const part1 = `${result.method} t=${formatNumber(result.threshold.value)}`;
  const part2 = `void ${result.porosityPercent.toFixed(2)} %, ${result.pores.count} pores`;
  const lines = textWidth(`${part1}  ${part2}`, size) + 2 * pad <= roi.width ? [`${part1}  ${part2}`] : [part1, part2];
  const lh = textHeight(size);
  const cw = Math.min(roi.width, Math.max(...lines.map((l) => textWidth(l, size))) + 2 * pad);
  fillRect(img, roi.x, roi.y, cw, lh * lines.length + 2 * pad, [0, 0, 0, 170]);
  lines.forEach((l, k) => drawText(img, roi.x + pad, roi.y + pad + k * lh, l, { size, color: 'white' }));
  if (result.pixelSize) {
    drawScaleBar(img, { ...result.pixelSize }, { corner: 'bottom-right', bottom: detail.analysed.height });
  }
  return img;
}

/**
 * Overlay PNG bytes: RGB (the overlay is opaque; alpha dropped), zlib level 2 without adaptive filtering — about
 * 10× faster than render's encodePng (RGBA, level 6) on 3-megapixel overlays, files ≈ 1.5× larger.
 */
export async function renderOverlay(raster: Raster, detail: PorosityDetail): Promise<Buffer> {
  // The RGBA picture is drawn into a per-thread spare buffer (a fresh 12 MB array per 3-Mpx
  // image costs more than drawing it), taken for the duration of the encode and then given back.
  const n = raster.width * raster.height * 4;
  const into = spareRgba && spareRgba.length === n ? spareRgba : undefined;
  if (into) spareRgba = null;
  const img = drawOverlayInto(raster, detail, into);
  try {
    // The alpha channel is dropped by libvips (removeAlpha) rather than by a copy loop in JS.
    return await sharp(img.data, { raw: { width: img.width, height: img.height, channels: 4 } })
      .removeAlpha()
      .png({ compressionLevel: 2, adaptiveFiltering: false })
      .toBuffer();
  } finally {
    if (img.data.byteOffset === 0 && img.data.length === n) spareRgba = img.data;
  }
}

/** An RGBA buffer not in use (per thread; the last overlay's). */
let spareRgba: Uint8Array | null = null;

/** 0/255 void-mask PNG of the full image size (the analysed rows at the top; the rest 0). */
export async function voidMaskPng(width: number, height: number, voids: Uint8Array): Promise<Buffer> {
  const out = new Uint8Array(width * height);
  const n = Math.min(voids.length, out.length);
  for (let i = 0; i < n; i++) out[i] = voids[i] ? 255 : 0;
  // sharp directly (not render's encodeGreyPng, which currently writes an sRGB PNG): a true
  // one-channel grey PNG so the mask opens as 8-bit grey in ImageJ.
  return sharp(out, { raw: { width, height, channels: 1 } }).toColourspace('b-w').png({ compressionLevel: 6 }).toBuffer();
}
