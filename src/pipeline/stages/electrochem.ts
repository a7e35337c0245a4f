/** Stage 4: electrochemistry tables and cycling files, labelled and joined per electrode × binder content. */
import { join } from 'node:path';
import { isVoidscopeError } from '../../errors.js';
import { aggregateElectrochem, readCyclingFile, readEcTable, tableDefaultsFor, type CyclingCell, type EcRow } from '../electrochem.js';
import type { ScanResult } from '../inputs.js';
import type { RecommendationRule, TableSpec } from '../study.js';
import type { Failure } from '../types.js';

export function failureOf(file: string, e: unknown): Failure {
  if (isVoidscopeError(e)) return { file, code: e.code, message: e.message };
  return { file, code: 'EINTERNAL', message: `${file}: ${(e as Error)?.message ?? String(e)}` };
}

export async function readElectrochem(root: string, scan: ScanResult, rule: RecommendationRule, failures: Failure[], warnings: string[], tableSpecs?: readonly TableSpec[]) {
  const rows: EcRow[] = [];
  const cells: CyclingCell[] = [];
  for (const t of scan.tables) {
    try {
      const r = await readEcTable(join(root, t), t, tableDefaultsFor(t, tableSpecs));
      for (const row of r.rows) rows.push(row); // no spread: a table may hold many rows
      warnings.push(...r.warnings);
    } catch (e) {
      failures.push(failureOf(t, e));
    }
  }
  for (const c of scan.cycling) {
    try {
      cells.push(await readCyclingFile(join(root, c.rel), c.rel, c, rule));
    } catch (e) {
      failures.push(failureOf(c.rel, e));
    }
  }
  const ec = aggregateElectrochem(rows, cells, rule);
  warnings.push(...ec.warnings);
  return { cells, ec };
}
