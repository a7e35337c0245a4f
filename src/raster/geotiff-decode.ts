/**
 * geotiff decoding, kept where a runaway cannot take the run down: a worker thread with a heap
 * limit and a deadline. The bytes have passed `checkTiffStructure` first (no IFD loops, tables
 * inside the file, declared sizes bounded), so the worker is the second line of defence.
 */
import { Worker } from 'node:worker_threads';
import { VoidscopeError } from '../errors.js';

export interface GeotiffPage {
  width: number;
  height: number;
  spp: number;
  rasters: ArrayLike<number>[];
}

/** Wall-clock limit of one geotiff decode (ms). */
export const GEOTIFF_TIMEOUT_MS = 60_000;

export function decodeTiffInWorker(buf: Uint8Array, page: number, file: string, timeoutMs = GEOTIFF_TIMEOUT_MS): Promise<GeotiffPage> {
  const copy = buf.slice().buffer; // transferred to the worker; the caller keeps its own bytes
  return new Promise<GeotiffPage>((resolve, reject) => {
    const worker = new Worker(new URL('./geotiff-worker.js', import.meta.url), {
      // geotiff pulls in web-worker, whose module code destructures workerData in any non-main thread.
      workerData: {},
      resourceLimits: { maxOldGenerationSizeMb: 512, maxYoungGenerationSizeMb: 64, stackSizeMb: 4 },
      stdout: true,
      stderr: true,
    });
    let done = false;
    const finish = (f: () => void): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      f();
      void worker.terminate().catch(() => undefined);
    };
    const timer = setTimeout(
      () => finish(() => reject(new VoidscopeError('ECORRUPT', `cannot decode TIFF: decoding did not finish within ${timeoutMs / 1000} s`, { file }))),
      timeoutMs,
    );
    worker.on('message', (m: { ok: true; width: number; height: number; spp: number; rasters: ArrayLike<number>[] } | { ok: false; message: string }) => {
      if (m.ok) finish(() => resolve({ width: m.width, height: m.height, spp: m.spp, rasters: m.rasters }));
      else finish(() => reject(new VoidscopeError('ECORRUPT', `cannot decode TIFF: ${m.message}`, { file })));
    });
    worker.on('error', (e) => finish(() => reject(new VoidscopeError('ECORRUPT', `cannot decode TIFF: ${e.message}`, { file, cause: e }))));
    worker.on('exit', (code) => finish(() => reject(new VoidscopeError('ECORRUPT', `cannot decode TIFF: the decoder stopped (exit code ${code})`, { file }))));
    worker.postMessage({ buf: copy, page }, [copy]);
  });
}
