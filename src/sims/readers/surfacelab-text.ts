/**
 * ION-TOF SurfaceLab image text export: one file per peak, named
 * `<measurement> (<channel id>) - <peak label>.txt`, channel (0) being `total`.
 * Body (refdata/sims/FORMATS.md §3, inferred from three independent scripts; no public sample):
 * `#` comment lines, then whitespace-separated rows `x y counts` (2D) or `x y z counts` (3D),
 * zero-based indices. Raster size = max index + 1 unless a header states it; pixels absent
 * from the file are zero; the 3D variant is summed over z (recorded as an assumption).
 */
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { createInterface } from 'node:readline';
import { VoidscopeError } from '../../errors.js';
import type { CountRaster, SimsChannel, SimsDataset } from '../types.js';
import { SIMS_MAX_PIXELS, describeXY, statInput, toCountRaster, validateCounts } from './common.js';
import { parseCell, splitLines, splitWhitespace } from './text-lines.js';

/** `<meas> (<id>) - <label>.txt` → parts, or null. */
export function parseExportName(file: string): { measurement: string; id: number; label: string } | null {
  const m = /^(.*) \((\d+)\) - (.+?)\.(txt|asc|dat)$/i.exec(basename(file));
  if (!m) return null;
  return { measurement: m[1]!, id: Number(m[2]), label: m[3]! };
}

/** A header line such as `# Image Size: 128 x 128` or `# width: 128`. */
function headerSize(lines: string[]): { width: number; height: number; line: string } | null {
  for (const l of lines) {
    if (!l.startsWith('#')) continue;
    const m = /(\d+)\s*[x×*]\s*(\d+)\s*(pixels?|px)?/i.exec(l);
    if (m && /size|pixel|raster|resolution/i.test(l)) return { width: Number(m[1]), height: Number(m[2]), line: l.trim() };
  }
  return null;
}

/** Growable typed column (rows of a text export can number tens of millions for 3D exports). */
class Column<T extends Uint32Array | Float64Array> {
  data: T;
  length = 0;
  constructor(private readonly Ctor: { new (n: number): T }) {
    this.data = new Ctor(1024);
  }
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new this.Ctor(this.data.length * 2);
      next.set(this.data as never);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
}

/** Line-by-line parser state for the image text export (fed from a stream or a string). */
class ImageTextParser {
  comments: string[] = [];
  ncols = 0;
  readonly xs = new Column(Uint32Array);
  readonly ys = new Column(Uint32Array);
  readonly zs = new Column(Uint32Array);
  readonly cs = new Column(Float64Array);
  private lineNo = 0;
  constructor(private readonly file: string) {}

  line(raw: string): void {
    const file = this.file;
    const i = this.lineNo++;
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.startsWith('#')) {
      if (this.comments.length < 200) this.comments.push(line);
      return;
    }
    const cells = splitWhitespace(line);
    if (cells.length === 0) return;
    if (this.ncols === 0) {
      if (cells.length !== 3 && cells.length !== 4) {
        throw new VoidscopeError('EPARSE', `line ${i + 1}: ${cells.length} columns; an image text export has rows of "x y counts" or "x y z counts"`, { file });
      }
      this.ncols = cells.length;
    } else if (cells.length !== this.ncols) {
      throw new VoidscopeError('EPARSE', `line ${i + 1}: ragged row with ${cells.length} columns, earlier rows have ${this.ncols}`, { file });
    }
    const ncols = this.ncols;
    const v = cells.map((c, k) => parseCell(c, file, i + 1, k + 1));
    const nIdx = ncols === 4 ? 3 : 2;
    for (let k = 0; k < nIdx; k++) {
      const n = v[k]!;
      if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) {
        throw new VoidscopeError('EPARSE', `line ${i + 1}, column ${k + 1}: pixel index ${cells[k]} is not a non-negative integer`, { file });
      }
    }
    const c = v[ncols - 1]!;
    if (!Number.isFinite(c)) throw new VoidscopeError('ECORRUPT', `line ${i + 1}: count is ${cells[ncols - 1]} (not a finite number)`, { file });
    if (c < 0) throw new VoidscopeError('ECORRUPT', `line ${i + 1}: negative count ${c}`, { file });
    this.xs.push(v[0]!);
    this.ys.push(v[1]!);
    if (ncols === 4) this.zs.push(v[2]!);
    this.cs.push(c);
  }
}

