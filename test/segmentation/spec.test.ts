/**
 * One analysis spec, validated once at every edge: the library (measurePorosity,
 * analyzePorosity), the study file (parseStudy) and the CLI refuse an unknown or misspelt option
 * with the same problem text and a suggestion. Expected messages are voidscope's own wording
 * (spec.ts unknownOptionProblem); the misspelling "gausian" is the one the issue walked through.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRaster } from '../../src/raster/types.js';
import { VoidscopeError } from '../../src/errors.js';
import { OptionError, parseAnalysisSpec, suggestName } from '../../src/segmentation/spec.js';
import { measurePorosity } from '../../src/segmentation/porosity.js';
import { analyzePorosity } from '../../src/segmentation/analyze.js';
import { parseStudy } from '../../src/pipeline/study.js';
import { mulberry32 } from '../../scripts/lib/random.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const MAIN = join(ROOT, 'dist', 'src', 'cli', 'main.js');
const IMG = join(ROOT, 'samples/sem/cathode/NBR0.5/pristine/cathode_NBR0.5_pristine_1.tif');

function run(args: string[], cwd = ROOT): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [MAIN, ...args], { cwd, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

/** Dark voids (20) in a bright matrix (200) with ±5 noise: 16 of 64×48 px are void. */
function raster() {
  const rnd = mulberry32(7);
  const d = new Uint8Array(64 * 48);
  for (let i = 0; i < d.length; i++) d[i] = 200 + Math.floor(rnd() * 11) - 5;
  for (let y = 10; y < 14; y++) for (let x = 20; x < 24; x++) d[y * 64 + x] = 20;
  return createRaster(64, 48, d);
}

const PROBLEM = 'unknown option "gausian" (did you mean "gaussian"?)';

test('a misspelt option is refused identically by the library, the study file and the CLI', async () => {
  // Library, pure: before the one validator, measurePorosity(r, {gausian: 2}) returned an unfiltered result.
  assert.throws(
    () => measurePorosity(raster(), { gausian: 2 } as never),
    (e: unknown) => e instanceof OptionError && e.code === 'EOPTION' && e.problem.startsWith(PROBLEM) && e.message.startsWith(`gausian: ${PROBLEM}`),
  );
  // Library, file edge.
  await assert.rejects(analyzePorosity(IMG, { gausian: 1 } as never), (e: unknown) => e instanceof VoidscopeError && e.code === 'EOPTION' && e.message.includes(PROBLEM));
  // Study file: the same problem, with the YAML path and line (parseStudy used to keep the key).
  const yaml = 'groups:\n  - kind: sem\n    files: sem/**/*.tif\n    options:\n      method: Otsu\n      gausian: 1\n';
  assert.throws(
    () => parseStudy(yaml, 'study/voidscope.yaml'),
    (e: unknown) => e instanceof VoidscopeError && e.code === 'EOPTION' && e.message.startsWith(`study/voidscope.yaml: groups[0].options.gausian (line 6): ${PROBLEM}`),
  );
  // CLI: the same wording, in flags.
  const r = await run(['porosity', IMG, '--gausian', '1']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^voidscope: --gausian: unknown option "--gausian" \(did you mean "--gaussian"\?\)/);
});

test('option values get the same checks and words at every edge', async () => {
  const problem = (f: () => unknown): string => {
    try {
      f();
    } catch (e) {
      return (e as OptionError).problem;
    }
    return 'no error';
  };
  const lib = problem(() => measurePorosity(raster(), { gaussian: -1 }));
  assert.equal(lib, 'must be a Gaussian sigma in pixels > 0, got -1');
  assert.throws(() => parseStudy('groups:\n  - kind: sem\n    files: a\n    options: { gaussian: -1 }\n', 'v.yaml'), (e: unknown) => (e as Error).message.endsWith(`options.gaussian (line 4): ${lib}`));
  const r = await run(['porosity', IMG, '--gaussian', '-1']);
  assert.equal(r.code, 2);
  assert.equal(r.stderr.trim(), `voidscope: --gaussian: ${lib}`);
  // Flags that take a value refuse to be given without one (it used to be ignored).
  const bare = await run(['porosity', IMG, '--gaussian']);
  assert.equal(bare.code, 2);
  assert.match(bare.stderr, /^voidscope: --gaussian: needs a value/);
});

