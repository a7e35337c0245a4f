/**
 * Finding the inputs of a study: walk the folder (skipping the report folder and
 * hidden entries), label each data file from the study file's groups or from its
 * path, pair sidecars and SIMS total-ion images, and hash everything for the run
 * record.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join, relative, sep, posix, extname, basename } from 'node:path';
import picomatch from 'picomatch';
import { VoidscopeError } from '../errors.js';
import { REPORT_MARKER } from '../fsutil.js';
import { labelFromNames, type PathPattern, type PathLabel } from './labels.js';
import type { StudyConfig, StudyGroup } from './study.js';
import type { FileLabel, InputFile } from './types.js';

export const IMAGE_EXTS = new Set(['.tif', '.tiff', '.png', '.jpg', '.jpeg', '.bmp']);
export const SIMS_EXTS = new Set(['.bif6', '.bif', '.imzml', '.txt', '.csv', '.tsv', '.tif', '.tiff', '.png']);
const SIDECAR_EXTS = new Set(['.txt', '.hdr', '.ibd']);

/** A file to analyse, with its label. */
export interface LabelledFile {
  rel: string;
  abs: string;
  label: FileLabel;
  options: Record<string, unknown>;
  /** SIMS: paired total-ion image (relative path), or null. */
  total: string | null;
  /** SIMS: reference binder content for relative Li⁺ (from the group), or null for the default. */
  reference: number | null;
}

export interface ScanResult {
  /** Every file under the folder (relative, "/" separators), sorted. */
  all: string[];
  sem: LabelledFile[];
  sims: LabelledFile[];
  /** Files the analysis also reads (sidecars, .ibd, total-ion images). */
  auxiliary: Array<{ rel: string; role: InputFile['role']; owner: string | null }>;
  tables: string[];
  cycling: Array<{ rel: string; electrode: FileLabel['electrode'] | null; binderWtPct: number | null; source: string | null }>;
  unlabelled: Array<{ file: string; reason: string }>;
  warnings: string[];
}


/**
 * Whether a folder's entries show a voidscope report: the marker file, or (reports written before
 * the marker existed) report.json together with voidscope's cache file.
 */
export function isReportFolder(names: readonly string[]): boolean {
  return names.includes(REPORT_MARKER) || (names.includes('report.json') && names.includes('.voidscope-cache.json'));
}

/**
 * All files below `folder`, relative with "/" separators, sorted; skips hidden entries, `skip`
 * (absolute) and every voidscope report folder (`isReportFolder`), whatever its name, so that an
 * earlier report's overlays are never analysed as micrographs.
 */
export async function walk(folder: string, skip: string[]): Promise<string[]> {
  const out: string[] = [];
  const visit = async (dir: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (e) {
      throw new VoidscopeError('ENOENT', `cannot read the folder: ${(e as Error).message}`, { file: dir, cause: e });
    }
    if (dir !== folder && isReportFolder(entries.map((e) => e.name))) return;
    for (const ent of entries) {
      if (ent.name.startsWith('.') || ent.name === 'node_modules') continue;
      const abs = join(dir, ent.name);
      if (skip.some((s) => abs === s)) continue;
      if (ent.isDirectory()) await visit(abs);
      else if (ent.isFile()) out.push(relative(folder, abs).split(sep).join('/'));
    }
  };
  await visit(folder);
  return out.sort();
}

/** SHA-256 and size of a file, streamed. */
export async function hashFile(abs: string): Promise<{ sha256: string; sizeBytes: number }> {
  const h = createHash('sha256');
  let size = 0;
  await new Promise<void>((resolve, reject) => {
    createReadStream(abs)
      .on('data', (c: Buffer | string) => {
        const b = typeof c === 'string' ? Buffer.from(c) : c;
        size += b.length;
        h.update(b);
      })
      .on('end', () => resolve())
      .on('error', reject);
  });
  return { sha256: h.digest('hex'), sizeBytes: size };
}

