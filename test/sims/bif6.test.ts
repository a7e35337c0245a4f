/**
 * BIF6: no public sample exists (MANIFEST §5), so files are written here by our own writer from
 * the published consensus layout (refdata/sims/FORMATS.md §1), read back, and corrupted.
 * The byte layout is also checked independently of the writer: a header built by hand below.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeBif6, listSimsChannels, readSimsFile, selectChannel, VoidscopeError } from '../../src/index.js';
import { tempDir } from './helpers.js';

const W = 4; // A (fast-varying) = x
const H = 3; // B = y
const total = Uint32Array.from({ length: W * H }, (_, i) => 100 + i);
const li = Uint32Array.from({ length: W * H }, (_, i) => i % 3);
const si = Uint32Array.from({ length: W * H }, (_, i) => 7 * i);

function sample(): Buffer {
  return encodeBif6(W, H, [
    { id: 0, masses: [0, 0, 0], counts: total },
    { id: 2, masses: [6.99, 7.016, 7.04], counts: li }, // tofsims order: lower, centre, upper
    { id: 5, masses: [27.977, 27.95, 28.0], counts: si }, // ReadBIF6 order: centre, lower, upper
  ]);
}

test('BIF6 writer follows the published layout byte for byte', () => {
  const b = sample();
  // Hand-built expectation: magic, N = 3, A = 4, B = 3; then id 0 and three float32 zeros.
  assert.equal(b.subarray(0, 12).toString('hex'), '000042494636' + '0300' + '0400' + '0300');
  assert.equal(b.length, 12 + 3 * (16 + 4 * W * H));
  const second = 12 + 16 + 4 * W * H;
  assert.equal(b.readUInt32LE(second), 2);
  assert.equal(b.readFloatLE(second + 8), Math.fround(7.016));
  assert.equal(b.readUInt32LE(second + 16 + 4 * 5), li[5]); // pixel 5 = x 1, y 1
});

test('BIF6 round trip: ids, sorted mass intervals, total = id 0, counts, axes', async () => {
  const dir = tempDir();
  const f = join(dir, 'map.bif6');
  writeFileSync(f, sample());
  const ds = await readSimsFile(f);
  assert.equal(ds.format, 'bif6');
  assert.equal(ds.width, W);
  assert.equal(ds.height, H);
  assert.deepEqual(ds.channels.map((c) => [c.id, c.kind]), [[0, 'total'], [2, 'peak'], [5, 'peak']]);
  assert.equal(ds.channels[0]!.mzRange, undefined);
  assert.deepEqual(ds.channels[1]!.mzRange, [6.99, 7.04]);
  assert.equal(ds.channels[1]!.mzCentre, 7.016);
  assert.deepEqual(ds.channels[2]!.mzRange, [27.95, 28]); // masses sorted whatever their stored order
  assert.equal(ds.channels[2]!.mzCentre, 27.977);
  assert.deepEqual(Array.from((await ds.channels[1]!.load()).data), Array.from(li));
  assert.deepEqual(Array.from((await ds.channels[2]!.load()).data), Array.from(si));
  assert.ok(ds.assumptions.some((a) => /first dimension .* x \(width\)/.test(a)));
  assert.ok(ds.assumptions.some((a) => /id 0 .* total-ion/.test(a)));
  // Selection by index, id, m/z (interval containing it) and label (Li → m/z 7.016 since BIF6 has no labels).
  assert.equal((await selectChannel(ds, { index: 2 })).id, 5);
  assert.equal((await selectChannel(ds, { id: 2 })).index, 1);
  assert.equal((await selectChannel(ds, { mz: 27.96 })).id, 5);
  assert.equal((await selectChannel(ds, { label: 'Li+' })).id, 2);
  assert.equal((await selectChannel(ds, { label: '7Li' })).id, 2);
  assert.equal((await selectChannel(ds)).id, 2);
  await assert.rejects(selectChannel(ds, { mz: 50 }), (e: Error) => e instanceof VoidscopeError && e.code === 'EOPTION' && /m\/z 50/.test(e.message) && e.message.includes('map.bif6'));
  await assert.rejects(selectChannel(ds, { id: 9 }), /no channel matches id 9/);
  const l = await listSimsChannels(f);
  assert.deepEqual(l.channels.map((c) => c.mzRange), [null, [6.99, 7.04], [27.95, 28]]);
});

test('BIF6 corrupted: wrong magic, size mismatch (truncated / extra bytes), empty header', async () => {
  const dir = tempDir();
  const good = sample();
  const cases: [string, Buffer, RegExp][] = [
    ['magic.bif6', Buffer.concat([Buffer.from('XXBIF6'), good.subarray(6)]), /not a BIF6 file: magic bytes are 585842494636/],
    ['short.bif6', good.subarray(0, good.length - 1), /size mismatch: .*needs 12 \+ 3·\(16 \+ 4·4·3\) = 204 bytes, but the file has 203 bytes \(truncated\?\)/],
    ['long.bif6', Buffer.concat([good, Buffer.alloc(4)]), /size mismatch: .* 208 bytes$/],
    ['zero.bif6', Buffer.from('000042494636000004000300', 'hex'), /declares 0 intervals/],
    ['tiny.bif6', Buffer.from('0000424946', 'hex'), /only 5 bytes/],
  ];
  for (const [name, bytes, re] of cases) {
    const f = join(dir, name);
    writeFileSync(f, bytes);
    await assert.rejects(readSimsFile(f), (e: Error) => {
      assert.ok(e instanceof VoidscopeError, `${name}: ${e}`);
      assert.equal(e.code, 'ECORRUPT');
      assert.match(e.message, re);
      assert.ok(e.message.includes(f), `${name}: message names the file`);
      return true;
    });
  }
  // An empty file is EEMPTY.
  const empty = join(dir, 'empty.bif6');
  writeFileSync(empty, '');
  await assert.rejects(readSimsFile(empty), (e: Error) => e instanceof VoidscopeError && e.code === 'EEMPTY');
  await assert.rejects(readSimsFile(join(dir, 'missing.bif6')), (e: Error) => e instanceof VoidscopeError && e.code === 'ENOENT');
});

test('BIF6 id 0 with a narrow peak window is a peak; an interval with masses > 5000 u is a total', async () => {
  const dir = tempDir();
  const f = join(dir, 'id0.bif6');
  writeFileSync(f, encodeBif6(W, H, [
    { id: 0, masses: [6.99, 7.016, 7.04], counts: li },
    { id: 1, masses: [9000, 9000, 9000], counts: total },
  ]));
  const ds = await readSimsFile(f);
  assert.deepEqual(ds.channels.map((c) => c.kind), ['peak', 'total']);
  assert.ok(ds.assumptions.some((a) => /has id 0 but a peak window 6\.99–7\.04 u/.test(a)));
  assert.equal((await selectChannel(ds)).index, 0);
});
