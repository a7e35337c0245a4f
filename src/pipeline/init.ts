/**
 * `initStudy(folder)`: write a starting `voidscope.yaml` from what the folder
 * holds, for the user to edit. Groups are made per kind and electrode from the
 * names in the paths; binder content and state stay path-derived (NBR1.5,
 * pristine / cycled150) unless the user pins them.
 */
import { existsSync } from 'node:fs';
import { join, posix } from 'node:path';
import picomatch from 'picomatch';
import { stringify } from 'yaml';
import { VoidscopeError } from '../errors.js';
import { writeFileAtomic } from '../fsutil.js';
import { labelWithoutStudy, walk } from './inputs.js';
import { readCyclingFile } from './electrochem.js';
import { DEFAULT_RULE, STUDY_FILE_NAMES, findStudyFile } from './study.js';

export interface InitResult {
  file: string;
  groups: number;
  unlabelled: Array<{ file: string; reason: string }>;
  text: string;
}

/** Common folder prefix of some relative paths ("" when none). */
function commonDir(paths: string[]): string {
  if (paths.length === 0) return '';
  let parts = posix.dirname(paths[0]!).split('/');
  for (const p of paths.slice(1)) {
    const q = posix.dirname(p).split('/');
    let i = 0;
    while (i < parts.length && i < q.length && parts[i] === q[i]) i++;
    parts = parts.slice(0, i);
  }
  return parts.filter((x) => x !== '.' && x !== '').join('/');
}

/**
 * The `files` of a group: a glob when one matches exactly the group's files among the data files
 * (every file of the extension under their common folder, else those whose name holds a word all of
 * them share, such as "cathode" or "NCM811"), else the explicit list. So `run` labels every file as
 * the name labeller did here, also in a flat folder holding both electrodes.
 */
export function filesFor(mine: string[], exts: string[], others: string[]): string | string[] {
  const ext = exts.length === 1 ? exts[0]! : `{${exts.join(',')}}`;
  const dir = commonDir(mine);
  const pre = dir ? `${dir}/` : '';
  // Matched as labelWithStudy matches (picomatch, case-sensitive), against the files the group must not take.
  const exact = (glob: string): boolean => {
    const m = picomatch(glob, { dot: false });
    return mine.every((f) => m(f)) && !others.some((f) => m(f));
  };
  const plain = `${pre}**/*${ext}`;
  if (exact(plain)) return plain;
  const words = (f: string): string[] => posix.basename(f).replace(/\.[^.]+$/, '').split(/[\s_.()-]+/).filter((w) => /[a-z]/i.test(w));
  const shared = words(mine[0]!).filter((w) => mine.every((f) => words(f).some((x) => x.toLowerCase() === w.toLowerCase())));
  for (const w of shared) {
    const glob = `${pre}**/*${w}*${ext}`;
    if (exact(glob)) return glob;
  }
  return [...mine].sort();
}

