/**
 * The label map: the one product of every segmenter and the one input of every measurement.
 *
 * A phase id per pixel (Uint8Array, row-major like Raster), 0 = outside the analysed area.
 * Phase ids are small integers 1..255 with names; which phase is the void phase is explicit
 * (`voidPhase`), never guessed from a name or an id.
 */
export interface Phase {
  /** 1..255; 0 is reserved for "not analysed". */
  id: number;
  /** e.g. 'void', 'electrolyte', 'active', 'solid'. */
  name: string;
}

export interface LabelSpacing {
  x: number;
  y: number;
  z?: number;
  unit: 'µm';
  /** Where the calibration came from (as PixelSize.source). */
  source: string;
}

export interface LabelMap {
  width: number;
  height: number;
  /** 1 for a 2D image. */
  depth: number;
  /** Phase id per pixel (width × height × depth); 0 = outside the analysed area. */
  data: Uint8Array;
  phases: readonly Phase[];
  /** Id of the void phase in `phases`. */
  voidPhase: number;
  spacing: LabelSpacing | null;
}

/** The usual phase ids of a two-phase (void / solid) segmentation. */
export const VOID = 1;
export const SOLID = 2;
export const TWO_PHASES: readonly Phase[] = Object.freeze([
  Object.freeze({ id: VOID, name: 'void' }),
  Object.freeze({ id: SOLID, name: 'solid' }),
]);

/** 0/1 mask of one phase (1 where data === id). */
export function phaseMask(map: LabelMap, id: number, into?: Uint8Array): Uint8Array {
  const n = map.data.length;
  const out = into && into.length === n ? into : new Uint8Array(n);
  const d = map.data;
  for (let i = 0; i < n; i++) out[i] = d[i] === id ? 1 : 0;
  return out;
}

/**
 * A two-phase label map from a 0/1 void mask and the analysed area (non-zero = analysed;
 * null = everything analysed). Pixels outside the area get 0.
 */
export function labelMapFromVoids(
  voids: Uint8Array,
  width: number,
  height: number,
  area: Uint8Array | null,
  spacing: LabelSpacing | null = null,
): LabelMap {
  const n = width * height;
  if (voids.length !== n) throw new RangeError(`void mask has ${voids.length} pixels, the image ${width}x${height}`);
  const data = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    if (area && area[i] === 0) continue;
    data[i] = voids[i] !== 0 ? VOID : SOLID;
  }
  return { width, height, depth: 1, data, phases: TWO_PHASES, voidPhase: VOID, spacing };
}

/** Pixel count of each phase id (index = id, 0 = outside the area). */
export function phaseCounts(map: LabelMap): Float64Array {
  const counts = new Float64Array(256);
  const d = map.data;
  for (let i = 0; i < d.length; i++) {
    const id = d[i]!;
    counts[id] = counts[id]! + 1;
  }
  return counts;
}
