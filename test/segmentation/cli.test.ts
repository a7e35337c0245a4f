/**
 * `voidscope porosity` / `voidscope thresholds` end to end through the built CLI
 * (dist/src/cli/main.js), on committed samples.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import sharp from 'sharp';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const MAIN = join(ROOT, 'dist', 'src', 'cli', 'main.js');
const IMG1 = join(ROOT, 'samples/sem/cathode/NBR0.5/cycled150/cathode_NBR0.5_cycled150_1.tif');
const IMG2 = join(ROOT, 'samples/sem/cathode/NBR0.5/pristine/cathode_NBR0.5_pristine_1.tif');
const truth = JSON.parse(await readFile(join(ROOT, 'samples/sem/ground-truth.json'), 'utf8')) as {
  images: { file: string; trueVoidFraction: number }[];
};
const truthOf = (f: string) => truth.images.find((t) => f.endsWith(t.file))!.trueVoidFraction;

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [MAIN, ...args], { cwd: ROOT, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

test('human-readable output states method, threshold, convention, ROI, calibration and void %', async () => {
  const r = await run(['porosity', IMG1]);
  assert.equal(r.code, 0, r.stderr);
  // The default is the automatic segmenter: its boundaries, the convention and the band are stated.
  assert.match(r.stdout, /threshold {4}auto t = \d+ \(seed and grow thresholds \d+, \d+\)/);
  assert.match(r.stdout, /convention {3}void = the "void" phase of the auto segmentation/);
  assert.match(r.stdout, /band {9}[\d.]+–[\d.]+ % \(segmentation sensitivity; confidence high/);
  const mo = await run(['porosity', IMG1, '--method', 'MultiOtsu']);
  assert.match(mo.stdout, /threshold {4}MultiOtsu t = \d+/);
  assert.match(mo.stdout, /convention {3}void = pixel <= \d+ \(dark voids\)/);
  assert.match(r.stdout, /ROI 0,0,352,244; data bar 28 rows excluded/);
  assert.match(r.stdout, /calibration {2}0\.045 µm\/px \(Tescan sidecar/);
  const pct = Number(/void {9}([\d.]+) %/.exec(r.stdout)![1]);
  assert.ok(Math.abs(pct - truthOf(IMG1) * 100) < 0.5);
});

test('--json: one object for one image, an array for several; overlay and void mask written per image', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'voidscope-cli-'));
  try {
    const one = await run(['porosity', IMG1, '--json', '--method', 'Otsu', '--min-pore', '5']);
    assert.equal(one.code, 0, one.stderr);
    const o = JSON.parse(one.stdout);
    assert.equal(o.method, 'Otsu');
    assert.equal(o.minPore.pixels, 5);
    assert.ok(o.voidFraction > 0.3); // Otsu on a 3-phase image takes the matrix as void
    const two = await run(['porosity', IMG1, IMG2, '--json', '--overlay', join(dir, 'ov.png'), '--void-mask', join(dir, 'vm.png')]);
    assert.equal(two.code, 0, two.stderr);
    const arr = JSON.parse(two.stdout) as { file: string; voidFraction: number; voidPixels: number; outputs: { overlay: string; voidMask: string } }[];
    assert.equal(arr.length, 2);
    assert.equal(arr[0]!.outputs.overlay, join(dir, 'ov_cathode_NBR0.5_cycled150_1.png'));
    assert.equal(arr[1]!.outputs.voidMask, join(dir, 'vm_cathode_NBR0.5_pristine_1.png'));
    for (const a of arr) {
      assert.ok(Math.abs(a.voidFraction - truthOf(a.file)) < 0.005);
      const ov = await sharp(a.outputs.overlay).metadata();
      assert.deepEqual([ov.format, ov.width, ov.height, ov.channels], ['png', 352, 272, 3]); // opaque RGB overlay
      assert.equal((await sharp(a.outputs.voidMask).metadata()).channels, 1); // a true grey PNG
      const vm = await sharp(a.outputs.voidMask).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
      let n255 = 0;
      for (const v of vm.data) if (v === 255) n255++;
      assert.equal(n255, a.voidPixels);
      assert.ok(vm.data.every((v) => v === 0 || v === 255));
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('--mask (analysis mask input) restricts the region', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'voidscope-cli-'));
  try {
    const m = Buffer.alloc(352 * 272);
    for (let y = 0; y < 272; y++) for (let x = 0; x < 176; x++) m[y * 352 + x] = 255; // left half
    const mp = join(dir, 'm.png');
    await writeFile(mp, await sharp(m, { raw: { width: 352, height: 272, channels: 1 } }).png().toBuffer());
    const r = await run(['porosity', IMG1, '--json', '--mask', mp]);
    assert.equal(r.code, 0, r.stderr);
    const o = JSON.parse(r.stdout);
    assert.equal(o.analysedPixels, 176 * 244); // left half of the micrograph rows
    assert.equal(o.mask.source, mp);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('thresholds: every method with its void fraction (Try all)', async () => {
  const r = await run(['thresholds', IMG1, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const o = JSON.parse(r.stdout) as { methods: { method: string; threshold: number; voidFraction: number }[] };
  assert.equal(o.methods.length, 18);
  const maxEnt = o.methods.find((m) => m.method === 'MaxEntropy')!;
  // ImageJ 1.53t (ij-porosity ... MaxEntropy 0,0,352,244): t = 98, void fraction 0.183133848733234
  assert.equal(maxEnt.threshold, 98);
  assert.equal(maxEnt.voidFraction, 0.183133848733234);
  const h = await run(['thresholds', IMG1]);
  assert.match(h.stdout, /Otsu\s+\d+\s+[\d.]+/);
});

test('bad input: one clear line naming the file, non-zero exit, no stack trace', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'voidscope-cli-'));
  try {
    const bad = join(dir, 'broken.tif');
    await writeFile(bad, Buffer.from('II*\u0000 this is not really a tiff'));
    for (const f of [bad, join(dir, 'missing.tif')]) {
      const r = await run(['porosity', f]);
      assert.notEqual(r.code, 0);
      const lines = r.stderr.trim().split('\n');
      assert.equal(lines.length, 1, r.stderr);
      assert.match(lines[0]!, /^voidscope: .*(broken|missing)\.tif/);
      assert.doesNotMatch(r.stderr, /\n\s+at /);
    }
    // Several inputs: the bad one is reported, the good one still analysed, exit 1.
    const r = await run(['porosity', bad, IMG2, '--json']);
    assert.equal(r.code, 1);
    assert.equal(JSON.parse(r.stdout).length, 1);
    // Bad option: exit 2.
    const o = await run(['porosity', IMG2, '--roi', '1,2,3']);
    assert.equal(o.code, 2);
    assert.match(o.stderr, /--roi/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
