/**
 * Multi-phase overlays (label maps with more than two phases, as the learned segmenter makes): every non-void phase
 * tinted in its phase colour, a legend, the void phase drawn as before; and two-phase overlays unchanged.
 *
 * Where the expected values come from:
 *  - the hand-made 4-phase label map below (void / binder / electrolyte / active in known places) and its grey ramp;
 *  - phase colours: the scribble colour key (1 red, 2 green, 3 blue, 4 yellow; labels-png.ts doc and LABEL_COLOURS),
 *    blended as mix(g, c, α) = ⌊(g·(255 − α) + c·α + 127) / 255⌋ with α = PHASE_TINT_ALPHA; pores and specks in the
 *    overlay's pore tint (255, 32, 32, α 150) and speck tint (255, 215, 0, α 170), as the overlay doc says;
 *  - the two-phase SHA-256 digests: printed by the code before multi-phase overlays existed (commit 821732f, its
 *    renderOverlay palette PNG and drawOverlay RGBA for this very map), so "unchanged" is checked against the old code.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { createRaster } from '../../src/raster/types.js';
import { TWO_PHASES, type LabelMap } from '../../src/raster/labels.js';
import { LABEL_COLOURS as RASTER_COLOURS, phaseColours } from '../../src/raster/phase-colours.js';
import { LABEL_COLOURS } from '../../src/segmentation/learned/labels-png.js';
import { PHASE_TINT_ALPHA, drawOverlay, drawOverlayIndexed, labelOverlayInput, renderOverlay } from '../../src/render/overlay.js';

const W = 240;
const H = 160;

/** Grey ramp 0..249 (never white: white pixels are text); phases in vertical bands (x < 60 binder, < 120 electrolyte, else active), void squares every 30 px; void squares at x < 30 in the lower rows are specks. */
function fixture() {
  const grey = new Uint8Array(W * H);
  const data = new Uint8Array(W * H);
  const pores = new Int32Array(W * H);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const i = y * W + x;
      grey[i] = (x * 7 + y * 3) % 250;
      const isVoid = x % 30 < 6 && y % 30 >= 20 && y % 30 < 26;
      data[i] = isVoid ? 1 : x < 60 ? 2 : x < 120 ? 3 : 4;
      if (isVoid) pores[i] = x < 30 && y >= 120 ? -1 : 1 + Math.floor(x / 30) + 8 * Math.floor(y / 30);
    }
  }
  return { grey, data, pores };
}

const FOUR = [
  { id: 1, name: 'void' },
  { id: 2, name: 'binder' },
  { id: 3, name: 'electrolyte' },
  { id: 4, name: 'active' },
];

function input(phases: 'two' | 'four') {
  const f = fixture();
  const data = phases === 'four' ? f.data : f.data.map((v) => (v === 1 ? 1 : 2));
  const map: LabelMap = { width: W, height: H, depth: 1, data, phases: phases === 'four' ? FOUR : TWO_PHASES, voidPhase: 1, spacing: null };
  const raster = createRaster(W, H, f.grey);
  const ov = labelOverlayInput({
    labels: map,
    pores: f.pores,
    region: { roi: { x: 0, y: 0, width: W, height: H } },
    caption: { method: 'model', threshold: NaN, porosityPercent: 12.5, poreCount: 31 },
    pixelSize: null,
  });
  return { raster, ov, f };
}

const mix = (g: number, c: number, a: number) => Math.floor((g * (255 - a) + c * a + 127) / 255);
const tint = (g: number, c: readonly number[], a: number) => [mix(g, c[0]!, a), mix(g, c[1]!, a), mix(g, c[2]!, a)];
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

test('phase colours are the scribble colour key, shared by raster/ and the learned path', () => {
  assert.equal(LABEL_COLOURS, RASTER_COLOURS);
  assert.deepEqual(phaseColours(FOUR), [null, [255, 0, 0], [0, 255, 0], [0, 0, 255], [255, 255, 0]]);
  assert.deepEqual(phaseColours([{ id: 9, name: 'ninth' }])[9], [255, 0, 0]); // the key repeats after 8
});

