/**
 * Vendor rules of readSemMetadata on the crafted files of test/fixtures/metadata/, made by
 * scripts/fixtures/metadata.ts. Every expected value below follows from the numbers that
 * script writes (quoted in each test), not from running voidscope.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readImage } from '../../src/raster/read.js';
import { readSemMetadata, resolvePixelSize } from '../../src/segmentation/metadata/index.js';
import type { SemMetadata } from '../../src/segmentation/metadata/index.js';
import { generate } from '../../scripts/fixtures/metadata.js';
import { VoidscopeError } from '../../src/errors.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const dir = join(root, 'test', 'fixtures', 'metadata');

async function meta(name: string): Promise<SemMetadata> {
  const file = join(dir, name);
  return readSemMetadata(file, await readImage(file));
}

function close(actual: number | undefined, expected: number, rel = 1e-9): void {
  assert.ok(actual !== undefined, `expected ${expected}, got undefined`);
  assert.ok(Math.abs(actual - expected) <= rel * Math.abs(expected), `expected ${expected}, got ${actual}`);
}

test('fixture generator reproduces the committed files (PNG: same pixels; others: same bytes)', async () => {
  const sharp = (await import('sharp')).default;
  const pixels = async (f: string): Promise<Buffer> => (await sharp(f).raw().toBuffer());
  const tmp = mkdtempSync(join(tmpdir(), 'voidscope-meta-'));
  try {
    const names = await generate(tmp);
    assert.deepEqual(names.slice().sort(), readdirSync(dir).sort());
    for (const n of names) {
      // PNG bytes depend on the deflate build (zlib-ng differs by CPU); compare decoded pixels.
      if (n.endsWith('.png')) assert.ok((await pixels(join(tmp, n))).equals(await pixels(join(dir, n))), `${n} pixels differ`);
      else assert.ok(readFileSync(join(tmp, n)).equals(readFileSync(join(dir, n))), `${n} differs`);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('FEI [Scan] PixelWidth 2.5e-8 m; data bar from ResolutionY even though DatabarHeight=0 lies', async () => {
  const m = await meta('fei-scan.tif');
  assert.equal(m.vendor, 'FEI/Thermo');
  assert.equal(m.instrument, 'Quanta 250');
  close(m.pixelSize?.value, 0.025);
  assert.equal(m.pixelSize?.unit, 'µm');
  assert.match(m.pixelSize!.source, /34682 \[Scan\] PixelWidth/u);
  // 76-row image, [Image] ResolutionY=64 → 12 rows of data bar.
  assert.deepEqual(m.databar?.rows, 12);
  assert.match(m.databar!.source, /ResolutionY/u);
  assert.ok(m.warnings.some((w) => /DatabarHeight=0 disagrees/u.test(w)));
  assert.equal(m.acceleratingVoltageKV, 10); // HV=10000 V
  close(m.workingDistanceMm, 5.1); // WorkingDistance=0.0051 m
  assert.equal(m.detector, 'ETD SE');
  assert.equal(m.date, '2024-03-14T14:05:09'); // 03/14/2024 02:05:09 PM
  assert.equal(m.fields['Scan.PixelWidth'], '2.5e-008');
});

test('metadata implying no bar (ResolutionY = height) is overridden by a bar detected in the pixels', async () => {
  const m = await meta('fei-hidden-bar.tif');
  close(m.pixelSize?.value, 0.01);
  assert.deepEqual(m.databar, { rows: 12, source: 'detected from pixels' });
  assert.ok(m.warnings.some((w) => /implies no data bar, but a 12-row bar was detected/u.test(w)));
});

test('FEI navigation camera: [IRBeam] HFW 0.0064 m / ResolutionX 64 = 100 µm; DatabarHeight 6 agrees', async () => {
  const m = await meta('fei-navcam.tif');
  close(m.pixelSize?.value, 100);
  assert.equal(m.pixelSize?.valueY, undefined);
  assert.match(m.pixelSize!.source, /\[IRBeam\] HFW \/ \[Image\] ResolutionX/u);
  assert.equal(m.databar?.rows, 6);
  assert.match(m.databar!.source, /DatabarHeight/u);
});

test('FEI malformed values are skipped with warnings and give "uncalibrated", never a crash', async () => {
  const m = await meta('fei-malformed.tif');
  assert.equal(m.vendor, 'FEI/Thermo');
  assert.equal(m.pixelSize, null);
  assert.equal(m.acceleratingVoltageKV, undefined);
  assert.equal(m.workingDistanceMm, undefined);
  for (const re of [/malformed line .*DarkField/u, /PixelWidth: not a number/u, /HV: not a number/u, /WorkingDistance: not a number/u, /ResolutionY=999 exceeds/u]) {
    assert.ok(m.warnings.some((w) => re.test(w)), `missing warning ${re}`);
  }
});

test('FEI tag 34683 XML <PixelSize> (1.25e-7 m) wins over a disagreeing INI value, with a warning', async () => {
  const m = await meta('fei-xml.tif');
  close(m.pixelSize?.value, 0.125);
  assert.match(m.pixelSize!.source, /34683/u);
  assert.ok(m.warnings.some((w) => /disagrees/u.test(w)));
  assert.equal(m.databar?.rows, 0); // ResolutionY = height: metadata says there is no bar
});

test('Zeiss: header[3] 1.0e-8 m × 1024 / 64 px = 0.16 µm; the "Pixel Size" 10.00 nm trap is only a warning', async () => {
  const m = await meta('zeiss-64px.tif');
  assert.equal(m.vendor, 'Zeiss');
  assert.equal(m.instrument, 'ULTRA 55-36-06');
  close(m.pixelSize?.value, 0.16);
  assert.match(m.pixelSize!.source, /header\[3\]/u);
  assert.ok(m.warnings.some((w) => /Pixel Size 10\.00 nm differs/u.test(w)));
  // Width "10.24 µm" (µ as Latin-1 byte 0xB5) / 64 = 0.16: agrees, so no Width warning.
  assert.ok(!m.warnings.some((w) => /Width/u.test(w)));
  assert.equal(m.fields['CZ_SEM.AP_WIDTH'], '10.24 µm'); // Latin-1 byte decoded as µ, not U+FFFD
  assert.equal(m.magnification, 50000); // "50.00 K X"
  assert.equal(m.acceleratingVoltageKV, 5);
  close(m.workingDistanceMm, 3.9);
  assert.equal(m.detector, 'InLens');
  assert.equal(m.date, '2018-09-25T08:20:42');
});

test('Zeiss malformed header and a Pixel Size of unknown store resolution → uncalibrated with warnings', async () => {
  const m = await meta('zeiss-malformed.tif');
  assert.equal(m.vendor, 'Zeiss');
  assert.equal(m.pixelSize, null);
  assert.ok(m.warnings.some((w) => /header\[3\]/u.test(w)));
  assert.ok(m.warnings.some((w) => /AP_PIXEL_SIZE .* not used/u.test(w)));
});

test('Fibics tag 51023: <Ux> 0.05 µm', async () => {
  const m = await meta('fibics.tif');
  assert.equal(m.vendor, 'Fibics');
  assert.equal(m.instrument, 'CRAFTED-AURIGA');
  close(m.pixelSize?.value, 0.05);
  assert.equal(m.pixelSize?.valueY, undefined); // |Vy| = |Ux|
});

test('Hitachi UTF-16LE sidecar paired by stem (non-ASCII name), not by its lying ImageName', async () => {
  const m = await meta('hitachi-１_4万倍.tif');
  assert.equal(m.vendor, 'Hitachi');
  assert.equal(m.instrument, 'S-4800');
  close(m.pixelSize?.value, 0.1255); // PixelSize=125.5 nm; the decoy other.txt says 999
  assert.ok(m.sidecar?.endsWith('hitachi-１_4万倍.txt'));
  assert.equal(m.databar?.rows, 8); // DataSize 64x64 on a 64×72 image
  assert.equal(m.acceleratingVoltageKV, 5);
  close(m.workingDistanceMm, 8.1);
  assert.equal(m.magnification, 40000);
  assert.equal(m.detector, 'SE(U)');
  assert.equal(m.date, '2023-11-05T09:08:07');
});

test('Hitachi block in TIFF tag 40092 (UTF-16LE, no section header): 250 nm', async () => {
  const m = await meta('hitachi-tag.tif');
  assert.equal(m.vendor, 'Hitachi');
  close(m.pixelSize?.value, 0.25);
  assert.match(m.pixelSize!.source, /tag 40092/u);
});

test('Hitachi sidecar with a non-numeric PixelSize → uncalibrated with a warning', async () => {
  const m = await meta('hitachi-bad.tif');
  assert.equal(m.pixelSize, null);
  assert.ok(m.warnings.some((w) => /PixelSize: not a number/u.test(w)));
});

test('JEOL half-size export: 10 µm / 50 px × 128/64 = 0.4 µm; data bar below the rescaled full height', async () => {
  const m = await meta('jeol-half.tif');
  assert.equal(m.vendor, 'JEOL');
  assert.equal(m.instrument, '7800F');
  close(m.pixelSize?.value, 0.4);
  assert.equal(m.databar?.rows, 8); // 56 − 96 × 64/128
  assert.equal(m.acceleratingVoltageKV, 15);
  assert.equal(m.workingDistanceMm, 10);
  assert.equal(m.magnification, 5000);
  assert.equal(m.detector, 'LEI');
  assert.equal(m.fields['TIFF.XResolution'], '270.9'); // the DPI tag is recorded but not used
  assert.ok(m.warnings.some((w) => /malformed line/u.test(w)));
});

test('Tescan .hdr next to a PNG: PixelSizeX 250.00e-9 m = 0.25 µm', async () => {
  const m = await meta('tescan.png');
  assert.equal(m.vendor, 'Tescan');
  assert.equal(m.instrument, 'MIRA3 LMH');
  close(m.pixelSize?.value, 0.25);
  assert.equal(m.acceleratingVoltageKV, 20);
  close(m.workingDistanceMm, 7.1057);
  assert.equal(m.magnification, 2000);
  assert.equal(m.date, '2021-05-06T12:34:56');
});

test('Tescan block embedded in a TIFF tag: 5.0e-8 m = 0.05 µm', async () => {
  const m = await meta('tescan-embedded.tif');
  assert.equal(m.vendor, 'Tescan');
  close(m.pixelSize?.value, 0.05);
  assert.equal(m.sidecar, null);
});

test('Tescan .hdr with a malformed PixelSizeX → uncalibrated with a warning', async () => {
  const m = await meta('tescan-bad.png');
  assert.equal(m.pixelSize, null);
  assert.ok(m.warnings.some((w) => /PixelSizeX: not a number/u.test(w)));
});

test('ImageJ unit=micron with XResolution 4 px/µm → 0.25 µm', async () => {
  const m = await meta('imagej.tif');
  assert.equal(m.vendor, 'ImageJ');
  close(m.pixelSize?.value, 0.25);
});

test('ImageJ unit=inch (from a DPI tag) and a plain DPI tag are not calibrations', async () => {
  const a = await meta('imagej-inch.tif');
  assert.equal(a.pixelSize, null);
  assert.ok(a.warnings.some((w) => /unit=inch/u.test(w)));
  const b = await meta('dpi-only.tif');
  assert.equal(b.pixelSize, null);
  assert.equal(b.vendor, null);
  assert.equal(b.fields['TIFF.XResolution'], '150');
  assert.equal(b.fields['TIFF.ResolutionUnit'], 'inch');
});

test('Olympus SIS tag 33560: 2.5 × 10^-9 m = 0.0025 µm, magnification 1000', async () => {
  const m = await meta('olympus.tif');
  assert.equal(m.vendor, 'Olympus');
  close(m.pixelSize?.value, 0.0025);
  assert.equal(m.magnification, 1000);
});

test('no metadata: data bar detected from pixels; a same-stem notes .txt is ignored', async () => {
  const m = await meta('databar-only.png');
  assert.deepEqual(m.databar, { rows: 10, source: 'detected from pixels' });
  assert.equal(m.pixelSize, null);
  const n = await meta('notes.png');
  assert.equal(n.vendor, null);
  assert.equal(n.sidecar, null);
  assert.equal(n.pixelSize, null);
});

test('resolvePixelSize: the user always wins and is recorded as "user"; bad values are EOPTION', async () => {
  const m = await meta('zeiss-64px.tif');
  assert.deepEqual(resolvePixelSize(m, 0.5), { value: 0.5, unit: 'µm', source: 'user' });
  assert.equal(resolvePixelSize(m)?.value, m.pixelSize?.value);
  assert.equal(resolvePixelSize(await meta('dpi-only.tif')), null);
  for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
    assert.throws(() => resolvePixelSize(m, bad), (e: unknown) => e instanceof VoidscopeError && e.code === 'EOPTION');
  }
});
