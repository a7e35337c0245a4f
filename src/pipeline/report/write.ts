/**
 * Writing the report folder: report.json, porosity.csv, sims.csv, summary.csv,
 * report.md, index.html and plots/*.svg (each with writeFileAtomic). Called on
 * the run's temporary folder, which runStudy renames into place at the end.
 */
import { join } from 'node:path';
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { stringify } from 'csv-stringify/sync';
import sharp from 'sharp';
import { writeFileAtomic } from '../../fsutil.js';
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

/** Write every report file into `dir`. */
export async function writeReportFiles(r: StudyResult, dir: string, _ctx: { sourceRoot: string }): Promise<Plot[]> {
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
  return plots;
}
