/**
 * Subtract Background (src/segmentation/filters/subtract-background.ts) against ImageJ 1.53t itself.
 *
 * Expected values: test/fixtures/local/expected-imagej-1.53t-subtract-background.json, recorded by
 * scripts/fixtures/local-threshold-record.ts with ImageJ 1.53t's BackgroundSubtracter.rollingBallBackground
 * (the call Process ▸ Subtract Background makes) on the images of scripts/fixtures/local-images.ts
 * (8-bit dark and light background, 16-bit, float32; regenerated here): SHA-256 of the output pixels
 * and the values at four spots.
 */
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createRaster } from '../../src/raster/types.js';
import { VoidscopeError } from '../../src/errors.js';
import { backgroundOf, describeBackground, parseBackgroundOptions, subtractBackground } from '../../src/segmentation/filters/subtract-background.js';
import { backgroundCaseKey, backgroundCases, backgroundFixtureImages } from '../../scripts/fixtures/local-images.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const fx = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/local/expected-imagej-1.53t-subtract-background.json'), 'utf8')) as {
  cases: Record<string, { sha256: string; spots: number[] }>;
};
const images = new Map(backgroundFixtureImages().map((im) => [im.name, im]));

function leBytes(d: Uint8Array | Uint16Array | Float32Array): Buffer {
  if (d instanceof Uint8Array) return Buffer.from(d);
  const b = Buffer.alloc(d.length * d.BYTES_PER_ELEMENT);
  for (let i = 0; i < d.length; i++) {
    if (d instanceof Uint16Array) b.writeUInt16LE(d[i]!, 2 * i);
    else b.writeFloatLE(d[i]!, 4 * i);
  }
  return b;
}

const groups: Record<string, (c: ReturnType<typeof backgroundCases>[number]) => boolean> = {
  'rolling ball': (c) => !c.paraboloid,
  'sliding paraboloid': (c) => c.paraboloid,
};

for (const [name, pick] of Object.entries(groups)) {
  test(`${name}: pixel-exact against ImageJ 1.53t Subtract Background (8-bit, 16-bit, float; light/dark; smoothing on/off)`, () => {
    const cases = backgroundCases().filter(pick);
    assert.ok(cases.length >= 50, `${cases.length} cases`);
    const failures: string[] = [];
    for (const c of cases) {
      const key = backgroundCaseKey(c);
      const want = fx.cases[key];
      assert.ok(want, `no recorded ImageJ output for "${key}"`);
      const im = images.get(c.image)!;
      const raster = createRaster(im.width, im.height, im.data);
      const out = subtractBackground(raster, { radius: c.radius, light: c.light, paraboloid: c.paraboloid, noSmoothing: !c.presmooth, correctCorners: c.correctCorners });
      assert.equal(out.data.constructor, im.data.constructor);
      const d = out.data as Uint8Array | Uint16Array | Float32Array;
      const spots = [0, im.width - 1, Math.trunc(im.height / 2) * im.width + Math.trunc(im.width / 2), im.width * im.height - 1].map((i) => d[i]!);
      const sha = createHash('sha256').update(leBytes(d)).digest('hex');
      if (sha !== want.sha256) failures.push(`${key}: spots ${spots.join(',')} vs ImageJ ${want.spots.join(',')}`);
    }
    assert.deepEqual(failures, []);
  });
}

test('every recorded case is checked', () => {
  assert.equal(Object.keys(fx.cases).length, backgroundCases().length);
  for (const c of backgroundCases()) assert.ok(fx.cases[backgroundCaseKey(c)], backgroundCaseKey(c));
});

test('the input is not modified and the shading is removed (ground truth of the generated image)', () => {
  const im = images.get('light8')!;
  const copy = Uint8Array.from(im.data as Uint8Array);
  const raster = createRaster(im.width, im.height, im.data as Uint8Array);
  const out = subtractBackground(raster, { radius: 20, light: true });
  assert.deepEqual(im.data, copy);
  // light8: background 200 with a ±50 shading, particles at 80: after subtraction the background sits at ~255
  // everywhere (spread of its row means < 12 instead of ~50) and particles stay ~120 below it.
  const bg = backgroundOf(raster, { radius: 20, light: true });
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of bg) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  assert.ok(hi - lo > 40, `the background found spans the shading (${lo}..${hi})`);
  const d = out.data as Uint8Array;
  let n = 0;
  let sum = 0;
  for (let i = 0; i < d.length; i++) if (d[i]! > 200) (n++, (sum += d[i]!));
  assert.ok(n > d.length * 0.6 && sum / n > 240, `background pixels brought to ~255 (${n} px, mean ${sum / n})`);
});

test('options: defaults, and one clear EOPTION / EUNSUPPORTED per bad input', () => {
  assert.deepEqual(parseBackgroundOptions({ radius: 50 }), { radius: 50, light: false, paraboloid: false, noSmoothing: false, correctCorners: true });
  assert.deepEqual(parseBackgroundOptions({ kind: 'background', radius: 9, light: true }), { radius: 9, light: true, paraboloid: false, noSmoothing: false, correctCorners: true });
  assert.throws(() => parseBackgroundOptions({ kind: 'median', radius: 9 }), /background\.kind: unknown key/);
  assert.equal(describeBackground(parseBackgroundOptions({ radius: 50, light: true })), 'Subtract Background (ImageJ 1.53t): rolling ball radius 50 px, light background, 3×3 mean smoothing');
  assert.equal(
    describeBackground(parseBackgroundOptions({ radius: 7.5, paraboloid: true, noSmoothing: true })),
    'Subtract Background (ImageJ 1.53t): sliding paraboloid radius 7.5 px, dark background, smoothing disabled, corners corrected',
  );
  const bad: [unknown, RegExp][] = [
    [{ radius: 0 }, /background\.radius: the rolling ball radius must be a number of pixels > 0\.0001/],
    [{ radius: Number.POSITIVE_INFINITY }, /background\.radius/],
    [{ radius: 5, light: 'yes' }, /background\.light: must be true or false/],
    [{ radius: 5, smooth: false }, /background\.smooth: unknown key/],
    [[], /must be an object/],
  ];
  for (const [input, re] of bad) {
    assert.throws(() => parseBackgroundOptions(input), (e: unknown) => e instanceof VoidscopeError && e.code === 'EOPTION' && re.test(e.message), JSON.stringify(input));
  }
  const u32 = createRaster(4, 4, new Uint32Array(16));
  assert.throws(() => subtractBackground(u32, { radius: 5 }), (e: unknown) => e instanceof VoidscopeError && e.code === 'EUNSUPPORTED');
  // ImageJ 1.53t throws ArrayIndexOutOfBoundsException ("Index -1 out of bounds for length 10", checked
  // on a 3×40 image, radius 50) when the shrunk image is 1 pixel wide: we say why instead.
  const thin = createRaster(3, 40, new Uint8Array(120));
  assert.throws(() => subtractBackground(thin, { radius: 50 }), (e: unknown) => e instanceof VoidscopeError && e.code === 'EOPTION' && /shrinks it 4×/.test(e.message));
});
