/**
 * Turning the analysers' JSON results into the study's typed rows. Field access
 * is defensive (a missing field becomes null, never a crash) so the report is
 * written even when an analyser adds or renames a field; the full result stays
 * in `raw` for the record.
 */
import type { FileLabel, PoreStats, SemImage, SimsMap } from './types.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

function pixelSize(v: unknown): SemImage['pixelSize'] {
  if (!isObj(v) || num(v.value) === null) return null;
  return { value: v.value as number, unit: str(v.unit) ?? 'µm', source: str(v.source) ?? 'unknown' };
}

function warningsOf(v: unknown): string[] {
  if (!Array.isArray(v)) return [];
  return v.map((w) => (typeof w === 'string' ? w : isObj(w) && typeof w.message === 'string' ? w.message : JSON.stringify(w)));
}

function roiOf(v: unknown): SemImage['roi'] {
  if (!isObj(v)) return null;
  const [x, y, width, height] = [num(v.x), num(v.y), num(v.width), num(v.height)];
  return x !== null && y !== null && width !== null && height !== null ? { x, y, width, height } : null;
}

/** ECD of one pore entry, whatever the analyser calls it. */
function ecdOf(p: unknown): number | null {
  if (typeof p === 'number') return p;
  if (!isObj(p)) return null;
  for (const k of ['ecd', 'ecdUm', 'ecdPx', 'equivalentDiameter', 'equivalentDiameterUm', 'diameter']) {
    const v = num(p[k]);
    if (v !== null) return v;
    if (isObj(p[k]) && num((p[k] as Obj).value) !== null) return (p[k] as Obj).value as number;
  }
  return null;
}

export function semFromResult(file: string, label: FileLabel, options: Obj, r: Obj, cached: boolean, overlay: string | null): SemImage {
  const thr = r.threshold;
  const pores = isObj(r.pores) ? r.pores : null;
  let poreStats: PoreStats | null = null;
  let ecds: number[] = [];
  if (pores) {
    const pick = (...keys: string[]): number | null => {
      for (const k of keys) {
        const v = pores[k];
        if (num(v) !== null) return v as number;
        if (isObj(v) && num(v.value) !== null) return v.value as number;
      }
      return null;
    };
    const list = Array.isArray(pores.list) ? pores.list : Array.isArray(pores.pores) ? pores.pores : [];
    ecds = list.map(ecdOf).filter((x): x is number => x !== null);
    poreStats = {
      unit: str(pores.unit) ?? (r.pixelSize ? 'µm' : 'px'),
      count: pick('count') ?? list.length,
      meanEcd: pick('meanEcd', 'meanEcdUm', 'meanDiameter'),
      d10: pick('d10', 'D10'),
      d50: pick('d50', 'D50', 'medianEcd'),
      d90: pick('d90', 'D90'),
    };
  }
  const raw: Obj = { ...r };
  if (pores) raw.pores = { ...pores, list: undefined, pores: undefined };
  const vf = num(r.voidFraction);
  return {
    file,
    label,
    status: 'ok',
    cached,
    error: null,
    porosityPercent: num(r.porosityPercent) ?? (vf !== null ? vf * 100 : null),
    voidFraction: vf ?? (num(r.porosityPercent) !== null ? (r.porosityPercent as number) / 100 : null),
    method: str(r.method) ?? (isObj(thr) ? str(thr.method) : null),
    threshold: num(thr) ?? (isObj(thr) ? num(thr.value) : null),
    polarity: str(r.polarity),
    roi: roiOf(r.roi),
    databar: r.databar ?? null,
    pixelSize: pixelSize(r.pixelSize),
    pores: poreStats,
    poreEcds: ecds.map((x) => Number(x.toPrecision(5))),
    warnings: warningsOf(r.warnings),
    overlay,
    options,
    raw: JSON.parse(JSON.stringify(raw)) as Obj,
  };
}

export function semFailed(file: string, label: FileLabel, options: Obj, error: { code: string; message: string }): SemImage {
  return {
    file,
    label,
    status: 'failed',
    cached: false,
    error,
    porosityPercent: null,
    voidFraction: null,
    method: null,
    threshold: null,
    polarity: null,
    roi: null,
    databar: null,
    pixelSize: null,
    pores: null,
    poreEcds: [],
    warnings: [],
    overlay: null,
    options,
    raw: null,
  };
}

function interval(v: unknown): [number, number] | null {
  if (Array.isArray(v) && v.length === 2 && num(v[0]) !== null && num(v[1]) !== null) return [v[0] as number, v[1] as number];
  if (isObj(v)) {
    const lo = num(v.low) ?? num(v.lower) ?? num(v.lo);
    const hi = num(v.high) ?? num(v.upper) ?? num(v.hi);
    if (lo !== null && hi !== null) return [lo, hi];
  }
  return null;
}

export function simsFromResult(file: string, label: FileLabel, options: Obj, total: string | null, r: Obj, cached: boolean): SimsMap {
  const tic = r.ticRatio;
  return {
    file,
    label,
    status: 'ok',
    cached,
    error: null,
    totalFile: total,
    format: str(r.format),
    channel: r.channel ?? null,
    width: num(r.width),
    height: num(r.height),
    pixelSize: pixelSize(r.pixelSize),
    meanCounts: num(r.meanCounts) ?? (isObj(r.meanCounts) ? num(r.meanCounts.value) : null),
    meanCountsCI95: interval(r.meanCountsCI95),
    totalCounts: num(r.totalCounts),
    zeroFraction: num(r.zeroFraction),
    ticRatio: num(tic) ?? (isObj(tic) ? num(tic.value) : null),
    hotspotFraction: num(r.hotspotFraction) ?? (isObj(r.hotspot) ? num((r.hotspot as Obj).fraction) : null),
    hotspotRule: r.hotspotRule ?? r.hotspot ?? null,
    relativeToReference: null,
    warnings: warningsOf(r.warnings),
    heatmap: null,
    options,
    raw: r,
  };
}

export function simsFailed(file: string, label: FileLabel, options: Obj, total: string | null, error: { code: string; message: string }): SimsMap {
  return {
    file,
    label,
    status: 'failed',
    cached: false,
    error,
    totalFile: total,
    format: null,
    channel: null,
    width: null,
    height: null,
    pixelSize: null,
    meanCounts: null,
    meanCountsCI95: null,
    totalCounts: null,
    zeroFraction: null,
    ticRatio: null,
    hotspotFraction: null,
    hotspotRule: null,
    relativeToReference: null,
    warnings: [],
    heatmap: null,
    options,
    raw: null,
  };
}
