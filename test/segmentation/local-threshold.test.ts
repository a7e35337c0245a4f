/**
 * Local thresholds (src/segmentation/local/) against Fiji's Auto_Local_Threshold 1.11.0 itself.
 *
 * Expected values: test/fixtures/local/expected-fiji-auto-local-threshold-1.11.0.json, recorded by
 * scripts/fixtures/local-threshold-record.ts, which compiles the plugin's own source against ImageJ
 * 1.53t's ij.jar and runs `exec(imp, method, radius, p1, p2, white)` headless on the images of
 * scripts/fixtures/local-images.ts (regenerated here, deterministic). Each case stores the SHA-256 of
 * Fiji's output (0/255 bytes) and its count of 255 pixels.
 *
 * The parity test loops over LOCAL_METHODS, so a registry member without recorded cases fails.
 */
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createRaster, type Raster } from '../../src/raster/types.js';
import { VOID, SOLID } from '../../src/raster/labels.js';
import { VoidscopeError } from '../../src/errors.js';
import {
  LOCAL_METHOD_FUNCTIONS,
  LOCAL_METHODS,
  localThreshold,
  ovalRoiSpans,
  parseLocalMethod,
  parseLocalSpec,
  rankMeanVariance,
  rankMedian16,
  rankMinMax,
  resolveLocalParams,
  segmentLocal,
  type LocalMethod,
} from '../../src/segmentation/local/index.js';
import { circularKernel, medianFilter } from '../../src/segmentation/filters/median.js';
import { localCaseKey, localCases, localFixtureImages, LOCAL_CASE_PARAMS } from '../../scripts/fixtures/local-images.js';
import { mulberry32 } from '../../scripts/lib/random.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const fx = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/local/expected-fiji-auto-local-threshold-1.11.0.json'), 'utf8')) as {
  cases: Record<string, { sha256: string; white: number }>;
};

const images = new Map(localFixtureImages().map((im) => [im.name, im]));

/** Fiji's output bytes (255 = object) from a method's 0/1 result. */
function fijiBytes(mask: Uint8Array): Uint8Array {
  const out = new Uint8Array(mask.length);
  for (let i = 0; i < mask.length; i++) out[i] = mask[i] ? 255 : 0;
  return out;
}

const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

for (const method of LOCAL_METHODS) {
  test(`${method}: pixel-exact against Fiji Auto_Local_Threshold 1.11.0 on every recorded case`, () => {
    const cases = localCases().filter((c) => c.method === method);
    assert.ok(cases.length >= 30, `${method} has recorded parity cases (${cases.length})`);
    let checked = 0;
    const failures: string[] = [];
    for (const c of cases) {
      const key = localCaseKey(c);
      const want = fx.cases[key];
      assert.ok(want, `no recorded Fiji output for "${key}"`);
      const im = images.get(c.image)!;
      const raster = createRaster(im.width, im.height, im.data);
      // The plugin's own arguments: parameters as typed in Fiji's dialog (0 = default).
      const spec = parseLocalSpec({ name: method, radius: c.radius, param1: c.p1, param2: c.p2, voids: c.white ? 'bright' : 'dark' });
      const mask = localThreshold(raster, spec);
      const bytes = fijiBytes(mask);
      let count = 0;
      for (const b of bytes) if (b) count++;
      if (sha(bytes) !== want.sha256) failures.push(`${key}: ${count} object pixels, Fiji ${want.white}`);
      checked++;
    }
    assert.deepEqual(failures, [], `${failures.length} of ${checked} cases differ from Fiji`);
  });
}

test('every recorded case belongs to a registered method (no stale fixtures)', () => {
  for (const key of Object.keys(fx.cases)) assert.ok(LOCAL_METHODS.includes(key.split(' ')[1] as LocalMethod), key);
  assert.deepEqual(Object.keys(LOCAL_CASE_PARAMS).sort(), [...LOCAL_METHODS].sort());
  assert.equal(Object.keys(fx.cases).length, localCases().length);
});

// ---- 16-bit rule -------------------------------------------------------------------------------

/** The 8-bit fixture images ×257 (255 ↦ 65535) as 16-bit rasters. */
function times257(im: { width: number; height: number; data: Uint8Array }): Raster<Uint16Array> {
  const d = new Uint16Array(im.data.length);
  for (let i = 0; i < d.length; i++) d[i] = im.data[i]! * 257;
  return createRaster(im.width, im.height, d);
}

