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

/** Draw the overlay into an RGBA picture of the full image (data bar included). */
export function drawOverlay(raster: Raster, detail: PorosityDetail): RgbaImage {
  // Grey → RGBA with render's display mapping, then tints applied in one pass over the pixels
  // (tight loop; the per-pixel blendPixel call is too slow for 3-megapixel images).
  const img = greyToRgba(raster);
  const { result, labels, voids } = detail;
  const { width, height } = raster;
  const roi = result.roi;
  const regionMask = detail.regionMask;
  const d = img.data;
  const x1 = roi.x + roi.width;
  const y1 = roi.y + roi.height;
  for (let y = 0; y < height; y++) {
    const inRows = y >= roi.y && y < y1;
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const j = 4 * i;
      let c: Rgba | null = null;
      if (!inRows || x < roi.x || x >= x1) c = OUTSIDE;
      else {
        const l = labels ? labels[i]! : voids[i]!;
        if (l > 0) c = PORE;
        else if (l < 0) c = SPECK;
        else if (regionMask && regionMask[i] === 0) c = OUTSIDE;
      }
      if (c) {
        const a = c[3];
        d[j] = mix(d[j]!, c[0], a);
        d[j + 1] = mix(d[j + 1]!, c[1], a);
        d[j + 2] = mix(d[j + 2]!, c[2], a);
      }
    }
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
 * Overlay PNG bytes: RGB (the overlay is opaque), zlib level 2 without adaptive filtering — about
 * 10× faster than render's encodePng (RGBA, level 6) on 3-megapixel overlays, files ≈ 1.5× larger.
 */
export async function renderOverlay(raster: Raster, detail: PorosityDetail): Promise<Buffer> {
  const img = drawOverlay(raster, detail);
  const n = img.width * img.height;
  const rgb = Buffer.allocUnsafe(n * 3);
  const d = img.data;
  for (let i = 0, j = 0; i < n; i++, j += 3) {
    rgb[j] = d[4 * i]!;
    rgb[j + 1] = d[4 * i + 1]!;
    rgb[j + 2] = d[4 * i + 2]!;
  }
  return sharp(rgb, { raw: { width: img.width, height: img.height, channels: 3 } })
    .png({ compressionLevel: 2, adaptiveFiltering: false })
    .toBuffer();
}

/** 0/255 void-mask PNG of the full image size (the analysed rows at the top; the rest 0). */
export async function voidMaskPng(width: number, height: number, voids: Uint8Array): Promise<Buffer> {
  const out = new Uint8Array(width * height);
  const n = Math.min(voids.length, out.length);
  for (let i = 0; i < n; i++) out[i] = voids[i] ? 255 : 0;
  // sharp directly (not render's encodeGreyPng, which currently writes an sRGB PNG): a true
  // one-channel grey PNG so the mask opens as 8-bit grey in ImageJ.
  return sharp(out, { raw: { width, height, channels: 1 } }).toColourspace('b-w').png({ compressionLevel: 6 }).toBuffer();
}
