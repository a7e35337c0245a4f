/**
 * BMP decoding allocates width × height × 4 bytes before reading pixels: a 1 KB run-length BMP
 * declaring 20000 × 20000 pixels took 1.6 GB (found while checking issue 12's bounded-memory rule).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readImage, VoidscopeError } from '../../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'voidscope-bmp-'));

function bmpHeader(width: number, height: number, compression: number, dataBytes: number): Buffer {
  const offset = 54 + 1024; // 8-bit palette
  const b = Buffer.alloc(offset + dataBytes);
  b.write('BM', 0);
  b.writeUInt32LE(b.length, 2);
  b.writeUInt32LE(offset, 10);
  b.writeUInt32LE(40, 14);
  b.writeInt32LE(width, 18);
  b.writeInt32LE(height, 22);
  b.writeUInt16LE(1, 26);
  b.writeUInt16LE(8, 28);
  b.writeUInt32LE(compression, 30);
  b.writeUInt32LE(dataBytes, 34);
  b.writeUInt32LE(256, 46);
  return b;
}

test('a tiny run-length BMP declaring a huge image is ECORRUPT before any allocation', async () => {
  const f = join(dir, 'rle8-huge.bmp');
  writeFileSync(f, bmpHeader(20000, 20000, 1, 16));
  const before = process.memoryUsage().rss;
  await assert.rejects(readImage(f), (e: unknown) => e instanceof VoidscopeError && e.code === 'ECORRUPT' && /run-length data \(16 bytes\) is far too short for 20000×20000/.test(e.message));
  assert.ok(process.memoryUsage().rss - before < 256 << 20);
});

test('BMP with embedded JPEG/PNG compression is EUNSUPPORTED; bit-field BMP is checked for truncation', async () => {
  const jpeg = join(dir, 'jpeg-in-bmp.bmp');
  writeFileSync(jpeg, bmpHeader(4, 4, 4, 16));
  await assert.rejects(readImage(jpeg), (e: unknown) => e instanceof VoidscopeError && e.code === 'EUNSUPPORTED' && /embedded JPEG/.test(e.message));
  const bf = join(dir, 'bitfields-short.bmp');
  writeFileSync(bf, bmpHeader(1000, 1000, 3, 16));
  await assert.rejects(readImage(bf), (e: unknown) => e instanceof VoidscopeError && e.code === 'ECORRUPT' && /truncated/.test(e.message));
});
