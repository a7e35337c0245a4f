/**
 * Overlay and void-mask pictures for checking a porosity segmentation by eye.
 *
 * Overlay: the grey image (display-scaled; 16-bit → its min..max), with
 *  - pores tinted red, specks (components below the minimum pore size) tinted yellow;
 *  - pixels outside the analysed region (outside the ROI/mask, and the excluded data bar)
 *    dimmed, and the analysed rectangle outlined in cyan;
 *  - a caption (method, threshold, void %) at the top left;
 *  - when calibrated, a scale bar with its length, drawn above the data bar.
 * The overlay PNG is an 8-bit palette PNG (see OVERLAY_PALETTE); `drawOverlay` gives the exact
 * RGBA picture the palette approximates, and `renderOverlay(…, { colours: 'exact' })` writes it as RGB.
 * Multi-phase label maps (more than two phases, e.g. a learned segmenter's void/binder/electrolyte/active):
 * every non-void phase is tinted too, in its phase colour (raster/phase-colours.ts: the scribble colour key),
 * and a legend (class name and swatch) is drawn at the top right of the analysed area; such overlays are
 * written as RGB in exact colours (the palette holds no phase tints). Two-phase overlays are unchanged.
 * Void mask: 0/255 grey PNG of the full image size, 255 = void (0 in the data bar and
 * outside the analysed region).
 */
import { LITTLE_ENDIAN, type Raster, type Roi } from '../raster/types.js';
import type { LabelMap } from '../raster/labels.js';
import { voidMaskOf } from '../raster/void-mask.js';
import { phaseColours } from '../raster/phase-colours.js';
import sharp from 'sharp';
import {
  displayGrey,
  drawScaleBarLayout,
  drawText,
  encodeIndexedPng,
  fillRect,
  outlineStrips,
  scaleBarLayout,
  strokeRect,
  textBounds,
  textHeight,
  textWidth,
} from './index.js';
import type { FontSize, RgbaImage, Rgba } from './index.js';

/**
 * What an overlay is drawn from: the segmentation as masks over the analysed rows (a void mask and
 * optionally pore labels: 0 none, −1 speck, else pore id), the analysed area, and the caption's
 * words. The render layer knows no analysis result type: measurePorosityDetailed's PorosityDetail
 * is one such input (structurally).
 */
export interface OverlayInput {
  result: {
    roi: { x: number; y: number; width: number; height: number };
    method: string;
    threshold: { value: number };
    porosityPercent: number;
    pores: { count: number };
    pixelSize: { value: number; valueY?: number; unit: 'µm'; source: string } | null;
  };
  /** The analysed raster (its height = the micrograph rows above the data bar). */
  analysed: { height: number };
  /** 1 = void (width × analysed height). */
  voids: Uint8Array;
  labels: Int32Array | null;
  regionMask: Uint8Array | null;
  /** The non-void phases of a multi-phase label map, tinted each in its colour with a legend (absent/null: two-phase overlay). */
  phases?: OverlayPhases | null;
}

/** What a multi-phase overlay tints beyond the void phase. */
export interface OverlayPhases {
  /** Phase id per analysed pixel (width × analysed height: the label map's data; 0 = outside the analysed area). */
  data: Uint8Array;
  /** Name of the void phase (the legend's first row, in the pore tint). */
  voidName: string;
  /** The tinted phases (every phase but the void one), in legend order. */
  tints: readonly { id: number; name: string; colour: readonly [number, number, number] }[];
}
type PorosityDetail = OverlayInput;

/** What the caption says: the segmentation's method and threshold, and the measured void % and pore count. */
export interface OverlayCaption {
  method: string;
  /** Threshold in grey values, or NaN where the segmenter has none (then the caption shows the method only). */
  threshold: number;
  porosityPercent: number;
  poreCount: number;
}

/**
 * The overlay of a label map: the void phase tinted (pores red, specks yellow when the pore labels
 * are given: ids > 0 pores, −1 specks), pixels outside the analysed area (label 0, or outside the
 * ROI) dimmed, the ROI outlined, the caption and a scale bar. The palette is OVERLAY_PALETTE.
 */
