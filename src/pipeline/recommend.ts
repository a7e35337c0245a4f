/**
 * The recommendation: which binder content is best for an electrode, and why,
 * by the explicit rule of the study file (see RecommendationRule in study.ts).
 */
import { formatBinder } from './labels.js';
import type { Electrode } from './labels.js';
import type { EcMetric } from './electrochem.js';
import { metricInfo } from './electrochem.js';
import type { RecommendationRule } from './study.js';
import { welchFromStats, round } from './stats.js';

export interface RecommendationCandidate {
  binderWtPct: number;
  /** Capacity retention (%), mean over cells; null when unknown. */
  retention: { value: number; sd: number | null; n: number; unit: '%' } | null;
  /** Rate capability (%), capacity at highRate ÷ capacity at lowRate; null when unknown. */
  rateCapability: { value: number; sd: number | null; n: number; unit: '%'; how: string } | null;
  /** Rate capability within the margin of the best. */
  eligible: boolean;
}

export interface Recommendation {
  electrode: Electrode;
  rule: RecommendationRule;
  /** Plain-language statement of the rule applied. */
  ruleText: string;
  decided: boolean;
  /** The recommended binder content in wt %, or null when the data cannot decide. */
  bestBinderWtPct: number | null;
  /** Why (or why the data cannot decide), one sentence each. */
  reasons: string[];
  candidates: RecommendationCandidate[];
}

/** Rate capability for one binder content from its metrics, per the rule's C-rates. */
export function rateCapabilityOf(
  metrics: Record<string, EcMetric>,
  rule: RecommendationRule,
): RecommendationCandidate['rateCapability'] {
  const direct = metrics[metricInfo.rateCapability(rule.highRate, rule.lowRate).key];
  if (direct) return { value: direct.value, sd: direct.sd, n: direct.n, unit: '%', how: direct.label };
  const hi = metrics[metricInfo.capacityAt(rule.highRate).key];
  const lo = metrics[metricInfo.capacityAt(rule.lowRate).key];
  if (hi && lo && lo.value > 0 && hi.unit === lo.unit) {
    return { value: (hi.value / lo.value) * 100, sd: null, n: Math.min(hi.n, lo.n), unit: '%', how: `capacity at ${rule.highRate} C ÷ capacity at ${rule.lowRate} C (means)` };
  }
  const generic = metrics[metricInfo.rateCapability(null, null).key];
  if (generic) return { value: generic.value, sd: generic.sd, n: generic.n, unit: '%', how: 'rate capability column (C-rates as given in the table)' };
  return null;
}

const f1 = (x: number): string => x.toFixed(1);

function pm(x: { value: number; sd: number | null; n: number }): string {
  return x.sd !== null ? `${f1(x.value)} ± ${f1(x.sd)} % (n = ${x.n})` : `${f1(x.value)} %${x.n > 1 ? ` (n = ${x.n})` : ''}`;
}

