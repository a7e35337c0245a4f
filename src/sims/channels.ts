/**
 * Channel selection: by index, interval id, peak label (Li+ / Li- / 7Li …) or m/z
 * (the stored interval containing it, or an extracted window for formats with full spectra).
 */
import { VoidscopeError } from '../errors.js';
import type { ChannelSelector, SelectedChannel, SimsChannel, SimsDataset } from './types.js';

/** Monoisotopic ⁷Li⁺ mass (u) less one electron: the default channel when no label is given. */
export const LI7_MZ = 7.016;
/** Default half-width of an m/z window (u) when none is given. */
export const DEFAULT_MZ_TOL = 0.05;

/** "Li+" → "li+", "^7Li +" → "li+" (a bare element means its main isotope, 7 for Li). */
export function canonicalLabel(label: string): string {
  let l = label.replace(/\^/g, '').replace(/\s+/g, '').toLowerCase();
  l = l.replace(/^7li(?=[+-]?$)/, 'li');
  return l;
}

/** Parse a CLI/config channel string: `index:N`, `id:N`, `mz:7.016[±0.05]`, else a label. */
export function parseChannelSelector(text: string, tol?: number): ChannelSelector {
  const t = text.trim();
  let m = /^index:(\d+)$/i.exec(t);
  if (m) return { index: Number(m[1]) };
  m = /^id:(\d+)$/i.exec(t);
  if (m) return { id: Number(m[1]) };
  m = /^(?:mz|m\/z):([0-9]*\.?[0-9]+)(?:(?:±|\+-|,)([0-9]*\.?[0-9]+))?$/i.exec(t);
  if (m) return { mz: Number(m[1]), ...(m[2] ? { tol: Number(m[2]) } : tol !== undefined ? { tol } : {}) };
  if (t === '') throw new VoidscopeError('EOPTION', 'empty channel name');
  return { label: t };
}

export function describeChannel(c: SimsChannel): string {
  const parts = [`index ${c.index}`];
  if (c.id !== undefined) parts.push(`id ${c.id}`);
  if (c.label) parts.push(`"${c.label}"`);
  if (c.mzRange) parts.push(`m/z ${c.mzRange[0].toFixed(3)}–${c.mzRange[1].toFixed(3)}`);
  else if (c.mzCentre !== undefined) parts.push(`m/z ${c.mzCentre}`);
  return parts.join(', ');
}

/** Channels named in a "no channel matches" message at most (a BIF6 may hold 65,535). */
const MAX_LISTED = 12;

function noMatch(ds: SimsDataset, what: string): VoidscopeError {
  const shown = ds.channels.slice(0, MAX_LISTED).map(describeChannel).join('; ');
  const more = ds.channels.length - MAX_LISTED;
  const list = more > 0 ? `${shown}; … and ${more} more (list them all with \`voidscope sims --list\`)` : shown;
  return new VoidscopeError(
    'EOPTION',
    `no channel matches ${what}. Channels: ${list}${ds.extractMz ? ' (any m/z window can be extracted with --mz)' : ''}`,
    { file: ds.file },
  );
}

/**
 * A file with one channel and neither label nor mass (count image, count matrix): nothing says
 * which ion it is, so it is never assumed to be the one asked for (issue 12).
 */
function unlabelledSingle(ds: SimsDataset, wanted: string): VoidscopeError {
  return new VoidscopeError(
    'EOPTION',
    `the file holds a single channel with no ion label or mass, so voidscope cannot tell whether it is ${wanted}; if it is, select it explicitly with --channel index:0 (study file: channel: "index:0")`,
    { file: ds.file },
  );
}

/**
 * Extract an m/z window, refusing a window the spectra never reach: that map would be all zeros
 * and read as "no Li⁺" when the instrument never measured that mass (issue 12).
 */
async function extractWindow(ds: SimsDataset, lo: number, hi: number, what: string): Promise<SelectedChannel['raster']> {
  const raster = await ds.extractMz!(lo, hi);
  const ext = ds.mzExtent ? await ds.mzExtent() : null;
  if (ext && (hi < ext[0] || lo > ext[1])) {
    throw new VoidscopeError(
      'EOPTION',
      `the spectra cover m/z ${ext[0].toFixed(3)}–${ext[1].toFixed(3)}, which does not contain ${what} (m/z ${lo.toFixed(3)}–${hi.toFixed(3)}): the map would be all zeros, not a measurement of it; choose a mass inside the measured range with --mz`,
      { file: ds.file },
    );
  }
  return raster;
}

async function fromChannel(c: SimsChannel, selectedBy: string): Promise<SelectedChannel> {
  return {
    label: c.label ?? null,
    id: c.id ?? null,
    index: c.index,
    mzRange: c.mzRange ?? null,
    selectedBy,
    raster: await c.load(),
  };
}

function byMz(ds: SimsDataset, mz: number, tol: number | undefined): SimsChannel | null {
  const containing = ds.channels.filter((c) => c.kind !== 'total' && c.mzRange && c.mzRange[0] <= mz && mz <= c.mzRange[1]);
  if (containing.length) return containing.sort((a, b) => a.mzRange![1] - a.mzRange![0] - (b.mzRange![1] - b.mzRange![0]))[0]!;
  const t = tol ?? DEFAULT_MZ_TOL;
  const near = ds.channels
    .filter((c) => c.kind !== 'total' && c.mzCentre !== undefined && Math.abs(c.mzCentre - mz) <= t)
    .sort((a, b) => Math.abs(a.mzCentre! - mz) - Math.abs(b.mzCentre! - mz));
  return near[0] ?? null;
}