/** Grey-level parameters scale with the image (the 16-bit rule); dimensionless ones (k, r of Phansalkar) do not. */
function scaled(method: LocalMethod, p1: number, p2: number): [number, number] {
  switch (method) {
    case 'Bernsen':
    case 'Mean':
    case 'Median':
    case 'MidGrey':
      return [p1 * 257, p2];
    case 'Niblack':
      return [p1, p2 * 257];
    case 'Sauvola':
      return [p1, p2 * 257];
    default:
      return [p1, p2];
  }
}

test('16-bit rule: an 8-bit image ×257 with its grey-level parameters ×257 gives the 8-bit (Fiji) mask', () => {
  // Reference: the recorded Fiji masks of the 8-bit images. Contrast, Median and MidGrey: exact.
  // Mean, Niblack and Sauvola compare with Java's (int) of a float threshold x: exact except where the
  // 8-bit truncation is coarser than the 16-bit one, i.e. (a) a 0 pixel with x in (−1, 0) (Java
  // truncates toward 0: 0 > 0 is false in 8-bit, 0 > −128 true in 16-bit), (b) x within float
  // rounding of a whole number. Every differing pixel must be one of these.
  // Bernsen, Otsu and Phansalkar are checked below against their own rules.
  const exact: LocalMethod[] = ['Contrast', 'Median', 'MidGrey'];
  const truncated: LocalMethod[] = ['Mean', 'Niblack', 'Sauvola'];
  const failures: string[] = [];
  let explained = 0;
  let compared = 0;
  let pixels = 0;
  for (const c of localCases()) {
    const method = c.method as LocalMethod;
    if (!exact.includes(method) && !truncated.includes(method)) continue;
    const im = images.get(c.image)!;
    const [p1, p2] = scaled(method, c.p1, c.p2);
    const spec16 = parseLocalSpec({ name: method, radius: c.radius, param1: p1, param2: p2, voids: c.white ? 'bright' : 'dark' });
    const spec8 = parseLocalSpec({ name: method, radius: c.radius, param1: c.p1, param2: c.p2, voids: c.white ? 'bright' : 'dark' });
    const m16 = localThreshold(times257(im), spec16);
    const m8 = localThreshold(createRaster(im.width, im.height, im.data), spec8);
    assert.equal(sha(fijiBytes(m8)), fx.cases[localCaseKey(c)]!.sha256); // m8 is Fiji's mask
    compared++;
    pixels += m8.length;
    if (exact.includes(method)) {
      if (sha(fijiBytes(m16)) !== sha(fijiBytes(m8))) failures.push(localCaseKey(c));
      continue;
    }
    const { param1, param2 } = resolveLocalParams(spec8, 8);
    const { mean, variance } = rankMeanVariance(im.data, im.width, im.height, c.radius, { mean: true, variance: true });
    for (let i = 0; i < m8.length; i++) {
      if (m8[i] === m16[i]) continue;
      const m = mean![i]!;
      const sd = Math.sqrt(variance![i]!);
      const x = method === 'Mean' ? m - param1 : method === 'Niblack' ? m + param1 * sd - param2 : m * (1 + param1 * (sd / param2 - 1));
      const p = im.data[i]!;
      if ((p === 0 && x > -1 && x < 0) || Math.abs(x - Math.round(x)) < 1e-4) explained++;
      else failures.push(`${localCaseKey(c)} pixel ${i}: ${p} vs threshold ${x}`);
    }
  }
  assert.deepEqual(failures, []);
  assert.ok(compared > 250, `${compared} cases compared`);
  assert.ok(explained < pixels * 0.001, `${explained} explained truncation pixels of ${pixels}`);
});

/** Straightforward O(r²) reference of the documented 16-bit rules for Bernsen and Otsu. */
function naiveBernsen(data: Uint16Array, w: number, h: number, radius: number, ct: number, white: boolean): Uint8Array {
  const k = circularKernel(radius);
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      let lo = Infinity;
      let hi = -Infinity;
      for (let dy = -k.kRadius; dy <= k.kRadius; dy++) {
        const hw = k.halfWidths[dy + k.kRadius]!;
        for (let dx = -hw; dx <= hw; dx++) {
          const v = data[Math.min(h - 1, Math.max(0, y + dy)) * w + Math.min(w - 1, Math.max(0, x + dx))]!;
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
      }
      const mid = Math.floor((lo + hi) / 2);
      const cond = hi - lo < ct ? mid >= 32896 : data[y * w + x]! >= mid;
      out[y * w + x] = cond === white ? 1 : 0;
    }
  return out;
}

