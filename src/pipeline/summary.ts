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
import { correlationCaveat, spearman, summarize, tCritical, welch } from './stats.js';
import type { BinderSummary, Correlation, GroupBand, SemImage, SemStateSummary, SimsMap, Stat } from './types.js';

function stat(values: number[], unit: string, counts: string): Stat {
  return { ...summarize(values), unit, counts };
}

function mostCommon<T>(xs: T[]): T | null {
  const counts = new Map<T, number>();
  for (const x of xs) counts.set(x, (counts.get(x) ?? 0) + 1);
  let best: T | null = null;
  let n = 0;
  for (const [x, c] of counts) if (c > n) (best = x), (n = c);
  return best;
}

/** One image's segmentation band in percent (result.confidence.band), or null where the segmenter gives none. */
export function imageBand(img: SemImage): { low: number; high: number; rule: string | null } | null {
  const b = img.confidence?.band;
  if (!b || !Number.isFinite(b.low) || !Number.isFinite(b.high)) return null;
  return { low: b.low * 100, high: b.high * 100, rule: b.rule ?? null };
}

/** The confidence level of one image's segmentation (result.confidence.level), or null. */
export function imageLevel(img: SemImage): 'high' | 'medium' | 'low' | null {
  return img.confidence?.level ?? null;
}

/**
 * Group band: the group mean with every image at its band low / band high (null ends when not every
 * image has a band), and the images per confidence level; null when no image has either.
 */
export function groupBand(images: SemImage[]): GroupBand | null {
  const bands = images.map(imageBand);
  const have = bands.filter((b): b is NonNullable<typeof b> => b !== null);
  const lv = images.map(imageLevel);
  if (have.length === 0 && lv.every((l) => l === null)) return null;
  const all = have.length === images.length;
  const out: GroupBand = {
    low: all ? have.reduce((a, b) => a + b.low, 0) / have.length : null,
    high: all ? have.reduce((a, b) => a + b.high, 0) / have.length : null,
    unit: '%',
    n: have.length,
    of: images.length,
    rules: [...new Set(have.map((b) => b.rule).filter((r): r is string => r !== null))],
  };
  if (lv.some((l) => l !== null)) out.levels = { high: lv.filter((l) => l === 'high').length, medium: lv.filter((l) => l === 'medium').length, low: lv.filter((l) => l === 'low').length };
  return out;
}

const groupName = (img: SemImage): string =>
  `${img.label.electrode} ${formatBinder(img.label.binderWtPct)} wt % ${img.label.state}${img.label.state === 'cycled' ? ` (${img.label.cycles ?? 'cycle count unknown'})` : ''}`;

function semState(images: SemImage[], warnings: string[]): SemStateSummary | null {
  if (images.length === 0) return null;
  const name = groupName(images[0]!);
  // Pore sizes: the calibrated unit when any image is calibrated; pixel values are never shown as µm.
  const withPores = images.filter((i) => i.pores);
  const units = [...new Set(withPores.map((i) => i.pores!.unit))];
  const unit = units.includes('µm') ? 'µm' : mostCommon(withPores.map((i) => i.pores!.unit)) ?? 'px';
  const sameUnit = withPores.filter((i) => i.pores!.unit === unit);
  const calibrated = images.filter((i) => i.pixelSize !== null).length;
  const sizes = images.map((i) => (i.pixelSize && i.pixelSize.unit === 'µm' ? i.pixelSize.value : null)).filter((x): x is number => x !== null && x > 0);
  let lo = Infinity;
  let hi = -Infinity;
  for (const x of sizes) (lo = Math.min(lo, x)), (hi = Math.max(hi, x));
  if (calibrated > 0 && calibrated < images.length) {
    warnings.push(
      `${name}: ${images.length - calibrated} of ${images.length} images are uncalibrated (no pixel size); pore sizes are summarised over the ${sameUnit.length} image(s) in ${unit} only — give pixelSize in the study file to include the others`,
    );
  } else if (units.length > 1) {
    warnings.push(`${name}: pore sizes come in ${units.join(' and ')}; only the images in ${unit} are summarised`);
  }
  if (sizes.length >= 2 && hi > 2 * lo) {
    warnings.push(`${name}: pixel sizes differ more than 2× (${lo} to ${hi} µm); porosity and pore sizes at such different resolutions are not comparable`);
  }
  const num = (xs: Array<number | null | undefined>): number[] => xs.filter((x): x is number => typeof x === 'number' && Number.isFinite(x));
  const cyc = [...new Set(images.map((i) => i.label.cycles))];
  return {
    state: images[0]!.label.state,
    cycles: cyc.length === 1 ? cyc[0]! : null,
    porosity: stat(num(images.map((i) => i.porosityPercent)), '%', 'images'),
    poreD50: stat(num(sameUnit.map((i) => i.pores!.d50)), unit, 'images'),
    poreMeanEcd: stat(num(sameUnit.map((i) => i.pores!.meanEcd)), unit, 'images'),
    poreCount: stat(num(images.map((i) => i.pores?.count)), 'pores per image', 'images'),
    files: images.map((i) => i.file),
    band: groupBand(images),
    calibration: { calibrated, uncalibrated: images.length - calibrated, pixelSizeUm: sizes.length ? [lo, hi] : null },
  };
}

