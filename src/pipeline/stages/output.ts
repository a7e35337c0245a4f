/**
 * The report folder: where it may be (checkOut, on real paths), the atomic
 * swap of the finished temporary folder into place (swapInto), and report-relative paths. Leftovers
 * of killed runs: report/write.ts removeStaleRunFolders.
 */
import { readdir, realpath, rename, rm, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { VoidscopeError } from '../../errors.js';

export const CACHE_FILE = '.voidscope-cache.json';

export function isInside(child: string, parent: string): boolean {
  const r = relative(parent, child);
  return r === '' || (!r.startsWith('..') && !isAbsolute(r));
}

/** The real path of `p` (symlinks followed), or of its nearest existing ancestor joined with the rest. */
async function realish(p: string): Promise<string> {
  const abs = resolve(p);
  const tail: string[] = [];
  let cur = abs;
  for (;;) {
    try {
      return join(await realpath(cur), ...tail.reverse());
    } catch {
      const parent = dirname(cur);
      if (parent === cur) return abs;
      tail.push(basename(cur));
      cur = parent;
    }
  }
}

/**
 * Check the report location and decide whether an existing folder may be replaced. Compared on real
 * paths, so `--out` through a symlink into the inputs (or onto a parent of them) is caught too.
 */
export async function checkOut(folder: string, out: string, isDefault: boolean): Promise<void> {
  const realIn = await realish(folder);
  const realOut = await realish(out);
  const via = realOut !== resolve(out) ? ` (it resolves to ${realOut})` : '';
  if (isInside(realIn, realOut)) {
    throw new VoidscopeError('EOPTION', `--out ${out}${via} contains the input folder ${folder}; choose a folder outside it`);
  }
  if (!isDefault && isInside(realOut, realIn)) {
    throw new VoidscopeError(
      'EOPTION',
      `--out ${out}${via} is inside the input folder ${folder}; write the report outside the inputs (only the default ${join(folder, 'voidscope-report')} may live there, and the scan skips it)`,
    );
  }
  if (existsSync(out)) {
    const st = await stat(out);
    if (!st.isDirectory()) throw new VoidscopeError('EOPTION', `--out ${out} exists and is not a folder`);
    const entries = await readdir(out);
    if (entries.length > 0 && !entries.includes('report.json') && !entries.includes(CACHE_FILE)) {
      throw new VoidscopeError('EOPTION', `--out ${out} exists, is not empty and holds no voidscope report; refusing to replace it`);
    }
  }
}

/** The temporary folder a run writes into, next to `out`. */
export function tempFolderFor(out: string): string {
  return join(dirname(out), `.${basename(out)}.tmp-${randomBytes(6).toString('hex')}`);
}

/** Move the finished temporary folder to `out`, replacing an earlier report. */
export async function swapInto(tmp: string, out: string): Promise<void> {
  const old = join(dirname(out), `.${basename(out)}.old-${randomBytes(6).toString('hex')}`);
  let moved = false;
  try {
    if (existsSync(out)) {
      await rename(out, old);
      moved = true;
    }
    await rename(tmp, out);
  } catch (e) {
    if (moved && !existsSync(out)) await rename(old, out).catch(() => undefined);
    throw new VoidscopeError('EIO', `cannot move the report into place: ${(e as Error).message}`, { file: out, cause: e });
  }
  if (moved) await rm(old, { recursive: true, force: true });
}

/** Replace absolute paths under `root` inside a result by paths relative to it ("/" separators). */
export function relativise<T>(v: T, root: string): T {
  if (typeof v === 'string') return (v.startsWith(root + sep) ? v.slice(root.length + 1).split(sep).join('/') : v) as T;
  if (Array.isArray(v)) return v.map((x) => relativise(x, root)) as T;
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, relativise(x, root)])) as T;
  return v;
}

export function safeName(rel: string): string {
  return rel.replace(/[\\/]/g, '__').replace(/[^A-Za-z0-9._+-]/g, '_');
}
