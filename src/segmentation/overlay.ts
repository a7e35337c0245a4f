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
import { blendPixel, drawScaleBar, drawText, encodePng, fillRect, greyToRgba, strokeRect, textHeight, textWidth } from '../render/index.js';
import type { RgbaImage, Rgba } from '../render/index.js';
import type { PorosityDetail } from './porosity.js';

const PORE: Rgba = [255, 32, 32, 150];
const SPECK: Rgba = [255, 215, 0, 170];
const OUTSIDE: Rgba = [0, 0, 0, 120];
const OUTLINE: Rgba = [0, 230, 255, 255];

function formatNumber(v: number): string {
  return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(6)));
}

/** Draw the overlay into an RGBA picture of the full image (data bar included). */
export function drawOverlay(raster: Raster, detail: PorosityDetail): RgbaImage {
  const img = greyToRgba(raster);
  const { result, labels } = detail;
  const { width } = raster;
  const roi = result.roi;
  // Dim everything outside the analysed rectangle (incl. an excluded data bar).
  for (let y = 0; y < raster.height; y++) {
    const inRows = y >= roi.y && y < roi.y + roi.height;
    for (let x = 0; x < width; x++) {
      if (!inRows || x < roi.x || x >= roi.x + roi.width) blendPixel(img, x, y, OUTSIDE);
    }
  }
  // Pores and specks; pixels inside the rectangle but outside the mask are dimmed.
  const regionMask = detail.regionMask;
  for (let y = roi.y; y < roi.y + roi.height; y++) {
    for (let x = roi.x; x < roi.x + roi.width; x++) {
      const i = y * width + x;
      const l = labels ? labels[i]! : detail.voids[i]!;
      if (l > 0) blendPixel(img, x, y, PORE);
      else if (l < 0) blendPixel(img, x, y, SPECK);
      else if (regionMask && regionMask[i] === 0) blendPixel(img, x, y, OUTSIDE);
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

/** Overlay PNG bytes. */
export async function renderOverlay(raster: Raster, detail: PorosityDetail): Promise<Buffer> {
  return encodePng(drawOverlay(raster, detail));
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
