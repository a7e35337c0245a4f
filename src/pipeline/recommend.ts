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
  retention: { value: number; sd: number | null; n: number; unit: '%'; counts?: 'cells' | 'rows' } | null;
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
  /**
   * Pairs of binder contents whose retentions the data cannot separate (Welch 95 % interval of the
   * difference includes 0; without cell-to-cell spread, a difference below the tie tolerance), involving
   * the winner or, when undecided, the top retention.
   */
  inseparable?: Array<{ a: number; b: number; why: string }>;
  /** Does the answer change with the margin, the rate pair or the retention cycle? */
  robustness?: Robustness;
}

export interface Robustness {
  /** True when every variation that can be evaluated gives the same answer as the rule. */
  stable: boolean;
  variations: Array<{ vary: 'margin' | 'rate pair' | 'retention cycle'; setting: string; bestBinderWtPct: number | null; decided: boolean }>;
  /** One sentence for the report. */
  text: string;
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

function pm(x: { value: number; sd: number | null; n: number; counts?: string }): string {
  const n = `n = ${x.n}${x.counts ? ` ${x.counts}` : ''}`;
  return x.sd !== null ? `${f1(x.value)} ± ${f1(x.sd)} % (${n})` : `${f1(x.value)} %${x.n > 1 ? ` (${n})` : ''}`;
}

/** Can the data separate two retentions? null when they can, else the reason they cannot. */
function inseparableWhy(a: { value: number; sd: number | null; n: number }, b: { value: number; sd: number | null; n: number }, tiePp: number): string | null {
  if (a.sd !== null && b.sd !== null && a.n >= 2 && b.n >= 2) {
    const w = welchFromStats({ n: b.n, mean: b.value, sd: b.sd }, { n: a.n, mean: a.value, sd: a.sd });
    if (w && w.ci95.low <= 0 && w.ci95.high >= 0) return `the 95 % interval of the difference (${f1(w.ci95.low)} to ${f1(w.ci95.high)} points, Welch) includes 0`;
    return null;
  }
  const d = Math.abs(a.value - b.value);
  if (d < tiePp) return `the difference (${round(d, 2)} points) is below the tie tolerance of ${tiePp} points and no cell-to-cell spread is available`;
  return null;
}

const fmtRate = (x: number): string => String(x);

/**
 * The rule re-run with other margins (none, half, double, no rate criterion), every rate pair the data
 * hold capacities for, and every retention cycle the data hold, against the rule's answer.
 */
export function robustnessOf(
  electrode: Electrode,
  perBinder: Array<{ binderWtPct: number; metrics: Record<string, EcMetric> }>,
  rule: RecommendationRule,
  answer: { decided: boolean; bestBinderWtPct: number | null },
): Robustness {
  const variations: Robustness['variations'] = [];
  // Other rate pairs are computed from the capacities at the two C-rates only: a stored rate capability
  // (rate_capability_<hi>C) is for the rule's pair or an unstated low rate, not for the pair being tried.
  const capacitiesOnly = perBinder.map((b) => ({ ...b, metrics: Object.fromEntries(Object.entries(b.metrics).filter(([k]) => !k.startsWith('rate_capability'))) }));
  const run = (vary: Robustness['variations'][number]['vary'], setting: string, r: RecommendationRule): void => {
    const x = recommend(electrode, vary === 'rate pair' ? capacitiesOnly : perBinder, r, { robustness: false });
    if (!x.decided && /needs capacity retention and rate capability/.test(x.reasons[0] ?? '')) return; // not evaluable
    variations.push({ vary, setting, bestBinderWtPct: x.bestBinderWtPct, decided: x.decided });
  };
  const margins = [...new Set([0, rule.marginPp / 2, rule.marginPp * 2])].filter((m) => m !== rule.marginPp);
  for (const m of margins) run('margin', `${round(m, 2)} pp`, { ...rule, marginPp: m });
  run('margin', 'no rate criterion', { ...rule, marginPp: Number.POSITIVE_INFINITY });
  const rates = new Set<number>();
  for (const b of perBinder) for (const k of Object.keys(b.metrics)) {
    const m = /^capacity_([\d.]+)C$/.exec(k);
    if (m) rates.add(Number(m[1]));
  }
  const sorted = [...rates].sort((a, b) => a - b);
  for (const lo of sorted) for (const hi of sorted) {
    if (hi <= lo || (hi === rule.highRate && lo === rule.lowRate)) continue;
    run('rate pair', `${fmtRate(hi)} C / ${fmtRate(lo)} C`, { ...rule, highRate: hi, lowRate: lo });
  }
  const cycles = new Set<number>();
  for (const b of perBinder) for (const k of Object.keys(b.metrics)) {
    const m = /^retention_(\d+)$/.exec(k);
    if (m && Number(m[1]) !== rule.retentionCycle) cycles.add(Number(m[1]));
  }
  for (const c of [...cycles].sort((a, b) => a - b)) run('retention cycle', `after ${c} cycles`, { ...rule, retentionCycle: c });
  const same = (v: { decided: boolean; bestBinderWtPct: number | null }): boolean => v.decided === answer.decided && v.bestBinderWtPct === answer.bestBinderWtPct;
  const differ = variations.filter((v) => !same(v));
  const said = (v: { decided: boolean; bestBinderWtPct: number | null }): string => (v.decided ? `${formatBinder(v.bestBinderWtPct!)} wt %` : 'cannot decide');
  const listOf = (vary: string): string => variations.filter((v) => v.vary === vary).map((v) => v.setting).join(', ');
  let text: string;
  if (variations.length === 0) text = 'Robustness: no other margin, rate pair or retention cycle can be evaluated with these data.';
  else if (differ.length === 0) {
    const parts = (['margin', 'rate pair', 'retention cycle'] as const).filter((v) => variations.some((x) => x.vary === v)).map((v) => `${v === 'margin' ? 'margins' : v === 'rate pair' ? 'rate pairs' : 'retention'} ${listOf(v)}`);
    text = `Robustness: the same answer (${said(answer)}) under all ${variations.length} variations tried — ${parts.join('; ')}.`;
  } else {
    text = `Robustness: the answer depends on the choices — ${differ.map((v) => `${v.vary} ${v.setting} → ${said(v)}`).join('; ')} (${variations.length - differ.length} of ${variations.length} variations agree with ${said(answer)}).`;
  }
  return { stable: differ.length === 0, variations, text };
}

/** Apply the rule to the binder contents of one electrode. */
export function recommend(
  electrode: Electrode,
  perBinder: Array<{ binderWtPct: number; metrics: Record<string, EcMetric> }>,
  rule: RecommendationRule,
  options: { robustness?: boolean } = {},
): Recommendation {
  const result = decide(electrode, perBinder, rule);
  if (options.robustness !== false && result.candidates.filter((c) => c.retention && c.rateCapability).length >= 2) {
    result.robustness = robustnessOf(electrode, perBinder, rule, result);
    result.reasons.push(result.robustness.text);
  }
  return result;
}

function decide(
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
        retention: r ? { value: r.value, sd: r.sd, n: r.n, unit: '%' as const, counts: r.origin === 'cycling' ? ('cells' as const) : ('rows' as const) } : null,
        rateCapability: rateCapabilityOf(b.metrics, rule),
        eligible: false,
      };
    });
  const ruleText = Number.isFinite(rule.marginPp)
    ? `highest capacity retention after ${rule.retentionCycle} cycles among binder contents whose rate capability ` +
      `(${rule.highRate} C / ${rule.lowRate} C) is within ${rule.marginPp} percentage points of the best`
    : `highest capacity retention after ${rule.retentionCycle} cycles (no rate-capability criterion)`;
  const base: Pick<Recommendation, 'electrode' | 'rule' | 'ruleText' | 'candidates' | 'inseparable'> = { electrode, rule, ruleText, candidates };
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
  let bestRate = -Infinity;
  for (const c of complete) bestRate = Math.max(bestRate, c.rateCapability!.value);
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
  // Which retentions the data cannot tell apart from the top eligible one (also among the excluded).
  const inseparable: NonNullable<Recommendation['inseparable']> = [];
  for (const c of complete) {
    if (c === winner) continue;
    const why = inseparableWhy(winner.retention!, c.retention!, rule.tiePp);
    if (why) inseparable.push({ a: winner.binderWtPct, b: c.binderWtPct, why });
  }
  for (const x of inseparable) {
    const other = complete.find((c) => c.binderWtPct === x.b)!;
    if (other.eligible) continue; // the tie among eligible contents is reported below
    reasons.push(
      `The data cannot separate the retentions of ${bw} (${pm(winner.retention!)}) and ${formatBinder(x.b)} wt % (${pm(other.retention!)}): ${x.why}; only the rate-capability criterion tells them apart.`,
    );
  }
  base.inseparable = inseparable;
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
