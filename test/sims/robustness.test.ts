/**
 * Issue 12: SIMS inputs end in a VoidscopeError with bounded memory (imzML inflate cap, pixel
 * limit), BIF6 with many intervals is read through one handle with a bounded message, a map whose
 * m/z range misses the Li⁺ window says so, and an unlabelled single channel is not assumed to be Li⁺.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { analyzeSimsMap, readSimsFile, VoidscopeError } from '../../src/index.js';
import { encodeBif6 } from '../../src/sims/readers/bif6.js';
import { IMZML_MAX_PIXELS } from '../../src/sims/readers/imzml.js';
import { writeImzml } from './imzml-writer.js';
import { tempDir } from './helpers.js';

const dir = tempDir('voidscope-sims-robust-');
const isCode = (code: string, re?: RegExp) => (e: unknown) => {
  assert.ok(e instanceof VoidscopeError, String(e));
  assert.equal(e.code, code, e.message);
  if (re) assert.match(e.message, re);
  return true;
};

test('imzML: a zlib array that inflates past its declared length is ECORRUPT without inflating it', async () => {
  const base = join(dir, 'bomb');
  const { xml, ibd } = writeImzml(base, { mode: 'processed', zlib: true, spectra: [{ x: 1, y: 1, mz: [7, 8, 9], intensity: [1, 2, 3] }] });
  // 256 MiB of zeros deflate to ~256 KB; the XML still declares 3 float32 values.
  const bomb = deflateSync(Buffer.alloc(256 << 20));
  const old = readFileSync(ibd);
  writeFileSync(ibd, Buffer.concat([old, bomb]));
  let k = 0;
  const text = readFileSync(xml, 'latin1')
    .replace(/(IMS:1000102" name="external offset" value=")(\d+)/g, (m, a: string) => (++k === 2 ? `${a}${old.length}` : m))
    .replace(/(IMS:1000104" name="external encoded length" value=")(\d+)/g, (m, a: string) => (k++ === 3 ? `${a}${bomb.length}` : m));
  writeFileSync(xml, text, 'latin1');
  const before = process.memoryUsage().arrayBuffers;
  await assert.rejects(analyzeSimsMap(xml, { channel: 'mz:8' }), isCode('ECORRUPT', /inflates to more than the declared 3 × 4 bytes/));
  assert.ok(process.memoryUsage().arrayBuffers - before < 64 << 20, 'no large buffer was allocated');
});

test('imzML: a declared array length no zlib stream can hold, and a raster over the pixel limit, are refused at parse time', async () => {
  const base = join(dir, 'big');
  const { xml } = writeImzml(base, { mode: 'processed', zlib: true, spectra: [{ x: 1, y: 1, mz: [7, 8, 9], intensity: [1, 2, 3] }] });
  const text = readFileSync(xml, 'latin1').replace(/(IMS:1000103" name="external array length" value=")3"/g, '$11000000000"');
  writeFileSync(xml, text, 'latin1');
  await assert.rejects(readSimsFile(xml), isCode('ECORRUPT', /declares 1000000000 values, more than \d+ zlib bytes can hold/));
  const far = join(dir, 'far');
  writeImzml(far, { mode: 'processed', spectra: [{ x: 16384, y: 16384, mz: [7], intensity: [1] }] });
  assert.ok(16384 * 16384 > IMZML_MAX_PIXELS);
  await assert.rejects(readSimsFile(`${far}.imzML`), isCode('ETOOLARGE', /16384×16384 raster/));
});

test('imzML whose spectra do not reach the Li⁺ window says so instead of reporting 0 counts', async () => {
  const base = join(dir, 'k-only');
  writeImzml(base, {
    mode: 'continuous',
    spectra: [
      { x: 1, y: 1, mz: [38.96, 39.0, 40.0], intensity: [5, 1, 2] },
      { x: 2, y: 1, mz: [38.96, 39.0, 40.0], intensity: [3, 0, 1] },
    ],
  });
  await assert.rejects(analyzeSimsMap(`${base}.imzML`), isCode('EOPTION', /spectra cover m\/z 38\.960–40\.000, which does not contain the default Li⁺ window/));
  await assert.rejects(analyzeSimsMap(`${base}.imzML`, { channel: 'mz:100' }), isCode('EOPTION', /does not contain the window m\/z 100/));
  const k = await analyzeSimsMap(`${base}.imzML`, { channel: 'mz:38.96±0.01' });
  assert.equal(k.totalCounts, 8); // 5 + 3 at m/z 38.96, the values written above
});

test('an unlabelled single-channel map is not assumed to be Li⁺; selected by index it is analysed', async () => {
  const f = join(dir, 'counts.csv');
  writeFileSync(f, '1,2,3\n4,5,6\n');
  await assert.rejects(analyzeSimsMap(f), isCode('EOPTION', /single channel with no ion label or mass.*--channel index:0/));
  await assert.rejects(analyzeSimsMap(f, { channel: 'Li+' }), isCode('EOPTION', /cannot tell whether it is "Li\+"/));
  const r = await analyzeSimsMap(f, { channel: 'index:0' });
  assert.equal(r.totalCounts, 21);
});

test('BIF6 with 65,535 intervals: read through one handle; "no channel matches" lists a dozen channels, not all', async () => {
  const n = 65_535;
  const intervals = Array.from({ length: n }, (_, i) => ({ id: i + 1, masses: [100 + i, 100.5 + i, 101 + i] as [number, number, number], counts: Uint32Array.of(i % 7) }));
  const f = join(dir, 'many.bif6');
  writeFileSync(f, encodeBif6(1, 1, intervals));
  const ds = await readSimsFile(f);
  assert.equal(ds.channels.length, n);
  assert.equal((await ds.channels[n - 1]!.load()).data[0], (n - 1) % 7);
  await assert.rejects(analyzeSimsMap(f), (e: unknown) => {
    assert.ok(e instanceof VoidscopeError && e.code === 'EOPTION');
    assert.match(e.message, /… and 65523 more \(list them all with `voidscope sims --list`\)/);
    assert.ok(e.message.length < 2000, `${e.message.length} characters`);
    return true;
  });
});

test('SurfaceLab text whose header or one index implies more than 16 Mi pixels is ETOOLARGE (was allowed up to 64 Mi: ~0.6 GB for a 50-byte file)', async () => {
  const f = join(dir, 'M (2) - Li+.txt');
  writeFileSync(f, '# Image: 8192 x 8192 pixels\r\n0\t0\t5\r\n');
  await assert.rejects(analyzeSimsMap(f), isCode('ETOOLARGE', /8192×8192 raster, over the limit of 16 Mi pixels/));
  const g = join(dir, 'N (2) - Li+.txt');
  writeFileSync(g, '0\t0\t5\r\n5000\t5000\t1\r\n');
  await assert.rejects(analyzeSimsMap(g), isCode('ETOOLARGE', /5001×5001 raster, over the limit/));
});