test('a 4-phase overlay tints every phase in its colour, the void phase as pores and specks', async () => {
  const { raster, ov, f } = input('four');
  assert.deepEqual(ov.phases?.tints.map((t) => [t.id, t.name, t.colour]), [
    [2, 'binder', [0, 255, 0]],
    [3, 'electrolyte', [0, 0, 255]],
    [4, 'active', [255, 255, 0]],
  ]);
  const img = drawOverlay(raster, ov);
  const expected: Record<number, readonly number[]> = { 2: [0, 255, 0], 3: [0, 0, 255], 4: [255, 255, 0] };
  const seen = { pore: 0, speck: 0, 2: 0, 3: 0, 4: 0 };
  // Every pixel of the lower rows (no caption, legend or scale bar there; the 1-px ROI outline excluded).
  for (let y = 120; y < H - 1; y++) {
    for (let x = 1; x < W - 1; x++) {
      const i = y * W + x;
      const g = f.grey[i]!;
      const p = f.data[i]!;
      const want = p === 1 ? (f.pores[i]! < 0 ? tint(g, [255, 215, 0], 170) : tint(g, [255, 32, 32], 150)) : tint(g, expected[p]!, PHASE_TINT_ALPHA);
      assert.deepEqual([...img.data.subarray(4 * i, 4 * i + 3)], want, `pixel ${x},${y} (phase ${p})`);
      if (p === 1) seen[f.pores[i]! < 0 ? 'speck' : 'pore']++;
      else seen[p as 2 | 3 | 4]++;
    }
  }
  for (const [k, n] of Object.entries(seen)) assert.ok(n >= 30, `${k}: ${n} pixels checked`);
  // One pixel of each by hand: binder at (20, 140), grey (140 + 420) mod 250 = 60 → mix(60, 0, 100) = ⌊9427 / 255⌋ = 36,
  // mix(60, 255, 100) = ⌊34927 / 255⌋ = 136.
  assert.deepEqual([...img.data.subarray(4 * (140 * W + 20), 4 * (140 * W + 20) + 3)], [36, 136, 36]);
  // The PNG is the exact picture, as RGB.
  const png = await renderOverlay(raster, ov);
  const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
  assert.equal(info.channels, 3);
  for (let i = 0; i < W * H; i++) for (let c = 0; c < 3; c++) if (data[3 * i + c] !== img.data[4 * i + c]) assert.fail(`PNG pixel ${i} channel ${c}`);
  assert.throws(() => drawOverlayIndexed(raster, ov), RangeError);
});

test('a 4-phase overlay has a legend: an opaque swatch per class at the top right, and none in a 2-phase overlay', () => {
  // Pixels of colour rgb in the top three quarters (the legend lies below the caption in so narrow an image):
  // right = its right part (x ≥ x0), else its left half.
  const count = (img: { data: Uint8Array }, rgb: readonly number[], right: boolean, x0 = W / 2) => {
    let n = 0;
    for (let y = 0; y < (3 * H) / 4; y++) {
      for (let x = right ? x0 : 0; x < (right ? W : W / 2); x++) {
        const j = 4 * (y * W + x);
        if (img.data[j] === rgb[0] && img.data[j + 1] === rgb[1] && img.data[j + 2] === rgb[2]) n++;
      }
    }
    return n;
  };
  const four = input('four');
  const two = input('two');
  const a = drawOverlay(four.raster, four.ov);
  const b = drawOverlay(two.raster, two.ov);
  // Swatch colours: the pore tint's colour for the void row, then the phase colours (opaque; a tinted pixel never is).
  for (const rgb of [[255, 32, 32], [0, 255, 0], [0, 0, 255], [255, 255, 0]]) {
    const n = count(a, rgb, true);
    assert.ok(n >= 64, `${rgb}: ${n} swatch pixels`);
    assert.ok(Number.isInteger(Math.sqrt(n)), `${rgb}: one square swatch (${n} px)`);
    assert.equal(count(a, rgb, false), 0, `${rgb}: no swatch at the left`);
    assert.equal(count(b, rgb, true), 0, `${rgb}: no legend in a 2-phase overlay`);
  }
  // White legend text is drawn (the names): fully white pixels at the top right, right of the caption's end (x 215).
  assert.equal(count(b, [255, 255, 255], true, 220), 0);
  assert.ok(count(a, [255, 255, 255], true, 220) >= 10);
});

test('a 2-phase overlay is byte-identical to the one drawn before multi-phase overlays', async () => {
  const { raster, ov } = input('two');
  assert.equal(ov.phases, null);
  assert.equal(sha(await renderOverlay(raster, ov)), 'a477b27fc627c80a3479e0455dd6e83ab1d653c59409f4a9d8fc2f394383aa1a');
  assert.equal(sha(drawOverlay(raster, ov).data), 'cf3f716b95dc4f8c0f01713f8a38d667d40ee7d21c79d6c60ae34a29db56bd83');
});
