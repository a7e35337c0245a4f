/**
 * Worker thread that decodes one TIFF page with geotiff (see decodeTiffInWorker in geotiff-decode.ts).
 * geotiff has no limits and fires promises it does not always await; here a runaway or a stray
 * rejection ends this thread only, never the caller's process.
 */
import { parentPort } from 'node:worker_threads';

interface Job {
  buf: ArrayBuffer;
  page: number;
}

const port = parentPort;
if (port) {
  // A rejection geotiff leaves behind after the answer is sent must not be reported as a crash of
  // the run: this thread is about to be ended anyway.
  process.on('unhandledRejection', () => undefined);
  port.once('message', (job: Job) => {
    void decode(job).then(
      (r) => port.postMessage({ ok: true, ...r }, r.rasters.map((a) => a.buffer as ArrayBuffer)),
      (e: unknown) => port.postMessage({ ok: false, message: e instanceof Error ? `${e.name}: ${e.message}` : String(e) }),
    );
  });
}

async function decode(job: Job): Promise<{ width: number; height: number; spp: number; rasters: Array<ArrayLike<number> & { buffer: ArrayBufferLike }> }> {
  const { fromArrayBuffer } = await import('geotiff');
  const tiff = await fromArrayBuffer(job.buf);
  const image = await tiff.getImage(job.page);
  const rasters = (await image.readRasters({ interleave: false })) as unknown as Array<ArrayLike<number> & { buffer: ArrayBufferLike }>;
  // Copy each band into its own buffer (bands may share one), so that they can be transferred.
  const own = rasters.map((r) => (r as unknown as { slice(): typeof r }).slice());
  return { width: image.getWidth(), height: image.getHeight(), spp: image.getSamplesPerPixel(), rasters: own };
}