/** The state × cycle-count groups of some images: pristine, then cycled by count (unknown last). Never pooled. */
function stateGroups(images: SemImage[]): SemImage[][] {
  const groups = new Map<string, SemImage[]>();
  for (const i of images) {
    const k = i.label.state === 'pristine' ? 'p' : `c${i.label.cycles ?? '?'}`;
    groups.set(k, [...(groups.get(k) ?? []), i]);
  }
  const rank = (g: SemImage[]): number => (g[0]!.label.state === 'pristine' ? -1 : g[0]!.label.cycles ?? Number.MAX_SAFE_INTEGER);
  return [...groups.values()].sort((a, b) => rank(a) - rank(b));
}

/** The electrode's main cycle count: the most common among its cycled groups (ties → the highest). */
function mainCycles(images: SemImage[]): number | null | undefined {
  const perGroup = new Map<string, number | null>();
  for (const i of images) if (i.label.state === 'cycled') perGroup.set(`${i.label.binderWtPct}|${i.label.cycles}`, i.label.cycles);
  const counts = new Map<number | null, number>();
  for (const c of perGroup.values()) counts.set(c, (counts.get(c) ?? 0) + 1);
  let best: number | null | undefined;
  let n = 0;
  for (const [c, k] of counts) {
    const better = k > n || (k === n && (c ?? -1) > (best ?? -1));
    if (better) (best = c), (n = k);
  }
  return best;
}

/** Warnings where cycle counts leave the grouping ambiguous. */
function cycleWarnings(sem: SemImage[], warnings: string[]): void {
  const byBinder = new Map<string, SemImage[]>();
  for (const s of sem) if (s.label.state === 'cycled') byBinder.set(`${s.label.electrode}|${s.label.binderWtPct}`, [...(byBinder.get(`${s.label.electrode}|${s.label.binderWtPct}`) ?? []), s]);
  for (const list of byBinder.values()) {
    const counts = [...new Set(list.map((s) => s.label.cycles))];
    const unknown = list.filter((s) => s.label.cycles === null);
    const where = `${list[0]!.label.electrode} ${formatBinder(list[0]!.label.binderWtPct)} wt %`;
    if (unknown.length && counts.length > 1) {
      warnings.push(
        `${where}: ${unknown.length} cycled image(s) have no cycle count while others have ${counts.filter((c) => c !== null).join(' / ')} cycles; they form a separate group "cycled (cycle count unknown)", not pooled — name them e.g. cycled150 or set cycles in the study file (${unknown.slice(0, 3).map((s) => s.file).join(', ')}${unknown.length > 3 ? ', …' : ''})`,
      );
    } else if (counts.length > 1) {
      warnings.push(`${where}: cycled images at ${counts.join(' and ')} cycles are summarised as separate groups, never pooled`);
    }
  }
  for (const e of new Set(sem.map((s) => s.label.electrode))) {
    const perBinder = new Map<number, Set<number | null>>();
    for (const s of sem) if (s.label.electrode === e && s.label.state === 'cycled') perBinder.set(s.label.binderWtPct, (perBinder.get(s.label.binderWtPct) ?? new Set()).add(s.label.cycles));
    const sets = [...perBinder.entries()];
    const main = mainCycles(sem.filter((s) => s.label.electrode === e));
    const lacking = sets.filter(([, c]) => !c.has(main ?? null)).map(([b]) => formatBinder(b));
    if (sets.length > 1 && lacking.length) {
      warnings.push(`${e}: the cycled comparison across binder contents uses ${main ?? 'unknown'} cycles; ${lacking.join(', ')} wt % have no images at that cycle count and are left out of it (their other cycle counts are shown separately)`);
    }
  }
}

