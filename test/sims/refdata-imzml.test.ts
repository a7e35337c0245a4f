/**
 * The two official imzML examples (refdata/sims, MANIFEST §1). Expected values are those asserted
 * by pyimzML tests/test_basic.py and CardinalIO tests/testthat/test-parseImzML.R (commits in the
 * MANIFEST), plus the [computed] ion image for m/z 153.0 ± 0.1 (we re-derived it with numpy from
 * the raw float32 arrays before trusting it: same 9 values).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ImzmlReader, analyzeSimsMap, listSimsChannels, readSimsFile } from '../../src/sims/index.js';
import { ref, refAbsent } from './helpers.js';

// CardinalIO test-parseImzML.R l. 112–121: TIC per spectrum in file order.
const TIC = [
  121.85039039868471, 182.31835420101888, 161.8091904482675, 200.9633277092539, 135.30584173158496, 108.39597418421639,
  127.84664447846832, 168.27018147522492, 243.5395066031077,
];
// MANIFEST [computed] (re-derived with numpy): rows y = 1..3, columns x = 1..3.
const ION_153 = [5.271596, 8.004502, 8.535088, 10.712085, 2.552969, 4.001499, 2.828057, 8.841025, 22.78919];

for (const mode of ['Continuous', 'Processed'] as const) {
  const file = ref(`Example_${mode}.imzML`);
  test(`imzML ${mode}: index (offsets, lengths, types, positions, UUID, pixel size)`, { skip: refAbsent }, async () => {
    const r = await ImzmlReader.open(file, { verifyChecksum: true });
    const ix = r.index;
    assert.equal(ix.mode, mode.toLowerCase());
    assert.equal(ix.spectra.length, 9); // pyimzML l. 46: 9 coordinates
    assert.equal(ix.referenceableParamGroups, 4); // pyimzML l. 83
    assert.equal(ix.polarity, 'negative'); // pyimzML l. 44
    assert.equal(ix.spectrumType, 'profile'); // pyimzML l. 45
    assert.equal(ix.maxCountX, 3); // CardinalIO l. 30
    assert.equal(ix.maxCountY, 3);
    assert.equal(ix.pixelSize?.value, 100); // pyimzML l. 96, CardinalIO l. 34
    assert.equal(ix.pixelSize?.unit, 'µm');
    assert.equal(ix.uuid, mode === 'Continuous' ? '554a27fa79d247669a2c862e6d78b1f3' : '9d501bdc53444916b7e97e795b02c856');
    assert.equal(r.checksumVerified, true); // IMS:1000091 SHA-1 matches (MANIFEST)
    assert.equal(ix.encoding, 'iso-8859-1');
    // CardinalIO l. 39–44: x = 1..3 fastest, then y = 1..3.
    assert.deepEqual(
      ix.spectra.map((s) => [s.x, s.y]),
      [1, 2, 3].flatMap((y) => [1, 2, 3].map((x) => [x, y])),
    );
    for (const [k, s] of ix.spectra.entries()) {
      assert.equal(s.mz.length, 8399);
      assert.equal(s.mz.encodedLength, 33596);
      assert.equal(s.mz.dataType, 'float32');
      assert.equal(s.intensity.dataType, 'float32');
      if (mode === 'Continuous') {
        assert.equal(s.mz.offset, 16); // CardinalIO l. 42–52
        assert.equal(s.intensity.offset, 33612 + 33596 * k);
      } else {
        assert.equal(s.mz.offset, 16 + 67192 * k); // CardinalIO l. 94–105
        assert.equal(s.intensity.offset, 33612 + 67192 * k);
      }
      assert.equal(s.statedTic, TIC[k]);
    }
  });

  test(`imzML ${mode}: spectrum 4 arrays and m/z values`, { skip: refAbsent }, async () => {
    const r = await ImzmlReader.open(file);
    const s = await r.spectrum(4);
    assert.equal(s.mz.length, 8399); // pyimzML l. 42–50
    assert.equal(s.intensity.length, 8399);
    assert.ok(s.mz.every((m) => m > 100 && m < 800)); // pyimzML l. 51–52
    assert.ok(s.intensity.every((v) => v >= 0 && v < 3)); // pyimzML l. 53–54
    // MANIFEST [computed]: m/z[0] = 100.083336, m/z[1] = 100.166664, m/z[4199] = 450.0, m/z[8398] = 799.9167 (float32).
    assert.equal(s.mz[0], Math.fround(100.083336));
    assert.equal(s.mz[1], Math.fround(100.166664));
    assert.equal(s.mz[4199], 450);
    assert.equal(s.mz[8398], Math.fround(799.9167));
  });

  test(`imzML ${mode}: TIC image equals the stated per-spectrum TIC; m/z 153.0 ± 0.1 ion image`, { skip: refAbsent }, async () => {
    const ds = await readSimsFile(file);
    assert.equal(ds.format, 'imzml');
    assert.equal(ds.width, 3);
    assert.equal(ds.height, 3);
    const tic = await ds.channels[0]!.load();
    // Sum of float32 intensities equals the CardinalIO TIC to ~1e-13 (MANIFEST).
    for (let k = 0; k < 9; k++) assert.ok(Math.abs(tic.data[k]! - TIC[k]!) < 1e-9, `TIC ${k}: ${tic.data[k]} vs ${TIC[k]}`);
    const ion = await ds.extractMz!(153.0 - 0.1, 153.0 + 0.1);
    for (let k = 0; k < 9; k++) assert.ok(Math.abs(ion.data[k]! - ION_153[k]!) < 5e-6, `pixel ${k}: ${ion.data[k]} vs ${ION_153[k]}`);
    let sum = 0;
    for (const v of ion.data) sum += v;
    assert.ok(Math.abs(sum - 73.536011) < 1e-5);
    assert.equal(ion.pixelSize?.value, 100);
  });

  test(`imzML ${mode}: analyzeSimsMap with --mz 153 --tol 0.1 uses the file's pixel size and TIC`, { skip: refAbsent }, async () => {
    const r = await analyzeSimsMap(file, { channel: { mz: 153, tol: 0.1 } });
    assert.ok(Math.abs(r.totalCounts - 73.536011) < 1e-5);
    assert.equal(r.pixels, 9);
    assert.equal(r.pixelSize?.value, 100);
    assert.equal(r.areaUm2, 90000);
    assert.equal(r.integerCounts, false);
    assert.ok(r.assumptions.some((a) => /not integer|indicative/.test(a)));
    assert.ok(r.ticRatio);
    assert.ok(Math.abs(r.ticRatio.totalIonCounts - 1450.2994112298) < 1e-6); // MANIFEST total
    assert.ok(Math.abs(r.ticRatio.value - 73.536011 / 1450.2994112298) < 1e-8);
  });
}

test('imzML: --list shows the TIC channel and that any m/z window can be extracted', { skip: refAbsent }, async () => {
  const l = await listSimsChannels(ref('Example_Continuous.imzML'));
  assert.equal(l.format, 'imzml');
  assert.equal(l.anyMzWindow, true);
  assert.deepEqual(l.channels.map((c) => c.kind), ['total']);
});

test('imzML: passing the .ibd instead of the .imzML is a clear error', { skip: refAbsent }, async () => {
  await assert.rejects(readSimsFile(ref('Example_Continuous.ibd')), (e: Error) => /pass the \.imzML/.test(e.message) && e.message.includes('Example_Continuous.ibd'));
});
