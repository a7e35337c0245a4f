/**
 * Every registry, table-driven over ALL its members (a member without a case fails):
 *  - SEGMENTERS: each threshold method through the global segmenter gives the label map of
 *    threshold/'s own computeThreshold + applyThreshold (wrapped, not re-implemented), with 0
 *    outside the analysed area; manual on a hand-made image with a known answer; auto recovers
 *    the constructed void band; local on a flat image gives Fiji's documented answer; model
 *    loads the bundled model (and refuses a missing one with ENOENT);
 *  - PREFILTERS: median, Gaussian and background are filters/ as is;
 *  - METRICS: porosity and pores on a hand-made label map whose counts are known.
 * No files are read.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRaster } from '../../src/raster/types.js';
import { SOLID, VOID, TWO_PHASES, type LabelMap } from '../../src/raster/labels.js';
import { voidMaskOf } from '../../src/raster/void-mask.js';
import { ALL_THRESHOLD_METHODS, applyThreshold, computeThreshold } from '../../src/segmentation/threshold/index.js';
import { SEGMENTERS, segment, isThresholdSegmentation, type RegionInput } from '../../src/segmentation/segment.js';
import { PREFILTERS, applyPrefilters } from '../../src/segmentation/prefilter.js';
import { METRICS } from '../../src/segmentation/metrics/registry.js';
import { parseAnalysisSpec, type SegmentSpec } from '../../src/segmentation/spec.js';
import { imagejGaussianBlur } from '../../src/segmentation/filters/gaussian.js';
import { medianFilter } from '../../src/segmentation/filters/median.js';
import { subtractBackground } from '../../src/segmentation/filters/subtract-background.js';
import { VoidscopeError } from '../../src/errors.js';
import { mulberry32 } from '../../scripts/lib/random.js';

const W = 48;
const H = 32;
/** Three phases: voids ~40, matrix ~120, particles ~210 (±6 noise), in horizontal bands. */
function threePhase() {
  const rnd = mulberry32(3);
  const d = new Uint8Array(W * H);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) d[y * W + x] = (y < 6 ? 40 : y < 20 ? 120 : 210) + Math.floor(rnd() * 13) - 6;
  return createRaster(W, H, d);
}
const ROI = { x: 4, y: 2, width: 40, height: 28 };
/** The void rows of threePhase() by construction (rows 0..5, grey 34..46). */
function globalTruthVoids(r: { width: number; height: number }): Uint8Array {
  const t = new Uint8Array(r.width * r.height);
  t.fill(1, 0, 6 * r.width);
  return t;
}