/** SurfaceLab image text export name: "<meas> (<id>) - <label>.txt". */
const SURFACELAB_NAME = /^(.*?)\s*\((\d+)\)\s*-\s*(.+?)\.(txt|csv|tsv)$/i;

/** Is this SIMS file a total-ion image (by name)? */
export function isTotalIonName(rel: string): boolean {
  const b = basename(rel);
  const m = SURFACELAB_NAME.exec(b);
  if (m) return /^(total|tic|total[ _-]?ion)$/i.test(m[3]!.trim());
  return /(^|[ _.-])(total|tic)([ _.-]|$)/i.test(b.replace(/\.[^.]+$/, ''));
}

/** Find the total-ion file for a SIMS map among its siblings. */
export function pairTotal(rel: string, siblings: string[]): string | null {
  const dir = posix.dirname(rel);
  const inDir = siblings.filter((s) => posix.dirname(s) === dir && s !== rel && isTotalIonName(s));
  if (inDir.length === 0) return null;
  const m = SURFACELAB_NAME.exec(basename(rel));
  if (m) {
    const meas = m[1]!.trim().toLowerCase();
    const same = inDir.find((s) => SURFACELAB_NAME.exec(basename(s))?.[1]?.trim().toLowerCase() === meas);
    if (same) return same;
  }
  // Same extension, same folder: only when unambiguous.
  const sameExt = inDir.filter((s) => extname(s).toLowerCase() === extname(rel).toLowerCase());
  return sameExt.length === 1 ? sameExt[0]! : null;
}

function complete(l: PathLabel, group: string, kind: FileLabel['kind']): { label: FileLabel } | { missing: string[] } {
  const missing: string[] = [];
  if (!l.electrode) missing.push('electrode');
  if (l.binderWtPct === undefined) missing.push('binder content');
  if (!l.state) missing.push('state (pristine/cycled)');
  if (missing.length) return { missing };
  return {
    label: { kind, electrode: l.electrode!, binderWtPct: l.binderWtPct!, state: l.state!, cycles: l.cycles ?? null, group },
  };
}

/** Stem sidecars: "x.tif" + "x.txt" / "x.hdr"; imzML + ".ibd". */
function sidecarsOf(all: string[]): Map<string, string> {
  const stems = new Map<string, string>();
  for (const f of all) {
    const ext = extname(f).toLowerCase();
    if (IMAGE_EXTS.has(ext) || ext === '.imzml') stems.set(f.slice(0, -ext.length).toLowerCase(), f);
  }
  const side = new Map<string, string>();
  for (const f of all) {
    const ext = extname(f).toLowerCase();
    if (!SIDECAR_EXTS.has(ext)) continue;
    // "x.txt" for "x.tif"; also "x-tif.hdr" (Tescan) and "x.tif.hdr".
    const stem = f.slice(0, -ext.length).toLowerCase();
    const dashed = /^(.*)-(tiff?|png|jpe?g|bmp)$/.exec(stem);
    const owner = stems.get(stem) ?? (dashed ? all.find((a) => a.toLowerCase() === `${dashed[1]}.${dashed[2]}`) : undefined) ?? all.find((a) => a.toLowerCase() === stem && IMAGE_EXTS.has(extname(a).toLowerCase()));
    if (owner && owner !== f) side.set(f, owner);
  }
  return side;
}

