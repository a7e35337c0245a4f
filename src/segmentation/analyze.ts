/**
 * The file edge of the SEM analysis: read the image (once) and its metadata, read a mask file,
 * run the pure stage chain (porosity.ts), write the overlay / void-mask PNGs. Results are the
 * library's typed results (plain data: they cross worker threads by structured clone).
 */
import { stat } from 'node:fs/promises';
import type { Raster } from '../raster/types.js';
import { readImage, type DecodedImage } from '../raster/read.js';
import { VoidscopeError } from '../errors.js';
import { writeFileAtomic } from '../fsutil.js';
import { readSemMetadata, resolvePixelSize } from './metadata/index.js';
import { toMaskArray } from './area.js';
import {
  runPorosityStagesAsync,
  runThresholdsStages,
  THRESHOLDS_REFUSED,
  type MeasureInputs,
  type PorosityOptions,
  type ThresholdsOptions,
} from './porosity.js';
import { isAnalysisSpec, parseAnalysisSpec, type AnalysisSpec } from './spec.js';
import type { PorosityDetail, PorosityResult, ThresholdsResult } from './types.js';

/** Split analyzePorosity options into the spec and an in-memory mask (library calls only). */
function specOf(options: PorosityOptions | AnalysisSpec, refuse?: Parameters<typeof parseAnalysisSpec>[1]): { spec: AnalysisSpec; memMask: Uint8Array | Raster | undefined } {
  if (isAnalysisSpec(options)) return { spec: options, memMask: undefined };
  if (options === null || typeof options !== 'object') throw new VoidscopeError('EOPTION', 'porosity options must be an object');
  const { mask, ...rest } = options;
  if (mask === undefined || typeof mask === 'string') return { spec: parseAnalysisSpec(options, refuse), memMask: undefined };
  return { spec: parseAnalysisSpec(rest, refuse), memMask: mask };
}

async function readMaskFile(path: string, width: number, height: number): Promise<Uint8Array> {
  const m = await readImage(path);
  if (m.raster.width !== width || m.raster.height !== height) {
    throw new VoidscopeError(
      'EOPTION',
      `mask image is ${m.raster.width}x${m.raster.height}, the image ${width}x${height}: they must be the same size`,
      { file: path },
    );
  }
  return toMaskArray(m.raster, width, height);
}

/**
 * The file's bytes when readImage already holds them, so metadata is read from the same buffer
 * (read each file once): `image.bytes` where readImage provides it; else readImage's plain-TIFF fast
 * path, whose pixels are a view into the whole file it read (a buffer of exactly the file's size,
 * a TIFF from its first byte, the pixels after the 8-byte header). Anything else: undefined (metadata reads the file).
 */
export function fileBytesOf(image: DecodedImage, fileSize: number): Uint8Array | undefined {
  if (image.bytes) return image.bytes;
  const d = image.raster.data;
  if (image.format !== 'tiff' || !(d instanceof Uint8Array) || d.byteOffset < 8) return undefined;
  if (d.buffer.byteLength !== fileSize) return undefined;
  const all = new Uint8Array(d.buffer);
  const tiff = (all[0] === 0x49 && all[1] === 0x49 && all[2] === 42 && all[3] === 0) || (all[0] === 0x4d && all[1] === 0x4d && all[2] === 0 && all[3] === 42);
  return tiff ? all : undefined;
}

async function readInput(file: string, spec: AnalysisSpec): Promise<DecodedImage> {
  return readImage(file, {
    ...(spec.read.page !== null ? { page: spec.read.page } : {}),
    ...(spec.read.maxPixels !== null ? { maxPixels: spec.read.maxPixels } : {}),
  });
}

function withFile<T>(file: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof VoidscopeError && e.file === undefined) throw new VoidscopeError(e.code, e.message, { file, cause: e });
    throw e;
  }
}

async function withFileAsync<T>(file: string, f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    if (e instanceof VoidscopeError && e.file === undefined) throw new VoidscopeError(e.code, e.message, { file, cause: e });
    throw e;
  }
}

/**
 * Read an SEM image and measure its porosity. `options`: the flat analysis options (spec.ts) or an
 * already parsed AnalysisSpec. Writes the overlay / void-mask PNGs when asked.
 */
