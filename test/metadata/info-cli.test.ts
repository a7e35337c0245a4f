/**
 * `voidscope info` end to end (compiled CLI in a child process) on the crafted fixtures of
 * test/fixtures/metadata/: human and JSON output, user calibration, bad files among good ones.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const cli = join(root, 'dist', 'src', 'cli', 'main.js');
const fx = (n: string): string => join(root, 'test', 'fixtures', 'metadata', n);

function run(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cli, 'info', ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('human output names the calibration source, the data bar and the parameters', () => {
  const r = run(fx('fei-scan.tif'));
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /64 × 76 px, 8-bit uint/u);
  assert.match(r.stdout, /FEI\/Thermo \(Quanta 250\)/u);
  assert.match(r.stdout, /0\.025 µm\/px {2}\[FEI tag 34682 \[Scan\] PixelWidth\]/u);
  assert.match(r.stdout, /12 rows at the bottom/u);
  assert.match(r.stdout, /analysed: +64 × 64 px/u);
  assert.match(r.stdout, /voltage: +10 kV/u);
});

test('a DPI-only image is shown as uncalibrated', () => {
  const r = run(fx('dpi-only.tif'));
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /pixel size: +uncalibrated/u);
});

test('--json gives one object for one image and an array for several; --pixel-size wins as "user"', () => {
  const one = JSON.parse(run(fx('tescan.png'), '--json').stdout) as Record<string, unknown>;
  assert.deepEqual(one['pixelSize'], { value: 0.25, unit: 'µm', source: 'Tescan sidecar tescan.hdr [MAIN] PixelSizeX (m)' });
  assert.equal(one['width'], 64);
  assert.equal(one['vendor'], 'Tescan');
  const many = JSON.parse(run(fx('tescan.png'), fx('dpi-only.tif'), '--json', '--pixel-size', '0.5').stdout) as Record<string, unknown>[];
  assert.equal(many.length, 2);
  for (const m of many) assert.deepEqual(m['pixelSize'], { value: 0.5, unit: 'µm', source: 'user' });
  assert.equal((many[0]!['metadataPixelSize'] as { value: number }).value, 0.25);
  assert.equal(many[1]!['metadataPixelSize'], null);
});

test('a bad file among good ones is reported on stderr, the rest go on, exit code 1', () => {
  const r = run(fx('fibics.tif'), fx('missing.tif'), fx('notes.txt'), fx('imagej.tif'), '--json');
  assert.equal(r.code, 1);
  const out = JSON.parse(r.stdout) as { file: string }[];
  assert.deepEqual(out.map((o) => o.file), [fx('fibics.tif'), fx('imagej.tif')]);
  const errs = r.stderr.trim().split('\n');
  assert.equal(errs.length, 2);
  assert.match(errs[0]!, /^voidscope: .*missing\.tif: /u);
  assert.match(errs[1]!, /^voidscope: .*notes\.txt: /u);
});

test('invalid --pixel-size is an option error (exit 2)', () => {
  const r = run(fx('fibics.tif'), '--pixel-size', '-1');
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--pixel-size must be a positive number/u);
});

test('a --page beyond the pages of a file is that file problem: reported, exit 1, not an option error', () => {
  const r = run(fx('fibics.tif'), '--page', '1');
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^voidscope: .*fibics\.tif: /u);
});
