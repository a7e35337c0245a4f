/**
 * Text labels from jimp's bundled Open Sans bitmap fonts (BMFont). Bitmap glyphs draw
 * identically on every machine, unlike system-font rendering, so overlays and their
 * tests are reproducible. Glyphs are blended straight into our RGBA buffers; jimp is
 * used for nothing else (it would drop 16-bit data if it decoded inputs).
 */
import { loadFont } from 'jimp';
import { SANS_16_WHITE, SANS_32_WHITE } from 'jimp/fonts';
import type { Rgba, RgbaImage } from './image.js';
import { blendPixel } from './image.js';

export type FontSize = 16 | 32;
type BmFont = Awaited<ReturnType<typeof loadFont>>;

// Loaded once, at import (top-level await), so drawing stays synchronous.
const FONTS: Record<FontSize, BmFont> = {
  16: await loadFont(SANS_16_WHITE),
  32: await loadFont(SANS_32_WHITE),
};

const COLOURS: Record<'white' | 'black' | 'yellow', Rgba> = {
  white: [255, 255, 255, 255],
  black: [0, 0, 0, 255],
  yellow: [255, 221, 0, 255],
};

export interface TextOptions {
  size?: FontSize;
  color?: 'white' | 'black' | 'yellow' | Rgba;
}

function glyph(font: BmFont, ch: string) {
  return font.chars[ch] ?? font.chars['?'];
}

/** Width in pixels of `text` at the given size (kerning included). */
export function textWidth(text: string, size: FontSize = 16): number {
  const font = FONTS[size];
  let w = 0;
  const chars = [...text];
  chars.forEach((ch, i) => {
    const g = glyph(font, ch);
    if (!g) return;
    w += g.xadvance + (i + 1 < chars.length ? font.kernings[ch]?.[chars[i + 1]!] ?? 0 : 0);
  });
  return w;
}

/**
 * The pixels `drawText(img, x, y, text, {size})` can touch, relative to (round(x), round(y)):
 * columns left..right-1 and rows top..bottom-1 (the glyph boxes; empty text → all 0).
 */
export function textBounds(text: string, size: FontSize = 16): { left: number; top: number; right: number; bottom: number } {
  const font = FONTS[size];
  let penX = 0;
  let left = Infinity;
  let top = Infinity;
  let right = -Infinity;
  let bottom = -Infinity;
  const chars = [...text];
  chars.forEach((ch, i) => {
    const g = glyph(font, ch);
    if (!g) return;
    if (g.width > 0 && g.height > 0) {
      left = Math.min(left, penX + g.xoffset);
      right = Math.max(right, penX + g.xoffset + g.width);
      top = Math.min(top, g.yoffset);
      bottom = Math.max(bottom, g.yoffset + g.height);
    }
    penX += g.xadvance + (i + 1 < chars.length ? font.kernings[ch]?.[chars[i + 1]!] ?? 0 : 0);
  });
  return left === Infinity ? { left: 0, top: 0, right: 0, bottom: 0 } : { left, top, right, bottom };
}

/** Line height in pixels at the given size. */
export function textHeight(size: FontSize = 16): number {
  return FONTS[size].common.lineHeight;
}

/** Draw `text` with its top-left corner at (x, y). */
export function drawText(img: RgbaImage, x: number, y: number, text: string, options: TextOptions = {}): void {
  const font = FONTS[options.size ?? 16];
  const colour = typeof options.color === 'string' || options.color === undefined ? COLOURS[options.color ?? 'white'] : options.color;
  let penX = Math.round(x);
  const top = Math.round(y);
  const chars = [...text];
  chars.forEach((ch, i) => {
    const g = glyph(font, ch);
    if (!g) return;
    const page = font.pages[g.page]!.bitmap;
    for (let gy = 0; gy < g.height; gy++) {
      for (let gx = 0; gx < g.width; gx++) {
        const k = ((g.y + gy) * page.width + (g.x + gx)) * 4;
        // The white fonts carry the glyph in alpha (and brightness); use their product as coverage.
        const coverage = (page.data[k + 3]! / 255) * (page.data[k]! / 255);
        if (coverage > 0) blendPixel(img, penX + g.xoffset + gx, top + g.yoffset + gy, colour, coverage);
      }
    }
    penX += g.xadvance + (i + 1 < chars.length ? font.kernings[ch]?.[chars[i + 1]!] ?? 0 : 0);
  });
}
