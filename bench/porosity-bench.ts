/**
 * `npm run bench` — porosity throughput on N generated 2048×1536 8-bit SEM-like TIFFs.
 *
 *   node dist/bench/porosity-bench.js [--n 50] [--keep] [--no-skimage] [--no-imagej] [--dir <existing folder>]
 *
 * Work per image (the reference pipeline): decode → Gaussian σ 1 (ImageJ kernel) → Otsu →
 * void mask → 8-connected pores ≥ 10 px (+ the SEM metadata/data-bar read analyzePorosity always does);
 * then the same with the overlay PNG written. Each configuration runs in its own child process, so
 * its peak RSS (process.resourceUsage().maxRSS) is its own: one thread, and 2 piscina worker
 * threads (what `voidscope run` does on this 2-core box). Where /usr/bin/python3 has scikit-image,
 * bench/skimage_bench.py runs the same stages over the same files in one process and the ratio is printed;
 * likewise ImageJ 1.53t through the headless peer driver (../shared/peers/ij-porosity) where it is present.
 * One untimed warm-up image per thread first (module loading in workers, JIT), then the folder is timed.
 * Then the CLI end to end (`voidscope porosity <files> --json`, a fresh process, default --jobs): the
 * figure the README reports against ImageJ.
 * The images are written to a temporary folder under os.tmpdir() (removed unless --keep).
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readdir, rm, mkdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir, cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { generateSemImage, sampleSpec } from '../scripts/samples/sem.js';
import { mulberry32 } from '../scripts/lib/random.js';
import type { PorosityOptions } from '../src/segmentation/porosity.js';
import { analyzePorosity } from '../src/segmentation/analyze.js';

const W = 2048;
const H = 1536;
const BAR = 96;
const OPTIONS: PorosityOptions = { method: 'Otsu', gaussian: 1, minPore: { value: 10, unit: 'px' } };

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** N distinct images: 4 generated structures, each file with its own noise and a random flip. */
async function generate(dir: string, n: number): Promise<string[]> {
  const bases: Uint8Array[] = [];
  for (let k = 0; k < Math.min(4, n); k++) {
    const spec = sampleSpec(k % 2 === 0 ? 'cathode' : 'anode', '1.0', 'cycled150', k + 1);
    const img = generateSemImage({
      ...spec,
      width: W,
      height: H - BAR,
      databarRows: BAR,
      particleRadius: [60, 150],
      noiseSigma: 0,
      seed: 9000 + k,
      databarText: 'HV 15.0 kV | WD 8.1 mm | mag 5 000 x | 20 µm | voidscope bench',
    });
    bases.push(img.pixels);
  }
  const files: string[] = [];
  const buf = new Uint8Array(W * H);
  for (let i = 0; i < n; i++) {
    const base = bases[i % bases.length]!;
    const rnd = mulberry32(100 + i);
    const flip = i % 2 === 1;
    for (let y = 0; y < H; y++) {
      const o = y * W;
      for (let x = 0; x < W; x++) {
        let v = base[o + (flip && y < H - BAR ? W - 1 - x : x)]!;
        if (y < H - BAR) v = Math.max(0, Math.min(255, v + Math.round((rnd() + rnd() + rnd() - 1.5) * 8)));
        buf[o + x] = v;
      }
    }
    const f = join(dir, `bench_${String(i + 1).padStart(3, '0')}.tif`);
    await sharp(buf, { raw: { width: W, height: H, channels: 1 } }).toColourspace('b-w').tiff({ compression: 'none' }).toFile(f);
    files.push(f);
  }
  return files;
}

interface PhaseResult {
  phase: string;
  images: number;
  seconds: number;
  imagesPerSecond: number;
  peakRssMB: number;
  /** CPU time (all threads of the process) per image: robust to other load on the machine. */
  cpuMsPerImage: number;
}

