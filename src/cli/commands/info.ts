/**
 * `voidscope info <image...>`: size, depth, pages, vendor/instrument, calibration with its source,
 * data bar and acquisition parameters of SEM images. A thin layer over readImage + readSemMetadata.
 */
import type { Argv, CommandModule } from 'yargs';
import { assertOption, isVoidscopeError } from '../../errors.js';
import { readImage } from '../../raster/read.js';
import type { DecodedImage } from '../../raster/read.js';
import type { PixelSize } from '../../raster/types.js';
import { readSemMetadata, resolvePixelSize } from '../../segmentation/metadata/index.js';
import type { DatabarInfo, SemMetadata } from '../../segmentation/metadata/index.js';

interface InfoArgs {
  image: string[];
  json: boolean;
  'pixel-size'?: number;
  page: number;
}

/** The JSON record of one image (also what the human-readable output shows). */
export interface ImageInfo {
  file: string;
  format: string;
  width: number;
  height: number;
  bitDepth: number;
  sampleFormat: string;
  pages: number;
  page: number;
  channels: number;
  greyConversion: string | null;
  /** What the decoder kept or refused to do (e.g. a min-is-white image kept raw, as ImageJ does). */
  decoderNotes: string[];
  vendor: SemMetadata['vendor'];
  instrument: string | null;
  /** Calibration in use: the user's (source "user") or the metadata's; null = uncalibrated. */
  pixelSize: PixelSize | null;
  /** The metadata's calibration when the user overrode it. */
  metadataPixelSize?: PixelSize | null;
  databar: DatabarInfo | null;
  /** Rows analysed by default (height minus the data bar). */
  analysedHeight: number;
  acceleratingVoltageKV?: number;
  workingDistanceMm?: number;
  magnification?: number;
  detector?: string;
  date?: string;
  sidecar: string | null;
  warnings: string[];
  fields: Record<string, string>;
}

export async function imageInfo(file: string, options: { page?: number; pixelSize?: number } = {}): Promise<ImageInfo> {
  const image: DecodedImage = await readImage(file, options.page === undefined ? {} : { page: options.page });
  const meta = await readSemMetadata(file, image);
  const pixelSize = resolvePixelSize(meta, options.pixelSize);
  const r = image.raster;
  const info: ImageInfo = {
    file,
    format: image.format,
    width: r.width,
    height: r.height,
    bitDepth: r.bitDepth,
    sampleFormat: r.sampleFormat,
    pages: image.pages,
    page: image.page,
    channels: image.channels,
    greyConversion: image.greyConversion,
    decoderNotes: image.notes ?? [],
    vendor: meta.vendor,
    instrument: meta.instrument,
    pixelSize,
    databar: meta.databar,
    analysedHeight: r.height - (meta.databar?.rows ?? 0),
    sidecar: meta.sidecar ?? null,
    warnings: meta.warnings,
    fields: meta.fields,
  };
  if (options.pixelSize !== undefined) info.metadataPixelSize = meta.pixelSize;
  for (const k of ['acceleratingVoltageKV', 'workingDistanceMm', 'magnification', 'detector', 'date'] as const) {
    if (meta[k] !== undefined) (info as unknown as Record<string, unknown>)[k] = meta[k];
  }
  return info;
}

function num(v: number, digits = 6): string {
  return Number(v.toPrecision(digits)).toString();
}

