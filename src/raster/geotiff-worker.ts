/**
 * Child process that decodes one TIFF page with geotiff (started by decodeTiffInWorker in
 * geotiff-decode.ts). geotiff has no limits: its LZW decoder can grow an array until V8 aborts the
 * whole process ("invalid size error", uncatchable, also from a worker thread), and it fires
 * promises it does not always await. In a child process with a heap limit, a runaway, a crash or a
 * stray rejection ends this process only, never the caller's run.
 */
interface Job {
  buf: Uint8Array;
  page: number;
}

if (process.send) {
  process.on('unhandledRejection', () => undefined); // answered already, or the deadline ends us
  process.once('message', (job: Job) => {
    void decode(job).then(
      (r) => process.send!({ ok: true, ...r }, () => process.exit(0)),
      (e: unknown) => process.send!({ ok: false, message: e instanceof Error ? `${e.name}: ${e.message}` : String(e) }, () => process.exit(0)),
    );
  });
}

async function decode(job: Job): Promise<{ width: number; height: number; spp: number; rasters: ArrayLike<number>[] }> {
  const { fromArrayBuffer } = await import('geotiff');
  const b = job.buf;
  const tiff = await fromArrayBuffer(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer);
  const image = await tiff.getImage(job.page);
  const rasters = (await image.readRasters({ interleave: false })) as unknown as ArrayLike<number>[];
  return { width: image.getWidth(), height: image.getHeight(), spp: image.getSamplesPerPixel(), rasters: Array.from(rasters) };
}