/** Fiji's Otsu loop over all 65536 bins for every window (no sparse shortcut): the threshold per pixel. */
function naiveOtsuThresholds(data: Uint16Array, w: number, h: number, radius: number): Int32Array {
  const out = new Int32Array(w * h);
  const { lo, hi } = ovalRoiSpans(radius);
  const hist = new Int32Array(65536);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      hist.fill(0);
      let n = 0;
      for (let my = 0; my < 2 * radius; my++)
        for (let mx = lo[my]!; mx <= hi[my]!; mx++) {
          const xx = x - radius + mx;
          const yy = y - radius + my;
          if (xx < 0 || yy < 0 || xx >= w || yy >= h) continue;
          hist[data[yy * w + xx]!]!++;
          n++;
        }
      const term = 1.0 / n;
      let mean = 0;
      for (let ih = 1; ih < 65536; ih++) mean = mean + ih * (term * hist[ih]!);
      const total = mean;
      let cnh = 0;
      mean = 0;
      let t = 0;
      let max = 0;
      for (let ih = 0; ih < 65536; ih++) {
        const histo = term * hist[ih]!;
        cnh = ih === 0 ? histo : cnh + histo;
        if (ih > 0) mean = mean + ih * histo;
        let bcv = total * cnh - mean;
        bcv *= bcv / (cnh * (1.0 - cnh));
        if (max < bcv) {
          max = bcv;
          t = ih;
        }
      }
      out[y * w + x] = t;
    }
  return out;
}

function naiveOtsu(data: Uint16Array, t: Int32Array, white: boolean): Uint8Array {
  const out = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = (data[i]! > t[i]! || data[i] === 65535) === white ? 1 : 0;
  return out;
}

test('16-bit rule: Bernsen and Otsu equal a direct implementation of the documented rule', () => {
  const rnd = mulberry32(77);
  const w = 23;
  const h = 17;
  const d = new Uint16Array(w * h);
  for (let i = 0; i < d.length; i++) d[i] = (i % w < 11 ? 9000 : 30000) + Math.floor(rnd() * 7000);
  d[5] = 65535;
  d[40] = 0;
  const r = createRaster(w, h, d);
  for (const radius of [1, 2, 4]) {
    const t = naiveOtsuThresholds(d, w, h, radius);
    for (const white of [true, false]) {
      assert.deepEqual(LOCAL_METHOD_FUNCTIONS.Bernsen(r, radius, 3855, 0, white), naiveBernsen(d, w, h, radius, 3855, white), `Bernsen r=${radius}`);
      assert.deepEqual(LOCAL_METHOD_FUNCTIONS.Otsu(r, radius, 0, 0, white), naiveOtsu(d, t, white), `Otsu r=${radius}`);
    }
  }
});

test('16-bit rule: ×257 differences of Bernsen, Otsu and Phansalkar stay at the documented rounding pixels', () => {
  // Bernsen: 8-bit mid = ⌊(max+min)/2⌋ drops half a grey level that ×257 keeps (pixel = mid − ½ flips);
  // Otsu: rounding of the cumulative sums differs (near-ties); Phansalkar: the 0..1 normalisation is
  // quantised to 255 vs 65535 levels. Bounded here on the shaded image, radius 3 and 15.
  const im = images.get('shaded')!;
  const r16 = times257(im);
  const r8 = createRaster(im.width, im.height, im.data);
  for (const method of ['Bernsen', 'Otsu', 'Phansalkar'] as const) {
    for (const radius of [3, 15]) {
      const [p1] = scaled(method, 0, 0);
      const a = localThreshold(r8, parseLocalSpec({ name: method, radius, voids: 'bright' }));
      const b = localThreshold(r16, parseLocalSpec({ name: method, radius, param1: p1, voids: 'bright' }));
      let diff = 0;
      for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) diff++;
      assert.ok(diff <= a.length * 0.02, `${method} r=${radius}: ${diff} of ${a.length} pixels differ`);
    }
  }
});

// ---- building blocks ---------------------------------------------------------------------------

