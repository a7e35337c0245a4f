/**
 * The recommendation rule: highest retention among binder contents whose rate
 * capability is within the margin of the best; "cannot decide" when the data
 * are missing or the top two are statistically tied. Inputs are chosen so the
 * expected answer follows by inspection (written next to each case).
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { recommend } from '../../src/pipeline/recommend.js';
import { DEFAULT_RULE } from '../../src/pipeline/study.js';
import type { EcMetric } from '../../src/pipeline/electrochem.js';

function metric(key: string, value: number, sd: number | null = null, n = 1): EcMetric {
  return { key, label: key, unit: '%', value, sd, n, source: null, from: [], origin: 'table' };
}
function binder(b: number, retention: number | null, rate: number | null, sd: number | null = null, n = 1) {
  const metrics: Record<string, EcMetric> = {};
  if (retention !== null) metrics.retention_150 = metric('retention_150', retention, sd, n);
  if (rate !== null) metrics.rate_capability_5C = metric('rate_capability_5C', rate, sd, n);
  return { binderWtPct: b, metrics };
}

test('the bundled design: 1.5 wt % (2.0 and 2.5 retain more but are outside the rate margin)', () => {
  // Rate capability best 82.0 (0.5); margin 5 → ≥ 77.0: 0.5, 1.0, 1.5 eligible; best retention among them: 1.5 (88.9).
  const r = recommend(
    'cathode',
    [binder(0.5, 78.2, 82.0, 0.3, 2), binder(1.0, 83.6, 81.1, 0.3, 2), binder(1.5, 88.9, 79.4, 0.3, 2), binder(2.0, 89.7, 72.5, 0.3, 2), binder(2.5, 90.2, 66.5, 0.3, 2)],
    DEFAULT_RULE,
  );
  assert.equal(r.decided, true);
  assert.equal(r.bestBinderWtPct, 1.5);
  assert.deepEqual(r.candidates.map((c) => c.eligible), [true, true, true, false, false]);
  assert.match(r.reasons[0]!, /^1\.5 wt % has the highest capacity retention after 150 cycles among them: 88\.9 ± 0\.3 % \(n = 2 rows\), ahead of 1\.0 wt %/);
  assert.ok(r.reasons.some((x) => /Excluded .*2\.0 wt % \(72\.5 %, retention 89\.7 %\), 2\.5 wt % \(66\.5 %, retention 90\.2 %\) — higher retention, but too slow/.test(x)));
});

test('a wider margin lets the highest retention win', () => {
  const r = recommend('cathode', [binder(0.5, 78.2, 82.0), binder(1.5, 88.9, 79.4), binder(2.5, 90.2, 66.5)], { ...DEFAULT_RULE, marginPp: 20 });
  assert.equal(r.bestBinderWtPct, 2.5);
});

test('rate capability computed from capacities at the two C-rates when not given', () => {
  const mk = (b: number, ret: number, c01: number, c5: number) => ({
    binderWtPct: b,
    metrics: { retention_150: metric('retention_150', ret), 'capacity_0.1C': metric('capacity_0.1C', c01), capacity_5C: metric('capacity_5C', c5) },
  });
  // 0.5: 160/200 = 80 %; 1.5: 150/200 = 75 % (within 5 of 80); 2.5: 120/200 = 60 % (out)
  const r = recommend('anode', [mk(0.5, 70, 200, 160), mk(1.5, 80, 200, 150), mk(2.5, 85, 200, 120)], DEFAULT_RULE);
  assert.equal(r.bestBinderWtPct, 1.5);
  assert.equal(r.candidates[1]!.rateCapability!.value, 75);
  assert.match(r.candidates[1]!.rateCapability!.how, /capacity at 5 C ÷ capacity at 0\.1 C/);
});

test('cannot decide: statistically tied retentions (Welch interval of the difference includes 0)', () => {
  // 88.9 ± 1.0 vs 88.5 ± 1.0, n = 2 each: se = 1, df = 2, t = 4.30 → interval −3.9 … 4.7 includes 0.
  const r = recommend('cathode', [binder(1.0, 88.5, 80, 1.0, 2), binder(1.5, 88.9, 80, 1.0, 2)], DEFAULT_RULE);
  assert.equal(r.decided, false);
  assert.equal(r.bestBinderWtPct, null);
  assert.match(r.reasons[0]!, /^Cannot decide between 1\.5 wt % \(retention 88\.9 ± 1\.0 % \(n = 2 rows\)\) and 1\.0 wt % .*includes 0/);
});

test('cannot decide: no spread known and the difference is below the tie tolerance', () => {
  const r = recommend('cathode', [binder(1.0, 88.6, 80), binder(1.5, 88.9, 80)], DEFAULT_RULE);
  assert.equal(r.decided, false);
  assert.match(r.reasons[0]!, /below the tie tolerance of 0\.5 points/);
  const r2 = recommend('cathode', [binder(1.0, 87.0, 80), binder(1.5, 88.9, 80)], DEFAULT_RULE);
  assert.equal(r2.bestBinderWtPct, 1.5, '1.9 points apart: decided');
});

test('cannot decide: missing data', () => {
  const r = recommend('anode', [binder(0.5, 80, null), binder(1.5, null, 70), binder(2.5, 85, 70)], DEFAULT_RULE);
  assert.equal(r.decided, false);
  assert.match(r.reasons[0]!, /at least two binder contents; 1 has both \(no retention after 150 cycles or rate capability for 0\.5 wt %, 1\.5 wt %\)/);
  const none = recommend('anode', [], DEFAULT_RULE);
  assert.equal(none.decided, false);
});

test('only one binder content within the margin', () => {
  const r = recommend('cathode', [binder(0.5, 70, 90), binder(2.5, 95, 60)], DEFAULT_RULE);
  assert.equal(r.bestBinderWtPct, 0.5);
  assert.match(r.reasons[0]!, /only binder content whose rate capability is within the margin/);
});

test('the data cannot separate two retentions: said even when the rate margin decides (1.5 and 2.0 wt % both 89.5 %)', () => {
  // The former bundled cathode: 1.5 and 2.0 wt % both retain 89.5 % (sd 0.4 / 0.1, n = 2): Welch interval includes 0.
  const r = recommend(
    'cathode',
    [binder(0.5, 78.4, 81.1, 0.3, 2), binder(1.0, 83.2, 80.6, 0.4, 2), { binderWtPct: 1.5, metrics: { retention_150: metric('retention_150', 89.5, 0.4, 2), rate_capability_5C: metric('rate_capability_5C', 78.6, 0.3, 2) } }, { binderWtPct: 2.0, metrics: { retention_150: metric('retention_150', 89.5, 0.1, 2), rate_capability_5C: metric('rate_capability_5C', 71.9, 0.3, 2) } }],
    DEFAULT_RULE,
  );
  assert.equal(r.bestBinderWtPct, 1.5);
  assert.deepEqual(r.inseparable!.map((x) => [x.a, x.b]), [[1.5, 2.0]]);
  assert.ok(r.reasons.some((x) => /cannot separate the retentions of 1\.5 wt % .* and 2\.0 wt % .*includes 0; only the rate-capability criterion tells them apart/.test(x)), r.reasons.join('\n'));
});

test('robustness: margins, rate pairs and retention cycles that change the answer are named', () => {
  // Retention rises with binder; rate capability (5 C / 0.1 C) falls. Margin 5 → 1.5; margin 10 (double) admits
  // 2.0 (72.5 ≥ 82 − 10) → 2.0; no rate criterion → 2.5. Margins 0 and 2.5 → 0.5 / 1.0 (best rate 82.0, 81.1 within 2.5).
  const r = recommend('cathode', [binder(0.5, 78.2, 82.0), binder(1.0, 83.6, 81.1), binder(1.5, 88.9, 79.4), binder(2.0, 89.7, 72.5), binder(2.5, 90.2, 66.5)], DEFAULT_RULE);
  assert.equal(r.bestBinderWtPct, 1.5);
  const v = Object.fromEntries(r.robustness!.variations.map((x) => [x.setting, x.bestBinderWtPct]));
  assert.deepEqual(v, { '0 pp': 0.5, '2.5 pp': 1.0, '10 pp': 2.0, 'no rate criterion': 2.5 });
  assert.equal(r.robustness!.stable, false);
  assert.match(r.reasons.at(-1)!, /^Robustness: the answer depends on the choices — margin 0 pp → 0\.5 wt %; margin 2\.5 pp → 1\.0 wt %; margin 10 pp → 2\.0 wt %; margin no rate criterion → 2\.5 wt %/);
});

test('robustness: one content best in both retention and rate capability is stable under every variation', () => {
  const m = (b: number, ret: number, ret50: number, c01: number, c05: number, c1: number) => ({
    binderWtPct: b,
    metrics: {
      retention_150: metric('retention_150', ret, 0.2, 3),
      retention_50: metric('retention_50', ret50, 0.2, 3),
      'capacity_0.1C': { ...metric('capacity_0.1C', c01, 1, 3), unit: 'mAh g⁻¹' },
      'capacity_0.5C': { ...metric('capacity_0.5C', c05, 1, 3), unit: 'mAh g⁻¹' },
      'capacity_1C': { ...metric('capacity_1C', c1, 1, 3), unit: 'mAh g⁻¹' },
    },
  });
  const rule = { ...DEFAULT_RULE, highRate: 1, lowRate: 0.1 };
  const r = recommend('cathode', [m(0.5, 79, 93, 194, 150, 122), m(1.5, 89.5, 96.5, 193, 165, 154), m(2.5, 84, 94.7, 191, 155, 135)], rule);
  assert.equal(r.bestBinderWtPct, 1.5);
  assert.equal(r.robustness!.stable, true);
  // Margins 0, 2.5, 10, none; rate pairs 0.5/0.1 and 1/0.5 (1/0.1 is the rule's); retention after 50 cycles.
  assert.deepEqual(r.robustness!.variations.map((x) => x.setting), ['0 pp', '2.5 pp', '10 pp', 'no rate criterion', '0.5 C / 0.1 C', '1 C / 0.5 C', 'after 50 cycles']);
  assert.match(r.robustness!.text, /^Robustness: the same answer \(1\.5 wt %\) under all 7 variations tried/);
});

test('robustness: another rate pair is computed from the capacities, not from the stored rule-pair rate capability', () => {
  // Stored rate_capability_1C is 1 C / 0.1 C. For the pair 1 C / 0.5 C the capacities give: 0.5 wt % 120/150 = 80 %,
  // 1.5 wt % 150/160 = 93.75 %, so with margin 5 only 1.5 is eligible → 1.5 (the stored values would pick 0.5).
  const b = (w: number, ret: number, rc1: number, c01: number, c05: number, c1: number) => ({
    binderWtPct: w,
    metrics: {
      retention_150: metric('retention_150', ret),
      rate_capability_1C: metric('rate_capability_1C', rc1),
      'capacity_0.1C': { ...metric('capacity_0.1C', c01), unit: 'mAh g⁻¹' },
      'capacity_0.5C': { ...metric('capacity_0.5C', c05), unit: 'mAh g⁻¹' },
      capacity_1C: { ...metric('capacity_1C', c1), unit: 'mAh g⁻¹' },
    },
  });
  const r = recommend('cathode', [b(0.5, 90, 80, 150, 150, 120), b(1.5, 85, 70, 214, 160, 150)], { ...DEFAULT_RULE, highRate: 1, lowRate: 0.1 });
  assert.equal(r.bestBinderWtPct, 0.5);
  const v = r.robustness!.variations.find((x) => x.setting === '1 C / 0.5 C')!;
  assert.equal(v.bestBinderWtPct, 1.5);
});