/** Apply the rule to the binder contents of one electrode. */
export function recommend(
  electrode: Electrode,
  perBinder: Array<{ binderWtPct: number; metrics: Record<string, EcMetric> }>,
  rule: RecommendationRule,
): Recommendation {
  const retKey = metricInfo.retention(rule.retentionCycle).key;
  const candidates: RecommendationCandidate[] = perBinder
    .slice()
    .sort((a, b) => a.binderWtPct - b.binderWtPct)
    .map((b) => {
      const r = b.metrics[retKey];
      return {
        binderWtPct: b.binderWtPct,
        retention: r ? { value: r.value, sd: r.sd, n: r.n, unit: '%' as const } : null,
        rateCapability: rateCapabilityOf(b.metrics, rule),
        eligible: false,
      };
    });
  const ruleText =
    `highest capacity retention after ${rule.retentionCycle} cycles among binder contents whose rate capability ` +
    `(${rule.highRate} C / ${rule.lowRate} C) is within ${rule.marginPp} percentage points of the best`;
  const base = { electrode, rule, ruleText, candidates };
  const complete = candidates.filter((c) => c.retention && c.rateCapability);
  const missing = candidates.filter((c) => !c.retention || !c.rateCapability);
  const missingText = missing.length
    ? `no ${missing.some((c) => !c.retention) ? `retention after ${rule.retentionCycle} cycles` : ''}${missing.some((c) => !c.retention) && missing.some((c) => !c.rateCapability) ? ' or ' : ''}${missing.some((c) => !c.rateCapability) ? 'rate capability' : ''} for ${missing.map((c) => `${formatBinder(c.binderWtPct)} wt %`).join(', ')}`
    : '';
  if (complete.length < 2) {
    return {
      ...base,
      decided: false,
      bestBinderWtPct: null,
      reasons: [
        `Cannot decide: the rule needs capacity retention and rate capability for at least two binder contents; ${complete.length} ${complete.length === 1 ? 'has' : 'have'} both${missingText ? ` (${missingText})` : ''}.`,
      ],
    };
  }
  const bestRate = complete.reduce((m, c) => (c.rateCapability!.value > m ? c.rateCapability!.value : m), -Infinity);
  const bestRateOf = complete.find((c) => c.rateCapability!.value === bestRate)!;
  for (const c of complete) c.eligible = c.rateCapability!.value >= bestRate - rule.marginPp - 1e-9;
  const eligible = complete.filter((c) => c.eligible).sort((a, b) => b.retention!.value - a.retention!.value || a.binderWtPct - b.binderWtPct);
  const winner = eligible[0]!;
  const reasons: string[] = [];
  const bw = `${formatBinder(winner.binderWtPct)} wt %`;
  reasons.push(
    `Rate capability (${rule.highRate} C / ${rule.lowRate} C): best ${f1(bestRate)} % at ${formatBinder(bestRateOf.binderWtPct)} wt %; ` +
      `within ${rule.marginPp} percentage points (≥ ${f1(bestRate - rule.marginPp)} %): ${eligible
        .slice()
        .sort((a, b) => a.binderWtPct - b.binderWtPct)
        .map((c) => `${formatBinder(c.binderWtPct)} wt % (${f1(c.rateCapability!.value)} %)`)
        .join(', ')}.`,
  );
  const excluded = complete.filter((c) => !c.eligible);
  const betterButExcluded = excluded.filter((c) => c.retention!.value > winner.retention!.value);
  if (excluded.length) {
    reasons.push(
      `Excluded for rate capability more than ${rule.marginPp} points below the best: ${excluded
        .map((c) => `${formatBinder(c.binderWtPct)} wt % (${f1(c.rateCapability!.value)} %, retention ${f1(c.retention!.value)} %)`)
        .join(', ')}` + (betterButExcluded.length ? ' — higher retention, but too slow at high rate.' : '.'),
    );
  }
  if (missingText) reasons.push(`Not considered: ${missingText}.`);
  if (eligible.length === 1) {
    reasons.unshift(`${bw} is the only binder content whose rate capability is within the margin; its retention after ${rule.retentionCycle} cycles is ${pm(winner.retention!)}.`);
    return { ...base, decided: true, bestBinderWtPct: winner.binderWtPct, reasons };
  }
  const runner = eligible[1]!;
  const diff = winner.retention!.value - runner.retention!.value;
  const w = winner.retention!;
  const r = runner.retention!;
  let tie = false;
  let tieWhy = '';
  if (w.sd !== null && r.sd !== null && w.n >= 2 && r.n >= 2) {
    const wr = welchFromStats({ n: r.n, mean: r.value, sd: r.sd }, { n: w.n, mean: w.value, sd: w.sd });
    if (wr && wr.ci95.low <= 0) {
      tie = true;
      tieWhy = `the 95 % interval of the difference (${f1(wr.ci95.low)} to ${f1(wr.ci95.high)} points, Welch) includes 0`;
    } else if (wr) {
      tieWhy = `difference ${f1(diff)} points, 95 % interval ${f1(wr.ci95.low)} to ${f1(wr.ci95.high)} (Welch)`;
    }
  } else if (diff < rule.tiePp) {
    tie = true;
    tieWhy = `the difference (${round(diff, 2)} points) is below the tie tolerance of ${rule.tiePp} points and no cell-to-cell spread is available`;
  } else {
    tieWhy = `difference ${f1(diff)} points (no cell-to-cell spread available)`;
  }
  if (tie) {
    return {
      ...base,
      decided: false,
      bestBinderWtPct: null,
      reasons: [
        `Cannot decide between ${bw} (retention ${pm(w)}) and ${formatBinder(runner.binderWtPct)} wt % (retention ${pm(r)}): ${tieWhy}.`,
        ...reasons,
      ],
    };
  }
  reasons.unshift(
    `${bw} has the highest capacity retention after ${rule.retentionCycle} cycles among them: ${pm(w)}, ahead of ${formatBinder(runner.binderWtPct)} wt % (${pm(r)}; ${tieWhy}).`,
  );
  return { ...base, decided: true, bestBinderWtPct: winner.binderWtPct, reasons };
}
