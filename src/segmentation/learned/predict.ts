/**
 * Applying a trained model to an image: the registry's `model` segmenter.
 *
 * The image is normalised once (percentiles of the whole analysed area, so the result does not depend
 * on tiling), then processed in 512×512 tiles with a margin of the feature stack's support: features
 * of one tile (bounded memory, whatever the image size) → voidscope's own inference kernel (mlp.ts;
 * no TensorFlow.js at prediction, see README.md) → class per pixel. Tiles are independent, so they may
 * be classified on several threads (predictClassesParallel) with the same result; seeded by nothing:
 * the same model and image give the same label map for any --jobs or thread count.
 */
import { availableParallelism } from 'node:os';
import { isMainThread } from 'node:worker_threads';
import { VoidscopeError } from '../../errors.js';
import type { LabelMap, Phase } from '../../raster/labels.js';
import type { Raster } from '../../raster/types.js';
import { featureMargin, imageNormalisation, type Normalisation } from '../filters/features/index.js';
import type { Segmentation, SegmentInput, SegmentationConfidence } from '../segmentation-types.js';
import { classifyRun, classifyRunStats, foldStandardisation, MlpScratch, type RunStats } from './mlp.js';
import { loadModel, type LearnedModel } from './model-file.js';
import { DEFAULT_TILE, forEachFeatureTile } from './tiles.js';

/** What records name as the inference engine (TensorFlow.js is used for training only). */
export const INFERENCE_ENGINE = 'voidscope mlp.wasm (WebAssembly SIMD)';

export interface PredictOptions {
  /** Tile edge in pixels (default 512); the result does not depend on it. */
  tile?: number;
  /** Also return per-class probability planes (full image; memory k × 4 bytes per pixel). */
  probabilities?: boolean;
}

export interface Prediction {
  /** Class index + 1 per pixel; 0 outside the area. */
  classes: Uint8Array;
  /** Pixels whose winning probability is below 0.6, per analysed pixel. */
  uncertainFraction: number;
  /** Mean over analysed pixels of (top − second) probability. */
  meanMargin: number;
  /** Void fraction counting pixels with P(void) ≥ 0.7 and ≥ 0.3 (the band's low and high ends). */
  voidBand: [number, number];
  probabilities?: Float32Array[];
}

/** Classify every analysed pixel of a raster with a loaded model (single-threaded). */
export function predictClasses(raster: Raster, areaIn: Uint8Array | null, model: LearnedModel, options: PredictOptions = {}): Prediction {
  const job = prepare(raster, areaIn, model, options);
  const out = new Uint8Array(raster.width * raster.height);
  const full = options.probabilities ? Array.from({ length: model.classes.length }, () => new Float32Array(out.length)) : undefined;
  const stats = classifyTiles(raster, job, model, out, full);
  return finish(out, stats, full);
}

/** Below this many analysed pixels predictClassesParallel stays on the calling thread (a worker's start-up and the image copy cost more than they save). */
export const MIN_PARALLEL_PIXELS = 1 << 19;

/**
 * predictClasses on `threads` threads: the calling thread and threads − 1 worker threads claim tiles
 * from one shared counter (whoever is free takes the next tile, so a late-starting or slower thread
 * costs nothing) and write disjoint parts of one shared label map; the confidence sums are added per
 * tile in tile order, so the result equals predictClasses' exactly whatever the thread count. The
 * workers are started once per process and kept (unreferenced: they never hold the process open).
 * Images under `minPixels` (default MIN_PARALLEL_PIXELS) or of one tile stay on the calling thread.
 * For one large image (the CLI, segmentModel on the main thread); inside the study pipeline's pool
 * workers segmentModel stays single-threaded.
 */
