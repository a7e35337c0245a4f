/**
 * Find a metadata sidecar for an image by its stem (the file name without its last extension):
 * `<stem>.txt` (Hitachi, JEOL), `<stem>.hdr` (Tescan), and Tescan's `<stem>-<ext>.hdr`.
 * Matching is by stem, never by a name written inside the sidecar (Hitachi's ImageName lies),
 * compares Unicode-normalised names (macOS stores NFD) and ignores the case of the extension.
 */
import { readdir, readFile } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { decodeText } from './text.js';

export interface Sidecar {
  path: string;
  text: string;
}

export async function findSidecars(file: string): Promise<string[]> {
  const dir = dirname(file);
  const name = basename(file);
  const ext = extname(name);
  const stem = (ext ? name.slice(0, -ext.length) : name).normalize('NFC');
  const wanted = [`${stem}.txt`, `${stem}.hdr`, `${stem}-${ext.slice(1)}.hdr`, `${name.normalize('NFC')}.hdr`, `${name.normalize('NFC')}.txt`].map(
    (s) => s.toLowerCase(),
  );
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch {
    return [];
  }
  const found: string[] = [];
  for (const w of wanted) {
    const hit = entries.find((e) => e.normalize('NFC').toLowerCase() === w && e !== name);
    if (hit && !found.includes(join(dir, hit))) found.push(join(dir, hit));
  }
  return found;
}

/** Read and decode a sidecar (any of UTF-8, UTF-16LE/BE with or without BOM, Latin-1). */
export async function readSidecar(path: string, maxBytes = 4 << 20): Promise<Sidecar | null> {
  const buf = await readFile(path);
  if (buf.length === 0 || buf.length > maxBytes) return null;
  return { path, text: decodeText(new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength)) };
}