test('minPore as a bare number means pixels, everywhere', () => {
  assert.deepEqual(parseAnalysisSpec({ minPore: 10 }).minPore, { value: 10, unit: 'px' });
  const s = parseStudy('groups:\n  - kind: sem\n    files: a\n    options: { minPore: 10 }\n', 'v.yaml');
  assert.deepEqual(parseAnalysisSpec(s.groups[0]!.options).minPore, { value: 10, unit: 'px' });
  const a = measurePorosity(raster(), { method: 'Otsu', minPore: 17 });
  const b = measurePorosity(raster(), { method: 'Otsu', minPore: { value: 17, unit: 'px' } });
  assert.deepEqual(a, b);
  // The 4×4 void square (16 px) is a speck below 17 px: ground truth of the generated image.
  assert.equal(a.voidPixels, 16);
  assert.equal(a.pores.count, 0);
  assert.equal(a.pores.specks, 1);
});

test('the spec is plain JSON: it survives JSON and structured clone unchanged', () => {
  const spec = parseAnalysisSpec({ method: 'otsu', gaussian: 1, median: 2, roi: '1,2,30,40', minPore: { value: 2, unit: 'um2' }, voids: 'bright', bins: '128', keepDatabar: true });
  assert.deepEqual(JSON.parse(JSON.stringify(spec)), spec);
  assert.deepEqual(structuredClone(spec), spec);
  assert.deepEqual(spec.segment, { method: 'global', name: 'Otsu', bins: 128, voids: 'bright' });
  assert.deepEqual(spec.prefilters, [{ kind: 'median', radius: 2 }, { kind: 'gaussian', sigma: 1 }]);
  assert.deepEqual(spec.area, { roi: { x: 1, y: 2, width: 30, height: 40 }, mask: null, keepDatabar: true });
  assert.deepEqual(spec.minPore, { value: 2, unit: 'µm²' });
  // A parsed spec is accepted as is by the library (what a worker receives).
  assert.deepEqual(measurePorosity(raster(), parseAnalysisSpec({ method: 'Otsu' })), measurePorosity(raster(), { method: 'Otsu' }));
  assert.equal(suggestName('minpore', ['minPore', 'median']), 'minPore');
  assert.equal(suggestName('xyz', ['minPore', 'median']), null);
});

test('study files: paths stay inside their folders, outputs are the run\'s, maxPixels is bounded, bad aliases are EPARSE', () => {
  const err = (options: string): string => {
    try {
      parseStudy(`groups:\n  - kind: sem\n    files: a\n    options: ${options}\n`, 'v.yaml');
    } catch (e) {
      return `${(e as VoidscopeError).code} ${(e as Error).message}`;
    }
    return 'accepted';
  };
  assert.match(err('{ mask: ../outside.png }'), /^EOPTION v\.yaml: groups\[0\]\.options\.mask \(line 4\): expected a mask image path relative to the study folder inside the study folder/);
  assert.match(err('{ mask: /etc/passwd }'), /options\.mask .*inside the study folder/);
  assert.match(err('{ voidMask: ../../x.png }'), /options\.voidMask .*inside the report folder/);
  assert.match(err('{ overlay: x.png }'), /options\.overlay .*the run writes an overlay of every image/);
  assert.match(err('{ maxPixels: 1000000000000 }'), /options\.maxPixels .*from 1 to 400000000/);
  assert.equal(err('{ mask: masks/a.png, voidMask: masks/a-voids.png, maxPixels: 1000000 }'), 'accepted');
  const sims = (options: string): string => {
    try {
      parseStudy(`groups:\n  - kind: sims\n    files: a\n    options: ${options}\n`, 'v.yaml');
    } catch (e) {
      return (e as Error).message;
    }
    return 'accepted';
  };
  assert.match(sims('{ fov: 50 }'), /options\.fov \(line 4\): unknown option "fov" \(did you mean "fovUm"\?\)/);
  assert.match(sims('{ total: ../t.txt }'), /options\.total .*inside the study folder/);
  assert.equal(sims('{ fovUm: 50, channel: Li+ }'), 'accepted');
  assert.throws(() => parseStudy('groups: *missing\n', 'study/voidscope.yaml'), (e: unknown) => e instanceof VoidscopeError && e.code === 'EPARSE' && /^study\/voidscope\.yaml: Unresolved alias/.test(e.message));
});

