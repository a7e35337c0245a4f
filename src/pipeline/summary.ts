/**
 * The per-binder summary: SEM porosity per state with intervals, the cycled −
 * pristine increase (Welch), SIMS Li⁺ relative to a reference, electrochemistry,
 * and rank correlations across binder contents.
 */
import type { Electrode } from './labels.js';
import { formatBinder } from './labels.js';
import type { EcMetric, ExtraValue } from './electrochem.js';
import { metricInfo } from './electrochem.js';
import type { RecommendationRule } from './study.js';
import { spearman, summarize, tCritical, welch } from './stats.js';
import type { BinderSummary, Correlation, SemImage, SemStateSummary, SimsMap, Stat } from './types.js';

function stat(values: number[], unit: string): Stat {
  return { ...summarize(values), unit };
}

function mostCommon<T>(xs: T[]): T | null {
  const counts = new Map<T, number>();
  for (const x of xs) counts.set(x, (counts.get(x) ?? 0) + 1);
  let best: T | null = null;
  let n = 0;
  for (const [x, c] of counts) if (c > n) (best = x), (n = c);
  return best;
}

function semState(images: SemImage[], warnings: string[]): SemStateSummary | null {
  if (images.length === 0) return null;
  const units = images.map((i) => i.pores?.unit).filter((u): u is string => !!u);
  const unit = mostCommon(units) ?? 'px';
  const sameUnit = images.filter((i) => i.pores && i.pores.unit === unit);
  if (sameUnit.length < images.filter((i) => i.pores).length) {
    warnings.push(
      `pore sizes of ${images[0]!.label.electrode} ${formatBinder(images[0]!.label.binderWtPct)} wt % ${images[0]!.label.state}: mixed units (some images uncalibrated); only images in ${unit} are summarised`,
    );
  }
  const num = (xs: Array<number | null | undefined>): number[] => xs.filter((x): x is number => typeof x === 'number' && Number.isFinite(x));
  return {
    state: images[0]!.label.state,
    cycles: mostCommon(images.map((i) => i.label.cycles)),
    porosity: stat(num(images.map((i) => i.porosityPercent)), '%'),
    poreD50: stat(num(sameUnit.map((i) => i.pores!.d50)), unit),
    poreMeanEcd: stat(num(sameUnit.map((i) => i.pores!.meanEcd)), unit),
    poreCount: stat(num(images.map((i) => i.pores?.count)), 'pores per image'),
    files: images.map((i) => i.file),
  };
}

const key = (e: Electrode, b: number): string => `${e}|${b}`;

/** Relative Li⁺ of each SIMS map and group, against the reference binder content of its electrode. */
export function simsRelative(maps: SimsMap[], references: Map<Electrode, number>): void {
  for (const m of maps) {
    if (m.status !== 'ok' || m.meanCounts === null || m.relativeToReference) continue;
    const ref = references.get(m.label.electrode);
    if (ref === undefined) continue;
    const refMaps = maps.filter((x) => x.status === 'ok' && x.label.electrode === m.label.electrode && x.label.binderWtPct === ref && x.meanCounts !== null);
    if (refMaps.length === 0) continue;
    const refMean = refMaps.reduce((a, x) => a + x.meanCounts!, 0) / refMaps.length;
    if (!(refMean > 0)) continue;
    m.relativeToReference = {
      value: m.meanCounts / refMean,
      // The map's own Poisson interval of its mean, scaled by the reference mean (reference taken as exact).
      ci95: m.meanCountsCI95 ? [m.meanCountsCI95[0] / refMean, m.meanCountsCI95[1] / refMean] : null,
      reference: `mean of ${refMaps.length} map(s) at ${formatBinder(ref)} wt %`,
    };
  }
}

