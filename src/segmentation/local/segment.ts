/**
 * The local-threshold segmenter on the project's contract (segmentation-types.ts): raster + analysed
 * area → two-phase label map + record + confidence.
 */
import { labelMapFromVoids } from '../../raster/labels.js';
import type { Segmentation, SegmentationConfidence, SegmentInput } from '../segmentation-types.js';
import { asLocalRaster, LOCAL_THRESHOLD_SOURCE, localThreshold, resolveLocalParams, type LocalSpec } from './methods.js';

/**
 * Segment with a Fiji Auto Local Threshold method. Every pixel's class depends on its neighbourhood in
 * the whole image (pixels outside the analysed area included, as Fiji thresholds the whole image);
 * the area only decides which pixels are labelled (0 outside). The spec must come from parseLocalSpec.
 */
export function segmentLocal(input: SegmentInput, spec: LocalSpec): Segmentation {
  const raster = asLocalRaster(input.raster);
  const depth = raster.data instanceof Uint8Array ? 8 : 16;
  const voids = localThreshold(raster, spec);
  const labels = labelMapFromVoids(
    voids,
    raster.width,
    raster.height,
    input.area,
    raster.pixelSize
      ? { x: raster.pixelSize.value, y: raster.pixelSize.valueY ?? raster.pixelSize.value, unit: 'µm', source: raster.pixelSize.source }
      : null,
  );
  const { named } = resolveLocalParams(spec, depth);
  const white = spec.voids === 'bright';
  const notes = [
    `${spec.name} local threshold, radius ${spec.radius} px` +
      (Object.keys(named).length ? `, ${Object.entries(named).map(([k, v]) => `${k} = ${v}`).join(', ')}` : '') +
      `; voids = Fiji's objects with "White objects on black background" ${white ? 'checked' : 'unchecked'} (${spec.voids} voids)`,
    'each pixel is classified from its own neighbourhood of the whole image (pixels outside the analysed area included)',
    'two classes per neighbourhood: on a three-phase image (pores, electrolyte, active particles) the middle phase is void wherever brighter neighbours dominate; check the overlay',
  ];
  if (depth === 16) notes.push("16-bit: voidscope's extension of Fiji's 8-bit-only plugin (grey-level constants × 257; see segmentation/local/README.md)");
  return {
    labels,
    record: {
      segmenter: 'local',
      method: spec.name,
      params: { radius: spec.radius, param1: spec.param1, param2: spec.param2, voids: spec.voids, ...named },
      thresholds: [],
      source: depth === 8 ? LOCAL_THRESHOLD_SOURCE : `${LOCAL_THRESHOLD_SOURCE} (16-bit extension)`,
      notes,
    },
    confidence: localConfidence(spec, named),
  };
}

/**
 * Local methods give no class separability and no threshold to move, so no band. They differ in how
 * they treat a uniform neighbourhood (no void there): Contrast, Otsu, and Mean/Median/MidGrey with
 * C = 0 always split it in two, so pure noise in a dense region becomes "void" (level 'low');
 * Bernsen (contrast threshold), Niblack/Sauvola/Phansalkar (standard-deviation terms) and a non-zero C
 * have a guard against that (level 'medium'). No local result is 'high': nothing here checks the
 * void class is a distinct population.
 */
function localConfidence(spec: LocalSpec, named: Record<string, number>): SegmentationConfidence {
  const splitsUniform =
    spec.name === 'Contrast' || spec.name === 'Otsu' || ((spec.name === 'Mean' || spec.name === 'Median' || spec.name === 'MidGrey') && named.c === 0);
  const warnings: string[] = [];
  if (splitsUniform) {
    warnings.push(
      `${spec.name}${named.c === 0 ? ' with C = 0' : ''} splits every neighbourhood in two, even a uniform one: noise in dense regions is counted as void. ` +
        `Use a non-zero C, Bernsen, Sauvola or Phansalkar, or a global threshold after background subtraction.`,
    );
  }
  return { separability: null, level: splitsUniform ? 'low' : 'medium', band: null, warnings };
}
