/**
 * Learned segmentation benchmark: voidscope's trained pixel classifier against scikit-image's
 * trainable segmenter (multiscale_basic_features + random forest, bench/skimage_learned.py) on the
 * same generated hard images and scribbles, in one run.
 *
 *   npm run bench:learned [-- --size 1024x768] [--train-size 2048x1536] [--no-skimage]
 *
 * Per kind of scripts/samples/hard.ts: train on one image's scribbles (about 1 % of its pixels),
 * evaluate on two other images of the same kind (other seeds: other particles, shading direction,
 * curtains, noise). Prints void IoU, per-class accuracy, porosity error and train / predict time
 * (predict time includes features; both tools on the same machine, same moment). Then the time to
 * train from scribbles on one 2048×1536 image on the TensorFlow.js backend in use.
 * Not a test: nothing here fails on speed.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { bestGlobalVoidIoU, generateHardImage, HARD_KINDS, makeScribbles, scoreSegmentation as scores, hardRaster } from '../scripts/samples/hard.js';
import { predictClasses, predictClassesParallel, trainModel, type TrainOptions } from '../src/segmentation/learned/index.js';

const arg = (name: string, dflt: string): string => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1]! : dflt;
};
const size = (s: string): [number, number] => s.split('x').map(Number) as [number, number];
const [W, H] = size(arg('--size', '1024x768'));
const [TW, TH] = size(arg('--train-size', '2048x1536'));
const skimage = !process.argv.includes('--no-skimage') && existsSync('/usr/bin/python3');
const TEST_SEEDS = [3, 5];

const raster = hardRaster;
const png = (a: Uint8Array, w: number, h: number): Promise<Buffer> => sharp(Buffer.from(a), { raw: { width: w, height: h, channels: 1 } }).toColourspace('b-w').png().toBuffer();

interface Row {
  tool: string;
  kind: string;
  iou: number[];
  porErr: number[];
  perClass: Record<string, number>[];
  trainS: number;
  predictSPerMP: number;
  /** voidscope on two worker threads (same labels). */
  predict2SPerMP?: number;
  /** CPU seconds per megapixel (all threads of the process). */
  predictCpuSPerMP: number;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'voidscope-learned-bench-'));
  const rows: Row[] = [];
  const cases: Record<string, { classes: string[]; tests: number }> = {};
  const opts: Partial<TrainOptions> = {};
  let firstParallelS: number | null = null;
  process.stdout.write(`learned segmentation bench: ${HARD_KINDS.length} kinds, train ${W}x${H} (seed 1, scribbles ~1 %), test seeds ${TEST_SEEDS.join(', ')}\n`);
  try {
    for (const kind of HARD_KINDS) {
      const tr = generateHardImage(kind, W, H, 1);
      const scr = makeScribbles(tr, 2);
      const tests = TEST_SEEDS.map((s) => generateHardImage(kind, W, H, s));
      writeFileSync(join(dir, `${kind}.train.png`), await png(tr.grey, W, H));
      writeFileSync(join(dir, `${kind}.scribbles.png`), await png(scr, W, H));
      for (const [t, te] of tests.entries()) {
        writeFileSync(join(dir, `${kind}.test${t}.png`), await png(te.grey, W, H));
        writeFileSync(join(dir, `${kind}.test${t}.truth.png`), await png(te.truth, W, H));
      }
      cases[kind] = { classes: tr.classes, tests: tests.length };
      const t0 = performance.now();
      const { model } = await trainModel([{ raster: raster(tr), labels: scr, sha256: '' }], { classes: tr.classes, ...opts });
      const trainS = (performance.now() - t0) / 1000;
      const row: Row = { tool: `voidscope (tfjs ${model.versions.backend})`, kind, iou: [], porErr: [], perClass: [], trainS, predictSPerMP: 0, predictCpuSPerMP: 0 };
      let predS = 0;
      let cpuS = 0;
      for (const te of tests) {
        const t1 = performance.now();
        const c1 = process.cpuUsage();
        const p = predictClasses(raster(te), null, model);
        predS += (performance.now() - t1) / 1000;
        const c2 = process.cpuUsage(c1);
        cpuS += (c2.user + c2.system) / 1e6;
        const s = scores(p.classes, te);
        row.iou.push(s.iou);
        row.porErr.push(s.porErr);
        row.perClass.push(s.perClass);
      }
      row.predictSPerMP = predS / ((tests.length * W * H) / 1e6);
      row.predictCpuSPerMP = cpuS / ((tests.length * W * H) / 1e6);
      if (firstParallelS === null) {
        // The worker thread starts (and compiles its WebAssembly) on the first two-thread call of a
        // process, once; timed here apart from the steady state below, which is what a study sees.
        const t1 = performance.now();
        await predictClassesParallel(raster(tests[0]!), null, model, { threads: 2 });
        firstParallelS = (performance.now() - t1) / 1000;
      }
      let pred2S = 0;
      for (const te of tests) {
        const a = predictClasses(raster(te), null, model);
        const t1 = performance.now();
        const b = await predictClassesParallel(raster(te), null, model, { threads: 2 });
        pred2S += (performance.now() - t1) / 1000;
        // The two-thread path must give the single-thread result exactly.
        if (Buffer.compare(Buffer.from(a.classes), Buffer.from(b.classes)) !== 0 || a.meanMargin !== b.meanMargin) throw new Error(`${kind}: two-thread prediction differs from one thread`);
      }
      row.predict2SPerMP = pred2S / ((tests.length * W * H) / 1e6);
      rows.push(row);
      const g = tests.map((te) => bestGlobalVoidIoU(te).iou.toFixed(2)).join('/');
      process.stdout.write(`  ${kind}: voidscope prediction ${row.predictSPerMP.toFixed(3)} s/MP on 1 thread, ${row.predict2SPerMP.toFixed(3)} s/MP on 2 threads (identical labels)\n`);
      process.stdout.write(`  ${kind}: best global threshold void IoU ${g}; true porosity ${tests.map((te) => ((100 * te.truth.filter((v) => v === te.voidClass).length) / (W * H)).toFixed(2)).join('/')} %\n`);
    }
    writeFileSync(join(dir, 'cases.json'), JSON.stringify(cases));
    if (skimage) {
      const out = execFileSync('/usr/bin/python3', [join(import.meta.dirname, '..', '..', 'bench', 'skimage_learned.py'), dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
      for (const line of out.trim().split('\n')) {
        const o = JSON.parse(line) as { case: string; forest: string; trainSeconds: number; tests: { voidIoU: number; perClass: Record<string, number>; porosity: number; truePorosity: number; predictSeconds: number; predictCpuSeconds: number; pixels: number }[] };
        rows.push({
          tool: `skimage ${o.forest}`,
          kind: o.case,
          iou: o.tests.map((t) => t.voidIoU),
          porErr: o.tests.map((t) => 100 * (t.porosity - t.truePorosity)),
          perClass: o.tests.map((t) => t.perClass),
          trainS: o.trainSeconds,
          predictSPerMP: o.tests.reduce((a, t) => a + t.predictSeconds, 0) / (o.tests.reduce((a, t) => a + t.pixels, 0) / 1e6),
          predictCpuSPerMP: o.tests.reduce((a, t) => a + t.predictCpuSeconds, 0) / (o.tests.reduce((a, t) => a + t.pixels, 0) / 1e6),
        });
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const f2 = (v: number[]): string => v.map((x) => x.toFixed(3)).join('/');
  const pc = (v: Record<string, number>[]): string => Object.keys(v[0] ?? {}).map((c) => `${c} ${(v.reduce((a, r) => a + r[c]!, 0) / v.length).toFixed(2)}`).join(' ');
  process.stdout.write(`\n${'kind'.padEnd(9)}${'tool'.padEnd(30)}${'void IoU'.padEnd(14)}${'porosity err (pts)'.padEnd(20)}${'train s'.padStart(8)}${'predict s/MP, 2 thr'.padStart(21)}  per-class accuracy\n`);
  for (const kind of HARD_KINDS) {
    for (const r of rows.filter((x) => x.kind === kind)) {
      process.stdout.write(`${kind.padEnd(9)}${r.tool.padEnd(30)}${f2(r.iou).padEnd(14)}${r.porErr.map((x) => (x >= 0 ? '+' : '') + x.toFixed(2)).join('/').padEnd(20)}${r.trainS.toFixed(2).padStart(8)}${(r.predict2SPerMP ?? r.predictSPerMP).toFixed(3).padStart(21)}  ${pc(r.perClass)}\n`);
    }
  }
  const vs = rows.filter((r) => r.tool.startsWith('voidscope'));
  const sk = rows.filter((r) => r.tool.startsWith('skimage'));
  const mean = (rs: Row[], f: (r: Row) => number = (r) => r.predictSPerMP): number => rs.reduce((a, r) => a + f(r), 0) / rs.length;
  const v1 = mean(vs);
  const v2 = mean(vs, (r) => r.predict2SPerMP ?? NaN);
  const cv = mean(vs, (r) => r.predictCpuSPerMP);
  process.stdout.write(`prediction (features included, 2 cores shared): voidscope ${v1.toFixed(3)} s/MP on 1 thread, ${v2.toFixed(3)} s/MP on 2 threads; CPU ${cv.toFixed(3)} s/MP (all threads)\n`);
  if (firstParallelS !== null) process.stdout.write(`  (the first two-thread call of the process, which starts the worker: ${(firstParallelS / ((W * H) / 1e6)).toFixed(3)} s/MP on one ${W}x${H} image)\n`);
  for (const forest of [...new Set(sk.map((r) => r.tool))]) {
    const rs = sk.filter((r) => r.tool === forest);
    const s = mean(rs);
    const cs = mean(rs, (r) => r.predictCpuSPerMP);
    process.stdout.write(`  vs ${forest} (2 threads): ${s.toFixed(3)} s/MP → voidscope ${(s / v1).toFixed(1)}× on 1 thread, ${(s / v2).toFixed(1)}× on 2 threads; CPU time ${cs.toFixed(3)} s/MP → ${(cs / cv).toFixed(1)}×\n`);
  }
  // Training time from scribbles on one large image.
  const big = generateHardImage('binder', TW, TH, 7);
  const bscr = makeScribbles(big, 8);
  const t0 = performance.now();
  const r = await trainModel([{ raster: raster(big), labels: bscr, sha256: '' }], { classes: big.classes, ...opts });
  process.stdout.write(`training on one ${TW}x${TH} image (${r.model.training.trainPixels} training pixels): ${((performance.now() - t0) / 1000).toFixed(1)} s (features ${r.seconds.features.toFixed(1)} s, fit ${r.seconds.fit.toFixed(1)} s on tfjs ${r.model.versions.backend})\n`);
}

await main();