/**
 * Resolve a selector to pixel data. With no selector the default is Li⁺: a channel labelled
 * Li+ / 7Li+ (then Li- / Li), else the interval containing m/z 7.016, else an extracted window
 * 7.016 ± 0.05 u (an error when the spectra do not reach that window). A file holding a single
 * channel with no label or mass is never assumed to be Li⁺: it must be selected by index.
 */
export async function selectChannel(ds: SimsDataset, selector?: ChannelSelector): Promise<SelectedChannel> {
  if (!selector) {
    for (const label of ['Li+', 'Li-', 'Li']) {
      const hit = ds.channels.find((c) => c.label && labelMatches(c.label, label));
      if (hit) return fromChannel(hit, `default Li channel: label "${hit.label}"`);
    }
    const iv = byMz(ds, LI7_MZ, DEFAULT_MZ_TOL);
    if (iv) return fromChannel(iv, `default Li channel: interval containing m/z ${LI7_MZ} (${describeChannel(iv)})`);
    if (ds.extractMz) {
      const lo = LI7_MZ - DEFAULT_MZ_TOL;
      const hi = LI7_MZ + DEFAULT_MZ_TOL;
      return {
        label: 'Li+ (m/z window)',
        id: null,
        index: null,
        mzRange: [lo, hi],
        selectedBy: `default Li channel: m/z ${LI7_MZ} ± ${DEFAULT_MZ_TOL} u window (inclusive)`,
        raster: await extractWindow(ds, lo, hi, 'the default Li⁺ window'),
      };
    }
    const single = ds.channels.filter((c) => c.kind !== 'total');
    if (single.length === 1 && !single[0]!.label && !single[0]!.mzRange && single[0]!.mzCentre === undefined) throw unlabelledSingle(ds, 'Li⁺');
    if (single.length === 1 && ds.format === 'surfacelab-image-text') {
      return fromChannel(single[0]!, `the file holds a single channel "${single[0]!.label}" (not labelled Li; used as given)`);
    }
    throw noMatch(ds, 'the default Li⁺ channel (label Li+/Li-/7Li or m/z 7.016); choose one with --channel or --mz');
  }
  if ('index' in selector) {
    const c = ds.channels[selector.index];
    if (!c) throw noMatch(ds, `index ${selector.index}`);
    return fromChannel(c, `index ${selector.index}`);
  }
  if ('id' in selector) {
    const c = ds.channels.find((ch) => ch.id === selector.id);
    if (!c) throw noMatch(ds, `id ${selector.id}`);
    return fromChannel(c, `id ${selector.id}`);
  }
  if ('label' in selector) {
    const c = ds.channels.find((ch) => ch.label && labelMatches(ch.label, selector.label));
    if (c) return fromChannel(c, `label "${selector.label}" matched ${describeChannel(c)}`);
    if (/^\^?7?\s*li\s*[+-]?$/i.test(selector.label.trim())) {
      // Li requested but no labels (BIF6 stores none): fall back to the m/z of ⁷Li.
      const iv = byMz(ds, LI7_MZ, DEFAULT_MZ_TOL);
      if (iv) return fromChannel(iv, `label "${selector.label}" → interval containing m/z ${LI7_MZ} (${describeChannel(iv)}; the file stores no labels)`);
    }
    const unl = ds.channels.filter((ch) => ch.kind !== 'total');
    if (unl.length === 1 && !unl[0]!.label && !unl[0]!.mzRange && unl[0]!.mzCentre === undefined) throw unlabelledSingle(ds, `"${selector.label}"`);
    throw noMatch(ds, `label "${selector.label}"`);
  }
  const { mz } = selector;
  if (!(mz > 0)) throw new VoidscopeError('EOPTION', `m/z must be > 0, got ${mz}`);
  if (selector.tol !== undefined && !(selector.tol >= 0)) throw new VoidscopeError('EOPTION', `m/z tolerance must be ≥ 0, got ${selector.tol}`);
  if (ds.extractMz) {
    const tol = selector.tol ?? DEFAULT_MZ_TOL;
    return {
      label: `m/z ${mz}`,
      id: null,
      index: null,
      mzRange: [mz - tol, mz + tol],
      selectedBy: `m/z ${mz} ± ${tol} u window (inclusive)${selector.tol === undefined ? ', default tolerance' : ''}`,
      raster: await extractWindow(ds, mz - tol, mz + tol, `the window m/z ${mz} ± ${tol}`),
    };
  }
  const c = byMz(ds, mz, selector.tol);
  if (!c) throw noMatch(ds, `m/z ${mz}${selector.tol !== undefined ? ` ± ${selector.tol}` : ''}`);
  return fromChannel(c, `m/z ${mz}: ${c.mzRange ? 'interval containing it' : 'nearest centre mass'} (${describeChannel(c)})`);
}

/** Whether a stored label matches a requested one (case-insensitive, ^ and spaces ignored, 7Li = Li; a request without charge matches either). */
export function labelMatches(stored: string, wanted: string): boolean {
  const s = canonicalLabel(stored);
  const w = canonicalLabel(wanted);
  if (s === w) return true;
  if (!/[+-]$/.test(w)) return s.replace(/[+-]$/, '') === w;
  return false;
}

/** The total-ion channel of a dataset, if it has one. */
export function findTotalChannel(ds: SimsDataset): SimsChannel | null {
  return ds.channels.find((c) => c.kind === 'total') ?? null;
}
