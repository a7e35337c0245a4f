/**
 * Seeded mutation test (issue 12): 360 mutated inputs of every kind voidscope reads (TIFF strip,
 * LZW, tiled, multipage, planar; PNG; JPEG; BMP; vendor TIFFs and sidecars; BIF6; imzML XML and
 * .ibd; SurfaceLab text; count matrix; electrochemistry CSV; study YAML), each in a child process
 * with a 20 s bound and a 1 GiB heap: every case either succeeds or ends in a VoidscopeError with a
 * known code, never a hang, a crash or a raw error. The long run is scripts/fuzz.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeCases, makeSeeds, runCases, tally } from './harness.js';

const CODES = new Set(['ENOENT', 'EEMPTY', 'ECORRUPT', 'EUNSUPPORTED', 'ETOOLARGE', 'EOPTION', 'EPARSE', 'EIO']);

test('360 seeded mutations: each input succeeds or ends in a VoidscopeError with a known code, in bounded time', { timeout: 180_000 }, async () => {
  const seeds = await makeSeeds();
  assert.ok(seeds.length >= 20, `${seeds.length} seeds`);
  const cases = makeCases(seeds, 360, 20261130);
  const work = mkdtempSync(join(tmpdir(), 'voidscope-fuzz-'));
  try {
    const results = await runCases(cases, { timeoutMs: 20_000, heapMb: 1024, workDir: work });
    const bad = results.filter((r) => r.outcome.kind === 'hang' || r.outcome.kind === 'crash' || r.outcome.kind === 'unclear' || (r.outcome.kind === 'error' && !CODES.has(r.outcome.code)));
    const t = tally(results);
    assert.deepEqual(bad.map((r) => `#${r.id} ${r.seed} [${r.mutation}]: ${JSON.stringify(r.outcome)}`), [], JSON.stringify(t));
    // Both outcomes occur: the mutations are neither all harmless nor all fatal.
    assert.ok(t.ok > 20 && t.error > 100, JSON.stringify(t));
    // Bounded memory: no case took the child past 768 MiB resident (before the fixes an imzML .ibd
    // mutation reached 1,113 MiB and TIFF IFD loops grew without bound until killed).
    const peak = results.reduce((m, r) => (r.rssMb > m.rssMb ? r : m), results[0]!);
    assert.ok(peak.rssMb < 768, `#${peak.id} ${peak.seed} [${peak.mutation}] reached ${peak.rssMb} MiB`);
    // Every kind of seed was exercised.
    assert.equal(new Set(results.map((r) => r.seed)).size, seeds.length);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});
