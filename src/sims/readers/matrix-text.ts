/**
 * Plain count matrix as text: one image row per line, cells separated by commas, tabs,
 * semicolons or spaces, no header (e.g. refdata derived/…csv). `#` lines are comments.
 * Comma/tab/semicolon files go through csv-parse; space-separated files are split on whitespace.
 */
import { parse } from 'csv-parse/sync';
import { VoidscopeError } from '../../errors.js';
import type { CountRaster, SimsChannel, SimsDataset } from '../types.js';
import { describeXY, readInput, toCountRaster, validateCounts } from './common.js';
import { parseCell, splitLines, splitWhitespace } from './text-lines.js';

export function detectDelimiter(sample: string): ',' | '\t' | ';' | 'whitespace' {
  const line = splitLines(sample).find((l) => l.trim() !== '' && !l.startsWith('#')) ?? '';
  if (line.includes(',')) return ',';
  if (line.includes('\t')) return '\t';
  if (line.includes(';')) return ';';
  return 'whitespace';
}

export async function readMatrixText(file: string, text?: string): Promise<SimsDataset> {
  const body = text ?? (await readInput(file)).toString('latin1');
  const delimiter = detectDelimiter(body.slice(0, 65536));
  let rows: { line: number; cells: string[] }[];
  if (delimiter === 'whitespace') {
    rows = [];
    splitLines(body).forEach((l, i) => {
      if (l.startsWith('#')) return;
      const cells = splitWhitespace(l);
      if (cells.length) rows.push({ line: i + 1, cells });
    });
  } else {
    try {
      const recs = parse(body, {
        delimiter,
        comment: '#',
        skip_empty_lines: true,
        trim: true,
        relax_column_count: true,
        info: true,
      }) as unknown as { record: string[]; info: { lines: number } }[];
      rows = recs.map((r) => {
        const cells = r.record;
        // A trailing delimiter (e.g. "1,2,3,") leaves one empty last cell: drop it.
        if (cells.length > 1 && cells[cells.length - 1] === '') cells.pop();
        return { line: r.info.lines, cells };
      });
    } catch (e) {
      throw new VoidscopeError('EPARSE', `cannot parse as a ${delimiter === '\t' ? 'tab' : `"${delimiter}"`}-separated matrix: ${(e as Error).message}`, { file, cause: e });
    }
  }
  if (rows.length === 0) throw new VoidscopeError('EEMPTY', 'no data rows', { file });
  const width = rows[0]!.cells.length;
  const height = rows.length;
  const values = new Float64Array(width * height);
  rows.forEach((r, y) => {
    if (r.cells.length !== width) {
      throw new VoidscopeError('EPARSE', `line ${r.line}: ragged row with ${r.cells.length} values, the first row has ${width}`, { file });
    }
    r.cells.forEach((c, x) => {
      values[y * width + x] = parseCell(c, file, r.line, x + 1);
    });
  });
  validateCounts(values, file, (i) => `line ${rows[Math.floor(i / width)]!.line}, column ${(i % width) + 1}`);
  void describeXY;
  const raster: CountRaster = toCountRaster(values, width, height);
  const channel: SimsChannel = { index: 0, kind: 'unknown', counts: raster, load: async () => raster };
  return {
    file,
    format: 'matrix-text',
    channels: [channel],
    width,
    height,
    pixelSize: null,
    assumptions: [
      `count matrix: one image row per line (row 0 = top), ${delimiter === 'whitespace' ? 'whitespace' : delimiter === '\t' ? 'tab' : `"${delimiter}"`}-separated; no channel label or mass in the file`,
    ],
    meta: { delimiter },
  };
}
