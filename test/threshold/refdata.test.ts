/**
 * ImageJ 1.53t and scikit-image 0.19.3 parity on REAL third-party SEM images from
 * ../shared/refdata/sem (Zeiss, Fibics, FEI 8- and 16-bit, JEOL, Tescan-free TIFFs, a Polaron
 * NMC volume), read in place. Skipped when that folder is absent.
 *
 * Expected values: test/fixtures/threshold/expected-refdata-1.53t.json, recorded by
 * scripts/fixtures/threshold-record-refdata.ts, which ran
 *   ij-porosity FILE all [x,y,w,h] --no-particles        (ImageJ 1.53t, voids dark)
 * and skimage.filters.threshold_multiotsu(region, classes=3) (16-bit: on ImageJ's 8-bit conversion).
 * The recorded sha256 pins each file.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fromArrayBuffer } from 'geotiff';
import {
  autoThreshold,
  computeThreshold,
  countVoidPixels,
  histogram,
  multiOtsuDetail,
  THRESHOLD_METHODS,
} from '../../src/segmentation/threshold/index.js';
import { createRaster, type Raster, type Roi } from '../../src/raster/types.js';
import { ROOT, readJson } from './helpers.js';

const REFDATA = resolve(ROOT, '../shared/refdata/sem');
const absent = !existsSync(REFDATA);
const skip = absent ? `../shared/refdata/sem not found at ${REFDATA}` : false;

interface Run {
  roi: [number, number, number, number];
  roiPixels: number;
  bitDepth: number;
  imageMin?: number;
  imageMax?: number;
  methods: Record<string, { t: number; upper: number; voidPixels: number }>;
  skimageMultiOtsu: number[] | string;
}
const fx = readJson<{ _generator: { imagej_version: string }; files: Record<string, { sha256: string; runs: Run[] }> }>(
  'expected-refdata-1.53t.json',
);

async function readTiff(buf: Buffer): Promise<Raster> {
  const tiff = await fromArrayBuffer(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer);
  const img = await tiff.getImage(0);
  const [data] = (await img.readRasters({ samples: [0] })) as unknown as [Uint8Array | Uint16Array];
  return createRaster(img.getWidth(), img.getHeight(), data);
}

for (const [file, rec] of Object.entries(fx.files)) {
  test(`refdata ${file}: ImageJ 1.53t thresholds, selections and skimage multi-Otsu`, { skip }, async () => {
    const buf = readFileSync(join(REFDATA, file));
    assert.equal(createHash('sha256').update(buf).digest('hex'), rec.sha256, `${file} changed since the values were recorded`);
    const raster = await readTiff(buf);
    for (const run of rec.runs) {
      const [x, y, width, height] = run.roi;
      const roi: Roi | undefined = x === 0 && y === 0 && width === raster.width && height === raster.height ? undefined : { x, y, width, height };
      assert.equal(raster.bitDepth, run.bitDepth);
      const h = histogram(raster, { roi });
      assert.equal(h.pixels, run.roiPixels);
      if (run.bitDepth === 16) assert.deepEqual([h.min, h.max], [run.imageMin, run.imageMax]);
      const bad: string[] = [];
      for (const m of THRESHOLD_METHODS) {
        const e = run.methods[m]!;
        const t = autoThreshold(m, h.counts);
        if (t !== e.t) bad.push(`${m}: ImageJ t=${e.t}, ours ${t}`);
        const r = computeThreshold(raster, { method: m, roi });
        if (!(r.value === e.upper || (e.t === 255 && run.bitDepth === 16 && e.upper === 65535))) bad.push(`${m}: upper ${e.upper} vs ${r.value}`);
        const n = countVoidPixels(raster, r.value, 'dark', { roi });
        if (n !== e.voidPixels) bad.push(`${m}: ImageJ ${e.voidPixels} void px, ours ${n}`);
      }
      const mo = multiOtsuDetail(h.counts);
      if (typeof run.skimageMultiOtsu === 'string') {
        if (!mo.degenerate) bad.push('MultiOtsu: skimage raised, we did not flag degenerate');
      } else if (mo.thresholds.join() !== run.skimageMultiOtsu.join()) {
        bad.push(`MultiOtsu: skimage ${run.skimageMultiOtsu}, ours ${mo.thresholds}`);
      }
      assert.deepEqual(bad, [], `${file} roi ${run.roi}`);
    }
  });
}