const SEGMENTER_CASES: { [K in SegmentSpec['method']]: () => void | Promise<void> } = {
  global() {
    for (const name of ALL_THRESHOLD_METHODS) {
      const r = threePhase();
      const seg = segment({ raster: r, area: null, region: { roi: ROI, mask: null } }, { method: 'global', name, bins: 'imagej', voids: 'dark' });
      assert.ok(!(seg instanceof Promise) && isThresholdSegmentation(seg), name);
      const thr = computeThreshold(r, { method: name, roi: ROI, bins: 'imagej', polarity: 'dark' });
      const voids = applyThreshold(r, thr.value, 'dark', { roi: ROI });
      assert.equal(seg.threshold.value, thr.value, name);
      assert.deepEqual(seg.record.thresholds, thr.thresholds ? thr.thresholds.values : [thr.value], name);
      assert.equal(seg.record.method, name);
      for (let i = 0; i < W * H; i++) {
        const x = i % W;
        const y = (i / W) | 0;
        const inside = x >= ROI.x && x < ROI.x + ROI.width && y >= ROI.y && y < ROI.y + ROI.height;
        const want = inside ? (voids[i] ? VOID : SOLID) : 0;
        if (seg.labels.data[i] !== want) assert.fail(`${name}: label ${seg.labels.data[i]} at ${x},${y}, expected ${want}`);
      }
      assert.deepEqual(voidMaskOf(seg.labels), voids);
    }
    // MultiOtsu on the three bands: the lower threshold splits voids (rows 2..5 inside the ROI) from the rest.
    const mo = segment({ raster: threePhase(), area: null, region: { roi: ROI, mask: null } }, { method: 'global', name: 'MultiOtsu', bins: 'imagej', voids: 'dark' });
    assert.ok(!(mo instanceof Promise));
    assert.equal(METRICS.porosity(mo.labels, { roi: ROI, mask: null }, { pixelSize: null, minAreaPx: 0 }).voidPixels, 4 * 40);
  },
  manual() {
    // A hand-made 4×2 image and threshold 100: void = pixel <= 100 (dark) → exactly the two 50s.
    const r = createRaster(4, 2, new Uint8Array([50, 150, 150, 150, 150, 150, 50, 150]));
    const seg = SEGMENTERS.manual({ raster: r, area: null }, { method: 'manual', value: 100, voids: 'dark' });
    assert.deepEqual([...seg.labels.data], [VOID, SOLID, SOLID, SOLID, SOLID, SOLID, VOID, SOLID]);
    assert.deepEqual(seg.record.thresholds, [100]);
    // With an area: 0 outside, and bright voids flip the rule (void = pixel > 100).
    const area = new Uint8Array([1, 1, 0, 0, 1, 1, 0, 0]);
    const b = SEGMENTERS.manual({ raster: r, area }, { method: 'manual', value: 100, voids: 'bright' });
    assert.deepEqual([...b.labels.data], [SOLID, VOID, 0, 0, VOID, VOID, 0, 0]);
  },
  auto() {
    // threePhase(): ground truth by construction — the darkest phase is the void phase (see above).
    const r = threePhase();
    const seg = SEGMENTERS.auto({ raster: r, area: null }, { method: 'auto', voids: 'dark' });
    const truth = globalTruthVoids(r);
    let agree = 0;
    for (let i = 0; i < truth.length; i++) if ((seg.labels.data[i] === VOID) === (truth[i] === 1)) agree++;
    assert.equal(agree, truth.length);
    assert.equal(seg.record.segmenter, 'auto');
    assert.ok(seg.confidence.band !== null && seg.confidence.band.low <= seg.confidence.band.high);
  },
  local() {
    // Fiji's Mean with C = 0 (local/README.md): void = pixel <= local mean − C; on a flat image every pixel is
    // at its mean, so everything is void — the documented reason Mean with C = 0 gets confidence 'low'.
    const flat = createRaster(8, 8, new Uint8Array(64).fill(100));
    const seg = SEGMENTERS.local({ raster: flat, area: null }, { method: 'local', name: 'Mean', radius: 2, p1: null, p2: null, voids: 'dark' });
    assert.equal(seg.record.segmenter, 'local');
    assert.equal(seg.confidence.level, 'low');
    assert.equal(seg.labels.data.length, 64);
  },
  async model() {
    // Learned segmentation is asynchronous (the model loads lazily): a missing model is ENOENT naming
    // the file; the bundled model (samples/learned, 4 classes, void class "void") gives its 4 phases.
    await assert.rejects(
      SEGMENTERS.model({ raster: threePhase(), area: null }, { method: 'model', path: 'no/such/model' }),
      (e: unknown) => e instanceof VoidscopeError && e.code === 'ENOENT' && /no[\\/]such[\\/]model/.test(e.message),
    );
    const seg = await SEGMENTERS.model({ raster: threePhase(), area: null }, { method: 'model', path: 'samples/learned/model' });
    assert.deepEqual(seg.labels.phases.map((p) => p.name), ['void', 'binder', 'electrolyte', 'active']);
    assert.equal(seg.labels.phases.find((p) => p.id === seg.labels.voidPhase)!.name, 'void');
    assert.equal(seg.record.segmenter, 'model');
    assert.equal(seg.record.model!.classes.length, 4);
  },
};

test('SEGMENTERS: every member has a case and passes it', async () => {
  assert.deepEqual(Object.keys(SEGMENTER_CASES).sort(), Object.keys(SEGMENTERS).sort());
  for (const [k, c] of Object.entries(SEGMENTER_CASES)) await c();
});