test('rankMinMax and rankMeanVariance equal a direct computation over the circular kernel (edge pixels replicated)', () => {
  const rnd = mulberry32(5);
  const w = 19;
  const h = 13;
  const d = new Uint8Array(w * h);
  for (let i = 0; i < d.length; i++) d[i] = Math.floor(rnd() * 256);
  for (const radius of [0.5, 1, 1.5, 2, 3, 7, 20]) {
    const k = circularKernel(radius);
    const { min, max } = rankMinMax(d, w, h, radius);
    const { mean, variance } = rankMeanVariance(d, w, h, radius, { mean: true, variance: true });
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        let lo = 255;
        let hi = 0;
        let s = 0;
        let s2 = 0;
        for (let dy = -k.kRadius; dy <= k.kRadius; dy++) {
          const hw = k.halfWidths[dy + k.kRadius]!;
          for (let dx = -hw; dx <= hw; dx++) {
            const v = d[Math.min(h - 1, Math.max(0, y + dy)) * w + Math.min(w - 1, Math.max(0, x + dx))]!;
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
            s += v;
            s2 += v * v;
          }
        }
        const i = y * w + x;
        assert.equal(min[i], lo);
        assert.equal(max[i], hi);
        // integer sums are exact in doubles whatever the order, so these are ImageJ's values
        assert.equal(mean![i], Math.fround(s / k.nPoints));
        assert.equal(variance![i], Math.max(0, Math.fround((s2 - (s * s) / k.nPoints) / k.nPoints)));
      }
    // the uncached path (taken when the ring of sliding extremes would exceed its memory budget)
    const uncached = rankMinMax(d, w, h, radius, 0);
    assert.deepEqual(uncached.min, min);
    assert.deepEqual(uncached.max, max);
  }
});

test('rankMedian16 (the 16-bit Median path) equals filters/median.ts medianFilter', () => {
  const rnd = mulberry32(9);
  for (const [w, h] of [[23, 17], [1, 9], [7, 1], [40, 31]] as const) {
    const d = new Uint16Array(w * h);
    for (let i = 0; i < d.length; i++) d[i] = rnd() < 0.3 ? Math.floor(rnd() * 65536) : 20000 + Math.floor(rnd() * 300);
    for (const radius of [0.5, 1, 2, 3, 7, 15]) {
      assert.deepEqual(rankMedian16(d, w, h, radius), medianFilter(createRaster(w, h, d), radius).data, `${w}×${h} r=${radius}`);
    }
  }
});

test("Fiji's Otsu window: OvalRoi(x−r, y−r, 2r, 2r), e.g. r = 1 is the 2×2 block up-left of the pixel", () => {
  const s1 = ovalRoiSpans(1);
  assert.deepEqual([...s1.lo, ...s1.hi], [0, 0, 1, 1]);
  const s3 = ovalRoiSpans(3); // 6×6 with the corners cut
  assert.deepEqual([...s3.lo], [1, 0, 0, 0, 0, 1]);
  assert.deepEqual([...s3.hi], [4, 5, 5, 5, 5, 4]);
});

// ---- options and the segmenter -----------------------------------------------------------------