/** Label files using the study file's groups. */
export function labelWithStudy(all: string[], study: StudyConfig): ScanResult {
  const res: ScanResult = { all, sem: [], sims: [], auxiliary: [], tables: [], cycling: [], unlabelled: [], warnings: [] };
  const side = sidecarsOf(all);
  const claimed = new Map<string, string>();
  const ecFiles = new Set<string>();
  // The study's `ignore:` globs: files left out on purpose, neither analysed nor listed as unlabelled.
  const ignored = study.ignore && study.ignore.length ? picomatch(study.ignore, { dot: false }) : (): boolean => false;
  for (const t of study.electrochemistry.tables) {
    const m = picomatch(t, { dot: false });
    const hits = all.filter((f) => f === t || m(f));
    if (hits.length === 0) res.warnings.push(`electrochemistry table "${t}" (${study.source ? basename(study.source) : 'study'}) matches no file`);
    for (const h of hits) if (!ecFiles.has(h)) (ecFiles.add(h), res.tables.push(h));
  }
  for (const c of study.electrochemistry.cycling) {
    const m = picomatch(c.files, { dot: false });
    const hits = all.filter((f) => m(f));
    if (hits.length === 0) res.warnings.push(`cycling files "${c.files.join(', ')}" match no file`);
    for (const h of hits) {
      if (ecFiles.has(h)) continue;
      ecFiles.add(h);
      res.cycling.push({ rel: h, electrode: c.electrode, binderWtPct: c.binderWtPct, source: c.source });
    }
  }
  for (const g of study.groups) {
    const inc = picomatch(g.files, { dot: false });
    const exc = g.exclude.length ? picomatch(g.exclude) : () => false;
    const hits = all.filter((f) => inc(f) && !exc(f) && !side.has(f) && !ecFiles.has(f) && !ignored(f));
    if (hits.length === 0) res.warnings.push(`group "${g.name}" matches no file (${g.files.join(', ')})`);
    for (const f of hits) {
      if (claimed.has(f)) {
        res.warnings.push(`${f} is matched by groups "${claimed.get(f)}" and "${g.name}"; the first is used`);
        continue;
      }
      if (g.kind === 'sims' && isTotalIonName(f)) continue; // paired below
      claimed.set(f, g.name);
      addLabelled(res, f, g, all);
    }
  }
  for (const [f, owner] of side) if (claimed.has(owner)) res.auxiliary.push({ rel: f, role: 'sidecar', owner });
  const totals = new Set(res.sims.map((s) => s.total).filter((x): x is string => x !== null));
  for (const t of totals) res.auxiliary.push({ rel: t, role: 'sims-total', owner: null });
  for (const f of all) {
    if (claimed.has(f) || side.has(f) || ecFiles.has(f) || totals.has(f)) continue;
    if (study.source && basename(f) === basename(study.source) && !f.includes('/')) continue;
    if (ignored(f)) continue;
    const ext = extname(f).toLowerCase();
    if (IMAGE_EXTS.has(ext) || ext === '.bif6' || ext === '.bif' || ext === '.imzml') {
      res.unlabelled.push({ file: f, reason: 'not matched by any group of the study file' });
    }
  }
  return res;
}

function addLabelled(res: ScanResult, f: string, g: StudyGroup, all: string[]): void {
  const names = labelFromNames(f);
  const l: PathLabel = {
    electrode: g.electrode ?? names.electrode,
    binderWtPct: g.binderWtPct ?? names.binderWtPct,
    state: g.state ?? names.state,
    cycles: g.cycles ?? (g.state === 'pristine' ? null : names.cycles ?? null),
  };
  if (l.state === 'pristine') l.cycles = null;
  const c = complete(l, g.name, g.kind);
  if ('missing' in c) {
    res.unlabelled.push({ file: f, reason: `group "${g.name}": no ${c.missing.join(', ')} in the group or the path` });
    return;
  }
  const lf: LabelledFile = {
    rel: f,
    abs: '',
    label: c.label,
    options: g.options,
    total: g.kind === 'sims' ? pairTotal(f, all) : null,
    reference: g.reference,
  };
  (g.kind === 'sem' ? res.sem : res.sims).push(lf);
}

/**
 * Label files without a study file: from `pattern` when given, else from the
 * names in the path. SEM vs SIMS: a "sem"/"sims" folder in the path, else the
 * extension (.bif6/.imzML and text exports are SIMS, images are SEM).
 */