test('the spec reaches every segmenter slot with its parameters validated', () => {
  assert.deepEqual(parseAnalysisSpec({ method: 'auto' }).segment, { method: 'auto', voids: 'dark' });
  assert.deepEqual(parseAnalysisSpec({ local: { method: 'sauvola', radius: 15, p1: 0.5 } }).segment, { method: 'local', name: 'Sauvola', radius: 15, p1: 0.5, p2: null, voids: 'dark' });
  assert.deepEqual(parseAnalysisSpec({ model: 'models/cathode.json' }).segment, { method: 'model', path: 'models/cathode.json' });
  assert.throws(() => parseAnalysisSpec({ local: { method: 'Sauvola', radius: 0 } }), /local\.radius: must be a whole number of pixels >= 1/);
  assert.throws(() => parseAnalysisSpec({ local: { method: 'Savuola', radius: 5 } }), /local\.method: must be one of Bernsen/);
  assert.throws(() => parseAnalysisSpec({ local: { method: 'Sauvola', radius: 5, radus: 3 } }), /local\.radus: unknown option "radus" \(did you mean "radius"\?\)/);
  assert.throws(() => parseAnalysisSpec({ method: 'Otsu', model: 'm.json' }), /model: give only one of method and model/);
  assert.deepEqual(parseAnalysisSpec({ background: 50 }).prefilters, [{ kind: 'background', radius: 50, light: false, paraboloid: false, noSmoothing: false }]);
  // The default is the automatic segmenter (issue 10); MultiOtsu by name.
  assert.deepEqual(parseAnalysisSpec({}).segment, { method: 'auto', voids: 'dark' });
  assert.deepEqual(parseAnalysisSpec({ method: 'multiotsu' }).segment, { method: 'global', name: 'MultiOtsu', bins: 'imagej', voids: 'dark' });
});

const PREFILTER_CASES: { [K in keyof typeof PREFILTERS]: () => void } = {
  median() {
    const r = threePhase();
    const out = PREFILTERS.median(r, { kind: 'median', radius: 2 });
    assert.deepEqual(out.raster.data, medianFilter(r, 2).data);
    assert.equal(out.applied.name, 'median');
    assert.equal(out.applied.kernelPixels, 21); // ImageJ's radius-2 circular kernel: 21 px
  },
  gaussian() {
    const r = threePhase();
    const out = PREFILTERS.gaussian(r, { kind: 'gaussian', sigma: 1.5 });
    assert.deepEqual(out.raster.data, imagejGaussianBlur(r, 1.5, { accuracy: 0.002 }).data);
    assert.equal(out.applied.accuracy, 0.002); // ImageJ's accuracy for 8-bit images
  },
  background() {
    const r = threePhase();
    const out = PREFILTERS.background(r, { kind: 'background', radius: 50, light: false, paraboloid: false, noSmoothing: false });
    // The registry entry is filters/subtract-background.ts as is (exact against ImageJ: test/segmentation/subtract-background.test.ts).
    assert.deepEqual(out.raster.data, subtractBackground(r, { radius: 50 }).data);
    assert.equal(out.applied.name, 'background');
    assert.equal(out.applied.radiusPx, 50);
  },
};

test('PREFILTERS: every member has a case and passes it; applyPrefilters keeps the spec order and cuts the data bar first', () => {
  assert.deepEqual(Object.keys(PREFILTER_CASES).sort(), Object.keys(PREFILTERS).sort());
  for (const c of Object.values(PREFILTER_CASES)) c();
  const r = threePhase();
  const { raster, filters } = applyPrefilters(r, 30, parseAnalysisSpec({ gaussian: 1, median: 1 }).prefilters);
  assert.equal(raster.height, 30);
  assert.deepEqual(filters.map((f) => f.name), ['median', 'gaussian']);
  assert.match(filters[1]!.note, /data bar cut off first/);
});

/**
 * A 6×4 label map by hand (0 outside, 1 void, 2 solid):
 *   0 1 1 2 2 2
 *   0 1 2 2 1 2
 *   0 2 2 2 2 2
 *   0 2 2 1 2 2
 * Region = columns 1..5 (20 px). Voids: 5 px in three 8-connected components:
 * {(1,0),(2,0),(1,1)} 3 px, {(4,1)} 1 px, {(3,3)} 1 px.
 */
function handMap(): LabelMap {
  const rows = ['011222', '012212', '022222', '022122'];
  const data = new Uint8Array(rows.join('').split('').map(Number));
  return { width: 6, height: 4, depth: 1, data, phases: TWO_PHASES, voidPhase: VOID, spacing: null };
}
const REGION = { roi: { x: 1, y: 0, width: 5, height: 4 }, mask: null };