const key = (e: Electrode, b: number): string => `${e}|${b}`;

/** Relative Li⁺ of each SIMS map and group, against the reference binder content of its electrode. */
export function simsRelative(maps: SimsMap[], references: Map<Electrode, number>): void {
  for (const m of maps) {
    if (m.status !== 'ok' || m.meanCounts === null || m.relativeToReference) continue;
    const ref = references.get(m.label.electrode);
    if (ref === undefined) continue;
    // Reference maps of the same cycle count only (maps of different cycle counts are never pooled).
    const refMaps = maps.filter((x) => x.status === 'ok' && x.label.electrode === m.label.electrode && x.label.binderWtPct === ref && x.meanCounts !== null && x.label.cycles === m.label.cycles);
    if (refMaps.length === 0) continue;
    const refMean = refMaps.reduce((a, x) => a + x.meanCounts!, 0) / refMaps.length;
    if (!(refMean > 0)) continue;
    m.relativeToReference = {
      value: m.meanCounts / refMean,
      // The map's own Poisson interval of its mean, scaled by the reference mean (reference taken as exact).
      ci95: m.meanCountsCI95 ? [m.meanCountsCI95[0] / refMean, m.meanCountsCI95[1] / refMean] : null,
      reference: `mean of ${refMaps.length} map(s) at ${formatBinder(ref)} wt %; interval: this map's Poisson counting noise only`,
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
  const semOkAll = sem.filter((s) => s.status === 'ok');
  cycleWarnings(semOkAll, warnings);
  const simsMains = new Map<Electrode, number | null>();
  for (const e of new Set(sims.filter((m) => m.status === 'ok').map((m) => m.label.electrode))) {
    const mine = sims.filter((m) => m.status === 'ok' && m.label.electrode === e);
    const counts = new Map<number | null, number>();
    for (const m of mine) counts.set(m.label.cycles, (counts.get(m.label.cycles) ?? 0) + 1);
    let best: number | null = null;
    let n = -1;
    for (const [c, k] of counts) if (k > n || (k === n && (c ?? -1) > (best ?? -1))) (best = c), (n = k);
    simsMains.set(e, best);
    const left = mine.filter((m) => m.label.cycles !== best);
    if (left.length) {
      warnings.push(
        `TOF-SIMS ${e}: maps at ${[...counts.keys()].map((c) => c ?? 'unknown').join(' and ')} cycles are not pooled; the summary uses the ${best ?? 'unknown'}-cycle maps, ${left.length} other map(s) are listed per map only (${left.slice(0, 3).map((m) => m.file).join(', ')}${left.length > 3 ? ', …' : ''})`,
      );
    }
  }
  const mains = new Map<Electrode, number | null | undefined>();
  for (const e of new Set(semOkAll.map((s) => s.label.electrode))) mains.set(e, mainCycles(semOkAll.filter((s) => s.label.electrode === e)));
  const list = [...keys.values()].sort((a, b) => order[a.electrode] - order[b.electrode] || a.binderWtPct - b.binderWtPct);
  return list.map(({ electrode, binderWtPct }) => {
    const semOk = sem.filter((s) => s.status === 'ok' && s.label.electrode === electrode && s.label.binderWtPct === binderWtPct);
    const groups = stateGroups(semOk);
    const states = groups.map((g) => semState(g, warnings)!);
    const pristineImages = groups.find((g) => g[0]!.label.state === 'pristine') ?? [];
    const pristine = states.find((g) => g.state === 'pristine') ?? null;
    const main = mains.get(electrode);
    const cycledIndex = groups.findIndex((g) => g[0]!.label.state === 'cycled' && g[0]!.label.cycles === (main ?? null));
    const cycled = cycledIndex >= 0 ? states[cycledIndex]! : null;
    const increases: NonNullable<BinderSummary['sem']['increases']> = [];
    groups.forEach((g, i) => {
      const st = states[i]!;
      if (st.state !== 'cycled' || !pristine || pristine.porosity.mean === null || st.porosity.mean === null) return;
      const w = welch(pristineImages.map((s) => s.porosityPercent!).filter(Number.isFinite), g.map((s) => s.porosityPercent!).filter(Number.isFinite));
      increases.push({ cycles: g[0]!.label.cycles, value: st.porosity.mean - pristine.porosity.mean, unit: 'pp', ci95: w ? w.ci95 : null, df: w ? w.df : null });
    });
    const inc = cycled ? increases.find((x) => x.cycles === cycled.cycles) ?? null : null;
    const increase: BinderSummary['sem']['increase'] = inc ? { value: inc.value, unit: 'pp', ci95: inc.ci95, df: inc.df } : null;
    // SIMS maps of different cycle counts are not pooled either: the group uses the electrode's main count.
    const simsMain = simsMains.get(electrode);
    const mapsOk = sims.filter((s) => s.status === 'ok' && s.label.electrode === electrode && s.label.binderWtPct === binderWtPct && s.label.cycles === simsMain);
    let simsSummary: BinderSummary['sims'] = null;
    if (mapsOk.length) {
      const means = mapsOk.map((m) => m.meanCounts).filter((x): x is number => x !== null);
      const meanStat = stat(means, 'counts per pixel', 'maps');
      let relative: NonNullable<BinderSummary['sims']>['relative'] = null;
      const ref = references.get(electrode);
      if (ref !== undefined) {
        const refMeans = sims
          .filter((s) => s.status === 'ok' && s.label.electrode === electrode && s.label.binderWtPct === ref && s.meanCounts !== null && s.label.cycles === simsMain)
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
              method = `reference group (${meanStat.n} maps): its own Student t interval (df = ${meanStat.n - 1}) over its mean; n counts maps`;
            } else {
              ci = [r - t * se, r + t * se];
              method = `ratio of group means over replicate maps (${meanStat.n} and ${rs.n} maps); 95 % interval by the delta method from map-to-map spread, Student t df = ${df}; n counts maps`;
            }
          } else {
            const single = mapsOk.length === 1 ? mapsOk[0]!.relativeToReference : null;
            if (single?.ci95) {
              ci = single.ci95;
              method = `one map${rs.n === 1 ? ' against one reference map' : ''} (${single.reference}): the interval is Poisson counting noise only — no map-to-map or electrode-to-electrode spread is in it; measure replicate maps for that`;
            } else {
              method = `ratio of group means (${meanStat.n} map(s) against ${rs.n} reference map(s): too few maps for an interval)`;
            }
          }
          relative = { value: r, unit: '1', ci95: ci, method, reference: ref };
        }
      }
      simsSummary = {
        meanCounts: meanStat,
        ticRatio: stat(mapsOk.map((m) => m.ticRatio).filter((x): x is number => x !== null), '1', 'maps'),
        relative,
        hotspotFraction: stat(mapsOk.map((m) => m.hotspotFraction).filter((x): x is number => x !== null), '1', 'maps'),
        files: mapsOk.map((m) => m.file),
      };
    }
    const e = ec.get(key(electrode, binderWtPct));
    return {
      electrode,
      binderWtPct,
      sem: { pristine, cycled, increase, states, increases },
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
    const cyc = rows.find((s) => s.sem.cycled)?.sem.cycled?.cycles ?? null;
    for (const [x, y] of pairs) {
      const points = rows
        .map((s) => ({ binderWtPct: s.binderWtPct, x: x.get(s), y: y.get(s) }))
        .filter((p): p is { binderWtPct: number; x: number; y: number } => typeof p.x === 'number' && typeof p.y === 'number' && Number.isFinite(p.x) && Number.isFinite(p.y));
      if (points.length < 3) continue;
      const sp = spearman(points.map((p) => p.x), points.map((p) => p.y));
      out.push({
        electrode: e,
        x: { key: x.key, label: x.label, unit: x.unit },
        y: { key: y.key, label: y.key === 'cycled_porosity' && cyc ? `Porosity after ${cyc} cycles` : y.label, unit: y.unit },
        points,
        spearman: sp,
        caveat: correlationCaveat(points.length, sp.rho),
      });
    }
  }
  return out;
}
