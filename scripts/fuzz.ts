/**
 * The long mutation-fuzzing run of issue 12 (the suite runs 360 cases in test/fuzz/mutation.test.ts):
 *
 *   npm run build && node dist/scripts/fuzz.js [--cases 3000] [--seed 1] [--timeout 30000] [--heap 1024] [--json out.json]
 *                                               [--only ec-csv,cycling-csv,study-yaml]   (seed kinds; default all)
 *
 * Every case runs in a child process with a wall-clock bound and a heap limit; the summary counts
 * successes, VoidscopeErrors (by code), raw errors ("unclear"), hangs, crashes, errors that do not
 * name a file of the case, and the largest resident set size. Exit code 1 when any hang, crash or
 * raw error occurred. Repros: the case id, seed kind and mutation are printed; the same --seed and
 * --cases rebuild the same bytes.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeCases, makeSeeds, runCases, tally } from '../test/fuzz/harness.js';
import type { CaseResult } from '../test/fuzz/harness.js';

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
}
const count = arg('cases', 3000);
const seed = arg('seed', 1);
const timeoutMs = arg('timeout', 30_000);
const heapMb = arg('heap', 1024);
const jsonAt = process.argv.indexOf('--json');

const onlyAt = process.argv.indexOf('--only');
const only = onlyAt > 0 ? new Set(process.argv[onlyAt + 1]!.split(',')) : null;
const seeds = (await makeSeeds()).filter((s) => !only || only.has(s.kind));
if (seeds.length === 0) throw new Error(`--only matches no seed kind`);
const cases = makeCases(seeds, count, seed);
const work = mkdtempSync(join(tmpdir(), 'voidscope-fuzz-'));
const t0 = Date.now();
let done = 0;
const results: CaseResult[] = await runCases(cases, {
  timeoutMs,
  heapMb,
  workDir: work,
  onResult: (r) => {
    if (++done % 250 === 0) process.stderr.write(`${done}/${count} cases, ${((Date.now() - t0) / 1000).toFixed(0)} s\n`);
    if (r.outcome.kind === 'hang' || r.outcome.kind === 'crash' || r.outcome.kind === 'unclear') {
      process.stdout.write(`#${r.id} ${r.seed} [${r.mutation}] ${r.outcome.kind}: ${'message' in r.outcome ? r.outcome.message : ''} (${r.ms} ms)\n`);
    }
  },
});
rmSync(work, { recursive: true, force: true });
const t = tally(results);
const byCode: Record<string, number> = {};
let unnamed = 0;
for (const r of results) {
  if (r.outcome.kind !== 'error') continue;
  byCode[r.outcome.code] = (byCode[r.outcome.code] ?? 0) + 1;
  if (!r.outcome.named) unnamed++;
}
let slowest = results[0]!;
let largest = results[0]!;
for (const r of results) {
  if (r.ms > slowest.ms) slowest = r;
  if (r.rssMb > largest.rssMb) largest = r;
}
console.log(`${count} cases (seed ${seed}) in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${t.ok} ok, ${t.error} VoidscopeErrors ${JSON.stringify(byCode)}, ${t.unclear} raw errors, ${t.hang} hangs, ${t.crash} crashes`);
console.log(`errors naming the entry file: ${t.error - unnamed} of ${t.error} (the others name a companion file, e.g. the .ibd)`);
console.log(`slowest: #${slowest.id} ${slowest.seed} ${slowest.ms} ms; largest RSS: #${largest.id} ${largest.seed} ${largest.rssMb} MiB`);
if (jsonAt > 0) writeFileSync(process.argv[jsonAt + 1]!, JSON.stringify(results, null, 1));
process.exitCode = t.hang + t.crash + t.unclear > 0 ? 1 : 0;
