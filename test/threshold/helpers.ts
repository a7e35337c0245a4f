import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repo root (compiled tests live in dist/test/threshold/). */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const FIXTURES = join(ROOT, 'test/fixtures/threshold');

export function readJson<T = unknown>(name: string): T {
  return JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')) as T;
}

/** Dense 256-bin histogram from the sparse [[bin, count], ...] form used in the JSON fixtures. */
export function dense(sparse: [number, number][], n = 256): Int32Array {
  const h = new Int32Array(n);
  for (const [i, c] of sparse) h[i] = c;
  return h;
}