async function parseImageText(file: string, text: string | undefined): Promise<ImageTextParser> {
  const p = new ImageTextParser(file);
  if (text !== undefined) {
    for (const l of splitLines(text)) p.line(l);
    return p;
  }
  await statInput(file);
  const rl = createInterface({ input: createReadStream(file, { encoding: 'latin1' }), crlfDelay: Infinity });
  try {
    for await (const l of rl) p.line(l);
  } catch (e) {
    if (e instanceof VoidscopeError) throw e;
    throw new VoidscopeError('EIO', `cannot read file: ${(e as Error).message}`, { file, cause: e });
  } finally {
    rl.close();
  }
  return p;
}

export async function readSurfaceLabImageText(file: string, text?: string): Promise<SimsDataset> {
  const p = await parseImageText(file, text);
  const { comments, ncols } = p;
  const n = p.cs.length;
  const xs = p.xs.data;
  const ys = p.ys.data;
  const zs = p.zs.data;
  const cs = p.cs.data;
  if (n === 0) throw new VoidscopeError('EEMPTY', 'no data rows (only comments or blank lines)', { file });
  let maxX = 0;
  let maxY = 0;
  for (let k = 0; k < n; k++) {
    if (xs[k]! > maxX) maxX = xs[k]!;
    if (ys[k]! > maxY) maxY = ys[k]!;
  }
  const stated = headerSize(comments);
  const assumptions: string[] = [];
  let width = maxX + 1;
  let height = maxY + 1;
  if (stated) {
    if (stated.width < width || stated.height < height) {
      throw new VoidscopeError('ECORRUPT', `header states ${stated.width}×${stated.height} pixels but data reach x=${maxX}, y=${maxY}`, { file });
    }
    width = stated.width;
    height = stated.height;
    assumptions.push(`raster size ${width}×${height} taken from the header line "${stated.line}"`);
  } else {
    assumptions.push(`raster size ${width}×${height} taken from the largest pixel indices + 1 (no size in the header)`);
  }
  if (width * height > SIMS_MAX_PIXELS) throw new VoidscopeError('ETOOLARGE', `pixel indices imply a ${width}×${height} raster, over the limit of ${SIMS_MAX_PIXELS / (1 << 20)} Mi pixels`, { file });
  const values = new Float64Array(width * height);
  const seen = ncols === 3 ? new Uint8Array(width * height) : null;
  for (let k = 0; k < n; k++) {
    const px = ys[k]! * width + xs[k]!;
    if (seen) {
      if (seen[px]) throw new VoidscopeError('ECORRUPT', `pixel x=${xs[k]}, y=${ys[k]} appears twice`, { file });
      seen[px] = 1;
    }
    values[px] = values[px]! + cs[k]!;
  }
  if (n < width * height && ncols === 3) {
    assumptions.push(`${width * height - n} pixels absent from the file are taken as 0 counts`);
  }
  if (ncols === 4) {
    const planes = new Set(zs.subarray(0, n)).size;
    assumptions.push(`3D export (x y z counts): summed over ${planes} z plane(s) into one 2D image`);
  }
  assumptions.push('pixel indices are zero-based, x = first column, y = second column, row 0 at the top');
  validateCounts(values, file, describeXY(width));
  const raster: CountRaster = toCountRaster(values, width, height);
  const name = parseExportName(file);
  const isTotal = name ? name.id === 0 || /^total$/i.test(name.label.trim()) : false;
  const channel: SimsChannel = {
    index: 0,
    kind: name ? (isTotal ? 'total' : 'peak') : 'unknown',
    counts: raster,
    load: async () => raster,
  };
  if (name) {
    channel.id = name.id;
    channel.label = name.label.trim();
  } else {
    assumptions.push('file name does not follow "<measurement> (<id>) - <label>.txt": channel label unknown');
  }
  return {
    file,
    format: 'surfacelab-image-text',
    channels: [channel],
    width,
    height,
    pixelSize: null,
    assumptions,
    meta: { measurement: name?.measurement ?? null, columns: ncols, rows: n, header: comments },
  };
}

/** Write an image text export body (used by tests and the sample generator). 2D form unless `z` is given. */
export function encodeSurfaceLabImageText(
  width: number,
  height: number,
  counts: ArrayLike<number>,
  opts: { header?: string[]; omitZeros?: boolean; z?: number; eol?: string } = {},
): string {
  const eol = opts.eol ?? '\r\n';
  const out: string[] = (opts.header ?? []).map((h) => (h.startsWith('#') ? h : `# ${h}`));
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const c = counts[y * width + x]!;
      if (opts.omitZeros && c === 0) continue;
      out.push(opts.z === undefined ? `${x}\t${y}\t${c}` : `${x}\t${y}\t${opts.z}\t${c}`);
    }
  }
  return out.join(eol) + eol;
}
