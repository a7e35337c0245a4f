/**
 * `initStudy(folder)`: write a starting `voidscope.yaml` from what the folder
 * holds, for the user to edit. Groups are made per kind and electrode from the
 * names in the paths; binder content and state stay path-derived (NBR1.5,
 * pristine / cycled150) unless the user pins them.
 */
import { existsSync } from 'node:fs';
import { join, posix } from 'node:path';
import { stringify } from 'yaml';
import { VoidscopeError } from '../errors.js';
import { writeFileAtomic } from '../fsutil.js';
import { labelWithoutStudy, walk } from './inputs.js';
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
  for (const kind of ['sem', 'sims'] as const) {
    const files = kind === 'sem' ? scan.sem : scan.sims;
    for (const electrode of ['cathode', 'anode', 'full-cell'] as const) {
      const mine = files.filter((f) => f.label.electrode === electrode);
      if (mine.length === 0) continue;
      let exts = [...new Set(mine.map((f) => posix.extname(f.rel).toLowerCase()))];
      // SIMS maps exported both as BIF6 and as text: one form is enough (the scan already dropped the duplicates).
      if (kind === 'sims' && exts.includes('.bif6')) exts = exts.filter((e) => e === '.bif6' || mine.some((f) => posix.extname(f.rel).toLowerCase() === e && !/\.bif6$/i.test(f.rel)));
      const dir = commonDir(mine.map((f) => f.rel));
      const glob = `${dir ? `${dir}/` : ''}**/*${exts.length === 1 ? exts[0] : `{${exts.join(',')}}`}`;
      const g: Record<string, unknown> = { name: `${kind.toUpperCase()} ${electrode}`, kind, electrode, files: glob };
      // The threshold method is left to analyzePorosity's default (recorded per image in the report); pin it here if needed.
      if (kind === 'sem') g.options = { voids: 'dark' };
      else {
        g.state = 'cycled';
        const cycles = mine.find((f) => f.label.cycles)?.label.cycles;
        if (cycles) g.cycles = cycles;
        g.options = { channel: 'Li+' };
        g.reference = mine.reduce((m, f) => (f.label.binderWtPct < m ? f.label.binderWtPct : m), Infinity);
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
  doc.recommendation = {
    rule: DEFAULT_RULE.rule,
    retentionCycle: DEFAULT_RULE.retentionCycle,
    highRate: DEFAULT_RULE.highRate,
    lowRate: DEFAULT_RULE.lowRate,
    margin: DEFAULT_RULE.marginPp,
    tie: DEFAULT_RULE.tiePp,
  };
  const header = [
    '# voidscope study file, written by `voidscope init` — edit it, then run `voidscope run <folder>`.',
    '# groups: files (picomatch globs relative to this folder), kind (sem | sims), electrode (cathode | anode | full-cell),',
    '#   binder (wt %), state (pristine | cycled) and cycles; when binder/state are absent they are read from each path',
    '#   (NBR1.5 or 1.5wt%; pristine or cycled150). options go to the analysis (SEM: method, voids, roi, pixelSize, minPore…;',
    '#   SIMS: channel, fov, bin…). reference: the binder content SIMS Li+ is compared with.',
    '# electrochemistry: tables (CSV/TSV/JSON, units in the headers, e.g. "retention_150 (%)") and per-cell cycling files.',
    '# recommendation: highest retention after retentionCycle among binder contents whose rate capability',
    '#   (highRate C / lowRate C) is within margin percentage points of the best; tie = pp below which retentions are a tie.',
    '',
  ].join('\n');
  const text = header + stringify(doc, { lineWidth: 120 });
  await writeFileAtomic(file, text);
  return { file, groups: groups.length, unlabelled: scan.unlabelled, text };
}