export function labelOverlayInput(o: {
  labels: LabelMap;
  pores: Int32Array | null;
  region: { roi: Roi; mask?: Uint8Array | null };
  caption: OverlayCaption;
  pixelSize: OverlayInput['result']['pixelSize'];
  /**
   * Colour per phase id of a label map with more than two phases (default: raster/phase-colours.ts phaseColours,
   * the scribble colour key); a phase given null is not tinted. Ignored for two-phase maps (their overlay tints the void phase only).
   */
  phaseColours?: readonly (readonly [number, number, number] | null | undefined)[];
}): OverlayInput {
  const map = o.labels;
  let phases: OverlayPhases | null = null;
  if (map.phases.length > 2) {
    const colours = o.phaseColours ?? phaseColours(map.phases);
    const voidName = map.phases.find((p) => p.id === map.voidPhase)?.name ?? 'void';
    const tints: { id: number; name: string; colour: readonly [number, number, number] }[] = [];
    for (const p of map.phases) {
      const colour = colours[p.id];
      if (p.id !== map.voidPhase && colour) tints.push({ id: p.id, name: p.name, colour });
    }
    phases = { data: map.data, voidName, tints };
  }
  return {
    result: {
      roi: o.region.roi,
      method: o.caption.method,
      threshold: { value: o.caption.threshold },
      porosityPercent: o.caption.porosityPercent,
      pores: { count: o.caption.poreCount },
      pixelSize: o.pixelSize,
    },
    analysed: { height: o.labels.height },
    voids: voidMaskOf(o.labels),
    labels: o.pores,
    // Inside the ROI the label map is 0 exactly where the mask excludes a pixel.
    regionMask: o.region.mask ? o.labels.data : null,
    phases,
  };
}

const PORE: Rgba = [255, 32, 32, 150];
const SPECK: Rgba = [255, 215, 0, 170];
const OUTSIDE: Rgba = [0, 0, 0, 120];
const OUTLINE: Rgba = [0, 230, 255, 255];
const CAPTION_BOX: Rgba = [0, 0, 0, 170];
/** Opacity of a non-void phase's tint (lighter than the pores' 150: phases cover most of the picture, whose texture should stay readable). */
export const PHASE_TINT_ALPHA = 100;

function formatNumber(v: number): string {
  return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(6)));
}

/** a·(1 − α) + c·α in integers (α in 0..255). */
function mix(a: number, c: number, alpha: number): number {
  return (a * (255 - alpha) + c * alpha + 127) / 255 | 0;
}

type Rgb = readonly [number, number, number];

/** Pixel classes of the overlay, in the order of TINTS. */
const NONE = 0;
const TINTS: (Rgba | null)[] = [null, PORE, SPECK, OUTSIDE];

/** Exact colour of display grey g under class c (`mix` per channel). */
function tinted(c: number, g: number): Rgb {
  const t = TINTS[c];
  return t ? [mix(g, t[0], t[3]), mix(g, t[1], t[3]), mix(g, t[2], t[3])] : [g, g, g];
}

/** What render's blendPixel makes of colour `d` under `c` (full coverage). */
function blended(d: Rgb, c: Rgba): Rgb {
  const a = c[3] / 255;
  return [Math.round(d[0] * (1 - a) + c[0] * a), Math.round(d[1] * (1 - a) + c[1] * a), Math.round(d[2] * (1 - a) + c[2] * a)];
}

/**
 * The overlay PNG's 256 colours. A palette PNG has one byte per pixel instead of RGB's three: drawn as
 * indices and stored without compression it costs a fraction of an RGB PNG's deflate (≈ 25 ms instead
 * of ≈ 190 ms CPU for 3 Mpx) at the same file size; the price is that colours are rounded to these
 * (the exact picture stays available: drawOverlay, renderOverlay {colours: 'exact'}):
 *  -   0..127 grey, 128 levels (k·255/127 rounded): display grey within ±1 of the exact one;
 *  - 128..191 the pore tint of 64 grey levels (channels within ±1 of the exact tint);
 *  - 192..233 the speck tint of 42 grey levels (within ±2);
 *  - 234 the outline cyan, 235 cyan under the caption box, 236..245 and 246..249 the pore and speck
 *    tints under the caption box (10 and 4 levels), 250..255 white text edges (coverage 16, 39 and
 *    71 %) on 2 of those pore tints. Text and boxes take the nearest palette colour.
 */