export function labelWithoutStudy(all: string[], pattern: PathPattern | null): ScanResult {
  const res: ScanResult = { all, sem: [], sims: [], auxiliary: [], tables: [], cycling: [], unlabelled: [], warnings: [] };
  const side = sidecarsOf(all);
  const group = pattern ? 'pattern' : 'names';
  for (const f of all) {
    if (side.has(f)) continue;
    const ext = extname(f).toLowerCase();
    const names = labelFromNames(f);
    const inEc = /(^|\/)(electrochem\w*|cycling|cells?)(\/|$)/i.test(posix.dirname(f));
    if ((ext === '.csv' || ext === '.tsv' || (ext === '.json' && inEc)) && (inEc || names.kind === undefined)) {
      if (/(^|\/)cycling\//i.test(f) || /cell\d+/i.test(basename(f))) res.cycling.push({ rel: f, electrode: null, binderWtPct: null, source: null });
      else if (inEc) res.tables.push(f);
      else {
        // Never dropped silently: a table outside the electrochemistry folders may be a SIMS map export
        // (count CSV) or a results table; the user learns it was not used and how to include it.
        res.unlabelled.push({
          file: f,
          reason: 'a table outside an electrochemistry folder and with no SIMS word (sims, tof, Li+) in its name: put results tables in electrochem/, or name the file or use a study file',
        });
      }
      continue;
    }
    if (ext === '.txt' && names.kind === undefined && !inEc) {
      res.unlabelled.push({ file: f, reason: 'a text file with no SIMS word (sims, tof, Li+) in its name: name it or use a study file to analyse it as a SIMS map' });
      continue;
    }
    let kind = names.kind;
    if (!kind) {
      if (ext === '.bif6' || ext === '.bif' || ext === '.imzml') kind = 'sims';
      else if (IMAGE_EXTS.has(ext)) kind = 'sem';
    }
    const isData = IMAGE_EXTS.has(ext) || ext === '.bif6' || ext === '.bif' || ext === '.imzml' || (kind === 'sims' && SIMS_EXTS.has(ext));
    if (!isData || !kind) continue;
    if (kind === 'sims' && isTotalIonName(f)) continue;
    let l: PathLabel | null = names;
    if (pattern) {
      const m = pattern.match(f);
      l = m ? { ...names, ...Object.fromEntries(Object.entries(m).filter(([, v]) => v !== undefined)) } : null;
      if (!l) {
        res.unlabelled.push({ file: f, reason: `does not match --pattern "${pattern.source}"` });
        continue;
      }
    }
    if (kind === 'sims' && !l.state) l = { ...l, state: 'cycled' };
    const c = complete(l, group, kind);
    if ('missing' in c) {
      res.unlabelled.push({ file: f, reason: `no ${c.missing.join(', ')} in the path (use a study file or --pattern)` });
      continue;
    }
    const lf: LabelledFile = { rel: f, abs: '', label: c.label, options: {}, total: kind === 'sims' ? pairTotal(f, all) : null, reference: null };
    (kind === 'sem' ? res.sem : res.sims).push(lf);
  }
  // The same measurement exported twice (BIF6 and SurfaceLab text "<stem> (id) - label.txt") would be
  // counted twice: keep the BIF6 form.
  const bifStems = new Map(res.sims.filter((x) => /\.bif6?$/i.test(x.rel)).map((x) => [x.rel.replace(/\.[^.]+$/, '').toLowerCase(), x.rel]));
  res.sims = res.sims.filter((x) => {
    const m = SURFACELAB_NAME.exec(basename(x.rel));
    const stem = m ? `${posix.dirname(x.rel)}/${m[1]!.trim()}`.toLowerCase() : null;
    if (stem && bifStems.has(stem)) {
      res.warnings.push(`${x.rel}: the same measurement as ${basename(bifStems.get(stem)!)} (text export); the BIF6 form is used`);
      return false;
    }
    return true;
  });
  const claimed = new Set([...res.sem, ...res.sims].map((x) => x.rel));
  for (const [f, owner] of side) if (claimed.has(owner)) res.auxiliary.push({ rel: f, role: 'sidecar', owner });
  const totals = new Set(res.sims.map((s) => s.total).filter((x): x is string => x !== null));
  for (const t of totals) res.auxiliary.push({ rel: t, role: 'sims-total', owner: null });
  return res;
}
