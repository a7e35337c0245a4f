/**
 * Hot-spot area fraction: the fraction of the analysed pixels whose counts exceed a threshold
 * set by a stated rule.
 * - `otsu`: Otsu threshold of the map (./otsu.ts), optionally after a Gaussian blur of σ pixels;
 * - `sigma`: mean + k·SD of the pixel counts (sample SD), optionally after the same blur.
 * The rule, its parameters and the resulting threshold are returned with the fraction.
 */
import type { PixelData } from '../../raster/types.js';
import { gaussianBlur } from './gaussian-blur.js';
import { otsuThreshold } from './otsu.js';

export type HotspotRule = { method: 'otsu'; smoothSigmaPx?: number } | { method: 'sigma'; k: number; smoothSigmaPx?: number };

export interface HotspotResult {
  fraction: number;
  hotPixels: number;
  pixels: number;
  /** Pixels with (smoothed) counts strictly above this value are hot. */
  thresholdCounts: number;
  rule: HotspotRule & { description: string };
}

export function parseHotspotRule(text: string, smoothSigmaPx?: number): HotspotRule | null {
  const t = text.trim().toLowerCase();
  const base = smoothSigmaPx && smoothSigmaPx > 0 ? { smoothSigmaPx } : {};
  if (t === 'otsu') return { method: 'otsu', ...base };
  const m = /^sigma:([0-9]*\.?[0-9]+)$/.exec(t);
  if (m) return { method: 'sigma', k: Number(m[1]), ...base };
  return null;
}

export function describeHotspotRule(rule: HotspotRule): string {
  const smooth = rule.smoothSigmaPx ? ` after a Gaussian blur (σ = ${rule.smoothSigmaPx} px)` : '';
  return rule.method === 'otsu'
    ? `counts > Otsu threshold of the count histogram (scikit-image 0.19 convention)${smooth}`
    : `counts > mean + ${rule.k}·SD of the pixel counts${smooth}`;
}

export function hotspotFraction(data: PixelData, width: number, height: number, rule: HotspotRule): HotspotResult {
  const values: ArrayLike<number> = rule.smoothSigmaPx ? gaussianBlur(data, width, height, rule.smoothSigmaPx) : data;
  const n = values.length;
  let threshold: number;
  if (rule.method === 'otsu') {
    threshold = otsuThreshold(values as PixelData).threshold;
  } else {
    let s = 0;
    for (let i = 0; i < n; i++) s += values[i]!;
    const mean = s / n;
    let ss = 0;
    for (let i = 0; i < n; i++) ss += (values[i]! - mean) ** 2;
    const sd = n > 1 ? Math.sqrt(ss / (n - 1)) : 0;
    threshold = mean + rule.k * sd;
  }
  let hot = 0;
  for (let i = 0; i < n; i++) if (values[i]! > threshold) hot++;
  return { fraction: hot / n, hotPixels: hot, pixels: n, thresholdCounts: threshold, rule: { ...rule, description: describeHotspotRule(rule) } };
}
