/**
 * Local thresholds and Subtract Background on real micrographs of ../shared/refdata/sem (third-party
 * files, read from there, never copied; skipped with a message where absent): a battery electrode
 * (taufactor/electrode.tiff), the LCO–LLZTO composite cathode (llzo_lco_cathode/Picture1cropped.png)
 * and a 16-bit FEI Helios image (rosettasciio/FEI-Helios-Ebeam-16bits.tif).
 *
 * Expected values: test/fixtures/local/expected-refdata.json, recorded by
 * scripts/fixtures/local-threshold-record.ts with Fiji's Auto_Local_Threshold 1.11.0 (compiled from its
 * source against ImageJ 1.53t) and ImageJ 1.53t's BackgroundSubtracter, both given the grey raster
 * voidscope's readImage() decodes (its SHA-256 is checked first, so a decoder change is named as such).
 * Cases: scripts/fixtures/local-refdata-cases.ts.
 */
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { readImage } from '../../src/raster/read.js';
import { localThreshold, parseLocalSpec } from '../../src/segmentation/local/index.js';
import { subtractBackground } from '../../src/segmentation/filters/subtract-background.js';
import { REFDATA_BACKGROUND_CASES, REFDATA_LOCAL_CASES, refdataCaseKey } from '../../scripts/fixtures/local-refdata-cases.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const REFDATA = resolve(ROOT, '../shared/refdata/sem');
const fx = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/local/expected-refdata.json'), 'utf8')) as {
  files: Record<
    string,
    { fileSha256: string; rasterSha256: string; local: Record<string, { sha256: string; white: number }>; background: Record<string, { sha256: string; spots: number[] }> }
  >;
};

function le(d: Uint8Array | Uint16Array | Float32Array): Buffer {
  if (d instanceof Uint8Array) return Buffer.from(d.buffer, d.byteOffset, d.byteLength);
  const b = Buffer.alloc(d.length * d.BYTES_PER_ELEMENT);
  for (let i = 0; i < d.length; i++) {
    if (d instanceof Uint16Array) b.writeUInt16LE(d[i]!, 2 * i);
    else b.writeFloatLE(d[i]!, 4 * i);
  }
  return b;
}
const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

test('every real-image case is recorded', () => {
  for (const c of REFDATA_LOCAL_CASES) assert.ok(fx.files[c.file]?.local[refdataCaseKey(c)], `${c.file} ${refdataCaseKey(c)}`);
  for (const c of REFDATA_BACKGROUND_CASES) assert.ok(fx.files[c.file]?.background[refdataCaseKey(c)], `${c.file} ${refdataCaseKey(c)}`);
});

for (const [file, rec] of Object.entries(fx.files)) {
  const path = join(REFDATA, file);
  const skip = existsSync(path) ? false : `${path} not found (../shared/refdata is not part of the project)`;
  test(`refdata ${file}: pixel-exact against Fiji Auto_Local_Threshold 1.11.0 and ImageJ 1.53t Subtract Background`, { skip }, async () => {
    assert.equal(sha(readFileSync(path)), rec.fileSha256, `${file} changed since the values were recorded`);
    const raster = (await readImage(path)).raster;
    const data = raster.data as Uint8Array | Uint16Array | Float32Array;
    assert.equal(sha(le(data)), rec.rasterSha256, `readImage() decodes ${file} differently than when recorded: re-record`);
    const failures: string[] = [];
    for (const c of REFDATA_LOCAL_CASES.filter((x) => x.file === file)) {
      const mask = localThreshold(raster, parseLocalSpec({ name: c.method, radius: c.radius, param1: c.p1, param2: c.p2, voids: c.white ? 'bright' : 'dark' }));
      const bytes = Uint8Array.from(mask, (v) => (v ? 255 : 0));
      const want = rec.local[refdataCaseKey(c)]!;
      if (sha(bytes) !== want.sha256) failures.push(`${refdataCaseKey(c)}: ${mask.reduce((a, v) => a + v, 0)} object pixels, Fiji ${want.white}`);
    }
    for (const c of REFDATA_BACKGROUND_CASES.filter((x) => x.file === file)) {
      const out = subtractBackground(raster, { radius: c.radius, light: c.light, paraboloid: c.paraboloid, noSmoothing: !c.presmooth, correctCorners: c.correctCorners });
      if (sha(le(out.data as Uint8Array | Uint16Array | Float32Array)) !== rec.background[refdataCaseKey(c)]!.sha256) failures.push(`background ${refdataCaseKey(c)}`);
    }
    assert.deepEqual(failures, []);
  });
}

{
  const file = 'taufactor/electrode.tiff';
  const path = join(REFDATA, file);
  const skip = existsSync(path) ? false : `${path} not found (../shared/refdata is not part of the project)`;
  test(`ground truth on ${file}: a labelled electrode (grey 0 = pore, 44.97 %); the guarded methods recover it, C = 0 ones over-segment`, { skip }, async () => {
    // The file is a three-level label image (0 pore / 85 / 170 solid phases), so its pores are known exactly.
    const raster = (await readImage(path)).raster;
    const truth = Uint8Array.from(raster.data as Uint8Array, (v) => (v === 0 ? 1 : 0));
    const fraction = (m: Uint8Array): number => m.reduce((a, v) => a + v, 0) / m.length;
    assert.equal(fraction(truth).toFixed(4), '0.4497');
    const sauvola = localThreshold(raster, parseLocalSpec({ name: 'Sauvola', radius: 15 }));
    assert.deepEqual(sauvola, truth, 'Sauvola radius 15 recovers the pore set pixel for pixel');
    for (const name of ['Bernsen', 'Contrast', 'Niblack', 'Phansalkar'] as const) {
      const f = fraction(localThreshold(raster, parseLocalSpec({ name, radius: 15 })));
      assert.ok(Math.abs(f - 0.4497) < 0.005, `${name}: ${f}`);
    }
    // Mean/Median/MidGrey with C = 0 and Otsu split uniform solid neighbourhoods: the 'low' level's case.
    for (const name of ['Mean', 'Median', 'MidGrey', 'Otsu'] as const) {
      const f = fraction(localThreshold(raster, parseLocalSpec({ name, radius: 15 })));
      assert.ok(f > 0.5, `${name}: ${f}`);
    }
  });
}