export function formatInfo(i: ImageInfo): string {
  const lines: string[] = [i.file];
  const row = (k: string, v: string): void => {
    lines.push(`  ${`${k}:`.padEnd(16)}${v}`);
  };
  row('size', `${i.width} × ${i.height} px, ${i.bitDepth}-bit ${i.sampleFormat}, ${i.format}`);
  row('pages', i.pages > 1 ? `${i.pages} (showing page ${i.page}, zero-based)` : '1');
  if (i.greyConversion) row('grey', i.greyConversion);
  if (i.decoderNotes.length) row('decoding', i.decoderNotes.join('; '));
  row('vendor', i.vendor ? `${i.vendor}${i.instrument ? ` (${i.instrument})` : ''}` : 'unknown (no vendor metadata)');
  if (i.pixelSize) {
    const y = i.pixelSize.valueY !== undefined ? ` × ${num(i.pixelSize.valueY)} (y)` : '';
    row('pixel size', `${num(i.pixelSize.value)}${y} µm/px  [${i.pixelSize.source}]`);
    row('field of view', `${num(i.pixelSize.value * i.width, 4)} × ${num((i.pixelSize.valueY ?? i.pixelSize.value) * i.analysedHeight, 4)} µm`);
  } else row('pixel size', 'uncalibrated (give --pixel-size µm to calibrate)');
  if (i.metadataPixelSize !== undefined) {
    row('metadata said', i.metadataPixelSize ? `${num(i.metadataPixelSize.value)} µm/px  [${i.metadataPixelSize.source}]` : 'uncalibrated');
  }
  if (i.databar) {
    row('data bar', i.databar.rows > 0 ? `${i.databar.rows} rows at the bottom  [${i.databar.source}]` : `none  [${i.databar.source}]`);
  } else row('data bar', 'none found');
  row('analysed', `${i.width} × ${i.analysedHeight} px`);
  if (i.acceleratingVoltageKV !== undefined) row('voltage', `${num(i.acceleratingVoltageKV)} kV`);
  if (i.workingDistanceMm !== undefined) row('working dist.', `${num(i.workingDistanceMm, 5)} mm`);
  if (i.magnification !== undefined) row('magnification', `${num(i.magnification)} ×`);
  if (i.detector !== undefined) row('detector', i.detector);
  if (i.date !== undefined) row('date', i.date);
  if (i.sidecar) row('sidecar', i.sidecar);
  row('raw fields', `${Object.keys(i.fields).length} (see --json)`);
  if (i.warnings.length) {
    lines.push('  warnings:');
    for (const w of i.warnings) lines.push(`    - ${w}`);
  }
  return lines.join('\n');
}

const command: CommandModule<object, InfoArgs> = {
  command: 'info <image...>',
  describe: 'Show size, calibration (pixel size and its source), data bar and acquisition metadata of SEM images',
  builder: (y: Argv) =>
    y
      .positional('image', { type: 'string', array: true, demandOption: true, describe: 'Image file(s): TIFF, PNG, JPEG, BMP' })
      .option('json', { type: 'boolean', default: false, describe: 'JSON on stdout: one object per image (an array for several)' })
      .option('pixel-size', { type: 'number', describe: 'Calibration in µm per pixel; overrides the metadata (source "user")' })
      .option('page', { type: 'number', default: 0, describe: 'Zero-based page of a multi-page TIFF' })
      .example('$0 info image.tif', 'Human-readable summary')
      .example('$0 info *.tif --json', 'JSON array, one object per image') as unknown as Argv<InfoArgs>,
  handler: async (argv) => {
    const userPx = argv['pixel-size'];
    if (userPx !== undefined) {
      assertOption(Number.isFinite(userPx) && userPx > 0, `--pixel-size must be a positive number of µm per pixel, got ${String(userPx)}`);
    }
    assertOption(Number.isInteger(argv.page) && argv.page >= 0, `--page must be a zero-based page number, got ${String(argv.page)}`);
    const files = argv.image.map(String);
    const out: ImageInfo[] = [];
    for (const file of files) {
      try {
        const info = await imageInfo(file, { page: argv.page, ...(userPx !== undefined ? { pixelSize: userPx } : {}) });
        out.push(info);
        if (!argv.json) process.stdout.write(`${formatInfo(info)}\n${files.length > 1 ? '\n' : ''}`);
      } catch (e) {
        // An option error about no particular file stops everything; anything about this file
        // (even an out-of-range --page) is reported and the other files go on.
        if (isVoidscopeError(e) && e.code === 'EOPTION' && e.file === undefined) throw e;
        const msg = isVoidscopeError(e) ? e.message : `${file}: ${(e as Error)?.message ?? String(e)}`;
        process.stderr.write(`voidscope: ${msg}\n`);
        process.exitCode = 1;
      }
    }
    if (argv.json && (files.length > 1 || out.length === 1)) {
      process.stdout.write(`${JSON.stringify(files.length > 1 ? out : out[0], null, 2)}\n`);
    }
  },
};
export default command;

