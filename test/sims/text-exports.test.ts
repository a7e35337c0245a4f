/**
 * SurfaceLab image text export (`x y [z] counts`, FORMATS.md §3; no public sample, so written by
 * our own writer here) and plain count matrices (CSV/TSV/whitespace). Round trips and every kind
 * of bad input the issue lists.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeSimsMap, encodeSurfaceLabImageText, parseExportName, readSimsFile, VoidscopeError } from '../../src/index.js';
import { tempDir } from './helpers.js';

const W = 5;
const H = 4;
const li = Uint32Array.from({ length: W * H }, (_, i) => (i * 7) % 4);
const tot = Uint32Array.from({ length: W * H }, (_, i) => 50 + ((i * 13) % 9) + li[i]!);

test('export file names: measurement, channel id and label', () => {
  assert.deepEqual(parseExportName('/d/run 7_pos (2) - Li+.txt'), { measurement: 'run 7_pos', id: 2, label: 'Li+' });
  assert.deepEqual(parseExportName('x (0) - total.TXT'), { measurement: 'x', id: 0, label: 'total' });
  assert.equal(parseExportName('x - Li+.txt'), null);
});

test('image text round trip (2D, zero pixels omitted, size from header) and sibling total', async () => {
  const dir = tempDir();
  const header = ['# synthetic', `# Image Size: ${W} x ${H} pixels`];
  const liFile = join(dir, 'meas (2) - Li+.txt');
  const totFile = join(dir, 'meas (0) - total.txt');
  writeFileSync(liFile, encodeSurfaceLabImageText(W, H, li, { header, omitZeros: true }));
  writeFileSync(totFile, encodeSurfaceLabImageText(W, H, tot, { header }));
  const ds = await readSimsFile(liFile);
  assert.equal(ds.format, 'surfacelab-image-text');
  assert.deepEqual([ds.width, ds.height], [W, H]);
  assert.deepEqual([ds.channels[0]!.id, ds.channels[0]!.label, ds.channels[0]!.kind], [2, 'Li+', 'peak']);
  assert.deepEqual(Array.from((await ds.channels[0]!.load()).data), Array.from(li));
  const t = await readSimsFile(totFile);
  assert.equal(t.channels[0]!.kind, 'total');
  const r = await analyzeSimsMap(liFile, { fovUm: 10 });
  const sumLi = li.reduce((a, b) => a + b, 0);
  const sumTot = tot.reduce((a, b) => a + b, 0);
  assert.equal(r.totalCounts, sumLi);
  assert.equal(r.total?.file, totFile);
  assert.equal(r.ticRatio?.value, sumLi / sumTot);
  assert.equal(r.pixelSize?.value, 2); // 10 µm / 5 px
  assert.equal(r.areaUm2, 80);
});

test('image text 3D variant (x y z counts) is summed over z; no header → size from indices', async () => {
  const dir = tempDir();
  const f = join(dir, 'depth (3) - Li+.txt');
  writeFileSync(f, encodeSurfaceLabImageText(W, H, li, { z: 0 }) + encodeSurfaceLabImageText(W, H, li, { z: 1 }));
  const ds = await readSimsFile(f);
  assert.deepEqual(Array.from((await ds.channels[0]!.load()).data), Array.from(li, (v) => 2 * v));
  assert.ok(ds.assumptions.some((a) => /summed over 2 z plane/.test(a)));
  assert.ok(ds.assumptions.some((a) => /largest pixel indices/.test(a)));
});

test('text content is detected without the export file name (x y counts rows vs a matrix)', async () => {
  const dir = tempDir();
  const a = join(dir, 'unnamed.txt');
  writeFileSync(a, encodeSurfaceLabImageText(W, H, li, { eol: '\n' }));
  assert.equal((await readSimsFile(a)).format, 'surfacelab-image-text');
  const b = join(dir, 'matrix.txt');
  writeFileSync(b, '1 2 3 4 5\n6 7 8 9 10\n');
  assert.equal((await readSimsFile(b)).format, 'matrix-text');
});

test('count matrices: CSV (trailing comma), TSV and whitespace give the same raster', async () => {
  const dir = tempDir();
  const rows = [[0, 1, 2], [3, 4, 5]];
  const files = {
    'm.csv': rows.map((r) => r.join(',') + ',').join('\r\n'),
    'm.tsv': '# comment\n' + rows.map((r) => r.join('\t')).join('\n'),
    'm.txt': rows.map((r) => '  ' + r.join('   ')).join('\n') + '\n\n',
  };
  for (const [name, body] of Object.entries(files)) {
    writeFileSync(join(dir, name), body);
    const ds = await readSimsFile(join(dir, name));
    assert.equal(ds.format, 'matrix-text', name);
    const r = await ds.channels[0]!.load();
    assert.deepEqual([r.width, r.height, Array.from(r.data)], [3, 2, [0, 1, 2, 3, 4, 5]], name);
  }
});

test('bad text files: non-numeric cells, ragged rows, negative / NaN counts, duplicates — each names file and line', async () => {
  const dir = tempDir();
  const cases: [string, string, string, RegExp][] = [
    ['a (2) - Li+.txt', '0 0 1\n1 0 x\n', 'EPARSE', /line 2, column 3: "x" is not a number/],
    ['b (2) - Li+.txt', '0 0 1\n1 0 2 5 6\n', 'EPARSE', /line 2: ragged row with 5 columns/],
    ['c (2) - Li+.txt', '0 0 1\n1 0 -2\n', 'ECORRUPT', /line 2: negative count -2/],
    ['d (2) - Li+.txt', '0 0 1\n1 0 NaN\n', 'ECORRUPT', /line 2: count is NaN/],
    ['e (2) - Li+.txt', '0 0 1\n0 0 2\n', 'ECORRUPT', /pixel x=0, y=0 appears twice/],
    ['f (2) - Li+.txt', '0 0.5 1\n', 'EPARSE', /pixel index 0.5 is not a non-negative integer/],
    ['g (2) - Li+.txt', '# only a comment\n', 'EEMPTY', /no data rows/],
    ['m1.csv', '1,2,3\n4,5\n', 'EPARSE', /line 2: ragged row with 2 values, the first row has 3/],
    ['m2.csv', '1,2,3\n4,five,6\n', 'EPARSE', /line 2, column 2: "five" is not a number/],
    ['m3.csv', '1,2,3\n4,-5,6\n', 'ECORRUPT', /negative count -5 at line 2, column 2/],
    ['m4.csv', '1,2,3\n4,nan,6\n', 'ECORRUPT', /count is NaN .*line 2, column 2/],
    ['m5.tsv', '1\t2\n3\tinf\n', 'ECORRUPT', /count is Infinity/],
  ];
  for (const [name, body, code, re] of cases) {
    const f = join(dir, name);
    writeFileSync(f, body);
    await assert.rejects(readSimsFile(f), (e: Error) => {
      assert.ok(e instanceof VoidscopeError, `${name}: ${e}`);
      assert.equal(e.code, code, `${name}: ${e.message}`);
      assert.match(e.message, re, name);
      assert.ok(e.message.startsWith(f + ':'), `${name}: message names the file`);
      return true;
    });
  }
});