export async function initStudy(folder: string, options: { force?: boolean } = {}): Promise<InitResult> {
  if (!existsSync(folder)) throw new VoidscopeError('ENOENT', 'no such folder', { file: folder });
  const existing = findStudyFile(folder);
  const file = existing ?? join(folder, STUDY_FILE_NAMES[0]);
  if (existing && !options.force) {
    throw new VoidscopeError('EOPTION', `a study file already exists (${existing}); use --force to overwrite it`);
  }
  const all = await walk(folder, [join(folder, 'voidscope-report')]);
  const scan = labelWithoutStudy(all, null);
  const groups: Array<Record<string, unknown>> = [];
  const labelled = [...scan.sem, ...scan.sims];
  for (const kind of ['sem', 'sims'] as const) {
    const files = kind === 'sem' ? scan.sem : scan.sims;
    for (const electrode of ['cathode', 'anode', 'full-cell'] as const) {
      const mine = files.filter((f) => f.label.electrode === electrode);
      if (mine.length === 0) continue;
      let exts = [...new Set(mine.map((f) => posix.extname(f.rel).toLowerCase()))];
      // SIMS maps exported both as BIF6 and as text: one form is enough (the scan already dropped the duplicates).
      if (kind === 'sims' && exts.includes('.bif6')) exts = exts.filter((e) => e === '.bif6' || mine.some((f) => posix.extname(f.rel).toLowerCase() === e && !/\.bif6$/i.test(f.rel)));
      const g: Record<string, unknown> = { name: `${kind.toUpperCase()} ${electrode}`, kind, electrode, files: filesFor(mine.map((f) => f.rel), exts, [...labelled.filter((f) => !mine.includes(f)).map((f) => f.rel), ...scan.unlabelled.map((u) => u.file)]) };
      // The threshold method is left to analyzePorosity's default (recorded per image in the report); pin it here if needed.
      if (kind === 'sem') g.options = { voids: 'dark' };
      else {
        g.state = 'cycled';
        const counts = new Set(mine.map((f) => f.label.cycles));
        const only = counts.size === 1 ? [...counts][0] : null;
        if (only) g.cycles = only;
        g.options = { channel: 'Li+' };
        g.reference = mine.reduce((m, f) => Math.min(m, f.label.binderWtPct), Infinity);
      }
      groups.push(g);
    }
  }
  if (groups.length === 0) {
    throw new VoidscopeError('EOPTION', `found no SEM images or SIMS maps with recognisable names under ${folder} (expected e.g. sem/cathode/NBR1.5/pristine/*.tif)`);
  }
  const doc: Record<string, unknown> = {
    version: 1,
    name: posix.basename(folder.split('\\').join('/').replace(/\/+$/, '')) || 'study',
    groups,
  };
  const ec: Record<string, unknown> = {};
  if (scan.tables.length) ec.tables = scan.tables;
  if (scan.cycling.length) {
    const dir = commonDir(scan.cycling.map((c) => c.rel));
    const exts = [...new Set(scan.cycling.map((c) => posix.extname(c.rel).toLowerCase()))];
    ec.cycling = [{ files: `${dir ? `${dir}/` : ''}**/*${exts.length === 1 ? exts[0] : `{${exts.join(',')}}`}` }];
  }
  if (Object.keys(ec).length) doc.electrochemistry = ec;
  // The rate pair of the rule: the highest and lowest C-rates the cycling files hold, where they say.
  const rates = new Set<number>();
  let lastCycle = 0;
  for (const c of scan.cycling) {
    try {
      const cell = await readCyclingFile(join(folder, c.rel), c.rel, { electrode: 'cathode', binderWtPct: 0 }, DEFAULT_RULE);
      for (const p of cell.cycles) if (p.cRate !== null) rates.add(p.cRate);
      lastCycle = Math.max(lastCycle, cell.cycles[cell.cycles.length - 1]!.cycle);
    } catch {
      /* not a readable cycling file: `run` will report it */
    }
  }
  const sortedRates = [...rates].sort((a, b) => a - b);
  const useRates = sortedRates.length >= 2;
  doc.recommendation = {
    rule: DEFAULT_RULE.rule,
    retentionCycle: lastCycle > 0 && lastCycle < DEFAULT_RULE.retentionCycle ? lastCycle : DEFAULT_RULE.retentionCycle,
    highRate: useRates ? sortedRates[sortedRates.length - 1] : DEFAULT_RULE.highRate,
    lowRate: useRates ? sortedRates[0] : DEFAULT_RULE.lowRate,
    margin: DEFAULT_RULE.marginPp,
    tie: DEFAULT_RULE.tiePp,
  };
  const header = [
    '# voidscope study file, written by `voidscope init` — edit it, then run `voidscope run <folder>`.',
    '# groups: files (picomatch globs relative to this folder), kind (sem | sims), electrode (cathode | anode | full-cell),',
    '#   binder (wt %), state (pristine | cycled) and cycles; when binder/state are absent they are read from each path',
    '#   (NBR1.5 or 1.5wt%; pristine/fresh/before or cycled150/cyc150/150cyc/after). options go to the analysis (SEM: method,',
    '#   voids, roi, pixelSize, minPore…;',
    '#   SIMS: channel, fovUm, bin…). reference: the binder content SIMS Li+ is compared with.',
    '# electrochemistry: tables (CSV/TSV/JSON, units in the headers, e.g. "retention_150 (%)"; a table without electrode or',
    '#   binder columns: - {files: x.csv, electrode: cathode, binder: 1.5, source: published}) and per-cell cycling files.',
    '# recommendation: highest retention after retentionCycle among binder contents whose rate capability',
    '#   (highRate C / lowRate C) is within margin percentage points of the best; tie = pp below which retentions are a tie.',
    '',
  ].join('\n');
  const text = header + stringify(doc, { lineWidth: 120 });
  await writeFileAtomic(file, text);
  return { file, groups: groups.length, unlabelled: scan.unlabelled, text };
}