export async function analyzePorosity(file: string, options: PorosityOptions | AnalysisSpec = {}): Promise<PorosityResult> {
  const { spec, memMask } = specOf(options);
  const image = await readInput(file, spec);
  const bytes = fileBytesOf(image, (await stat(file)).size);
  const meta = await readSemMetadata(file, image, bytes ? { bytes } : {});
  const pixelSize = resolvePixelSize(meta, spec.pixelSize ?? undefined);
  const warnings = [...meta.warnings];
  if (image.greyConversion) warnings.push(`colour image converted to grey: ${image.greyConversion}`);
  // What the decoder kept or refused to do, e.g. a min-is-white image kept raw as ImageJ keeps it.
  for (const n of image.notes ?? []) warnings.push(n);
  if (spec.pixelSize !== null && meta.pixelSize && Math.abs(meta.pixelSize.value - spec.pixelSize) / meta.pixelSize.value > 0.001) {
    warnings.push(`user pixel size ${spec.pixelSize} µm overrides the file's ${meta.pixelSize.value} µm (${meta.pixelSize.source})`);
  }
  const inputs: MeasureInputs = { pixelSize, databar: meta.databar };
  let maskSource: string | undefined;
  if (spec.area.mask !== null) {
    inputs.mask = await readMaskFile(spec.area.mask, image.raster.width, image.raster.height);
    maskSource = spec.area.mask;
  } else if (memMask !== undefined) {
    inputs.mask = memMask;
    maskSource = 'in-memory mask';
  }
  const { overlay, voidMask } = spec.outputs;
  // The overlay's label image (4 bytes per pixel) comes from a per-thread pool: it lives only until
  // the overlay is drawn, and a fresh 12 MB array per 3-Mpx image costs more than the labelling.
  const labelsInto = overlay !== null ? takeLabelBuffer(image.raster.width * image.raster.height) : undefined;
  // Likewise the Gaussian output of 8-bit images: only the result (plain numbers) leaves this call.
  const filterInto = spec.prefilters.some((p) => p.kind === 'gaussian') && image.raster.data instanceof Uint8Array ? takeFilterBuffer(image.raster.data.length) : undefined;
  try {
    // The user's pixel size is already in `pixelSize` (resolvePixelSize): the stages take it from there.
    const stageSpec: AnalysisSpec = spec.pixelSize !== null ? { ...spec, pixelSize: null } : spec;
    const detail = await withFileAsync(file, () =>
      runPorosityStagesAsync(image.raster, stageSpec, inputs, {
        file,
        page: image.pages > 1 ? image.page : undefined,
        ...(maskSource ? { maskSource } : {}),
        warnings,
        labels: overlay !== null,
        ...(labelsInto ? { labelsInto } : {}),
        ...(filterInto ? { filterInto } : {}),
      }),
    );
    return await writeOutputs(image, detail, overlay, voidMask);
  } finally {
    if (labelsInto) spareLabels = labelsInto;
    if (filterInto) spareFilter = filterInto;
  }
}

/** Read an image (data bar excluded as in analyzePorosity) and run every threshold method on it. */
export async function analyzeThresholds(file: string, options: ThresholdsOptions | AnalysisSpec = {}): Promise<ThresholdsResult> {
  const { spec, memMask } = specOf(options as PorosityOptions, isAnalysisSpec(options) ? undefined : { refuse: THRESHOLDS_REFUSED });
  const image = await readInput(file, spec);
  const bytes = fileBytesOf(image, (await stat(file)).size);
  const meta = await readSemMetadata(file, image, bytes ? { bytes } : {});
  const inputs: MeasureInputs = { databar: meta.databar };
  let maskSource: string | undefined;
  if (spec.area.mask !== null) {
    inputs.mask = await readMaskFile(spec.area.mask, image.raster.width, image.raster.height);
    maskSource = spec.area.mask;
  } else if (memMask !== undefined) inputs.mask = memMask;
  return withFile(file, () => runThresholdsStages(image.raster, spec, inputs, { file, ...(maskSource ? { maskSource } : {}), warnings: [...meta.warnings, ...(image.notes ?? [])] }));
}

/** A Gaussian output buffer not in use (per thread; the last 8-bit image's). */
let spareFilter: Uint8Array | null = null;
function takeFilterBuffer(n: number): Uint8Array {
  const b = spareFilter && spareFilter.length === n ? spareFilter : new Uint8Array(n);
  if (b === spareFilter) spareFilter = null;
  return b;
}

/** A label buffer not in use (per thread; one kept, ≤ 4 bytes per pixel of the last image). */
let spareLabels: Int32Array | null = null;
function takeLabelBuffer(n: number): Int32Array {
  const b = spareLabels && spareLabels.length === n ? spareLabels : new Int32Array(n);
  if (b === spareLabels) spareLabels = null;
  return b;
}

/** zlib level of the overlay PNGs (1: run-length + Huffman, about 3× smaller than stored blocks). */
export const OVERLAY_COMPRESSION_LEVEL = 1;

async function writeOutputs(image: DecodedImage, detail: PorosityDetail, overlay: string | null, voidMask: string | null): Promise<PorosityResult> {
  const result = detail.result;
  if (image.pages > 1) result.page = image.page;
  if (overlay !== null || voidMask !== null) {
    const { renderOverlay, voidMaskPng, labelOverlayInput } = await import('../render/overlay.js');
    result.outputs = {};
    if (overlay !== null) {
      // Drawn from the label map (and the pore labels), not from the result type.
      const input = labelOverlayInput({
        labels: detail.segmentation.labels,
        pores: detail.labels,
        region: { roi: result.roi, mask: detail.regionMask },
        caption: { method: result.method, threshold: result.threshold.value, porosityPercent: result.porosityPercent, poreCount: result.pores.count },
        pixelSize: result.pixelSize,
      });
      const png = await renderOverlay(image.raster, input, { compressionLevel: OVERLAY_COMPRESSION_LEVEL });
      await writeFileAtomic(overlay, png);
      result.outputs.overlay = overlay;
    }
    if (voidMask !== null) {
      await writeFileAtomic(voidMask, await voidMaskPng(image.raster.width, image.raster.height, detail.voids));
      result.outputs.voidMask = voidMask;
    }
  }
  return result;
}
