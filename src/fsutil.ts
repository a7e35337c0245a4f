import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { VoidscopeError } from './errors.js';

/**
 * The file voidscope writes into every report folder; any folder holding it is a voidscope report
 * and is never scanned for inputs.
 */
export const REPORT_MARKER = '.voidscope-report';

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

/**
 * Size in bytes of an input file, or one clear VoidscopeError naming it: missing (ENOENT),
 * a folder (EUNSUPPORTED), unreadable (EIO) or empty (EEMPTY). `kind` names what was
 * expected ("an image file", "a SIMS file") in the folder message.
 */
export async function statInputFile(file: string, kind: string): Promise<number> {
  let size: number;
  try {
    const st = await stat(file);
    if (st.isDirectory()) throw new VoidscopeError('EUNSUPPORTED', `is a folder, not ${kind}`, { file });
    size = st.size;
  } catch (e) {
    if (e instanceof VoidscopeError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new VoidscopeError('ENOENT', 'file not found', { file, cause: e });
    throw new VoidscopeError('EIO', `cannot read file (${code ?? (e as Error).message})`, { file, cause: e });
  }
  if (size === 0) throw new VoidscopeError('EEMPTY', 'file is empty (0 bytes)', { file });
  return size;
}
