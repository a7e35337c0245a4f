/**
 * The report's tables (CSV, Markdown, HTML share them): units, provenance and what n counts.
 * Inputs are small hand-made StudyResults; expected texts are written out next to each case.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { channelText, simsRows } from '../../src/pipeline/report/tables.js';
import type { StudyResult } from '../../src/pipeline/types.js';

test('sims.csv: the channel column is text, not JSON', () => {
  // The object analyzeSimsMap returns for the bundled BIF6 maps (report.json of samples/).
  const ch = { label: null, id: 2, index: 1, mzRange: [6.99, 7.04], selectedBy: 'label "Li+" → interval containing m/z 7.016' };
  assert.equal(channelText(ch, { channel: 'Li+' }), 'Li+ (m/z 6.990–7.040, id 2)');
  assert.equal(channelText({ label: '7Li+', index: 3 }), '7Li+ (index 3)');
  assert.equal(channelText('Li+'), 'Li+');
  assert.equal(channelText(null), null);
  const r = { sims: [{ file: 'm.bif6', label: { electrode: 'anode', binderWtPct: 1, state: 'cycled', cycles: 15 }, status: 'ok', cached: false, channel: ch, options: { channel: 'Li+' } }] } as unknown as StudyResult;
  const row = simsRows(r)[0]!;
  assert.equal(row.channel, 'Li+ (m/z 6.990–7.040, id 2)');
  assert.doesNotMatch(String(row.channel), /[{}"]/);
});
