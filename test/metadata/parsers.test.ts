/**
 * The pure parsers on metadata text: encodings, numbers and units, each vendor's edge rules,
 * and a robustness sweep (mutated and random text never throws).
 * Expected values are worked out by hand in the comments.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  decodeFei34680,
  decodeText,
  parseCzSem,
  parseFeiMetadata,
  parseFibicsMetadata,
  parseHitachiMetadata,
  parseImageJMetadata,
  parseIni,
  parseJeolMetadata,
  parseOlympusSis,
  parseTescanMetadata,
  parseZeissMetadata,
} from '../../src/segmentation/metadata/index.js';
import { parseLengthUm, parseNumber } from '../../src/segmentation/metadata/text.js';
import { mulberry32 as rng } from '../../scripts/lib/random.js';

const dims = { width: 1024, height: 768 };

test('decodeText: UTF-16LE with and without BOM, UTF-16BE, UTF-8 BOM, Latin-1 fallback', () => {
  const s = '[SemImageFile]\r\nPixelSize=82.68229\r\n';
  assert.equal(decodeText(new Uint8Array(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(s, 'utf16le')]))), s);
  assert.equal(decodeText(new Uint8Array(Buffer.from(s, 'utf16le'))), s);
  const be = Buffer.from(s, 'utf16le').swap16();
  assert.equal(decodeText(new Uint8Array(Buffer.concat([Buffer.from([0xfe, 0xff]), be]))), s);
  assert.equal(decodeText(new Uint8Array(Buffer.from(`\ufeff${s}`, 'utf8'))), s);
  assert.equal(decodeText(Uint8Array.from([0x35, 0x20, 0xb5, 0x6d, 0, 0])), '5 µm'); // Latin-1 µ, NULs dropped
  assert.equal(decodeText(new Uint8Array(Buffer.from('タンポポ', 'utf8'))), 'タンポポ');
});

test('parseNumber is strict; parseLengthUm knows SEM length units', () => {
  assert.equal(parseNumber('133.00e-9'), 133e-9);
  assert.equal(parseNumber(' 2.614514e-006 '), 2.614514e-6);
  for (const bad of ['', 'notafloat', '1.5e-x', '12 nm', 'NaN', 'Infinity', '1,5']) assert.equal(parseNumber(bad), null, bad);
  assert.equal(parseLengthUm('5.965 µm'), 5.965);
  assert.equal(parseLengthUm('11.16 nm'), 0.01116);
  assert.equal(parseLengthUm('100um'), 100);
  assert.equal(parseLengthUm('2.677 mm'), 2677);
  assert.equal(parseLengthUm('7706.35 um'), 7706.35);
  assert.equal(parseLengthUm('4.474 \ufffdm'), 4.474); // Latin-1 µ decoded as UTF-8
  assert.equal(parseLengthUm('3 furlongs'), null);
});

test('parseIni: sections, first key wins, malformed lines reported with their line number', () => {
  const r = parseIni('[A]\r\nx=1\r\nx=2\r\njunk\r\n\r\n[B]\nk = v = w\n', 'T');
  assert.equal(r.sections.get('A')?.get('x'), '1');
  assert.equal(r.sections.get('B')?.get('k'), 'v = w');
  assert.deepEqual(r.warnings, ['T: malformed line 4 skipped: "junk"']);
});

test('Zeiss: tifffile-style header/entry split; display value fallbacks in order', () => {
  const cz = parseCzSem('0\r\n0\r\n0\r\n2.5e-008\r\n68\r\nAP_WD\r\nWD = 3.9 mm\r\nDP_X\r\nY :Z\r\n');
  assert.deepEqual(cz.header, [0, 0, 0, 2.5e-8, 68]);
  assert.equal(cz.entries.get('AP_WD')?.value, '3.9 mm');
  assert.equal(cz.entries.get('DP_X')?.value, 'Z');
  // header[3] missing → Image Pixel Size (rounded display value)
  const a = parseZeissMetadata('AP_IMAGE_PIXEL_SIZE\r\nImage Pixel Size = 12.33 nm\r\n', { width: 2048, height: 1536 });
  assert.equal(a.pixelSize?.value, 0.01233);
  assert.match(a.pixelSize!.source, /rounded display value/u);
  // → Width / image width: 5.965 µm / 512 px
  const b = parseZeissMetadata('AP_WIDTH\r\nWidth = 5.965 \ufffdm\r\n', { width: 512, height: 384 });
  assert.equal(b.pixelSize?.value, 5.965 / 512);
  // → Pixel Size only when the store resolution is the saved width
  const c = parseZeissMetadata('DP_IMAGE_STORE\r\nStore resolution = 1024 * 768\r\nAP_PIXEL_SIZE\r\nPixel Size = 2.615 \ufffdm\r\n', dims);
  assert.equal(c.pixelSize?.value, 2.615);
  const d = parseZeissMetadata('DP_IMAGE_STORE\r\nStore resolution = 2048 * 1536\r\nAP_PIXEL_SIZE\r\nPixel Size = 2.615 \ufffdm\r\n', dims);
  assert.equal(d.pixelSize, null);
  // header value disagreeing with Image Pixel Size beyond 4-digit rounding → warning
  const e = parseZeissMetadata('0\r\n0\r\n0\r\n1.0e-8\r\nAP_IMAGE_PIXEL_SIZE\r\nImage Pixel Size = 11.00 nm\r\n', dims);
  assert.equal(e.pixelSize?.value, 0.01);
  assert.ok(e.warnings.some((w) => /Image Pixel Size 11\.00 nm disagrees/u.test(w)));
});

test('FEI: [EScan] when [Scan] is absent; resampled image rescaled from ResolutionX; non-square pixels', () => {
  const a = parseFeiMetadata('[EScan]\r\nPixelWidth=1e-8\r\nPixelHeight=2e-8\r\n[Image]\r\nResolutionX=1024\r\nResolutionY=768\r\n', null, { width: 512, height: 400 });
  assert.equal(a.pixelSize?.value, 0.02); // 0.01 µm × 1024/512
  assert.equal(a.pixelSize?.valueY, 0.04);
  assert.equal(a.databar?.rows, 16); // 400 − 768 × 512/1024
  assert.ok(a.warnings.some((w) => /rescaled/u.test(w)));
  // The active beam section names where HFW comes from.
  const b = parseFeiMetadata('[Beam]\r\nBeam=EBeam\r\n[EBeam]\r\nHFW=0.001024\r\n[Image]\r\nResolutionX=1024\r\n', null, dims);
  assert.equal(b.pixelSize?.value, 1);
  assert.match(b.pixelSize!.source, /\[EBeam\] HFW/u);
  // Only XML (34683) present
  const c = parseFeiMetadata(null, '<Metadata><BinaryResult><PixelSize><X unit="m">5E-09</X></PixelSize></BinaryResult></Metadata>', dims);
  assert.equal(c.pixelSize?.value, 0.005);
  // A unit other than metres is not guessed at.
  const d = parseFeiMetadata(null, '<Metadata><BinaryResult><PixelSize><X unit="nm">5</X></PixelSize></BinaryResult></Metadata>', dims);
  assert.equal(d.pixelSize, null);
});

test('FEI tag 34680: base64 XML is recognised, INI passes through', () => {
  const xml = '\ufeff<?xml version="1.0"?><MementoItemCollection/>';
  assert.equal(decodeFei34680(Buffer.from(xml, 'utf8').toString('base64')).kind, 'xml');
  assert.equal(decodeFei34680('[User]\r\nDate=1\r\n').kind, 'ini');
  assert.equal(decodeFei34680('%%%').kind, 'unknown');
});

test('Hitachi: DataSize wider than the saved image rescales the pixel size', () => {
  const r = parseHitachiMetadata('[SemImageFile]\r\nDataSize=2560x1920\r\nPixelSize=50\r\n', { width: 1280, height: 1024 }, 'H');
  assert.equal(r.pixelSize?.value, 0.1); // 50 nm × 2560/1280
  assert.equal(r.databar?.rows, 64); // 1024 − 1920/2
});

test('JEOL: marker units nm/mm, missing full size, unusable bar', () => {
  const a = parseJeolMetadata('$$SM_MICRON_BAR 200\r\n$$SM_MICRON_MARKER 500nm\r\n$CM_FULL_SIZE 1280 960\r\n', { width: 1280, height: 960 }, 'J');
  assert.equal(a.pixelSize?.value, 0.0025);
  assert.equal(a.databar?.rows, 0);
  const b = parseJeolMetadata('$$SM_MICRON_BAR 100\r\n$$SM_MICRON_MARKER 1mm\r\n', { width: 640, height: 480 }, 'J');
  assert.equal(b.pixelSize?.value, 10);
  assert.ok(b.warnings.some((w) => /no \$CM_FULL_SIZE/u.test(w)));
  const c = parseJeolMetadata('$$SM_MICRON_BAR 0\r\n$$SM_MICRON_MARKER 10um\r\n', dims, 'J');
  assert.equal(c.pixelSize, null);
  assert.ok(c.warnings.some((w) => /unusable scale bar/u.test(w)));
});

test('Tescan: non-square pixels; ImageJ nm unit and anisotropic resolution', () => {
  const t = parseTescanMetadata('[MAIN]\r\nPixelSizeX=1e-8\r\nPixelSizeY=2e-8\r\n', dims, 'T');
  assert.equal(t.pixelSize?.value, 0.01);
  assert.equal(t.pixelSize?.valueY, 0.02);
  const ij = parseImageJMetadata('ImageJ=1.53t\nunit=nm\n', 0.5, 0.25);
  assert.equal(ij?.pixelSize?.value, 0.002); // 1 px = 2 nm
  assert.equal(ij?.pixelSize?.valueY, 0.004);
  assert.equal(parseImageJMetadata('not imagej', 1, 1), null);
  const pix = parseImageJMetadata('ImageJ=1.53t\nunit=pixel\n', 1, 1);
  assert.equal(pix?.pixelSize, null);
});

test('Fibics: broken XML is a warning, not a throw', () => {
  const r = parseFibicsMetadata('<Fibics><Scan><Ux>0.1</Ux>', dims);
  assert.equal(r.pixelSize, null);
  const s = parseFibicsMetadata('<Fibics><Scan><Ux>abc</Ux></Scan></Fibics>', dims);
  assert.equal(s.pixelSize, null);
  assert.ok(s.warnings.some((w) => /Ux/u.test(w)));
});

test('Olympus SIS: wrong magic or truncated block is a warning', async () => {
  const bytes = new Uint8Array(200);
  const read = async (o: number, n: number): Promise<Uint8Array> => bytes.subarray(o, o + n);
  const r = await parseOlympusSis(0, read);
  assert.equal(r.pixelSize, null);
  assert.ok(r.warnings.some((w) => /no SIS0/u.test(w)));
  bytes.set([0x53, 0x49, 0x53, 0x30]);
  new DataView(bytes.buffer).setInt16(58, 1, true);
  new DataView(bytes.buffer).setInt16(60, 1, true);
  new DataView(bytes.buffer).setUint32(64, 150, true); // block would run past the end
  const t = await parseOlympusSis(0, read);
  assert.equal(t.pixelSize, null);
  assert.ok(t.warnings.some((w) => /truncated/u.test(w)));
});

test('robustness: mutated and random metadata text never throws', () => {
  const samples = [
    '[Scan]\r\nPixelWidth=3.3724e-006\r\n[Image]\r\nResolutionX=512\r\nResolutionY=442\r\n[PrivateFei]\r\nDatabarHeight=29\r\n',
    '0\r\n0\r\n0\r\n2.614514e-006\r\nAP_PIXEL_SIZE\r\nPixel Size = 2.615 \ufffdm\r\nAP_MAG\r\nMag = 105 X\r\n',
    '[SemImageFile]\r\nDataSize=1280x960\r\nPixelSize=496.0938\r\nDate=2021/06/23\r\n',
    '$CM_FORMAT JEOL-SEM\r\n$$SM_MICRON_BAR 101\r\n$$SM_MICRON_MARKER 100um\r\n$CM_FULL_SIZE 1280 960\r\n',
    '[MAIN]\r\nPixelSizeX=133.00e-9\r\nDate=2020-10-31\r\n',
    '<Fibics><Scan><Ux>0.04</Ux><Vy>-0.04</Vy></Scan></Fibics>',
  ];
  const r = rng(7);
  const junk = '=[]<>$\r\n\u0000\ufffd-e.9x/ :';
  for (let k = 0; k < 400; k++) {
    const base = samples[k % samples.length]!;
    const chars = [...base];
    for (let m = 0; m < 1 + Math.floor(r() * 6); m++) {
      const i = Math.floor(r() * chars.length);
      const op = r();
      if (op < 0.4) chars[i] = junk[Math.floor(r() * junk.length)]!;
      else if (op < 0.7) chars.splice(i, 1 + Math.floor(r() * 10));
      else chars.splice(i, 0, String.fromCharCode(Math.floor(r() * 0x3000)));
    }
    const text = k % 50 === 49 ? Array.from({ length: 300 }, () => String.fromCharCode(Math.floor(r() * 256))).join('') : chars.join('');
    const d = { width: 1 + Math.floor(r() * 2048), height: 1 + Math.floor(r() * 2048) };
    for (const f of [
      () => parseFeiMetadata(text, text, d),
      () => parseZeissMetadata(text, d),
      () => parseHitachiMetadata(text, d, 'H'),
      () => parseJeolMetadata(text, d, 'J'),
      () => parseTescanMetadata(text, d, 'T'),
      () => parseFibicsMetadata(text, d),
      () => parseImageJMetadata(`ImageJ=1\n${text}`, r() * 10, null),
    ]) {
      const out = f();
      const p = out?.pixelSize;
      if (p) assert.ok(Number.isFinite(p.value), `non-finite pixel size from ${JSON.stringify(text.slice(0, 80))}`);
    }
  }
});

test('implausible values from metadata are dropped with a warning (pixel size in the wrong unit, huge bar)', async () => {
  const { readSemMetadata } = await import('../../src/segmentation/metadata/index.js');
  const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const tmp = mkdtempSync(join(tmpdir(), 'voidscope-meta-'));
  try {
    // A Tescan sidecar claiming 133 m per pixel (someone wrote nm as m) next to a PNG-less "image".
    writeFileSync(join(tmp, 'a.hdr'), '[MAIN]\r\nPixelSizeX=133\r\n');
    const raster = { width: 64, height: 64, bitDepth: 8 as const, sampleFormat: 'uint' as const, data: new Uint8Array(64 * 64), pixelSize: null };
    const image = { file: join(tmp, 'a.png'), format: 'png' as const, raster, pages: 1, page: 0, channels: 1, greyConversion: null };
    const m = await readSemMetadata(join(tmp, 'a.png'), image);
    assert.equal(m.pixelSize, null);
    assert.ok(m.warnings.some((w) => /outside the plausible/u.test(w)));
    // A JEOL sidecar whose full height leaves 40 of 64 rows as "bar".
    writeFileSync(join(tmp, 'b.txt'), '$CM_FORMAT JEOL-SEM\r\n$$SM_MICRON_BAR 10\r\n$$SM_MICRON_MARKER 1um\r\n$CM_FULL_SIZE 64 24\r\n');
    const n = await readSemMetadata(join(tmp, 'b.png'), { ...image, file: join(tmp, 'b.png') });
    assert.equal(n.pixelSize?.value, 0.1);
    assert.equal(n.databar, null);
    assert.ok(n.warnings.some((w) => /40-row data bar on a 64-row image: implausible/u.test(w)));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
