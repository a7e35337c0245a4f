/**
 * Worker thread of predictClassesParallel (predict.ts): classifies the tiles i with i mod threads = w
 * into the shared label map and posts back [tile index, confidence sums] pairs.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Raster } from '../../raster/types.js';
import type { LearnedModel } from './model-file.js';
import type { RunStats } from './mlp.js';
import { classifyTiles, type PredictJob } from './predict.js';

interface Data {
  raster: Raster;
  area: Uint8Array | null;
  model: LearnedModel;
  norm: PredictJob['norm'];
  tile: number;
  out: Uint8Array;
  w: number;
  threads: number;
}

const d = workerData as Data;
const indices: number[] = [];
const stats = classifyTiles(d.raster, { area: d.area, norm: d.norm, tile: d.tile }, d.model, d.out, undefined, (i) => i % d.threads === d.w, indices);
const result: [number, RunStats][] = stats.map((s, k) => [indices[k]!, s]);
parentPort!.postMessage(result);
