/**
 * Overlays drawn from a label map (labelOverlayInput) are the same pictures as those drawn from the
 * measurement detail: byte-identical PNGs, with and without an analysis mask, for generated images
 * whose void pixels are known.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRaster } from '../../src/raster/types.js';
import { measurePorosityDetailed } from '../../src/segmentation/porosity.js';
import { labelOverlayInput, renderOverlay } from '../../src/render/overlay.js';
import { mulberry32 } from '../../scripts/lib/random.js';

function image(w: number, h: number) {
  const rnd = mulberry32(11);
  const d = new Uint8Array(w * h);
  for (let i = 0; i < d.length; i++) d[i] = 180 + Math.floor(rnd() * 21) - 10;
  for (let k = 0; k < 40; k++) {
    const cx = Math.floor(rnd() * w);
    const cy = Math.floor(rnd() * h);
    const r = 1 + Math.floor(rnd() * 5);
    for (let y = Math.max(0, cy - r); y < Math.min(h, cy + r); y++) for (let x = Math.max(0, cx - r); x < Math.min(w, cx + r); x++) d[y * w + x] = 30;
  }
  return createRaster(w, h, d, { pixelSize: { value: 0.05, unit: 'µm', source: 'test' } });
}

test('an overlay from the label map equals the overlay from the measurement detail', async () => {
  const w = 160;
  const h = 120;
  const mask = new Uint8Array(w * h);
  for (let i = 0; i < mask.length; i++) mask[i] = (i % w) < 100 ? 1 : 0;
  for (const opts of [{ method: 'Otsu', minPore: 6 }, { threshold: 100, roi: '10,5,120,90', mask }, { method: 'MultiOtsu', databar: { rows: 12, source: 'test' } }] as const) {
    const r = image(w, h);
    const det = measurePorosityDetailed(r, opts as never, { labels: true });
    const res = det.result;
    const input = labelOverlayInput({
      labels: det.segmentation.labels,
      pores: det.labels,
      region: { roi: res.roi, mask: det.regionMask },
      caption: { method: res.method, threshold: res.threshold.value, porosityPercent: res.porosityPercent, poreCount: res.pores.count },
      pixelSize: res.pixelSize,
    });
    assert.deepEqual(await renderOverlay(r, input), await renderOverlay(r, det), JSON.stringify(Object.keys(opts)));
  }
});