const RAMP = { grey: [0, 128], pore: [128, 64], speck: [192, 42], cyan: 234, dimCyan: 235, dimPore: [236, 10], dimSpeck: [246, 4], poreText: [250, 6] } as const;
export const OVERLAY_PALETTE: readonly Rgb[] = (() => {
  const p: Rgb[] = [];
  const level = (k: number, n: number) => Math.round((k * 255) / (n - 1));
  for (let k = 0; k < RAMP.grey[1]; k++) p.push(tinted(NONE, level(k, RAMP.grey[1])));
  for (let k = 0; k < RAMP.pore[1]; k++) p.push(tinted(1, level(k, RAMP.pore[1])));
  for (let k = 0; k < RAMP.speck[1]; k++) p.push(tinted(2, level(k, RAMP.speck[1])));
  p.push([OUTLINE[0], OUTLINE[1], OUTLINE[2]]);
  p.push(blended([OUTLINE[0], OUTLINE[1], OUTLINE[2]], CAPTION_BOX));
  for (let k = 0; k < RAMP.dimPore[1]; k++) p.push(blended(tinted(1, level(k, RAMP.dimPore[1])), CAPTION_BOX));
  for (let k = 0; k < RAMP.dimSpeck[1]; k++) p.push(blended(tinted(2, level(k, RAMP.dimSpeck[1])), CAPTION_BOX));
  for (const g of [96, 176]) for (const a of [40, 100, 180]) p.push(blended(blended(tinted(1, g), CAPTION_BOX), [255, 255, 255, a]));
  if (p.length !== 256) throw new Error(`overlay palette has ${p.length} colours`);
  return p;
})();

/** Index of the palette colour nearest to `c` (squared RGB distance; the lowest index on ties), among [from, from + n). */
function nearest(c: Rgb, from = 0, n = 256): number {
  let best = from;
  let bestD = Infinity;
  for (let k = from; k < from + n; k++) {
    const p = OVERLAY_PALETTE[k]!;
    const d = (p[0] - c[0]) ** 2 + (p[1] - c[1]) ** 2 + (p[2] - c[2]) ** 2;
    if (d < bestD) {
      bestD = d;
      best = k;
    }
  }
  return best;
}

/**
 * Per class c and display grey g: lut[c·256 + g]. `packed`: the exact colour as RGBA bytes (alpha 255) read
 * as one native-endian 32-bit word; `index`: its palette index, from the class's own ramp (so a tinted
 * pixel always keeps its tint).
 */
const TINT_LUT = (() => {
  const bytes = new Uint8Array(4 * 4 * 256);
  const index = new Uint8Array(4 * 256);
  for (let c = 0; c < 4; c++) {
    const ramp = c === 1 ? RAMP.pore : c === 2 ? RAMP.speck : RAMP.grey;
    for (let g = 0; g < 256; g++) {
      const rgb = tinted(c, g);
      bytes.set([rgb[0], rgb[1], rgb[2], 255], 4 * (c * 256 + g));
      index[c * 256 + g] = nearest(rgb, ramp[0], ramp[1]);
    }
  }
  return { packed: new Uint32Array(bytes.buffer), index };
})();

/**
 * 32-bit views of the grey levels, palette indices and (when aligned alike) the void mask, word j holding
 * pixels 4j − shift .. 4j − shift + 3.
 */
interface Quads {
  g32: Uint32Array;
  o32: Uint32Array;
  v32: Uint32Array | null;
  shift: number;
}

/** Quads for grey/out(/voids) when they can be read as aligned little-endian 32-bit words (else null). */
function quadViews(grey: Uint8Array, out: Uint8Array, voids: Uint8Array): Quads | null {
  const shift = grey.byteOffset % 4;
  if (!LITTLE_ENDIAN || out.byteOffset % 4 !== shift || grey.length !== out.length) return null;
  const words = (shift + grey.length) >>> 2;
  return {
    g32: new Uint32Array(grey.buffer, grey.byteOffset - shift, words),
    o32: new Uint32Array(out.buffer, out.byteOffset - shift, words),
    v32: voids.byteOffset % 4 === shift && voids.length >= grey.length ? new Uint32Array(voids.buffer, voids.byteOffset - shift, words) : null,
    shift,
  };
}

