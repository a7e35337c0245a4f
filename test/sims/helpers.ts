/** Shared paths for the SIMS tests (compiled tests live in dist/test/sims/). */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root: dist/test/sims → ../../.. */
export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
/** Third-party reference files (read-only, never copied into the project). */
export const REFDATA = resolve(REPO, '..', 'shared', 'refdata', 'sims');
export const refAbsent: string | false = existsSync(REFDATA) ? false : `reference data not found at ${REFDATA} (../shared/refdata is absent)`;
export const ref = (name: string) => join(REFDATA, name);
export const SAMPLES = join(REPO, 'samples', 'sims', 'anode');
export function tempDir(prefix = 'voidscope-sims-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}