test('run: a folder with no inputs is an error; porosity over several files gives the same JSON for any --jobs', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'vs-spec-'));
  try {
    await mkdir(join(dir, 'empty'));
    await writeFile(join(dir, 'empty', 'notes.md'), 'nothing to analyse');
    const r = await run(['run', join(dir, 'empty'), '--out', join(dir, 'out'), '-q']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /no inputs found/);
    const imgs = ['samples/sem/cathode/NBR0.5/pristine/cathode_NBR0.5_pristine_1.tif', 'samples/sem/cathode/NBR1.5/cycled150/cathode_NBR1.5_cycled150_2.tif', 'samples/sem/anode/NBR1.0/pristine/anode_NBR1.0_pristine_1.tif'];
    const one = await run(['porosity', ...imgs, '--json', '--jobs', '1', '--gaussian', '1']);
    const two = await run(['porosity', ...imgs, '--json', '--jobs', '2', '--gaussian', '1']);
    assert.equal(one.code, 0, one.stderr);
    assert.equal(two.stdout, one.stdout);
    const res = JSON.parse(one.stdout) as { file: string; filters: { name: string }[]; segmentation: { segmenter: string; method: string } }[];
    assert.deepEqual(res.map((x) => x.file), imgs);
    assert.deepEqual(res[0]!.filters.map((f) => f.name), ['gaussian']);
    assert.deepEqual([res[0]!.segmentation.segmenter, res[0]!.segmentation.method], ['auto', 'auto']);
    // thresholds over several files: an array, in input order, independent of --jobs; the area flags
    // are the same, segmentation flags do not apply.
    const t1 = await run(['thresholds', ...imgs.slice(0, 2), '--json', '--jobs', '1']);
    const t2 = await run(['thresholds', ...imgs.slice(0, 2), '--json', '--jobs', '2']);
    assert.equal(t1.code, 0, t1.stderr);
    assert.equal(t2.stdout, t1.stdout);
    const tr = JSON.parse(t1.stdout) as { file: string; methods: unknown[] }[];
    assert.deepEqual(tr.map((x) => [x.file, x.methods.length]), [[imgs[0], 18], [imgs[1], 18]]);
    const bad = await run(['thresholds', imgs[0]!, '--method', 'Otsu']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^voidscope: --method: does not apply to this command/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('overlay PNGs are compressed (they were stored: at least one byte per pixel)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'vs-ovl-'));
  try {
    const out = join(dir, 'o.png');
    const r = await analyzePorosity(IMG, { overlay: out });
    const png = await readFile(out);
    assert.equal(r.outputs?.overlay, out);
    assert.ok(png.length < 0.7 * r.width * r.height, `overlay ${png.length} bytes for ${r.width * r.height} px`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a study file\'s mask is read from the study folder and its voidMask folder is written inside the report', async () => {
  const { runStudy } = await import('../../src/pipeline/run.js');
  const { copyFile } = await import('node:fs/promises');
  const { existsSync } = await import('node:fs');
  const sharp = (await import('sharp')).default;
  const dir = await mkdtemp(join(tmpdir(), 'vs-study-paths-'));
  try {
    const study = join(dir, 'study');
    await mkdir(join(study, 'sem', 'cathode', 'NBR1.0', 'pristine'), { recursive: true });
    await copyFile(IMG, join(study, 'sem', 'cathode', 'NBR1.0', 'pristine', 'a.tif'));
    for (const ext of ['-tif.hdr']) await copyFile(IMG.replace(/\.tif$/, ext), join(study, 'sem', 'cathode', 'NBR1.0', 'pristine', `a${ext}`)).catch(() => undefined);
    // Mask: the left half of the 352×272 image analysed.
    const m = new Uint8Array(352 * 272);
    for (let y = 0; y < 272; y++) m.fill(255, y * 352, y * 352 + 176);
    await mkdir(join(study, 'masks'));
    await writeFile(join(study, 'masks', 'left.png'), await sharp(m, { raw: { width: 352, height: 272, channels: 1 } }).png().toBuffer());
    await writeFile(join(study, 'voidscope.yaml'), 'groups:\n  - kind: sem\n    electrode: cathode\n    files: sem/**/*.tif\n    options: { mask: masks/left.png, voidMask: voids, minPore: 10 }\n');
    const out = join(dir, 'report');
    const r = await runStudy(study, { out, jobs: 1, overlays: false });
    const row = r.sem[0]!;
    assert.equal(row.status, 'ok', JSON.stringify(row.error));
    const raw = row.raw as { mask: { source: string }; outputs: { voidMask: string }; analysedPixels: number; roi: { height: number } };
    assert.equal(raw.mask.source, 'masks/left.png');
    assert.equal(raw.analysedPixels, 176 * raw.roi.height); // left half of the rows above the data bar
    assert.equal(raw.outputs.voidMask, 'voids/sem__cathode__NBR1.0__pristine__a.tif.png');
    assert.ok(existsSync(join(out, raw.outputs.voidMask)));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