/** paintClasses over pixels start..end with labels and without a region mask (its own small function: V8 compiles it better than inline). */
function paintLabelRow<T extends Uint32Array | Uint8Array>(labels: Int32Array, grey: Uint8Array, lut: T, out: T, start: number, end: number, q: Quads | null): void {
  let i = start;
  if (q) {
    // Palette indices four at a time: one 32-bit load of four grey levels and one 32-bit store of four indices
    // (only whole words inside [start, end); the ends pixel by pixel below and above).
    const { g32, o32, shift } = q;
    const j0 = (start + shift + 3) >>> 2;
    const j1 = (end + shift) >>> 2;
    for (const e = Math.min(end, 4 * j0 - shift); i < e; i++) {
      const l = labels[i]!;
      out[i] = lut[(((-l >>> 31) << 8) | ((l >>> 31) << 9)) + grey[i]!]!;
    }
    const v32 = q.v32;
    for (let j = j0; j < j1; j++, i += 4) {
      const g = g32[j]!;
      if (v32 && v32[j] === 0) {
        // No void among the four (labels are non-zero exactly on void pixels): class 0, labels not read.
        o32[j] = lut[g & 255]! | (lut[(g >>> 8) & 255]! << 8) | (lut[(g >>> 16) & 255]! << 16) | (lut[g >>> 24]! << 24);
        continue;
      }
      const l0 = labels[i]!;
      const l1 = labels[i + 1]!;
      const l2 = labels[i + 2]!;
      const l3 = labels[i + 3]!;
      o32[j] =
        lut[(((-l0 >>> 31) << 8) | ((l0 >>> 31) << 9)) + (g & 255)]! |
        (lut[(((-l1 >>> 31) << 8) | ((l1 >>> 31) << 9)) + ((g >>> 8) & 255)]! << 8) |
        (lut[(((-l2 >>> 31) << 8) | ((l2 >>> 31) << 9)) + ((g >>> 16) & 255)]! << 16) |
        (lut[(((-l3 >>> 31) << 8) | ((l3 >>> 31) << 9)) + (g >>> 24)]! << 24);
    }
  }
  for (; i < end; i++) {
    const l = labels[i]!;
    out[i] = lut[(((-l >>> 31) << 8) | ((l >>> 31) << 9)) + grey[i]!]!;
  }
}

/**
 * Write every pixel's class colour: out[i] = lut[class·256 + grey[i]], class 1 pore, 2 speck, 3 outside the analysed
 * region, 0 otherwise. One pass, one store per pixel (a 32-bit RGBA word or a palette index).
 */
function paintClasses<T extends Uint32Array | Uint8Array>(grey: Uint8Array, width: number, height: number, detail: PorosityDetail, lut: T, out: T): void {
  const { result, labels, voids, regionMask } = detail;
  const roi = result.roi;
  const x1 = roi.x + roi.width;
  const y1 = roi.y + roi.height;
  const quads = out instanceof Uint8Array ? quadViews(grey, out, voids) : null;
  // Pixel ranges: outside the ROI, and inside it (one range for all rows when the ROI spans the full width,
  // the usual case, so that each loop is entered once per image rather than once per row).
  const outside = (s: number, e: number) => {
    for (let i = s; i < e; i++) out[i] = lut[768 + grey[i]!]!;
  };
  const inside = (s: number, e: number) => {
    // Branch-free classes (pores lie at random, so branches would be mispredicted): with l the label,
    // (-l >>> 31) is 1 for l > 0 (pore), (l >>> 31) is 1 for l < 0 (speck); a masked-out pixel is class 3.
    if (labels && regionMask) {
      for (let i = s; i < e; i++) {
        const l = labels[i]!;
        const c = l !== 0 ? ((-l >>> 31) << 8) | ((l >>> 31) << 9) : regionMask[i] === 0 ? 768 : 0;
        out[i] = lut[c + grey[i]!]!;
      }
    } else if (labels) {
      paintLabelRow(labels, grey, lut, out, s, e, quads);
    } else {
      for (let i = s; i < e; i++) {
        const c = voids[i]! > 0 ? 256 : regionMask && regionMask[i] === 0 ? 768 : 0;
        out[i] = lut[c + grey[i]!]!;
      }
    }
  };
  outside(0, roi.y * width);
  if (roi.x === 0 && x1 === width) inside(roi.y * width, y1 * width);
  else {
    for (let y = roi.y; y < y1; y++) {
      const o = y * width;
      outside(o, o + roi.x);
      inside(o + roi.x, o + x1);
      outside(o + x1, o + width);
    }
  }
  outside(y1 * width, height * width);
}