export async function predictClassesParallel(
  raster: Raster,
  areaIn: Uint8Array | null,
  model: LearnedModel,
  options: PredictOptions & { threads?: number; minPixels?: number } = {},
): Promise<Prediction> {
  const threads = options.threads ?? 2;
  if (!Number.isInteger(threads) || threads < 1 || threads > 64) throw new VoidscopeError('EOPTION', `threads must be a whole number 1..64, got ${threads}`);
  const job = prepare(raster, areaIn, model, options);
  const n = raster.width * raster.height;
  const tiles = Math.ceil(raster.width / job.tile) * Math.ceil(raster.height / job.tile);
  if (threads === 1 || options.probabilities || tiles < 2 || n < (options.minPixels ?? MIN_PARALLEL_PIXELS)) {
    const out = new Uint8Array(n);
    const full = options.probabilities ? Array.from({ length: model.classes.length }, () => new Float32Array(n)) : undefined;
    return finish(out, classifyTiles(raster, job, model, out, full), full);
  }
  const shared = new Uint8Array(new SharedArrayBuffer(n));
  const counter = new Int32Array(new SharedArrayBuffer(4));
  const workers = await predictWorkers(Math.min(threads, tiles) - 1);
  const message = { raster, area: job.area, model: { ...model, path: undefined }, norm: job.norm, tile: job.tile, out: shared, counter };
  const parts = workers.map(
    (wk) =>
      new Promise<[number, RunStats][]>((resolve, reject) => {
        const onMessage = (m: [number, RunStats][] | { error: string }): void => {
          done();
          if (Array.isArray(m)) resolve(m);
          else reject(new Error(`prediction worker failed: ${m.error}`));
        };
        const onError = (e: Error): void => {
          done();
          reject(e);
        };
        const done = (): void => {
          wk.off('message', onMessage);
          wk.off('error', onError);
          wk.unref();
        };
        wk.on('message', onMessage);
        wk.once('error', onError);
        wk.ref();
        wk.postMessage(message);
      }),
  );
  // This thread works too, claiming tiles from the same counter.
  const indices: number[] = [];
  const own = classifyTiles(raster, job, model, shared, undefined, claimer(counter), indices);
  const byTile = new Map<number, RunStats>();
  own.forEach((st, k) => byTile.set(indices[k]!, st));
  for (const part of await Promise.all(parts)) for (const [i, st] of part) byTile.set(i, st);
  const stats = [...byTile.keys()].sort((a, b) => a - b).map((i) => byTile.get(i)!);
  return finish(Uint8Array.from(shared), stats, undefined);
}

/**
 * A tile picker for classifyTiles: claims the next unclaimed tile index from the shared counter and
 * accepts the tiles it claimed (forEachFeatureTile visits indices in increasing order, and each claim
 * is larger than the last).
 */
export function claimer(counter: Int32Array): (index: number) => boolean {
  let mine = Atomics.add(counter, 0, 1);
  return (i) => {
    if (i !== mine) return false;
    mine = Atomics.add(counter, 0, 1);
    return true;
  };
}

type NodeWorker = import('node:worker_threads').Worker;
const pool: NodeWorker[] = [];
/** `count` prediction workers, started on first use and kept for the process (unreferenced when idle). */
async function predictWorkers(count: number): Promise<NodeWorker[]> {
  if (pool.length < count) {
    const { Worker } = await import('node:worker_threads');
    const url = new URL('./predict-worker.js', import.meta.url);
    while (pool.length < count) {
      const wk = new Worker(url);
      wk.unref();
      // A worker that died is dropped from the pool (the next call starts another).
      wk.once('exit', () => {
        const i = pool.indexOf(wk);
        if (i >= 0) pool.splice(i, 1);
      });
      pool.push(wk);
    }
  }
  return pool.slice(0, count);
}

export interface PredictJob {
  area: Uint8Array | null;
  norm: Normalisation;
  tile: number;
}