/** Child-process body: run one configuration over the folder and print JSON. */
async function runPhase(phase: string, dir: string): Promise<void> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.tif')).sort().map((f) => join(dir, f));
  const overlay = phase.endsWith('+overlay');
  const outDir = join(dir, 'out');
  await mkdir(outDir, { recursive: true });
  const opts = (f: string): PorosityOptions => ({ ...OPTIONS, ...(overlay ? { overlay: join(outDir, `${f.split('/').pop()}.png`) } : {}) });
  // Warm-up (untimed, both configurations): one image per thread, so that module loading in the
  // worker threads and JIT compilation are not counted; then the whole folder is timed.
  const warm = join(outDir, 'warmup.png');
  const warmOpts = (): PorosityOptions => ({ ...OPTIONS, ...(overlay ? { overlay: warm } : {}) });
  let pool: { run(t: unknown): Promise<unknown>; destroy(): Promise<void> } | null = null;
  if (phase.startsWith('1thread')) await analyzePorosity(files[0]!, warmOpts());
  else {
    const { Piscina } = await import('piscina');
    // (workerData {}: geotiff's web-worker dependency destructures workerData in any worker thread)
    pool = new Piscina({ filename: new URL('./porosity-worker.js', import.meta.url).href, maxThreads: 2, minThreads: 2, workerData: {} });
    await Promise.all([0, 1].map(() => pool!.run({ file: files[0]!, options: warmOpts() })));
  }
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  if (!pool) {
    for (const f of files) await analyzePorosity(f, opts(f));
  } else {
    await Promise.all(files.map((f) => pool!.run({ file: f, options: opts(f) })));
  }
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(c0);
  if (pool) await pool.destroy();
  const r: PhaseResult = {
    cpuMsPerImage: (cpu.user + cpu.system) / 1000 / files.length,
    phase,
    images: files.length,
    seconds,
    imagesPerSecond: files.length / seconds,
    peakRssMB: process.resourceUsage().maxRSS / 1024,
  };
  process.stdout.write(JSON.stringify(r) + '\n');
}

function child(phase: string, dir: string): Promise<PhaseResult> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [fileURLToPath(import.meta.url), '--phase', phase, '--dir', dir], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.on('close', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop()!)) : reject(new Error(`phase ${phase} exited ${code}`))));
  });
}

/**
 * The command users run, end to end: `voidscope porosity <every file> --method Otsu --gaussian 1
 * --min-pore 10 --json` in a fresh process (start-up, reading, metadata, analysis, JSON on stdout),
 * with the default --jobs (the machine's cores). Wall time of the whole command.
 */
function cliEndToEnd(dir: string, files: string[]): Promise<{ imagesPerSecond: number; seconds: number; bytes: number }> {
  const main = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    execFile(
      process.execPath,
      [main, 'porosity', ...files, '--method', 'Otsu', '--gaussian', '1', '--min-pore', '10', '--json'],
      { cwd: dir, maxBuffer: 256 << 20 },
      (err, stdout, stderr) => {
        const seconds = (performance.now() - t0) / 1000;
        if (err) return reject(new Error(`voidscope porosity failed: ${(stderr || err.message).trim().split('\n').pop()}`));
        const n = (JSON.parse(stdout) as unknown[]).length;
        if (n !== files.length) return reject(new Error(`voidscope porosity returned ${n} results for ${files.length} files`));
        resolve({ imagesPerSecond: files.length / seconds, seconds, bytes: stdout.length });
      },
    );
  });
}

function skimage(dir: string): Promise<{ imagesPerSecond: number; seconds: number; images: number; peakRssMB: number } | string> {
  const py = '/usr/bin/python3';
  if (!existsSync(py)) return Promise.resolve('no /usr/bin/python3');
  const script = fileURLToPath(new URL('../../bench/skimage_bench.py', import.meta.url));
  return new Promise((resolve) => {
    execFile(py, [script, dir], { maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      if (err) return resolve(`scikit-image run failed: ${(stderr || err.message).trim().split('\n').pop()}`);
      try {
        resolve(JSON.parse(stdout.trim().split('\n').pop()!));
      } catch {
        resolve('scikit-image run printed no result');
      }
    });
  });
}

/**
 * ImageJ 1.53t on the same folder, where the headless peer driver is present (../shared/peers/ij-porosity
 * beside the repository, or $IJ_POROSITY) with Java and ImageJ: same stages, one JVM, 2 threads. Its own
 * timer covers the image loop (JVM start-up excluded), as the figure in the issue does.
 */
function imagej(dir: string): Promise<{ imagesPerSecond: number; seconds: number } | string> {
  const driver = process.env.IJ_POROSITY ?? fileURLToPath(new URL('../../../shared/peers/ij-porosity', import.meta.url));
  if (!existsSync(driver)) return Promise.resolve(`no ImageJ peer driver at ${driver} (set IJ_POROSITY)`);
  return new Promise((resolve) => {
    execFile(driver, [dir, 'Otsu', '--sigma', '1', '--min-size', '10', '--threads', '2', '--compact'], { maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      if (err) return resolve(`ImageJ run failed: ${(stderr || err.message).trim().split('\n').pop()}`);
      try {
        const r = JSON.parse(stdout) as { images_per_second: number; loop_wall_s: number };
        resolve({ imagesPerSecond: r.images_per_second, seconds: r.loop_wall_s });
      } catch {
        resolve('ImageJ run printed no result');
      }
    });
  });
}

