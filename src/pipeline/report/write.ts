/**
 * Writing the report folder: report.json, porosity.csv, sims.csv, summary.csv,
 * report.md, index.html and plots/*.svg (each with writeFileAtomic). Called on
 * the run's temporary folder, which runStudy renames into place at the end.
 *
 * Also the safety rules of the report folder (issue 12): the marker file that makes every scan
 * skip a voidscope report (`REPORT_MARKER`) and the clean-up of temporary folders left by killed
 * runs (`markRunFolder`, `removeStaleRunFolders`). Where the report may be is stages/output.ts `checkOut`.
 */
import { basename, dirname, join } from 'node:path';
import { readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { VoidscopeError } from '../../errors.js';
import { VERSION } from '../../version.js';
import { stringify } from 'csv-stringify/sync';
import sharp from 'sharp';
import { REPORT_MARKER, writeFileAtomic } from '../../fsutil.js';
import type { StudyResult } from '../types.js';
import { renderPlots, type Plot } from './plots.js';
import { porosityRows, simsRows, summaryColumns, type Cell } from './tables.js';
import { renderMarkdown } from './markdown.js';
import { renderHtml, type Thumb } from './html.js';

function csv(rows: Array<Record<string, Cell>>, header?: string[]): string {
  const cols = header ?? (rows[0] ? Object.keys(rows[0]) : []);
  // Numbers keep 10 significant digits: full precision for any measurement, without binary noise like 0.30000000000000004.
  const cell = (v: Cell | undefined): string | number => (typeof v === 'number' ? Number(v.toPrecision(10)) : v ?? '');
  return stringify(rows.map((r) => cols.map((c) => cell(r[c]))), { header: true, columns: cols, bom: false });
}

export function summaryCsv(r: StudyResult): string {
  const cols = summaryColumns(r);
  const rows = r.summary.map((s) => Object.fromEntries(cols.map((c) => [c.csv, c.value(s)])));
  return csv(rows, cols.map((c) => c.csv));
}

async function thumb(file: string): Promise<string | null> {
  if (!existsSync(file)) return null;
  try {
    // JPEG thumbnails keep the self-contained page small; the link opens the full-size PNG.
    const buf = await sharp(await readFile(file)).resize({ width: 220, withoutEnlargement: true }).flatten({ background: '#ffffff' }).jpeg({ quality: 82 }).toBuffer();
    return `data:image/jpeg;base64,${buf.toString('base64')}`;
  } catch {
    return null;
  }
}

/** The marker file (written into every report; the scan skips any folder holding it). */
export { REPORT_MARKER };

/** Write every report file into `dir`. */
export async function writeReportFiles(r: StudyResult, dir: string, _ctx: { sourceRoot: string }): Promise<Plot[]> {
  await writeFileAtomic(join(dir, REPORT_MARKER), `${JSON.stringify({ voidscope: VERSION, note: 'voidscope report folder: voidscope never reads files below this folder as inputs' })}\n`);
  const plots = await renderPlots(r);
  for (const p of plots) await writeFileAtomic(join(dir, 'plots', p.name), p.svg);
  await writeFileAtomic(join(dir, 'report.json'), `${JSON.stringify(r, null, 2)}\n`);
  await writeFileAtomic(join(dir, 'porosity.csv'), csv(porosityRows(r)));
  await writeFileAtomic(join(dir, 'sims.csv'), csv(simsRows(r)));
  await writeFileAtomic(join(dir, 'summary.csv'), summaryCsv(r));
  await writeFileAtomic(join(dir, 'report.md'), renderMarkdown(r, plots));
  const thumbs: Thumb[] = [];
  for (const s of r.sem) {
    if (!s.overlay) continue;
    const data = await thumb(join(dir, s.overlay));
    if (data) thumbs.push({ kind: 'overlay', href: s.overlay, data, caption: `${s.file} — ${s.porosityPercent !== null ? `${s.porosityPercent.toFixed(2)} %` : ''}` });
  }
  for (const m of r.sims) {
    if (!m.heatmap) continue;
    const data = await thumb(join(dir, m.heatmap));
    if (data) thumbs.push({ kind: 'heatmap', href: m.heatmap, data, caption: `${m.file} — ${m.meanCounts !== null ? `${m.meanCounts.toFixed(2)} counts per pixel` : ''}` });
  }
  await writeFileAtomic(join(dir, 'index.html'), renderHtml(r, plots, thumbs));
  await rm(join(dir, RUN_OWNER), { force: true }); // the finished report carries no owner
  return plots;
}

/** Name of the file inside a run's temporary folder that says which process owns it. */
const RUN_OWNER = '.voidscope-run';

/** Record the owning process in a run's temporary folder (so later runs can tell it is abandoned). */
export async function markRunFolder(tmp: string): Promise<void> {
  await writeFile(join(tmp, RUN_OWNER), JSON.stringify({ pid: process.pid, host: hostname(), startedAt: new Date().toISOString() }));
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Remove `.<out>.tmp-*` / `.<out>.old-*` folders left beside `out` by runs that were killed: those
 * whose owner process (same host) is gone (or that are a day old), those of unknown owner older
 * than `maxAgeMs` (default 1 h), and `.old-*` folders older than a minute (a finished run removes
 * its own right after the swap). A folder of a run still in progress is left alone.
 */
export async function removeStaleRunFolders(out: string, maxAgeMs = 3600_000): Promise<string[]> {
  const parent = dirname(out);
  const prefix = `.${basename(out)}.`;
  let names: string[] = [];
  try {
    names = await readdir(parent);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const n of names) {
    if (!n.startsWith(prefix) || !/\.(tmp|old)-[0-9a-f]{12}$/.test(n)) continue;
    const p = join(parent, n);
    try {
      let stale: boolean;
      let owner: { pid?: unknown; host?: unknown } | null = null;
      try {
        owner = JSON.parse(await readFile(join(p, RUN_OWNER), 'utf8')) as { pid?: unknown; host?: unknown };
      } catch {
        owner = null;
      }
      const age = Date.now() - (await stat(p)).mtimeMs;
      if (owner && typeof owner.pid === 'number' && owner.host === hostname()) {
        // Owner gone; or a day old, in case its process id was reused since.
        stale = owner.pid !== process.pid && (!alive(owner.pid) || age > 24 * 3600_000);
      } else stale = age > maxAgeMs;
      if (/\.old-/.test(n)) stale = stale || age > 60_000; // an old report is removed right after the swap
      if (stale) {
        await rm(p, { recursive: true, force: true });
        removed.push(p);
      }
    } catch {
      /* raced with another run: leave it */
    }
  }
  return removed;
}
