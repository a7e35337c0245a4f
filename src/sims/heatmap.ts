/**
 * Heat maps of SIMS count maps: viridis colour map (perceptually uniform, d3-scale-chromatic),
 * a colour bar with tick labels in counts (linear, or log10(1 + counts) with the choice written
 * on the bar), a scale bar when the map is calibrated, and — for several maps — one shared colour
 * scale so maps can be compared by eye. Labels use the shared bitmap-font helpers (src/render).
 */
import { basename, dirname, extname, join } from 'node:path';
import { interpolateViridis } from 'd3-scale-chromatic';
import { VoidscopeError } from '../errors.js';
import { writeFileAtomic } from '../fsutil.js';
import type { PixelSize } from '../raster/types.js';
import { createRgba, drawScaleBar, drawText, encodePng, fillRect, textHeight, textWidth } from '../render/index.js';
import type { RgbaImage } from '../render/index.js';
import type { CountRaster } from './types.js';

export interface SimsHeatmapInput {
  raster: CountRaster;
  /** Title written above the map (e.g. "NBR1.5 · Li+"). */
  title: string;
  /** Used to name the output file when several maps are written (default: title). */
  name?: string;
  /** Unit of the values, written on the colour bar (default "counts/pixel"). */
  unit?: string;
}

export interface SimsHeatmapOptions {
  /** Output PNG. With several maps and layout 'separate', files are `<out stem>-<map name>.png`. */
  out: string;
  /** Log colour scale: colour ∝ log10(1 + counts). Default linear. */
  log?: boolean;
  /** 'separate' (one PNG per map, shared scale; default) or 'panel' (all maps side by side in one PNG). */
  layout?: 'separate' | 'panel';
  /** Upper end of the colour scale in counts (default: the largest pixel value over all maps). */
  max?: number;
}

export interface SimsHeatmapOutput {
  files: string[];
  scale: { min: number; max: number; log: boolean; colormap: 'viridis' };
}

const LUT: [number, number, number][] = Array.from({ length: 256 }, (_, i) => {
  const hex = interpolateViridis(i / 255);
  return [parseInt(hex.slice(1, 3), 16), parseInt(hex.slice(3, 5), 16), parseInt(hex.slice(5, 7), 16)];
});

const WHITE = [255, 255, 255, 255] as const;
const BLACK = [0, 0, 0, 255] as const;

/** 0..1 position of a count on the colour scale. */
function scaleOf(max: number, log: boolean): (v: number) => number {
  if (log) {
    const top = Math.log10(1 + max);
    return (v) => (top > 0 ? Math.min(1, Math.max(0, Math.log10(1 + Math.max(0, v)) / top)) : 0);
  }
  return (v) => (max > 0 ? Math.min(1, Math.max(0, v / max)) : 0);
}

