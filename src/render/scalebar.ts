import type { PixelSize } from '../raster/types.js';
import type { RgbaImage } from './image.js';
import { fillRect } from './image.js';
import { drawText, textHeight, textWidth, type FontSize } from './text.js';

export interface ScaleBar {
  /** Bar length in micrometres (a 1-2-5 step). */
  lengthUm: number;
  /** Bar length in pixels (rounded). */
  lengthPx: number;
  /** Text to write on it, e.g. "10 µm", "500 nm", "2 mm". */
  label: string;
}

/** Format a length given in µm with a sensible unit (nm below 1 µm, mm from 1000 µm). */
export function formatLengthUm(um: number): string {
  const fmt = (v: number) => String(Number(v.toPrecision(3)));
  if (um >= 1000) return `${fmt(um / 1000)} mm`;
  if (um < 1) return `${fmt(um * 1000)} nm`;
  return `${fmt(um)} µm`;
}

/**
 * Choose a scale bar of a "nice" length (1, 2 or 5 × 10^k µm) close to a fifth of the
 * image width, never wider than 40 % of it.
 */
export function niceScaleBar(umPerPx: number, imageWidthPx: number): ScaleBar {
  if (!(umPerPx > 0) || !(imageWidthPx > 0)) throw new RangeError('niceScaleBar needs a positive pixel size and width');
  const target = (imageWidthPx * umPerPx) / 5;
  const exp = Math.floor(Math.log10(target));
  let best = 10 ** exp;
  for (const m of [1, 2, 5, 10]) {
    const len = m * 10 ** exp;
    if (len <= imageWidthPx * umPerPx * 0.4 && Math.abs(Math.log(len / target)) < Math.abs(Math.log(best / target))) best = len;
  }
  const lengthUm = Number(best.toPrecision(6));
  return { lengthUm, lengthPx: Math.max(1, Math.round(lengthUm / umPerPx)), label: formatLengthUm(lengthUm) };
}

export interface ScaleBarOptions {
  corner?: 'bottom-right' | 'bottom-left';
  /** Distance from the image edges in pixels (default 2 % of the width, at least 8). */
  margin?: number;
  /** Bottom edge of the area to draw in (e.g. the top of an excluded data bar); default the image height. */
  bottom?: number;
}

/** Draw a white scale bar with its length written above it, on a dark translucent box. */
export function drawScaleBar(img: RgbaImage, pixelSize: PixelSize, options: ScaleBarOptions = {}): ScaleBar {
  const bar = niceScaleBar(pixelSize.value, img.width);
  const size: FontSize = img.width >= 1200 ? 32 : 16;
  const margin = options.margin ?? Math.max(8, Math.round(img.width * 0.02));
  const barH = Math.max(3, Math.round(img.width / 200));
  const pad = Math.round(size / 4);
  const labelW = textWidth(bar.label, size);
  const boxW = Math.max(bar.lengthPx, labelW) + 2 * pad;
  const boxH = textHeight(size) + barH + 3 * pad;
  const bottom = options.bottom ?? img.height;
  const boxX = options.corner === 'bottom-left' ? margin : img.width - margin - boxW;
  const boxY = bottom - margin - boxH;
  fillRect(img, boxX, boxY, boxW, boxH, [0, 0, 0, 160]);
  drawText(img, boxX + (boxW - labelW) / 2, boxY + pad, bar.label, { size, color: 'white' });
  fillRect(img, boxX + (boxW - bar.lengthPx) / 2, boxY + boxH - pad - barH, bar.lengthPx, barH, [255, 255, 255, 255]);
  return bar;
}