/**
 * Tint the non-void phases of a multi-phase overlay (after paintClasses): inside the ROI, each pixel of a tinted phase
 * becomes mix(grey, phase colour, PHASE_TINT_ALPHA) per channel. Void pixels (pores, specks), phase 0 (outside the
 * analysed area) and untinted phases keep paintClasses' colour.
 */
function paintPhases(grey: Uint8Array, width: number, detail: PorosityDetail, out: Uint32Array): void {
  const phases = detail.phases;
  if (!phases || phases.tints.length === 0) return;
  // Per phase id: 256 packed RGBA words (one per display grey), or none.
  const luts: (Uint32Array | undefined)[] = [];
  for (const t of phases.tints) {
    const bytes = new Uint8Array(4 * 256);
    for (let g = 0; g < 256; g++) bytes.set([mix(g, t.colour[0], PHASE_TINT_ALPHA), mix(g, t.colour[1], PHASE_TINT_ALPHA), mix(g, t.colour[2], PHASE_TINT_ALPHA), 255], 4 * g);
    luts[t.id] = new Uint32Array(bytes.buffer);
  }
  const { roi } = detail.result;
  const data = phases.data;
  for (let y = roi.y; y < roi.y + roi.height; y++) {
    for (let i = y * width + roi.x, e = i + roi.width; i < e; i++) {
      const lut = luts[data[i]!];
      if (lut) out[i] = lut[grey[i]!]!;
    }
  }
}