/** "Nice" linear ticks (1-2-5 steps) from 0 to max. */
export function linearTicks(max: number, target = 5): number[] {
  if (!(max > 0)) return [0];
  const raw = max / target;
  const p = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw) ?? 10 * p;
  const ticks: number[] = [];
  for (let v = 0; v <= max * (1 + 1e-9); v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

/** Log ticks: 0, 1, 10, 100 … up to max (in counts), plus max itself when it is well above the last decade. */
export function logTicks(max: number): number[] {
  const ticks = [0];
  for (let v = 1; v <= max * (1 + 1e-9); v *= 10) ticks.push(v);
  const last = ticks[ticks.length - 1]!;
  if (max > 1 && Math.log10(1 + max) - Math.log10(1 + last) > 0.25) ticks.push(Number(max.toPrecision(3)));
  return ticks;
}

function fmt(v: number): string {
  if (v === 0) return '0';
  if (Math.abs(v) >= 1e5) return v.toExponential(1).replace('e+', 'e');
  return String(Number(v.toPrecision(4)));
}

/** Shorten `text` in the middle ("start...end"; the bitmap font has no ellipsis glyph) until it fits `maxW` pixels at size 16. */
export function fitText(text: string, maxW: number): string {
  if (textWidth(text, 16) <= maxW) return text;
  const chars = [...text];
  for (let keep = chars.length - 1; keep > 2; keep--) {
    const head = Math.ceil(keep / 2);
    const t = chars.slice(0, head).join('') + '...' + chars.slice(chars.length - (keep - head)).join('');
    if (textWidth(t, 16) <= maxW) return t;
  }
  return '...';
}

/** Integer nearest-neighbour zoom so the longest map side is drawn at ≥ 384 px (at most 128×). */
export function heatmapUpscale(w: number, h: number): number {
  const f = Math.max(1, Math.ceil(384 / Math.max(w, h)));
  return Math.min(f, 128);
}

function drawMap(img: RgbaImage, x0: number, y0: number, r: CountRaster, f: number, pos: (v: number) => number): void {
  for (let y = 0; y < r.height; y++) {
    for (let x = 0; x < r.width; x++) {
      const c = LUT[Math.round(pos(r.data[y * r.width + x]!) * 255)]!;
      for (let dy = 0; dy < f; dy++) {
        let j = ((y0 + y * f + dy) * img.width + x0 + x * f) * 4;
        for (let dx = 0; dx < f; dx++, j += 4) {
          img.data[j] = c[0];
          img.data[j + 1] = c[1];
          img.data[j + 2] = c[2];
          img.data[j + 3] = 255;
        }
      }
    }
  }
}

/** Colour bar of height h at (x0, y0): gradient 18 px wide, ticks and labels right of it. Returns its width. */
function drawColourBar(img: RgbaImage | null, x0: number, y0: number, h: number, max: number, log: boolean): number {
  const barW = 18;
  const pos = scaleOf(max, log);
  const ticks = (log ? logTicks(max) : linearTicks(max)).filter((t) => t <= max);
  const labels = ticks.map(fmt);
  const labelW = labels.reduce((m, l) => Math.max(m, textWidth(l, 16)), -Infinity);
  const width = barW + 6 + labelW + 8 + textHeight(16);
  if (!img) return width;
  for (let y = 0; y < h; y++) {
    const t = 1 - y / Math.max(1, h - 1);
    const c = LUT[Math.round(t * 255)]!;
    fillRect(img, x0, y0 + y, barW, 1, [c[0], c[1], c[2], 255]);
  }
  const th = textHeight(16);
  ticks.forEach((t, i) => {
    const y = y0 + Math.round((1 - pos(t)) * (h - 1));
    fillRect(img, x0 + barW, y, 5, 1, BLACK);
    const ty = Math.min(y0 + h - th, Math.max(y0 - th / 2, y - th / 2));
    drawText(img, x0 + barW + 7, ty, labels[i]!, { size: 16, color: 'black' });
  });
  return width;
}

function shortNames(files: string[]): string[] {
  const parts = files.map((f) => {
    const noExt = f.slice(0, f.length - extname(f).length);
    return noExt.split(/[\\/]/).filter(Boolean);
  });
  for (let k = 1, kMax = parts.reduce((m, p) => Math.max(m, p.length), -Infinity); k <= kMax; k++) {
    const names = parts.map((p) => p.slice(-k).join('-'));
    if (new Set(names).size === names.length) return names.map((n) => n.replace(/[^A-Za-z0-9._+-]+/g, '_'));
  }
  return files.map((_, i) => `map${i + 1}`);
}

function renderOne(maps: SimsHeatmapInput[], max: number, log: boolean): RgbaImage {
  const f = heatmapUpscale(maps.reduce((a, m) => Math.max(a, m.raster.width), -Infinity), maps.reduce((a, m) => Math.max(a, m.raster.height), -Infinity));
  const pad = 10;
  const th = textHeight(16);
  const unit = maps[0]!.unit ?? 'counts/pixel';
  const mapH = maps.reduce((a, m) => Math.max(a, m.raster.height * f), -Infinity);
  const titleH = th + 6;
  const cbW = drawColourBar(null, 0, 0, mapH, max, log);
  const caption = log ? `colour: ${unit}, log scale (log10(1 + counts)), viridis` : `colour: ${unit}, linear scale, viridis`;
  const mapsW = maps.reduce((s, m) => s + m.raster.width * f + pad, 0);
  const width = Math.max(pad + mapsW + cbW + pad, pad + textWidth(caption, 16) + pad, maps.length > 1 ? 0 : textWidth(maps[0]!.title, 16) + 2 * pad);
  const height = pad + titleH + mapH + 6 + th + pad;
  const img = createRgba(width, height, WHITE);
  let x = pad;
  const pos = scaleOf(max, log);
  for (const m of maps) {
    const w = m.raster.width * f;
    drawText(img, x, pad, maps.length > 1 ? fitText(m.title, w) : m.title, { size: 16, color: 'black' });
    drawMap(img, x, pad + titleH, m.raster, f, pos);
    const ps: PixelSize | null = m.raster.pixelSize;
    if (ps) {
      const sub = createRgba(w, m.raster.height * f, [0, 0, 0, 0]);
      drawScaleBar(sub, { ...ps, value: ps.value / f, ...(ps.valueY !== undefined ? { valueY: ps.valueY / f } : {}) });
      // Blend the scale bar layer onto the map.
      for (let yy = 0; yy < sub.height; yy++) {
        for (let xx = 0; xx < sub.width; xx++) {
          const k = (yy * sub.width + xx) * 4;
          const a = sub.data[k + 3]!;
          if (a === 0) continue;
          const j = ((pad + titleH + yy) * img.width + x + xx) * 4;
          for (let c = 0; c < 3; c++) img.data[j + c] = Math.round((img.data[j + c]! * (255 - a) + sub.data[k + c]! * a) / 255);
        }
      }
    }
    x += w + pad;
  }
  drawColourBar(img, x + 2, pad + titleH, mapH, max, log);
  drawText(img, pad, pad + titleH + mapH + 6, caption, { size: 16, color: 'black' });
  return img;
}

/**
 * Render heat maps with one shared colour scale. `maps` may be SimsMapResults from
 * analyzeSimsMap (their non-enumerable `raster` is used) or plain {raster, title} inputs.
 * Returns the files written and the scale used.
 */
export async function renderSimsHeatmaps(maps: SimsHeatmapInput[], options: SimsHeatmapOptions): Promise<SimsHeatmapOutput> {
  if (maps.length === 0) throw new VoidscopeError('EOPTION', 'no maps to render');
  if (!/\.png$/i.test(options.out)) throw new VoidscopeError('EOPTION', `--heatmap must name a .png file, got "${options.out}"`);
  if (options.max !== undefined && !(options.max > 0)) throw new VoidscopeError('EOPTION', `heat-map maximum must be > 0, got ${options.max}`);
  const log = options.log ?? false;
  let max = options.max ?? 0;
  if (options.max === undefined) for (const m of maps) for (let i = 0; i < m.raster.data.length; i++) if (m.raster.data[i]! > max) max = m.raster.data[i]!;
  if (max === 0) max = 1;
  const files: string[] = [];
  if (maps.length === 1 || options.layout === 'panel') {
    await writeFileAtomic(options.out, await encodePng(renderOne(maps, max, log)));
    files.push(options.out);
  } else {
    const names = shortNames(maps.map((m) => m.name ?? m.title));
    const stem = join(dirname(options.out), basename(options.out, extname(options.out)));
    for (const [i, m] of maps.entries()) {
      const out = `${stem}-${names[i]}.png`;
      await writeFileAtomic(out, await encodePng(renderOne([m], max, log)));
      files.push(out);
    }
  }
  return { files, scale: { min: 0, max, log, colormap: 'viridis' } };
}

/** Heat-map input from an analysis result (title = file stem + channel, unit per binning). */
export function heatmapInputFromResult(r: {
  file: string;
  channel: { label: string | null; mzRange?: [number, number] | null };
  binning: { factor: number };
  integerCounts?: boolean;
  raster?: CountRaster;
}): SimsHeatmapInput {
  const raster = (r as { raster?: CountRaster }).raster;
  if (!raster) throw new VoidscopeError('EOPTION', 'result carries no raster (was it produced by analyzeSimsMap?)', { file: r.file });
  const stem = basename(r.file, extname(r.file));
  const parent = basename(dirname(r.file));
  const mz = r.channel.mzRange ? `m/z ${Number(r.channel.mzRange[0].toFixed(3))}-${Number(r.channel.mzRange[1].toFixed(3))}` : null;
  const chan = r.channel.label ?? mz;
  return {
    raster,
    title: `${parent ? parent + '/' : ''}${stem}${chan ? ` · ${chan}` : ''}`,
    name: r.file,
    unit: `${r.integerCounts === false ? 'intensity' : 'counts'} ${r.binning.factor > 1 ? `per ${r.binning.factor}x${r.binning.factor} bin` : 'per pixel'}`,
  };
}
