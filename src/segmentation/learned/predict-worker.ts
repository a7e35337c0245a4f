/**
 * Worker thread of predictClassesParallel (predict.ts), kept for the process: per message it claims
 * tiles from the shared counter, classifies them into the shared label map and posts back
 * [tile index, confidence sums] pairs (or {error}).
 */
import { parentPort } from 'node:worker_threads';
import type { Raster } from '../../raster/types.js';
import type { LearnedModel } from './model-file.js';
import type { RunStats } from './mlp.js';
import { claimer, classifyTiles, type PredictJob } from './predict.js';

interface Data {
  raster: Raster;
  area: Uint8Array | null;
  model: LearnedModel;
  norm: PredictJob['norm'];
  tile: number;
  out: Uint8Array;
  counter: Int32Array;
}

parentPort!.on('message', (d: Data) => {
  try {
    const indices: number[] = [];
    const stats = classifyTiles(d.raster, { area: d.area, norm: d.norm, tile: d.tile }, d.model, d.out, undefined, claimer(d.counter), indices);
    const result: [number, RunStats][] = stats.map((s, k) => [indices[k]!, s]);
    parentPort!.postMessage(result);
  } catch (e) {
    parentPort!.postMessage({ error: (e as Error).message });
  }
});