export function buildSummary(
  sem: SemImage[],
  sims: SimsMap[],
  ec: Map<string, { electrode: Electrode; binderWtPct: number; metrics: Record<string, EcMetric>; extra: Record<string, ExtraValue & { from: string }> }>,
  references: Map<Electrode, number>,
  warnings: string[],
): BinderSummary[] {
  const keys = new Map<string, { electrode: Electrode; binderWtPct: number }>();
  for (const x of [...sem, ...sims]) keys.set(key(x.label.electrode, x.label.binderWtPct), { electrode: x.label.electrode, binderWtPct: x.label.binderWtPct });
  for (const v of ec.values()) keys.set(key(v.electrode, v.binderWtPct), { electrode: v.electrode, binderWtPct: v.binderWtPct });
  const order: Record<Electrode, number> = { cathode: 0, anode: 1, 'full-cell': 2 };
  const list = [...keys.values()].sort((a, b) => order[a.electrode] - order[b.electrode] || a.binderWtPct - b.binderWtPct);
  return list.map(({ electrode, binderWtPct }) => {
    const semOk = sem.filter((s) => s.status === 'ok' && s.label.electrode === electrode && s.label.binderWtPct === binderWtPct);
    const pristine = semState(semOk.filter((s) => s.label.state === 'pristine'), warnings);
    const cycled = semState(semOk.filter((s) => s.label.state === 'cycled'), warnings);
    let increase: BinderSummary['sem']['increase'] = null;
    if (pristine && cycled && pristine.porosity.mean !== null && cycled.porosity.mean !== null) {
      const pv = semOk.filter((s) => s.label.state === 'pristine').map((s) => s.porosityPercent!);
      const cv = semOk.filter((s) => s.label.state === 'cycled').map((s) => s.porosityPercent!);
      const w = welch(pv, cv);
      increase = {
        value: cycled.porosity.mean - pristine.porosity.mean,
        unit: 'pp',
        ci95: w ? w.ci95 : null,
        df: w ? w.df : null,
      };
    }
    const mapsOk = sims.filter((s) => s.status === 'ok' && s.label.electrode === electrode && s.label.binderWtPct === binderWtPct);
    let simsSummary: BinderSummary['sims'] = null;
    if (mapsOk.length) {
      const means = mapsOk.map((m) => m.meanCounts).filter((x): x is number => x !== null);
      const meanStat = stat(means, 'counts per pixel');
      let relative: NonNullable<BinderSummary['sims']>['relative'] = null;
      const ref = references.get(electrode);
      if (ref !== undefined) {
        const refMeans = sims
          .filter((s) => s.status === 'ok' && s.label.electrode === electrode && s.label.binderWtPct === ref && s.meanCounts !== null)
          .map((s) => s.meanCounts!);
        const rs = summarize(refMeans);
        if (rs.mean && meanStat.mean !== null) {
          const lone = mapsOk.length === 1 && rs.n === 1 ? mapsOk[0]!.relativeToReference : null;
          const r = lone ? lone.value : meanStat.mean / rs.mean;
          let ci: [number, number] | null = null;
          let method = 'ratio of group means';
          if (meanStat.n >= 2 && rs.n >= 2 && meanStat.se !== null && rs.se !== null) {
            // Delta method on the ratio of two independent means, map-to-map spread, t with nA + nR − 2 df.
            const se = r * Math.sqrt((meanStat.se / meanStat.mean) ** 2 + (rs.se / rs.mean) ** 2);
            const df = meanStat.n + rs.n - 2;
            const t = tCritical(df);
            if (binderWtPct === ref) {
              // The reference against itself: 1 by definition; the interval shows the reference mean's own spread.
              ci = meanStat.ci95 ? [meanStat.ci95.low / rs.mean, meanStat.ci95.high / rs.mean] : null;
              method = `reference group: its own Student t interval (df = ${meanStat.n - 1}) over its mean`;
            } else {
              ci = [r - t * se, r + t * se];
              method = `ratio of group means; 95 % interval by the delta method from map-to-map spread, Student t df = ${df}`;
            }
          } else {
            const single = mapsOk.length === 1 ? mapsOk[0]!.relativeToReference : null;
            if (single?.ci95) {
              ci = single.ci95;
              method = `one map, against ${single.reference}`;
            } else {
              method = 'ratio of group means (too few maps for an interval)';
            }
          }
          relative = { value: r, unit: '1', ci95: ci, method, reference: ref };
        }
      }
      simsSummary = {
        meanCounts: meanStat,
        ticRatio: stat(mapsOk.map((m) => m.ticRatio).filter((x): x is number => x !== null), '1'),
        relative,
        hotspotFraction: stat(mapsOk.map((m) => m.hotspotFraction).filter((x): x is number => x !== null), '1'),
        files: mapsOk.map((m) => m.file),
      };
    }
    const e = ec.get(key(electrode, binderWtPct));
    return {
      electrode,
      binderWtPct,
      sem: { pristine, cycled, increase },
      sims: simsSummary,
      electrochem: e ? { metrics: e.metrics, extra: e.extra } : null,
    };
  });
}

type Getter = { key: string; label: string; unit: string; get: (s: BinderSummary) => number | null | undefined };

/** Rank correlations across binder contents, per electrode, for the relations the study asks about. */
export function buildCorrelations(summary: BinderSummary[], rule: RecommendationRule): Correlation[] {
  const ret = metricInfo.retention(rule.retentionCycle).key;
  const hiCap = metricInfo.capacityAt(rule.highRate).key;
  const binder: Getter = { key: 'binder', label: 'Binder content', unit: 'wt %', get: (s) => s.binderWtPct };
  const cycledPorosity: Getter = { key: 'cycled_porosity', label: 'Porosity after cycling', unit: '%', get: (s) => s.sem.cycled?.porosity.mean };
  const increase: Getter = { key: 'porosity_increase', label: 'Porosity increase on cycling', unit: 'pp', get: (s) => s.sem.increase?.value };
  const fade: Getter = {
    key: `capacity_fade_${rule.retentionCycle}`,
    label: `Capacity fade after ${rule.retentionCycle} cycles (100 − retention)`,
    unit: '%',
    get: (s) => {
      const m = s.electrochem?.metrics[ret];
      return m ? 100 - m.value : null;
    },
  };
  const li: Getter = { key: 'li_mean_counts', label: 'Residual Li⁺ (mean counts per pixel)', unit: 'counts per pixel', get: (s) => s.sims?.meanCounts.mean };
  const highRate: Getter = {
    key: hiCap,
    label: `Discharge capacity at ${rule.highRate} C`,
    unit: 'mAh g⁻¹',
    get: (s) => s.electrochem?.metrics[hiCap]?.value,
  };
  const pairs: Array<[Getter, Getter]> = [
    [binder, cycledPorosity],
    [increase, fade],
    [li, highRate],
    [binder, li],
  ];
  const out: Correlation[] = [];
  const electrodes = [...new Set(summary.map((s) => s.electrode))];
  for (const e of electrodes) {
    const rows = summary.filter((s) => s.electrode === e);
    for (const [x, y] of pairs) {
      const points = rows
        .map((s) => ({ binderWtPct: s.binderWtPct, x: x.get(s), y: y.get(s) }))
        .filter((p): p is { binderWtPct: number; x: number; y: number } => typeof p.x === 'number' && typeof p.y === 'number' && Number.isFinite(p.x) && Number.isFinite(p.y));
      if (points.length < 3) continue;
      out.push({
        electrode: e,
        x: { key: x.key, label: x.label, unit: x.unit },
        y: { key: y.key, label: y.label, unit: y.unit },
        points,
        spearman: spearman(points.map((p) => p.x), points.map((p) => p.y)),
      });
    }
  }
  return out;
}
