/**
 * `npm run bench:segmentation` — accuracy (not speed) of the automatic segmenter against known truth,
 * next to the global methods it replaces as a default, and its band on real micrographs.
 *
 *   node dist/bench/segmentation-bench.js [--no-real] [--no-samples] [--time]
 *
 * 1. Generated dense electrodes (scripts/samples/dense.ts, 512×384, seeded): truth vs auto vs Otsu vs
 *    MultiOtsu (the current default), the auto band and whether it contains the truth.
 * 2. The bundled study images (samples/sem + ground-truth.json, data bar excluded): auto vs truth.
 * 3. Real images in ../shared/refdata/sem (skipped with a message where absent): auto + band + level.
 * With --time: milliseconds per segmentAuto on a 2048×1536 generated image (median of 5).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { denseSuite, generateDenseImage, denseSpec } from '../scripts/samples/dense.js';
import { readImage } from '../src/raster/read.js';
import { createRaster, type Raster } from '../src/raster/types.js';
import { phaseCounts, VOID } from '../src/raster/labels.js';
import { tryAllThresholds } from '../src/segmentation/threshold/index.js';
import { segmentAuto, noiseReport, bandForThreshold } from '../src/segmentation/auto/index.js';
import { computeThreshold } from '../src/segmentation/threshold/index.js';
import type { Segmentation } from '../src/segmentation/segmentation-types.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const REFDATA = join(ROOT, '..', 'shared', 'refdata', 'sem');

const pct = (x: number): string => (x * 100).toFixed(2).padStart(6);

function voidFraction(s: Segmentation): number {
  const c = phaseCounts(s.labels);
  let total = 0;
  for (let i = 1; i < 256; i++) total += c[i]!;
  return c[VOID]! / total;
}

function globals(raster: Raster, mask?: Uint8Array): { otsu: number; multi: number } {
  const t = tryAllThresholds(raster, { methods: ['Otsu', 'MultiOtsu'], mask });
  return { otsu: t.methods[0]!.voidFraction, multi: t.methods[1]!.voidFraction };
}

export interface DenseRow {
  name: string;
  truth: number;
  auto: number;
  otsu: number;
  multi: number;
  low: number;
  high: number;
  level: string;
  /** Truth void pixels the auto mask misses, and auto void pixels outside the truth (shares of the image). */
  missed: number;
  extra: number;
}