interface Rect {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** Something drawn on top of the tinted picture: the pixels it may touch, and how to draw it into a piece of the picture. */
interface Decoration {
  rect: Rect;
  draw: (img: RgbaImage, originX: number, originY: number) => void;
}

/** The pixel rectangle render's fillRect(x, y, w, h) covers (before clipping). */
function fillArea(x: number, y: number, w: number, h: number): Rect {
  return { x0: Math.floor(x), y0: Math.floor(y), x1: Math.floor(x + w), y1: Math.floor(y + h) };
}

function textArea(x: number, y: number, text: string, size: FontSize): Rect {
  const b = textBounds(text, size);
  return { x0: Math.round(x) + b.left, y0: Math.round(y) + b.top, x1: Math.round(x) + b.right, y1: Math.round(y) + b.bottom };
}

function union(a: Rect, b: Rect): Rect {
  if (a.x1 <= a.x0 || a.y1 <= a.y0) return b;
  if (b.x1 <= b.x0 || b.y1 <= b.y0) return a;
  return { x0: Math.min(a.x0, b.x0), y0: Math.min(a.y0, b.y0), x1: Math.max(a.x1, b.x1), y1: Math.max(a.y1, b.y1) };
}

/** Outline thickness, caption and scale bar of the overlay of a width × height image. */
function decorations(width: number, height: number, detail: PorosityDetail): { outline: number; items: Decoration[] } {
  const { result } = detail;
  const roi = result.roi;
  const items: Decoration[] = [];
  // Caption (two lines when one does not fit).
  const size: FontSize = width >= 1200 ? 32 : 16;
  const pad = Math.round(size / 4);
  const part1 = Number.isFinite(result.threshold.value) ? `${result.method} t=${formatNumber(result.threshold.value)}` : result.method;
  const part2 = `void ${result.porosityPercent.toFixed(2)} %, ${result.pores.count} pores`;
  const lines = textWidth(`${part1}  ${part2}`, size) + 2 * pad <= roi.width ? [`${part1}  ${part2}`] : [part1, part2];
  const lh = textHeight(size);
  const cw = Math.min(roi.width, Math.max(...lines.map((l) => textWidth(l, size))) + 2 * pad);
  const ch = lh * lines.length + 2 * pad;
  let rect = fillArea(roi.x, roi.y, cw, ch);
  lines.forEach((l, k) => (rect = union(rect, textArea(roi.x + pad, roi.y + pad + k * lh, l, size))));
  items.push({
    rect,
    draw: (img, ox, oy) => {
      fillRect(img, roi.x - ox, roi.y - oy, cw, ch, CAPTION_BOX);
      lines.forEach((l, k) => drawText(img, roi.x + pad - ox, roi.y + pad + k * lh - oy, l, { size, color: 'white' }));
    },
  });
  if (result.pixelSize) {
    const sb = scaleBarLayout(width, height, { ...result.pixelSize }, { corner: 'bottom-right', bottom: detail.analysed.height });
    const r = union(
      union(fillArea(sb.box.x, sb.box.y, sb.box.width, sb.box.height), textArea(sb.labelX, sb.labelY, sb.bar.label, sb.size)),
      fillArea(sb.line.x, sb.line.y, sb.line.width, sb.line.height),
    );
    items.push({ rect: r, draw: (img, ox, oy) => drawScaleBarLayout(img, sb, ox, oy) });
  }
  if (detail.phases && detail.phases.tints.length > 0) items.push(legend(detail.phases, roi, size, pad, rect));
  return { outline: Math.max(1, Math.round(width / 500)), items };
}

/**
 * The legend of a multi-phase overlay, at the top right of the analysed area (below the caption where they would
 * overlap): one row per class, a swatch in the class's colour (opaque) and its name: first the void phase in the
 * pore tint ("<void name> (pores)"), then the tinted phases.
 */
function legend(phases: OverlayPhases, roi: Roi, size: FontSize, pad: number, caption: Rect): Decoration {
  const rows: { name: string; colour: Rgba }[] = [
    { name: `${phases.voidName} (pores)`, colour: [PORE[0], PORE[1], PORE[2], 255] },
    ...phases.tints.map((t) => ({ name: t.name, colour: [t.colour[0], t.colour[1], t.colour[2], 255] as Rgba })),
  ];
  const lh = textHeight(size);
  const swatch = Math.round(lh * 0.6);
  const gap = pad;
  let tw = 0;
  for (const r of rows) tw = Math.max(tw, textWidth(r.name, size));
  const w = Math.min(roi.width, 2 * pad + swatch + gap + tw);
  const h = 2 * pad + rows.length * lh;
  const x = roi.x + roi.width - w;
  const y = caption.x1 > x ? caption.y1 : roi.y;
  let rect = fillArea(x, y, w, h);
  rows.forEach((r, k) => (rect = union(rect, textArea(x + pad + swatch + gap, y + pad + k * lh, r.name, size))));
  return {
    rect,
    draw: (img, ox, oy) => {
      fillRect(img, x - ox, y - oy, w, h, CAPTION_BOX);
      rows.forEach((r, k) => {
        const ry = y + pad + k * lh;
        fillRect(img, x + pad - ox, ry + Math.round((lh - swatch) / 2) - oy, swatch, swatch, r.colour);
        drawText(img, x + pad + swatch + gap - ox, ry - oy, r.name, { size, color: 'white' });
      });
    },
  };
}

/** Draw the overlay into an RGBA picture of the full image (data bar included), in exact colours. */
export function drawOverlay(raster: Raster, detail: PorosityDetail): RgbaImage {
  const { width, height } = raster;
  const img: RgbaImage = { width, height, data: new Uint8Array(width * height * 4) };
  const grey = displayGrey(raster);
  const out = new Uint32Array(img.data.buffer);
  paintClasses(grey, width, height, detail, TINT_LUT.packed, out);
  paintPhases(grey, width, detail, out);
  const { outline, items } = decorations(width, height, detail);
  strokeRect(img, detail.result.roi, OUTLINE, outline);
  for (const d of items) d.draw(img, 0, 0);
  return img;
}

/**
 * The overlay as palette indices (see OVERLAY_PALETTE): every pixel's class colour from a lookup table; the
 * outline (opaque) set directly; caption and scale bar drawn in exact colours on small RGBA pieces holding the
 * exact picture underneath, and each pixel they change given the nearest palette colour. Two-phase overlays only
 * (the palette holds no phase tints): a multi-phase input is a RangeError (drawOverlay draws it).
 */
export function drawOverlayIndexed(raster: Raster, detail: PorosityDetail, into?: Uint8Array): Uint8Array {
  if (detail.phases && detail.phases.tints.length > 0) throw new RangeError('a multi-phase overlay has no palette form (the palette holds no phase tints): draw it with drawOverlay');
  const { width, height } = raster;
  const grey = displayGrey(raster);
  // (every pixel is written, so a reused buffer needs no clearing)
  const out = into && into.length === width * height ? into : new Uint8Array(width * height);
  paintClasses(grey, width, height, detail, TINT_LUT.index, out);
  const roi = detail.result.roi;
  const { outline, items } = decorations(width, height, detail);
  // strokeRect's four strips, with fillRect's clipping.
  const strips = outlineStrips(roi, outline).map(([x, y, w, h]) => clip(fillArea(x, y, w, h), width, height));
  const inOutline = (x: number, y: number) => strips.some((r) => x >= r.x0 && x < r.x1 && y >= r.y0 && y < r.y1);
  for (const r of strips) for (let y = r.y0; y < r.y1; y++) out.fill(RAMP.cyan, y * width + r.x0, y * width + r.x1);
  // Overlapping decorations are drawn together on one piece, in their order.
  const pieces: { rect: Rect; draws: Decoration['draw'][] }[] = [];
  for (const d of items) {
    let rect = clip(d.rect, width, height);
    const draws = [d.draw];
    for (let k = pieces.length - 1; k >= 0; k--) {
      const p = pieces[k]!;
      if (p.rect.x0 < rect.x1 && rect.x0 < p.rect.x1 && p.rect.y0 < rect.y1 && rect.y0 < p.rect.y1) {
        rect = union(p.rect, rect);
        draws.unshift(...p.draws);
        pieces.splice(k, 1);
      }
    }
    pieces.push({ rect, draws });
  }
  const { labels, voids, regionMask } = detail;
  const classAt = (x: number, y: number, i: number): number => {
    if (x < roi.x || x >= roi.x + roi.width || y < roi.y || y >= roi.y + roi.height) return 3;
    const l = labels ? labels[i]! : voids[i]!;
    return l > 0 ? 1 : l < 0 ? 2 : regionMask && regionMask[i] === 0 ? 3 : NONE;
  };
  for (const { rect, draws } of pieces) {
    const pw = rect.x1 - rect.x0;
    const ph = rect.y1 - rect.y0;
    if (pw <= 0 || ph <= 0) continue;
    const base = new Uint32Array(pw * ph);
    for (let y = 0; y < ph; y++) {
      for (let x = 0; x < pw; x++) {
        const gx = rect.x0 + x;
        const gy = rect.y0 + y;
        const i = gy * width + gx;
        base[y * pw + x] = inOutline(gx, gy) ? CYAN_PACKED : TINT_LUT.packed[classAt(gx, gy, i) * 256 + grey[i]!]!;
      }
    }
    const piece: RgbaImage = { width: pw, height: ph, data: new Uint8Array(base.slice().buffer) };
    for (const draw of draws) draw(piece, rect.x0, rect.y0);
    const p32 = new Uint32Array(piece.data.buffer);
    for (let y = 0; y < ph; y++) {
      for (let x = 0; x < pw; x++) {
        const k = y * pw + x;
        if (p32[k] === base[k]) continue; // untouched: keep the class colour's index
        const j = 4 * k;
        const key = piece.data[j]! | (piece.data[j + 1]! << 8) | (piece.data[j + 2]! << 16);
        let idx = NEAREST.get(key);
        if (idx === undefined) {
          if (NEAREST.size >= 1 << 16) NEAREST.clear();
          NEAREST.set(key, (idx = nearest([piece.data[j]!, piece.data[j + 1]!, piece.data[j + 2]!])));
        }
        out[(rect.y0 + y) * width + rect.x0 + x] = idx;
      }
    }
  }
  return out;
}

/** Palette index nearest to each RGB (r | g << 8 | b << 16) met on a caption or scale bar so far (a pure function, cached). */
const NEAREST = new Map<number, number>();
const CYAN_PACKED = new Uint32Array(Uint8Array.from([OUTLINE[0], OUTLINE[1], OUTLINE[2], 255]).buffer)[0]!;

function clip(r: Rect, width: number, height: number): Rect {
  return { x0: Math.max(0, r.x0), y0: Math.max(0, r.y0), x1: Math.min(width, r.x1), y1: Math.min(height, r.y1) };
}

export interface OverlayPngOptions {
  /**
   * 'palette' (default): 8-bit palette PNG in the colours of OVERLAY_PALETTE (grey within ±1 level, tints within
   * ±2 of the exact ones): a third of the bytes of RGB to draw and write. 'exact': RGB PNG of drawOverlay's colours
   * (zlib level 2, about 8× the CPU time of the default). Multi-phase overlays (OverlayInput.phases) are always 'exact'.
   */
  colours?: 'palette' | 'exact';
  /**
   * zlib level of the palette PNG (default 0: stored, ≈ 1 byte per pixel, as large as the RGB overlays were at
   * level 2 and almost free to write). 1..9: run-length + Huffman coding, about 40 % smaller on micrographs for
   * some 35 ms more per 3-Mpx image (noise leaves LZ77 little to find, so higher levels gain little more).
   */
  compressionLevel?: number;
}

/** Overlay PNG bytes (see OverlayPngOptions). */
export async function renderOverlay(raster: Raster, detail: PorosityDetail, options: OverlayPngOptions = {}): Promise<Buffer> {
  // A multi-phase overlay is always exact RGB: the 256-colour palette has no room for the phase tints, and the
  // ≈ 0.2 s of CPU per 3 Mpx it costs is small beside the learned segmenter that made the map (seconds per Mpx).
  if (options.colours === 'exact' || (detail.phases && detail.phases.tints.length > 0)) {
    const img = drawOverlay(raster, detail);
    // RGB (the overlay is opaque; alpha dropped by libvips), zlib level 2 without adaptive filtering.
    return sharp(img.data, { raw: { width: img.width, height: img.height, channels: 4 } })
      .removeAlpha()
      .png({ compressionLevel: 2, adaptiveFiltering: false })
      .toBuffer();
  }
  if (options.colours !== undefined && options.colours !== 'palette') throw new RangeError(`overlay colours must be 'palette' or 'exact', got ${String(options.colours)}`);
  // The index picture is drawn into a per-thread spare buffer (a fresh 3 MB array per 3-Mpx image costs as much
  // as drawing it: every page is faulted in), taken for the duration of the encode and then given back.
  const n = raster.width * raster.height;
  const into = spareIndex && spareIndex.length === n ? spareIndex : undefined;
  if (into) spareIndex = null;
  const data = drawOverlayIndexed(raster, detail, into);
  try {
    return await encodeIndexedPng({ width: raster.width, height: raster.height, data, palette: OVERLAY_PALETTE }, { compressionLevel: options.compressionLevel ?? 0 });
  } finally {
    spareIndex = data;
  }
}

/** An index buffer not in use (per thread; the last overlay's). */
let spareIndex: Uint8Array | null = null;

/** 0/255 void-mask PNG of the full image size (the analysed rows at the top; the rest 0). */
export async function voidMaskPng(width: number, height: number, voids: Uint8Array): Promise<Buffer> {
  const out = new Uint8Array(width * height);
  const n = Math.min(voids.length, out.length);
  for (let i = 0; i < n; i++) out[i] = voids[i] ? 255 : 0;
  // sharp directly (not render's encodeGreyPng, which currently writes an sRGB PNG): a true
  // one-channel grey PNG so the mask opens as 8-bit grey in ImageJ.
  return sharp(out, { raw: { width, height, channels: 1 } }).toColourspace('b-w').png({ compressionLevel: 6 }).toBuffer();
}
