/**
 * Issue 12, "Crashes and safety": report folders are never scanned as inputs, --out cannot reach
 * into the inputs through a symlink, killed runs' temporary folders are cleaned up, and large
 * arrays are never spread into function arguments (plots over 200k pores).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync, existsSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { walk, isReportFolder } from '../../src/pipeline/inputs.js';
import { markRunFolder, removeStaleRunFolders, REPORT_MARKER } from '../../src/pipeline/report/write.js';
import { checkOut } from '../../src/pipeline/stages/output.js';
import { plotSpecs } from '../../src/pipeline/report/plots.js';
import { summarize } from '../../src/pipeline/stats.js';
import { VoidscopeError } from '../../src/errors.js';
import type { StudyResult } from '../../src/pipeline/types.js';

const root = mkdtempSync(join(tmpdir(), 'voidscope-safety-'));

test('the scan skips every voidscope report folder: marked, or an older report (report.json + cache)', async () => {
  const s = join(root, 'study');
  mkdirSync(join(s, 'sem'), { recursive: true });
  writeFileSync(join(s, 'sem', 'a.tif'), 'x');
  // A report written under another name (run s --out s/elsewhere is refused, but a copy can land here).
  mkdirSync(join(s, 'old-report', 'overlays'), { recursive: true });
  writeFileSync(join(s, 'old-report', REPORT_MARKER), '{}');
  writeFileSync(join(s, 'old-report', 'overlays', 'a.png'), 'x');
  mkdirSync(join(s, 'legacy', 'overlays'), { recursive: true });
  writeFileSync(join(s, 'legacy', 'report.json'), '{}');
  writeFileSync(join(s, 'legacy', '.voidscope-cache.json'), '{}');
  writeFileSync(join(s, 'legacy', 'overlays', 'b.png'), 'x');
  // A folder that merely holds a report.json of its own is data, not a report.
  mkdirSync(join(s, 'data'), { recursive: true });
  writeFileSync(join(s, 'data', 'report.json'), '{}');
  assert.deepEqual(await walk(s, []), ['data/report.json', 'sem/a.tif']);
  assert.equal(isReportFolder(['report.json']), false);
});

test('--out through a symlink into the input folder is refused', async () => {
  const s = join(root, 'in');
  mkdirSync(join(s, 'sub'), { recursive: true });
  const link = join(root, 'link-to-in');
  symlinkSync(s, link);
  for (const out of [join(link, 'report'), join(link, 'sub', 'deeper', 'report')]) {
    await assert.rejects(checkOut(s, out, false), (e: unknown) => e instanceof VoidscopeError && e.code === 'EOPTION' && /inside the input folder/.test(e.message));
  }
  // The input folder reached through a link that the report contains.
  await assert.rejects(checkOut(link, root, false), (e: unknown) => e instanceof VoidscopeError && /contains the input folder/.test(e.message));
  await checkOut(s, join(root, 'elsewhere', 'report'), false);
  await checkOut(s, join(s, 'voidscope-report'), true);
});

test('temporary folders of killed runs are removed; those of live runs are kept', async () => {
  const dir = join(root, 'outs');
  mkdirSync(dir, { recursive: true });
  const out = join(dir, 'report');
  // A run killed with kill -9: a child process that marked its folder and exited.
  const dead = join(dir, '.report.tmp-aaaaaaaaaaaa');
  mkdirSync(dead);
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  writeFileSync(join(dead, '.voidscope-run'), JSON.stringify({ pid: Number(child.stdout), host: (await import('node:os')).hostname() }));
  const live = join(dir, '.report.tmp-bbbbbbbbbbbb');
  mkdirSync(live);
  await markRunFolder(live);
  const unknownNew = join(dir, '.report.tmp-cccccccccccc');
  mkdirSync(unknownNew);
  const unknownOld = join(dir, '.report.tmp-dddddddddddd');
  mkdirSync(unknownOld);
  const past = new Date(Date.now() - 2 * 3600_000);
  utimesSync(unknownOld, past, past);
  await removeStaleRunFolders(out);
  assert.equal(existsSync(dead), false, 'dead owner');
  assert.equal(existsSync(live), true, 'live owner');
  assert.equal(existsSync(unknownNew), true, 'no owner, recent');
  assert.equal(existsSync(unknownOld), false, 'no owner, over an hour old');
});

test('plots and summaries over 250k pores (Math.max(...pores) overflowed the stack)', () => {
  const n = 250_000;
  const ecds = Array.from({ length: n }, (_, i) => 0.1 + (i % 1000) / 100);
  const r = {
    summary: [],
    sims: [],
    electrochem: { curves: [] },
    run: { rule: { retentionCycle: 100, highRate: 1, lowRate: 0.1, marginPp: 5 } },
    sem: [{ status: 'ok', file: 'a.tif', label: { electrode: 'cathode', state: 'cycled', binderWtPct: 1.5, cycles: 150 }, poreEcds: ecds, pores: { unit: 'µm' }, porosityPercent: 10 }],
  } as unknown as StudyResult;
  const specs = plotSpecs(r);
  const psd = specs.find((p) => p.name === 'pore-size-distributions.svg');
  assert.ok(psd, 'pore-size plot');
  const extent = (psd.spec as unknown as { transform: Array<{ extent: [number, number] }> }).transform[0]!.extent;
  assert.deepEqual(extent, [0, 0.1 + 999 / 100]);
  const s = summarize(ecds);
  assert.equal(s.n, n);
  assert.equal(s.min, 0.1);
  assert.equal(s.max, 0.1 + 999 / 100);
});