export function denseTable(): DenseRow[] {
  const rows: DenseRow[] = [];
  for (const c of denseSuite()) {
    const img = generateDenseImage(c.spec);
    const raster = createRaster(img.width, img.height, img.pixels);
    const s = segmentAuto({ raster, area: null }, { method: 'auto' });
    const g = globals(raster);
    let missed = 0;
    let extra = 0;
    const lab = s.labels.data;
    for (let i = 0; i < lab.length; i++) {
      const a = lab[i] === VOID;
      const t = img.voidMask[i] === 1;
      if (t && !a) missed++;
      else if (a && !t) extra++;
    }
    const n = lab.length;
    rows.push({
      name: c.name, truth: img.trueVoidFraction, auto: voidFraction(s), otsu: g.otsu, multi: g.multi,
      low: s.confidence.band!.low, high: s.confidence.band!.high, level: s.confidence.level, missed: missed / n, extra: extra / n,
    });
  }
  return rows;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  process.stdout.write('Generated dense electrodes (scripts/samples/dense.ts, 512×384): void fraction in %\n');
  process.stdout.write('case                   truth    auto  |err|    Otsu  MultiOtsu   band (auto)      in band  level   missed  extra (pixels, % of image)\n');
  const rows = denseTable();
  let inBand = 0;
  let sumErr = 0;
  let maxErr = 0;
  for (const r of rows) {
    const err = Math.abs(r.auto - r.truth);
    sumErr += err;
    maxErr = Math.max(maxErr, err);
    const ok = r.truth >= r.low && r.truth <= r.high;
    if (ok) inBand++;
    process.stdout.write(
      `${r.name.padEnd(20)} ${pct(r.truth)}  ${pct(r.auto)} ${(err * 100).toFixed(2).padStart(5)}  ${pct(r.otsu)}  ${pct(r.multi)}    ${pct(r.low)} – ${pct(r.high)}   ${ok ? 'yes' : 'no '}    ${r.level.padEnd(6)} ${pct(r.missed)} ${pct(r.extra)}\n`,
    );
  }
  process.stdout.write(`auto: mean |error| ${(sumErr / rows.length * 100).toFixed(2)} pp, max ${(maxErr * 100).toFixed(2)} pp; band contains the truth in ${inBand}/${rows.length}\n\n`);

  if (!args.includes('--no-samples')) {
    const gtFile = join(ROOT, 'samples', 'sem', 'ground-truth.json');
    const gt = JSON.parse(readFileSync(gtFile, 'utf8')) as { images: { file: string; trueVoidFraction: number; micrographRows: number }[] };
    let worst = 0;
    let worstMulti = 0;
    let covered = 0;
    for (const t of gt.images) {
      const img = await readImage(join(ROOT, 'samples', 'sem', t.file));
      const r = img.raster;
      const area = new Uint8Array(r.width * r.height);
      area.fill(1, 0, r.width * t.micrographRows);
      const s = segmentAuto({ raster: r, area }, { method: 'auto' });
      const f = voidFraction(s);
      worst = Math.max(worst, Math.abs(f - t.trueVoidFraction));
      worstMulti = Math.max(worstMulti, Math.abs(globals(r, area).multi - t.trueVoidFraction));
      if (t.trueVoidFraction >= s.confidence.band!.low && t.trueVoidFraction <= s.confidence.band!.high) covered++;
      if (/cycled150_1/.test(t.file) && /cathode/.test(t.file)) {
        process.stdout.write(`  ${t.file.padEnd(44)} truth ${pct(t.trueVoidFraction)} auto ${pct(f)} band ${pct(s.confidence.band!.low)}–${pct(s.confidence.band!.high)} ${s.confidence.level}\n`);
      }
    }
    process.stdout.write(
      `Bundled samples/sem (${gt.images.length} images, data bar excluded): auto max |error| ${(worst * 100).toFixed(3)} pp ` +
        `(MultiOtsu ${(worstMulti * 100).toFixed(3)} pp); band contains the truth in ${covered}/${gt.images.length}\n\n`,
    );
  }

  if (!args.includes('--no-real')) {
    if (!existsSync(REFDATA)) {
      process.stdout.write(`real images: ${REFDATA} is absent, skipped\n`);
    } else {
      const real: [string, number?][] = [
        ['llzo_lco_cathode/Picture1cropped.png'],
        ['kit_sem_mapping_zeiss/test.tif'],
        ['kit_sem_mapping_zeiss/InLens_keyframe_00001_slice_00006_z=1.6659um.tif'],
        ['kit_sem_mapping_zeiss/SESI_keyframe_00001_slice_00006_z=1.6659um.tif'],
        ['taufactor/electrode.tiff', 0],
        ['eg_pore_tescan/161.jpg'],
        ['polymer_membrane_hitachi/test_pore1.bmp'],
      ];
      process.stdout.write('Real images (../shared/refdata/sem; no data-bar handling here: whole image): void fraction in %\n');
      process.stdout.write('file                                          auto   band             level   sep   Otsu  MultiOtsu  noise σ (rel)\n');
      for (const [rel, page] of real) {
        const file = join(REFDATA, rel);
        if (!existsSync(file)) {
          process.stdout.write(`${rel}: absent, skipped\n`);
          continue;
        }
        const img = await readImage(file, { page: page ?? 0 });
        const s = segmentAuto({ raster: img.raster, area: null }, { method: 'auto' });
        const g = globals(img.raster);
        const nr = noiseReport(img.raster, null);
        const b = s.confidence.band!;
        const gb = (['Otsu', 'MultiOtsu'] as const).map((m) => {
          const t = computeThreshold(img.raster, { method: m });
          const b2 = bandForThreshold(img.raster, null, t, { noiseSigma: nr.sigma, observed: m === 'Otsu' ? g.otsu : g.multi });
          return `${m} band ${pct(b2.low)}–${pct(b2.high)}`;
        });
        process.stdout.write(
          `${rel.slice(0, 44).padEnd(44)} ${pct(voidFraction(s))}  ${pct(b.low)}–${pct(b.high)}  ${s.confidence.level.padEnd(6)} ${(s.confidence.separability ?? 0).toFixed(2)} ${pct(g.otsu)}  ${pct(g.multi)}   ${nr.sigma.toFixed(1)} (${(nr.relative * 100).toFixed(1)} %)${nr.suggestedMedian ? ` median ${nr.suggestedMedian} suggested` : ''}\n${' '.repeat(46)}(global methods, thresholdBand: ${gb.join('; ')})\n`,
        );
      }
    }
  }

  if (args.includes('--time')) {
    const img = generateDenseImage(denseSpec(0.05, 4242, { width: 2048, height: 1536, particleRadius: [40, 120] }));
    const raster = createRaster(img.width, img.height, img.pixels);
    const ms: number[] = [];
    for (let k = 0; k < 5; k++) {
      const t0 = performance.now();
      segmentAuto({ raster, area: null }, { method: 'auto' });
      ms.push(performance.now() - t0);
    }
    ms.sort((a, b) => a - b);
    process.stdout.write(`\nsegmentAuto on 2048×1536 8-bit: median ${ms[2]!.toFixed(0)} ms (of 5)\n`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((e: unknown) => {
    process.stderr.write(`segmentation bench: ${(e as Error).stack ?? String(e)}\n`);
    process.exitCode = 1;
  });
}
