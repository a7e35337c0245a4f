/** Stage 2: the SHA-256 of every input (the run record, the --resume cache keys). */
import { join, relative, sep } from 'node:path';
import { hashFile, type ScanResult } from '../inputs.js';
import type { Failure, InputFile } from '../types.js';

export async function hashInputs(
  root: string,
  studyFile: string | null,
  scan: ScanResult,
  failures: Failure[],
): Promise<{ inputs: InputFile[]; hashes: Map<string, string> }> {
  const roles = new Map<string, InputFile['role']>();
  if (studyFile) roles.set(relative(root, studyFile).split(sep).join('/'), 'study');
  for (const f of scan.sem) roles.set(f.rel, 'sem');
  for (const f of scan.sims) roles.set(f.rel, 'sims');
  for (const a of scan.auxiliary) roles.set(a.rel, a.role);
  for (const t of scan.tables) roles.set(t, 'electrochem-table');
  for (const c of scan.cycling) roles.set(c.rel, 'cycling');
  for (const u of scan.unlabelled) roles.set(u.file, 'unlabelled');
  const inputs: InputFile[] = [];
  const hashes = new Map<string, string>();
  for (const rel of [...roles.keys()].sort()) {
    try {
      const h = await hashFile(join(root, rel));
      hashes.set(rel, h.sha256);
      inputs.push({ path: rel, sizeBytes: h.sizeBytes, sha256: h.sha256, role: roles.get(rel)! });
    } catch (e) {
      failures.push({ file: rel, code: 'EIO', message: `${rel}: cannot read: ${(e as Error).message}` });
    }
  }
  return { inputs, hashes };
}
