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

/** Where `drawScaleBar` puts its parts on a picture of the given size (same arguments). */
export interface ScaleBarLayout {
  bar: ScaleBar;
  size: FontSize;
  /** The dark translucent box. */
  box: { x: number; y: number; width: number; height: number };
  /** Top-left corner of the label text (as passed to drawText). */
  labelX: number;
  labelY: number;
  /** The white bar. */
  line: { x: number; y: number; width: number; height: number };
}

export function scaleBarLayout(width: number, height: number, pixelSize: PixelSize, options: ScaleBarOptions = {}): ScaleBarLayout {
  const bar = niceScaleBar(pixelSize.value, width);
  const size: FontSize = width >= 1200 ? 32 : 16;
  const margin = options.margin ?? Math.max(8, Math.round(width * 0.02));
  const barH = Math.max(3, Math.round(width / 200));
  const pad = Math.round(size / 4);
  const labelW = textWidth(bar.label, size);
  const boxW = Math.max(bar.lengthPx, labelW) + 2 * pad;
  const boxH = textHeight(size) + barH + 3 * pad;
  const bottom = options.bottom ?? height;
  const boxX = options.corner === 'bottom-left' ? margin : width - margin - boxW;
  const boxY = bottom - margin - boxH;
  return {
    bar,
    size,
    box: { x: boxX, y: boxY, width: boxW, height: boxH },
    labelX: boxX + (boxW - labelW) / 2,
    labelY: boxY + pad,
    line: { x: boxX + (boxW - bar.lengthPx) / 2, y: boxY + boxH - pad - barH, width: bar.lengthPx, height: barH },
  };
}

/**
 * Draw a scale bar laid out by `scaleBarLayout` into `img`, whose top-left pixel is (originX, originY)
 * of the picture the layout was made for (integers; 0, 0 unless `img` is a piece of it).
 */
export function drawScaleBarLayout(img: RgbaImage, l: ScaleBarLayout, originX = 0, originY = 0): void {
  fillRect(img, l.box.x - originX, l.box.y - originY, l.box.width, l.box.height, [0, 0, 0, 160]);
  drawText(img, l.labelX - originX, l.labelY - originY, l.bar.label, { size: l.size, color: 'white' });
  fillRect(img, l.line.x - originX, l.line.y - originY, l.line.width, l.line.height, [255, 255, 255, 255]);
}

/** Draw a white scale bar with its length written above it, on a dark translucent box. */
export function drawScaleBar(img: RgbaImage, pixelSize: PixelSize, options: ScaleBarOptions = {}): ScaleBar {
  const l = scaleBarLayout(img.width, img.height, pixelSize, options);
  drawScaleBarLayout(img, l);
  return l.bar;
}
