/**
 * Void fraction and pores cross-checked against ImageJ 1.53t's ParticleAnalyzer (8-connected) on
 * committed samples. Expected values were produced once with the headless ImageJ peer:
 *
 *   /work/shared/peers/ij-porosity samples/sem/cathode/NBR0.5/cycled150/cathode_NBR0.5_cycled150_1.tif \
 *       MaxEntropy 0,0,352,244 --list
 *   → threshold 98, void_pixels 15729, void_fraction 0.183133848733234, particle_count 383,
 *     areas_px (first 10, ParticleAnalyzer order) [25, 1, 235, 834, 147, 157, 7, 227, 1, 1], max 4609
 *
 *   /work/shared/peers/ij-porosity samples/sem/anode/NBR1.5/cycled150/anode_NBR1.5_cycled150_2.tif \
 *       RenyiEntropy 0,0,352,244 --sigma 1 --min-size 10 --list
 *   → threshold 106, void_pixels 16725, void_fraction 0.19473034649776452, particle_count 85,
 *     particle_area_sum_px 16697, areas_px (first 12) [37, 110, 319, 625, 348, 283, 23, 284, 11, 162, 49, 41], max 1733
 *   (ImageJ blurs the whole image, data bar included, then analyses the ROI: reproduced here with
 *   keepDatabar + the same ROI. voidscope's default cuts the bar off before filtering.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { analyzePorosity } from '../../src/segmentation/analyze.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const ROI = { x: 0, y: 0, width: 352, height: 244 };

test('MaxEntropy on a cathode sample: threshold, void pixels and ParticleAnalyzer pores equal ImageJ 1.53t', async () => {
  const r = await analyzePorosity(join(ROOT, 'samples/sem/cathode/NBR0.5/cycled150/cathode_NBR0.5_cycled150_1.tif'), {
    method: 'MaxEntropy',
    roi: ROI,
  });
  assert.equal(r.threshold.value, 98);
  assert.equal(r.voidPixels, 15729);
  assert.equal(r.voidFraction, 0.183133848733234);
  assert.equal(r.pores.count, 383);
  assert.deepEqual(r.pores.list.slice(0, 10).map((p) => p.areaPx), [25, 1, 235, 834, 147, 157, 7, 227, 1, 1]);
  assert.equal(Math.max(...r.pores.list.map((p) => p.areaPx)), 4609);
});

test('Gaussian σ 1 + RenyiEntropy + min size 10 px on an anode sample equal ImageJ 1.53t (GaussianBlur parity)', async () => {
  const r = await analyzePorosity(join(ROOT, 'samples/sem/anode/NBR1.5/cycled150/anode_NBR1.5_cycled150_2.tif'), {
    method: 'RenyiEntropy',
    roi: ROI,
    gaussian: 1,
    minPore: { value: 10, unit: 'px' },
    keepDatabar: true,
  });
  assert.equal(r.threshold.value, 106);
  assert.equal(r.voidPixels, 16725);
  assert.equal(r.voidFraction, 0.19473034649776452);
  assert.equal(r.pores.count, 85);
  assert.equal(r.pores.list.reduce((s, p) => s + p.areaPx, 0), 16697);
  assert.deepEqual(r.pores.list.slice(0, 12).map((p) => p.areaPx), [37, 110, 319, 625, 348, 283, 23, 284, 11, 162, 49, 41]);
  assert.equal(Math.max(...r.pores.list.map((p) => p.areaPx)), 1733);
});
