/**
 * geotiff decoding, kept where a runaway cannot take the run down: a child process with a heap
 * limit and a deadline (a worker thread is not enough: V8 aborts the whole process when geotiff's
 * LZW decoder grows an array past its maximum size, as the fuzz run found). The bytes have passed
 * `checkTiffStructure` first (no IFD loops, tables inside the file, declared sizes bounded), so the
 * child is the second line of defence. Used only for the rare layouts libvips refuses or changes.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { VoidscopeError } from '../errors.js';

export interface GeotiffPage {
  width: number;
  height: number;
  spp: number;
  rasters: ArrayLike<number>[];
}

/** Wall-clock limit of one geotiff decode (ms). */
export const GEOTIFF_TIMEOUT_MS = 60_000;

/** Heap limit of the decoding process (MiB). */
const HEAP_MB = 1024;

export function decodeTiffInWorker(buf: Uint8Array, page: number, file: string, timeoutMs = GEOTIFF_TIMEOUT_MS): Promise<GeotiffPage> {
  return new Promise<GeotiffPage>((resolve, reject) => {
    const child = fork(fileURLToPath(new URL('./geotiff-worker.js', import.meta.url)), [], {
      execArgv: [`--max-old-space-size=${HEAP_MB}`],
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'advanced',
    });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    let done = false;
    const finish = (f: () => void): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      f();
      if (child.exitCode === null) child.kill('SIGKILL');
    };
    const fail = (why: string, cause?: unknown): void =>
      finish(() => reject(new VoidscopeError('ECORRUPT', `cannot decode TIFF: ${why}`, { file, cause })));
    const timer = setTimeout(() => fail(`decoding did not finish within ${timeoutMs / 1000} s`), timeoutMs);
    child.on('message', (m: { ok: true; width: number; height: number; spp: number; rasters: ArrayLike<number>[] } | { ok: false; message: string }) => {
      if (m.ok) finish(() => resolve({ width: m.width, height: m.height, spp: m.spp, rasters: m.rasters }));
      else fail(m.message);
    });
    child.on('error', (e) => fail(e.message, e));
    child.on('exit', (code, signal) => {
      const last = stderr.split('\n').map((l) => l.trim()).find((l) => /invalid size|heap out of memory|Fatal/i.test(l));
      fail(`the decoder stopped (${signal ?? `exit code ${code}`}${last ? `: ${last}` : ''}); the file is corrupt or its layout is beyond the fallback decoder's limits`);
    });
    child.send({ buf, page });
  });
}