const METRIC_CASES: { [K in keyof typeof METRICS]: () => void } = {
  porosity() {
    assert.deepEqual(METRICS.porosity(handMap(), REGION, { pixelSize: null, minAreaPx: 0 }), { voidPixels: 5, analysedPixels: 20, voidFraction: 0.25 });
  },
  pores() {
    const m = METRICS.pores(handMap(), REGION, { pixelSize: { value: 0.5, unit: 'µm', source: 'test' }, minAreaPx: 2 });
    assert.equal(m.labelled.voidPixels, 5);
    assert.equal(m.summary.count, 1);
    assert.equal(m.summary.specks, 2);
    assert.equal(m.summary.unit, 'µm');
    assert.equal(m.summary.list[0]!.areaPx, 3);
    assert.equal(m.summary.list[0]!.area, 0.75); // 3 px × 0.25 µm²
    assert.ok(Math.abs(m.summary.list[0]!.ecd - 2 * Math.sqrt(0.75 / Math.PI)) < 1e-12);
  },
};

test('METRICS: every member has a case and passes it (label map by hand, no files)', () => {
  assert.deepEqual(Object.keys(METRIC_CASES).sort(), Object.keys(METRICS).sort());
  for (const c of Object.values(METRIC_CASES)) c();
});

test('a lazily materialised area agrees with the ROI region', () => {
  const r = threePhase();
  const input: RegionInput = { raster: r, area: null, region: { roi: ROI, mask: null } };
  const a = segment(input, { method: 'global', name: 'Otsu', bins: 'imagej', voids: 'dark' });
  const full = new Uint8Array(W * H);
  for (let y = ROI.y; y < ROI.y + ROI.height; y++) full.fill(1, y * W + ROI.x, y * W + ROI.x + ROI.width);
  const b = segment({ raster: r, area: full }, { method: 'global', name: 'Otsu', bins: 'imagej', voids: 'dark' });
  assert.ok(!(a instanceof Promise) && !(b instanceof Promise));
  assert.deepEqual(a.labels.data, b.labels.data);
});

test('a segmenter plugged into a slot reaches the porosity result: its label map, record and confidence band', async () => {
  const { measurePorosity } = await import('../../src/segmentation/porosity.js');
  const { analyzePorosity } = await import('../../src/segmentation/analyze.js');
  const slots = SEGMENTERS as unknown as Record<string, unknown>;
  const saved = { local: slots.local, model: slots.model };
  // A stand-in local segmenter: rows 0..5 are void (the three-phase image's void band), by label map only.
  const fake = (input: RegionInput) => {
    const { width, height } = input.raster;
    const data = new Uint8Array(width * height);
    const area = input.area;
    for (let i = 0; i < data.length; i++) if (!area || area[i]) data[i] = ((i / width) | 0) < 6 ? VOID : SOLID;
    return {
      labels: { width, height, depth: 1, data, phases: TWO_PHASES, voidPhase: VOID, spacing: null },
      record: { segmenter: 'local', method: 'Sauvola', params: { radius: 15 }, thresholds: [], source: 'test stand-in', notes: [] },
      confidence: { separability: 0.9, level: 'high' as const, band: { low: 0.1, high: 0.2, rule: 'test' }, warnings: ['test warning'] },
    };
  };
  try {
    slots.local = fake;
    const r = measurePorosity(threePhase(), { local: { method: 'Sauvola', radius: 15 }, roi: '4,2,40,28' });
    // Ground truth of the stand-in: rows 2..5 of the 40-px-wide ROI are void.
    assert.equal(r.voidPixels, 4 * 40);
    assert.equal(r.analysedPixels, 40 * 28);
    assert.equal(r.method, 'Sauvola');
    assert.ok(Number.isNaN(r.threshold.value));
    assert.equal(r.segmentation?.segmenter, 'local');
    assert.deepEqual(r.confidence?.band, { low: 0.1, high: 0.2, rule: 'test' });
    assert.ok(r.warnings.includes('test warning'));
    assert.match(r.convention, /"void" phase of the Sauvola segmentation \(local\)/);
    // An asynchronous (learned) segmenter: refused by the pure sync call, used by the file edge.
    slots.model = async (input: RegionInput) => fake(input);
    assert.throws(() => measurePorosity(threePhase(), { model: 'm.json' }), (e: unknown) => e instanceof VoidscopeError && e.code === 'EUNSUPPORTED' && /asynchronous/.test(e.message));
    const IMG = new URL('../../../samples/sem/cathode/NBR0.5/pristine/cathode_NBR0.5_pristine_1.tif', import.meta.url).pathname;
    const f = await analyzePorosity(IMG, { model: 'm.json' });
    assert.equal(f.voidPixels, 6 * f.roi.width);
  } finally {
    slots.local = saved.local;
    slots.model = saved.model;
  }
});
