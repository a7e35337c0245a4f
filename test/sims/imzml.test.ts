/**
 * imzML files written by our own test writer (./imzml-writer.ts): every data type, zlib,
 * continuous/processed, Latin-1 XML, missing pixels; and the corruptions the issue lists
 * (UUID mismatch, offsets past the end of the .ibd, missing .ibd, bad checksum).
 * Expected images are computed by hand from the spectra defined below.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeSimsMap, readSimsFile, VoidscopeError } from '../../src/index.js';
import { tempDir } from './helpers.js';
import { writeImzml } from './imzml-writer.js';
import type { DataType } from './imzml-writer.js';

// 2×2 raster with pixel (2,2) missing. m/z axis 6.9, 7.0, 7.016, 7.1, 28.
const MZ = [6.9, 7.0, 7.016, 7.1, 28];
const SPECTRA = [
  { x: 1, y: 1, mz: MZ, intensity: [1, 2, 3, 4, 5] },
  { x: 2, y: 1, mz: MZ, intensity: [0, 0, 7, 0, 1] },
  { x: 1, y: 2, mz: MZ, intensity: [10, 0, 0, 20, 30] },
];

for (const [mode, mzType, intensityType, zlib] of [
  ['continuous', 'float64', 'int32', false],
  ['processed', 'float32', 'int64', true],
  ['continuous', 'float32', 'float64', true],
  ['processed', 'float64', 'float32', false],
] as const) {
  test(`imzML ${mode}, m/z ${mzType}, intensity ${intensityType}${zlib ? ', zlib' : ''}: ion image, TIC, Li+ default window`, async () => {
    const dir = tempDir();
    const { xml } = writeImzml(join(dir, 'w'), { mode, spectra: SPECTRA, mzType: mzType as DataType, intensityType: intensityType as DataType, zlib, pixelSizeUm: 2.5, sha1: true });
    const ds = await readSimsFile(xml);
    assert.deepEqual([ds.width, ds.height], [2, 2]);
    assert.equal(ds.pixelSize?.value, 2.5);
    assert.ok(ds.assumptions.some((a) => /1 pixels have no spectrum/.test(a)));
    // Window [6.95, 7.05] inclusive holds 7.0 and 7.016: hand sums 2+3, 0+7, 0+0, (missing) 0.
    assert.deepEqual(Array.from((await ds.extractMz!(6.95, 7.05)).data), [5, 7, 0, 0]);
    // Inclusive bounds: [7.0, 7.1] holds 7.0, 7.016 and 7.1 (exact in float64; float32 rounds 7.1 up, so use 7.1 + 1e-6).
    assert.deepEqual(Array.from((await ds.extractMz!(Math.fround(7.0), 7.1 + 1e-6)).data), [9, 7, 20, 0]);
    assert.deepEqual(Array.from((await ds.channels[0]!.load()).data), [15, 8, 60, 0]);
    const r = await analyzeSimsMap(xml);
    assert.equal(r.channel.selectedBy, 'default Li channel: m/z 7.016 ± 0.05 u window (inclusive)');
    assert.equal(r.totalCounts, 12);
    assert.equal(r.ticRatio?.value, 12 / 83);
    assert.equal(r.areaUm2, 25);
  });
}

test('imzML XML in Latin-1 with non-ASCII contact names parses (and UTF-8 would not be assumed)', async () => {
  const dir = tempDir();
  const { xml } = writeImzml(join(dir, 'latin'), { mode: 'continuous', spectra: SPECTRA });
  const ds = await readSimsFile(xml);
  assert.equal(ds.meta.encoding, 'iso-8859-1');
  assert.equal(ds.meta.spectra, 3);
});

test('imzML corrupt: UUID mismatch, offsets past the .ibd end, truncated .ibd, missing .ibd, bad SHA-1', async () => {
  const dir = tempDir();
  const check = async (file: string, re: RegExp, names: string) =>
    assert.rejects(readSimsFile(file).then((d) => d.channels[0]!.load()), (e: Error) => {
      assert.ok(e instanceof VoidscopeError, String(e));
      assert.match(e.message, re);
      assert.ok(e.message.includes(names), `message names ${names}: ${e.message}`);
      return true;
    });
  const a = writeImzml(join(dir, 'uuid'), { mode: 'processed', spectra: SPECTRA, xmlUuid: '00112233445566778899aabbccddeeff' });
  await check(a.xml, /UUID mismatch: the \.ibd starts with [0-9a-f]{32} but uuid\.imzML declares IMS:1000080 = 00112233445566778899aabbccddeeff/, a.ibd);
  const b = writeImzml(join(dir, 'offset'), { mode: 'processed', spectra: SPECTRA, offsetShift: 1000 });
  await check(b.xml, /spectrum 0 intensity array at offset \d+ \+ 20 bytes runs past the end of the \.ibd \(\d+ bytes\)/, b.ibd);
  const c = writeImzml(join(dir, 'trunc'), { mode: 'continuous', spectra: SPECTRA });
  truncateSync(c.ibd, 30);
  await check(c.xml, /runs past the end of the \.ibd \(30 bytes\)/, c.ibd);
  const d = writeImzml(join(dir, 'noibd'), { mode: 'continuous', spectra: SPECTRA });
  rmSync(d.ibd);
  await check(d.xml, /no binary file "noibd\.ibd" next to the imzML/, d.xml);
  const e = writeImzml(join(dir, 'sha'), { mode: 'continuous', spectra: SPECTRA, sha1: true });
  appendFileSync(e.ibd, Buffer.from([0]));
  await check(e.xml, /SHA1 of the \.ibd is [0-9a-f]{40}, the imzML declares/, e.ibd);
  const f = join(dir, 'broken.imzML');
  writeFileSync(f, '<?xml version="1.0"?><mzML xmlns="http://psi.hupo.org/ms/mzml"><cvList><cv id="IMS"/></cvList><fileDescription><fileContent/></fileDescription></mzML>');
  writeFileSync(join(dir, 'broken.ibd'), Buffer.alloc(16));
  await check(f, /no IMS:1000080 universally unique identifier/, f);
});