test('parseLocalSpec: defaults, names, and one clear EOPTION per bad value', () => {
  assert.deepEqual(parseLocalSpec({ name: 'sauvola' }), { name: 'Sauvola', radius: 15, param1: 0, param2: 0, voids: 'dark' });
  assert.equal(parseLocalMethod('mid-grey'), 'MidGrey');
  assert.equal(parseLocalMethod('MIDGREY'), 'MidGrey');
  const bad: [unknown, RegExp][] = [
    [{ name: 'Savoula' }, /unknown local threshold method "Savoula"; valid methods: Bernsen, Contrast/],
    [{ name: 'Mean', radius: 2.5 }, /local\.radius: must be a whole number/],
    [{ name: 'Mean', radius: 0 }, /local\.radius/],
    [{ name: 'Mean', param1: 1.5 }, /local\.param1: Mean's c is a whole number/],
    [{ name: 'Niblack', param2: 0.5 }, /local\.param2: Niblack's c is a whole number/],
    [{ name: 'Sauvola', param1: Number.NaN }, /local\.param1: must be a finite number/],
    [{ name: 'Mean', voids: 'black' }, /local\.voids/],
    [{ name: 'Mean', raduis: 3 }, /local\.raduis: unknown key/],
    [null, /must be an object/],
    [{}, /local\.name: required/],
  ];
  for (const [input, re] of bad) {
    assert.throws(() => parseLocalSpec(input), (e: unknown) => e instanceof VoidscopeError && e.code === 'EOPTION' && re.test(e.message), JSON.stringify(input));
  }
  assert.doesNotThrow(() => parseLocalSpec({ name: 'Niblack', param1: -0.35, param2: 3 }));
  // the whole segment object of the house's SegmentSpec is accepted too
  assert.deepEqual(parseLocalSpec({ method: 'local', name: 'Bernsen', radius: 7 }), { name: 'Bernsen', radius: 7, param1: 0, param2: 0, voids: 'dark' });
  assert.throws(() => parseLocalSpec({ method: 'global', name: 'Bernsen' }), /local\.method: unknown key/);
});

test("resolveLocalParams: Fiji's defaults (0 = default), Niblack's k follows the void polarity, 16-bit grey levels ×257", () => {
  const r = (o: object, depth: 8 | 16) => resolveLocalParams(parseLocalSpec(o), depth).named;
  assert.deepEqual(r({ name: 'Bernsen' }, 8), { contrastThreshold: 15 });
  assert.deepEqual(r({ name: 'Bernsen' }, 16), { contrastThreshold: 3855 });
  assert.deepEqual(r({ name: 'Niblack' }, 8), { k: -0.2, c: 0 });
  assert.deepEqual(r({ name: 'Niblack', voids: 'bright' }, 8), { k: 0.2, c: 0 });
  assert.deepEqual(r({ name: 'Sauvola' }, 8), { k: 0.5, r: 128 });
  assert.deepEqual(r({ name: 'Sauvola' }, 16), { k: 0.5, r: 32896 });
  assert.deepEqual(r({ name: 'Phansalkar', param1: 0.1 }, 16), { k: 0.1, r: 0.5 });
  assert.deepEqual(r({ name: 'Otsu' }, 8), {});
});

test('segmentLocal: label map over the analysed area, record and confidence', () => {
  const im = images.get('shaded')!;
  const raster = createRaster(im.width, im.height, im.data);
  const area = new Uint8Array(im.data.length);
  for (let i = 0; i < area.length; i++) area[i] = i % im.width < 50 ? 1 : 0;
  const spec = parseLocalSpec({ name: 'Sauvola', radius: 15 });
  const seg = segmentLocal({ raster, area }, spec);
  const voids = localThreshold(raster, spec);
  for (let i = 0; i < area.length; i++) assert.equal(seg.labels.data[i], area[i] ? (voids[i] ? VOID : SOLID) : 0);
  assert.equal(seg.record.segmenter, 'local');
  assert.equal(seg.record.method, 'Sauvola');
  assert.deepEqual(seg.record.thresholds, []);
  assert.equal(seg.record.source, 'Fiji Auto_Local_Threshold 1.11.0');
  assert.deepEqual(seg.record.params, { radius: 15, param1: 0, param2: 0, voids: 'dark', k: 0.5, r: 128 });
  assert.equal(seg.confidence.level, 'medium');
  assert.equal(seg.confidence.band, null);
  // the dark discs (~N(70,12)) are void with dark voids on this shaded image: a sanity anchor
  let nv = 0;
  for (let i = 0; i < voids.length; i++) nv += voids[i]!;
  assert.ok(nv > 0.05 * voids.length && nv < 0.5 * voids.length, `void fraction ${nv / voids.length}`);

  const mean = segmentLocal({ raster, area: null }, parseLocalSpec({ name: 'Mean', radius: 5 }));
  assert.equal(mean.confidence.level, 'low');
  assert.match(mean.confidence.warnings[0]!, /Mean with C = 0 splits every neighbourhood in two/);
  const r16 = segmentLocal({ raster: times257(im), area: null }, parseLocalSpec({ name: 'Bernsen' }));
  assert.match(r16.record.source, /16-bit extension/);
  assert.deepEqual(r16.record.params, { radius: 15, param1: 0, param2: 0, voids: 'dark', contrastThreshold: 3855 });
});

test('float and 32-bit rasters are refused with EUNSUPPORTED', () => {
  const f = createRaster(4, 4, new Float32Array(16));
  assert.throws(() => localThreshold(f, parseLocalSpec({ name: 'Mean' })), (e: unknown) => e instanceof VoidscopeError && e.code === 'EUNSUPPORTED');
});
