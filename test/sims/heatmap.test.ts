/**
 * Heat maps: files named per map, one shared colour scale, viridis colours at known pixels
 * (d3-scale-chromatic interpolateViridis is the reference), log scale, panel layout.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { interpolateViridis } from 'd3-scale-chromatic';
import { createRaster, heatmapUpscale, linearTicks, logTicks, renderSimsHeatmaps, VoidscopeError } from '../../src/index.js';
import { textHeight } from '../../src/render/index.js';
import { tempDir } from './helpers.js';

const rgb = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));

async function pixel(file: string, x: number, y: number): Promise<number[]> {
  const { data, info } = await sharp(file).raw().toBuffer({ resolveWithObject: true });
  const j = (y * info.width + x) * info.channels;
  return [data[j]!, data[j + 1]!, data[j + 2]!];
}

const N = 8;
const F = heatmapUpscale(N, N); // 48: 8 px drawn ≥ 384 px wide
const ramp = (scale: number) => createRaster(N, N, Uint32Array.from({ length: N * N }, (_, i) => Math.round(((i % N) / (N - 1)) * scale)), { pixelSize: { value: 0.5, unit: 'µm', source: 'test' } });

test('ticks: 1-2-5 linear steps and decades for log', () => {
  assert.deepEqual(linearTicks(15), [0, 5, 10, 15]);
  assert.deepEqual(linearTicks(0.9), [0, 0.2, 0.4, 0.6, 0.8]);
  assert.deepEqual(logTicks(250), [0, 1, 10, 100, 250]);
  assert.deepEqual(logTicks(120), [0, 1, 10, 100]);
});

test('several maps: one PNG each with a shared linear scale; viridis colours at known pixels', async () => {
  const dir = tempDir();
  const out = join(dir, 'li.png');
  const res = await renderSimsHeatmaps(
    [
      { raster: ramp(10), title: 'low', name: '/a/NBR0.5/map.bif6' },
      { raster: ramp(20), title: 'high', name: '/a/NBR2.5/map.bif6' },
    ],
    { out },
  );
  assert.deepEqual(res.files, [join(dir, 'li-NBR0.5-map.png'), join(dir, 'li-NBR2.5-map.png')]);
  assert.deepEqual(res.scale, { min: 0, max: 20, log: false, colormap: 'viridis' });
  // 8 px maps are drawn F× (nearest neighbour), at (10, 10 + textHeight + 6).
  assert.equal(F, 48);
  const y0 = 10 + textHeight(16) + 6 + F / 2;
  const xLast = 10 + 7 * F + F / 2; // rightmost column centre
  // Map "low": rightmost value 10 of 20 → viridis(0.5); map "high": 20 → viridis(1).
  const tol = (a: number[], b: number[]) => a.every((v, i) => Math.abs(v - b[i]!) <= 2);
  assert.ok(tol(await pixel(res.files[0]!, xLast, y0), rgb(interpolateViridis(Math.round(0.5 * 255) / 255))));
  assert.ok(tol(await pixel(res.files[1]!, xLast, y0), rgb(interpolateViridis(1))));
  assert.ok(tol(await pixel(res.files[0]!, 10 + F / 2, y0), rgb(interpolateViridis(0))));
  const meta = await sharp(res.files[0]!).metadata();
  assert.ok(meta.width! > N * F + 40, 'room for the colour bar');
});

test('log scale, panel layout, and option errors', async () => {
  const dir = tempDir();
  const out = join(dir, 'panel.png');
  const res = await renderSimsHeatmaps([{ raster: ramp(99), title: 'a' }, { raster: ramp(9), title: 'b' }], { out, log: true, layout: 'panel' });
  assert.deepEqual(res.files, [out]);
  assert.equal(res.scale.log, true);
  const y0 = 10 + textHeight(16) + 6 + F / 2;
  // Value 9 on a log scale to 99: log10(10)/log10(100) = 0.5.
  const xB = 10 + N * F + 10 + 7 * F + F / 2;
  const c = await pixel(out, xB, y0);
  const want = rgb(interpolateViridis(Math.round(0.5 * 255) / 255));
  assert.ok(c.every((v, i) => Math.abs(v - want[i]!) <= 2), `${c} vs ${want}`);
  await assert.rejects(renderSimsHeatmaps([{ raster: ramp(1), title: 'x' }], { out: join(dir, 'x.jpg') }), (e: Error) => e instanceof VoidscopeError && e.code === 'EOPTION');
  await assert.rejects(renderSimsHeatmaps([], { out }), /no maps/);
  assert.ok(!existsSync(join(dir, 'x.jpg')));
});