function prepare(raster: Raster, areaIn: Uint8Array | null, model: LearnedModel, options: PredictOptions): PredictJob {
  const { width: W, height: H } = raster;
  if (areaIn && areaIn.length !== W * H) throw new RangeError(`area has ${areaIn.length} pixels, the image ${W}x${H}`);
  const area = finiteArea(raster, areaIn);
  const tile = options.tile ?? DEFAULT_TILE;
  if (!Number.isInteger(tile) || tile < 16) throw new VoidscopeError('EOPTION', `tile must be a whole number ≥ 16, got ${tile}`);
  const norm = imageNormalisation(raster.data, W, H, area, model.normalisation.low, model.normalisation.high, model.normalisation.flatField);
  return { area, norm, tile };
}

/**
 * Classify the tiles `pick` selects (all by default) into `out`: the confidence sums per tile, in tile
 * order (their indices pushed to `indices` when given).
 */
export function classifyTiles(
  raster: Raster,
  job: PredictJob,
  model: LearnedModel,
  out: Uint8Array,
  full: Float32Array[] | undefined,
  pick?: (index: number) => boolean,
  indices?: number[],
): RunStats[] {
  const W = raster.width;
  const { area, norm, tile } = job;
  const K = model.classes.length;
  const voidK = model.classes.indexOf(model.voidClass);
  const scratch = new MlpScratch(foldStandardisation(model.network, model.standardise.mean, model.standardise.std), tile);
  const probs = Array.from({ length: K }, () => new Float32Array(tile));
  const row = new Uint8Array(tile);
  const stats: RunStats[] = [];
  forEachFeatureTile(
    raster,
    norm,
    model.features,
    featureMargin(model.features),
    tile,
    (planes, t, index) => {
      const st: RunStats = { analysed: 0, uncertain: 0, marginSum: 0, voidLow: 0, voidHigh: 0 };
      stats.push(st);
      indices?.push(index);
      for (let y = t.y0; y < t.y0 + t.h; y++) {
        const start = (y - t.cy0) * t.cw + (t.x0 - t.cx0);
        const o = y * W + t.x0;
        if (!full) {
          classifyRunStats(planes, start, t.w, scratch, out, o, area, voidK, st);
          continue;
        }
        // With probability planes (for callers that want them): the same labels, the slower path.
        classifyRun(planes, start, t.w, scratch, row, 0, probs);
        for (let x = 0; x < t.w; x++) {
          if (area && area[o + x] === 0) continue;
          out[o + x] = row[x]!;
          st.analysed++;
          let p1 = 0;
          let p2 = 0;
          for (let k = 0; k < K; k++) {
            const p = probs[k]![x]!;
            if (p > p1) {
              p2 = p1;
              p1 = p;
            } else if (p > p2) p2 = p;
            full[k]![o + x] = p;
          }
          if (p1 < 0.6) st.uncertain++;
          st.marginSum += p1 - p2;
          const pv = probs[voidK]![x]!;
          if (pv >= 0.7) st.voidLow++;
          if (pv >= 0.3) st.voidHigh++;
        }
      }
    },
    pick,
  );
  return stats;
}

function finish(out: Uint8Array, stats: RunStats[], full: Float32Array[] | undefined): Prediction {
  let analysed = 0;
  let uncertain = 0;
  let marginSum = 0;
  let vLow = 0;
  let vHigh = 0;
  for (const s of stats) {
    analysed += s.analysed;
    uncertain += s.uncertain;
    marginSum += s.marginSum;
    vLow += s.voidLow;
    vHigh += s.voidHigh;
  }
  const d = Math.max(1, analysed);
  const r: Prediction = { classes: out, uncertainFraction: uncertain / d, meanMargin: marginSum / d, voidBand: [vLow / d, vHigh / d] };
  if (full) r.probabilities = full;
  return r;
}

/**
 * NaN / ±Inf pixels of float images are not classified (label 0, as outside the area; the threshold
 * rule likewise never calls them void): the area without them, or the area itself when there are none.
 */
