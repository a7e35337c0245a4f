/**
 * One entry point for every TOF-SIMS export voidscope reads: `readSimsFile` picks the reader
 * from the file's content (magic bytes, XML root, text header), using the extension only to
 * break ties between plain-text layouts.
 */
import { open } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { VoidscopeError } from '../errors.js';
import { readBif6, isBif6 } from './readers/bif6.js';
import { isPngHead, isTiffHead, readCountImage } from './readers/count-image.js';
import { statInput } from './readers/common.js';
import { isImzmlHead, readImzml } from './readers/imzml.js';
import { detectDelimiter, readMatrixText } from './readers/matrix-text.js';
import { isProfileText, isSpectrumText, readProfileText, readSpectrumText } from './readers/spectrum-text.js';
import { parseExportName, readSurfaceLabImageText } from './readers/surfacelab-text.js';
import { splitLines, splitWhitespace } from './readers/text-lines.js';
import type { SimsDataset, SimsFormat } from './types.js';

export interface ReadSimsOptions {
  /** Force a reader instead of detecting one. */
  format?: SimsFormat;
  /** imzML: verify the .ibd SHA-1/MD5 stated in the XML (default: when the .ibd is ≤ 256 MiB). */
  verifyChecksum?: boolean;
}

export const SIMS_FORMATS: readonly SimsFormat[] = [
  'bif6',
  'surfacelab-image-text',
  'matrix-text',
  'imzml',
  'count-tiff',
  'count-png',
  'surfacelab-spectrum',
  'surfacelab-profile',
];

const SUPPORTED = 'ION-TOF BIF6, SurfaceLab image/spectrum/depth-profile text exports, count matrices (CSV/TSV/text), imzML (.imzML + .ibd), 16/32-bit count TIFF or PNG';

/** Decide the format from the first bytes (and, for ambiguous text, the file name). */
export async function detectSimsFormat(file: string): Promise<SimsFormat> {
  const size = await statInput(file);
  const fh = await open(file, 'r');
  let head: Buffer;
  try {
    head = Buffer.alloc(Math.min(size, 65536));
    await fh.read(head, 0, head.length, 0);
  } finally {
    await fh.close();
  }
  if (isBif6(head)) return 'bif6';
  if (isTiffHead(head)) return 'count-tiff';
  if (isPngHead(head)) return 'count-png';
  const ext = extname(file).toLowerCase();
  if (ext === '.ibd') {
    throw new VoidscopeError('EUNSUPPORTED', 'this is the binary half of an imzML pair: pass the .imzML file (the .ibd is found next to it)', { file });
  }
  // A .bif6 file without the magic: let the BIF6 reader say precisely what is wrong.
  if (/^\.bif6$/i.test(ext)) return 'bif6';
  // Text from here on: binary content (NUL bytes) is not ours.
  const probe = head.subarray(0, Math.min(head.length, 4096));
  if (probe.includes(0)) {
    throw new VoidscopeError('EUNSUPPORTED', `unrecognised binary file (starts ${head.subarray(0, 8).toString('hex')}); voidscope reads ${SUPPORTED}`, { file });
  }
  const text = head.toString('latin1');
  if (/^\s*(<\?xml|<)/.test(text)) {
    if (isImzmlHead(text) || (ext === '.imzml' && /<(indexedmzML|mzML)[\s>]/.test(text))) return 'imzml';
    throw new VoidscopeError('EUNSUPPORTED', 'XML file that is not imzML (no <mzML> root with imaging terms)', { file });
  }
  if (isSpectrumText(text)) return 'surfacelab-spectrum';
  if (isProfileText(text)) return 'surfacelab-profile';
  if (parseExportName(file)) return 'surfacelab-image-text';
  const delim = detectDelimiter(text);
  if (delim === ',' || delim === ';') return 'matrix-text';
  // Whitespace/tab text: "x y [z] counts" rows (image export) or a matrix (one row per line)?
  const rows = splitLines(text)
    .filter((l) => l.trim() !== '' && !l.startsWith('#'))
    .slice(0, 50)
    .map((l) => splitWhitespace(l));
  const lastComplete = text.length === head.length && size > head.length ? rows.slice(0, -1) : rows;
  if (
    lastComplete.length >= 2 &&
    lastComplete.every((r) => r.length === 3 || r.length === 4) &&
    lastComplete.every((r) => /^\d+$/.test(r[0]!) && /^\d+$/.test(r[1]!)) &&
    new Set(lastComplete.map((r) => `${r[0]},${r[1]},${r.length === 4 ? r[2] : ''}`)).size === lastComplete.length
  ) {
    const steps = lastComplete.slice(1).filter((r, i) => {
      const p = lastComplete[i]!;
      return Math.abs(Number(r[0]) - Number(p[0])) + Math.abs(Number(r[1]) - Number(p[1])) >= 1;
    });
    if (steps.length === lastComplete.length - 1 && lastComplete.length > 4) return 'surfacelab-image-text';
  }
  if (rows.length > 0) return 'matrix-text';
  throw new VoidscopeError('EUNSUPPORTED', `cannot tell the format of "${basename(file)}"; voidscope reads ${SUPPORTED}`, { file });
}

/** Read any supported SIMS export into a typed dataset (channel pixel data loaded lazily). */
export async function readSimsFile(file: string, options: ReadSimsOptions = {}): Promise<SimsDataset> {
  if (options.format !== undefined && !SIMS_FORMATS.includes(options.format)) {
    throw new VoidscopeError('EOPTION', `unknown SIMS format "${options.format}"; one of ${SIMS_FORMATS.join(', ')}`);
  }
  const format = options.format ?? (await detectSimsFormat(file));
  switch (format) {
    case 'bif6':
      return readBif6(file);
    case 'count-tiff':
      return readCountImage(file, 'tiff');
    case 'count-png':
      return readCountImage(file, 'png');
    case 'imzml':
      return readImzml(file, options.verifyChecksum === undefined ? {} : { verifyChecksum: options.verifyChecksum });
    case 'surfacelab-spectrum':
      return readSpectrumText(file);
    case 'surfacelab-profile':
      return readProfileText(file);
    case 'surfacelab-image-text':
      return readSurfaceLabImageText(file);
    case 'matrix-text':
      return readMatrixText(file);
  }
}

export interface SimsChannelInfo {
  index: number;
  id: number | null;
  label: string | null;
  kind: string;
  mzRange: [number, number] | null;
  mzCentre: number | null;
}

/** The channels a file holds (ids, labels, mass ranges), without loading pixel data. */
export async function listSimsChannels(file: string, options: ReadSimsOptions = {}): Promise<{
  file: string;
  format: SimsFormat;
  width: number;
  height: number;
  pixelSize: SimsDataset['pixelSize'];
  channels: SimsChannelInfo[];
  /** True when any m/z window can be extracted (imzML, spectra), not only the listed channels. */
  anyMzWindow: boolean;
  assumptions: string[];
}> {
  const ds = await readSimsFile(file, options);
  return {
    file: ds.file,
    format: ds.format,
    width: ds.width,
    height: ds.height,
    pixelSize: ds.pixelSize,
    channels: ds.channels.map((c) => ({
      index: c.index,
      id: c.id ?? null,
      label: c.label ?? null,
      kind: c.kind,
      mzRange: c.mzRange ?? null,
      mzCentre: c.mzCentre ?? null,
    })),
    anyMzWindow: ds.extractMz !== undefined,
    assumptions: ds.assumptions,
  };
}