async function main(): Promise<void> {
  const phase = arg('--phase');
  if (phase) return runPhase(phase, arg('--dir')!);
  const n = Number(arg('--n') ?? 50);
  if (!Number.isInteger(n) || n < 1) throw new Error('--n must be a whole number >= 1');
  const given = arg('--dir');
  const dir = given ?? (await mkdtemp(join(tmpdir(), 'voidscope-bench-')));
  try {
    let t = performance.now();
    if (!given) await generate(dir, n);
    const count = (await readdir(dir)).filter((f) => f.endsWith('.tif')).length;
    process.stdout.write(`voidscope porosity bench: ${count} images ${W}×${H} 8-bit TIFF in ${dir}` + (given ? '' : ` (generated in ${((performance.now() - t) / 1000).toFixed(1)} s)`) + `\n`);
    process.stdout.write(`stages: decode → Gaussian σ 1 → Otsu → pores ≥ 10 px (8-connected); ${cpus().length} CPUs; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}\n\n`);
    const rows: PhaseResult[] = [];
    for (const p of ['1thread', '2threads', '1thread+overlay', '2threads+overlay']) {
      t = performance.now();
      const r = await child(p, dir);
      rows.push(r);
      process.stdout.write(`  ${r.phase.padEnd(18)} ${r.imagesPerSecond.toFixed(1).padStart(6)} images/s  (${r.seconds.toFixed(2)} s, peak RSS ${r.peakRssMB.toFixed(0)} MB, CPU ${r.cpuMsPerImage.toFixed(0)} ms/image)\n`);
    }
    const files = (await readdir(dir)).filter((f) => f.endsWith('.tif')).sort().map((f) => join(dir, f));
    await cliEndToEnd(dir, files.slice(0, 2)); // warm the page cache and the module cache of the OS
    const cli = await cliEndToEnd(dir, files);
    process.stdout.write(
      `  ${'CLI end to end'.padEnd(18)} ${cli.imagesPerSecond.toFixed(1).padStart(6)} images/s  (${cli.seconds.toFixed(2)} s: voidscope porosity <${files.length} files> --json, default --jobs ${cpus().length}, process start-up included)\n`,
    );
    const two = rows.find((r) => r.phase === '2threads')!;
    const single = rows.find((r) => r.phase === '1thread')!;
    const best = two.imagesPerSecond >= single.imagesPerSecond ? two : single;
    const ratio = (ref: number): string =>
      `${(two.imagesPerSecond / ref).toFixed(2)}× (2 threads), ${(single.imagesPerSecond / ref).toFixed(2)}× (1 thread)`;
    if (!process.argv.includes('--no-skimage')) {
      const sk = await skimage(dir);
      if (typeof sk === 'string') process.stdout.write(`\n  scikit-image: skipped (${sk})\n`);
      else {
        process.stdout.write(`\n  scikit-image 0.19.3 (bench/skimage_bench.py, 1 process) ${sk.imagesPerSecond.toFixed(1)} images/s (${sk.seconds.toFixed(2)} s, peak RSS ${sk.peakRssMB.toFixed(0)} MB)\n`);
        process.stdout.write(`  ratio voidscope/scikit-image: ${ratio(sk.imagesPerSecond)}\n`);
      }
    }
    if (!process.argv.includes('--no-imagej')) {
      const ij = await imagej(dir);
      if (typeof ij === 'string') {
        process.stdout.write(
          `\n  ImageJ: not measured (${ij}); its figure on this box when idle is ≈ 9 images/s (shared/peers README): ` +
            `${(best.imagesPerSecond / 9).toFixed(2)}× with voidscope's best (${best.phase}), ${(cli.imagesPerSecond / 9).toFixed(2)}× CLI end to end\n`,
        );
      } else {
        process.stdout.write(`\n  ImageJ 1.53t (shared/peers/ij-porosity, one JVM, 2 threads) ${ij.imagesPerSecond.toFixed(1)} images/s (${ij.seconds.toFixed(2)} s)\n`);
        process.stdout.write(`  ratio voidscope/ImageJ: ${ratio(ij.imagesPerSecond)}\n`);
        process.stdout.write(`  ratio CLI end to end/ImageJ: ${(cli.imagesPerSecond / ij.imagesPerSecond).toFixed(2)}× (the figure the README reports; goal ≥ 3×)\n`);
      }
    }
    if (loadavg()[0]! > cpus().length) {
      process.stdout.write(`  note: load average ${loadavg()[0]!.toFixed(1)} > ${cpus().length} CPUs — other work competes; CPU ms/image is the steadier figure\n`);
    }
  } finally {
    if (!given && !process.argv.includes('--keep')) await rm(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`bench: ${(e as Error).stack ?? String(e)}\n`);
  process.exitCode = 1;
});