function finiteArea(raster: Raster, area: Uint8Array | null): Uint8Array | null {
  if (raster.sampleFormat !== 'float') return area;
  const d = raster.data;
  let out: Uint8Array | null = null;
  for (let i = 0; i < d.length; i++) {
    if (Number.isFinite(d[i]!)) continue;
    if (!out) out = area ? Uint8Array.from(area) : new Uint8Array(d.length).fill(1);
    out[i] = 0;
  }
  return out ?? area;
}

/** A spec naming a model folder, or an already loaded model. */
export type ModelSpec = { path: string } | { model: LearnedModel };

const cache = new Map<string, Promise<LearnedModel>>();
/** Load a model folder once per process (keyed by its resolved path; the record carries the SHA-256). */
export function loadModelCached(path: string): Promise<LearnedModel> {
  let p = cache.get(path);
  if (!p) {
    p = loadModel(path);
    cache.set(path, p);
    p.catch(() => cache.delete(path));
  }
  return p;
}

/** The `model` segmenter (registry entry): a label map with one phase per model class. */
export async function segmentModel(input: SegmentInput, spec: ModelSpec): Promise<Segmentation> {
  const model = 'model' in spec ? spec.model : await loadModelCached(spec.path);
  const { raster, area } = input;
  // One large image on the main thread (the CLI with one file or --jobs 1): two threads. Inside the
  // study pipeline's pool workers images already run in parallel: one thread each. Same labels either way.
  const threads = isMainThread ? Math.min(2, availableParallelism()) : 1;
  const pred = await predictClassesParallel(raster, area, model, { threads });
  const phases: Phase[] = model.classes.map((name, i) => ({ id: i + 1, name }));
  const voidPhase = model.classes.indexOf(model.voidClass) + 1;
  const labels: LabelMap = {
    width: raster.width,
    height: raster.height,
    depth: 1,
    data: pred.classes,
    phases,
    voidPhase,
    spacing: raster.pixelSize
      ? { x: raster.pixelSize.value, y: raster.pixelSize.valueY ?? raster.pixelSize.value, unit: 'µm', source: raster.pixelSize.source }
      : null,
  };
  const level: SegmentationConfidence['level'] = pred.uncertainFraction < 0.05 ? 'high' : pred.uncertainFraction < 0.15 ? 'medium' : 'low';
  const warnings: string[] = [];
  if (level === 'low') {
    warnings.push(`${(pred.uncertainFraction * 100).toFixed(1)} % of the pixels have no class above 60 % probability: this image may differ from the training images (paint scribbles on it and retrain)`);
  }
  const ho = model.training?.heldOut;
  const notes = [
    `pixel classifier ${model.network.inputs}→${model.network.hidden}→${model.network.outputs} on ${model.network.inputs} ilastik-style features, trained with TensorFlow.js ${model.versions.tfjs} (${model.versions.backend} backend); inference by voidscope's own kernel`,
  ];
  if (ho && Number.isFinite(ho.accuracy)) notes.push(`held-out accuracy at training ${(ho.accuracy * 100).toFixed(1)} % on ${ho.pixels} labelled pixels`);
  return {
    labels,
    record: {
      segmenter: 'model',
      method: 'pixel-classifier',
      params: { features: model.features, normalisation: model.normalisation, hidden: model.network.hidden, voidClass: model.voidClass },
      thresholds: [],
      source: `voidscope ${model.versions.voidscope} learned segmentation (ilastik-style features, MLP)`,
      notes,
      model: { sha256: model.sha256 ?? '', ...(model.path ? { path: model.path } : {}), backend: `${INFERENCE_ENGINE} (trained on tfjs ${model.versions.backend})`, classes: [...model.classes] },
    },
    confidence: {
      separability: pred.meanMargin,
      level,
      band: { low: pred.voidBand[0], high: pred.voidBand[1], rule: 'void fraction counting pixels with P(void) ≥ 0.7 (low) and ≥ 0.3 (high)' },
      warnings,
    },
  };
}
