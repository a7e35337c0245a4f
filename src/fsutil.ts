import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { VoidscopeError } from './errors.js';

/**
 * Write a file atomically: the data go to a temporary file in the same folder,
 * are flushed, and the temporary file is renamed over the target. A reader never
 * sees a half-written output, and an interrupted run leaves at most a stray
 * `.<name>.<random>.tmp` file, never a truncated result.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await mkdir(dir, { recursive: true });
    const fh = await open(tmp, 'w');
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true }).catch(() => undefined);
    throw new VoidscopeError('EIO', `cannot write output: ${(e as Error).message}`, { file: path, cause: e });
  }
}
