/**
 * The committed fixture images are exactly what scripts/fixtures/threshold.ts generates
 * (seeded PRNG, no Math.random), and stay small.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { fixtureImages } from '../../scripts/fixtures/threshold.js';
import { FIXTURES, readFixture } from './helpers.js';

test('generator output == committed fixtures (pixel for pixel), each ≤ 70 KB', async () => {
  const imgs = fixtureImages();
  assert.equal(imgs.length, 13);
  for (const img of imgs) {
    const file = `${img.name}.tif`;
    const r = await readFixture(file);
    assert.equal(r.width, img.width, file);
    assert.equal(r.height, img.height, file);
    assert.equal(r.data.constructor, img.data.constructor, file);
    assert.deepEqual(r.data, img.data, file);
    assert.ok(statSync(join(FIXTURES, file)).size <= 70 * 1024, file);
  }
});

test('generator is deterministic (two runs give identical pixels)', () => {
  const a = fixtureImages();
  const b = fixtureImages();
  for (let i = 0; i < a.length; i++) assert.deepEqual(a[i]!.data, b[i]!.data);
});

test('ground truth of the generated images', () => {
  const byName = Object.fromEntries(fixtureImages().map((i) => [i.name, i]));
  assert.ok(byName['single-value']!.data.every((v) => v === 100));
  assert.deepEqual([...new Set(byName['two-value']!.data)].sort((x, y) => x - y), [60, 180]);
  const s16 = byName['sixteen-bit']!.data;
  assert.ok(Math.min(...s16) >= 1000 && Math.max(...s16) <= 50000);
  const nu = byName['near-uniform']!.data;
  assert.ok(Math.min(...nu) >= 124 && Math.max(...nu) <= 132);
});
