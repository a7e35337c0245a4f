/**
 * End-to-end runs of the study pipeline with the real SEM and SIMS analysers.
 *
 * Expected values: the bundled SEM samples were generated with cycled cathode
 * void fractions 15.0 / 11.2 / 9.0 % at 0.5 / 1.5 / 2.5 wt % NBR (ground truth in
 * samples/sem/ground-truth.json); the bundled electrochemistry holds the published values
 * (surface area on the NCM cathode, GITT) and illustrative cells built from the published
 * statements only (scripts/samples/study.ts); the recommendation comes out of them and the rule.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync, statSync, utimesSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';
import { runStudy, initStudy, parseStudy } from '../../src/pipeline/index.js';
import type { StudyResult } from '../../src/pipeline/index.js';
import { VoidscopeError } from '../../src/errors.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SAMPLES = join(ROOT, 'samples');
const CLI = join(ROOT, 'dist', 'src', 'cli', 'main.js');
const work = mkdtempSync(join(tmpdir(), 'voidscope-run-'));
test.after(() => rmSync(work, { recursive: true, force: true }));

function listTree(dir: string): string[] {
  const out: string[] = [];
  const visit = (d: string, rel: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) visit(join(d, e.name), r);
      else out.push(`${r}:${statSync(join(d, e.name)).size}`);
    }
  };
  visit(dir, '');
  return out.sort();
}

/** The analysis numbers of a result, without the run record (times, jobs, paths) and cache flags. */
function numbers(r: StudyResult): unknown {
  const strip = (x: { cached: boolean }) => ({ ...x, cached: undefined });
  return JSON.parse(JSON.stringify({ sem: r.sem.map(strip), sims: r.sims.map(strip), summary: r.summary, correlations: r.correlations, recommendations: r.recommendations, electrochem: r.electrochem, failures: r.failures, unlabelled: r.unlabelled }));
}

let full: StudyResult;
const outA = join(work, 'report-a');

test('the bundled study: cycled cathode porosity 15.0 / 11.2 / 9.0 % and 1.5 wt % recommended', async () => {
  const before = listTree(SAMPLES);
  const events: string[] = [];
  full = await runStudy(SAMPLES, { out: outA, jobs: 2, onProgress: (e) => events.push(e.type) });
  assert.deepEqual(listTree(SAMPLES), before, 'nothing is written into the input folder');
  assert.equal(full.failures.length, 0, JSON.stringify(full.failures));
  assert.equal(full.sem.length, 40);
  assert.equal(full.sims.length, 5);
  const cyc = (b: number) => full.summary.find((s) => s.electrode === 'cathode' && s.binderWtPct === b)!.sem.cycled!.porosity.mean!;
  for (const [b, target] of [[0.5, 15.0], [1.5, 11.2], [2.5, 9.0]] as const) {
    assert.ok(Math.abs(cyc(b) - target) <= 0.5, `cycled cathode ${b} wt %: ${cyc(b)} vs ${target}`);
  }
  const pristine = full.summary.find((s) => s.electrode === 'cathode' && s.binderWtPct === 1.5)!.sem.pristine!.porosity;
  assert.ok(Math.abs(pristine.mean! - 3.0) <= 0.5);
  assert.equal(pristine.n, 2);
  assert.ok(pristine.ci95 && pristine.ci95.low < pristine.mean! && pristine.ci95.high > pristine.mean!);
  const inc = full.summary.find((s) => s.electrode === 'cathode' && s.binderWtPct === 0.5)!.sem.increase!;
  assert.ok(Math.abs(inc.value - 12) < 0.8 && inc.ci95 !== null && inc.unit === 'pp');
  const rec = full.recommendations.find((r) => r.electrode === 'cathode')!;
  assert.equal(rec.decided, true);
  assert.equal(rec.bestBinderWtPct, 1.5);
  assert.ok(rec.reasons.length >= 2);
  // SIMS: Li⁺ rises with binder content, relative to the 0.5 wt % reference.
  const rel = full.summary.filter((s) => s.electrode === 'anode').map((s) => s.sims!.relative!.value);
  assert.equal(rel[0], 1);
  for (let i = 1; i < rel.length; i++) assert.ok(rel[i]! > rel[i - 1]!, `Li⁺ relative ${rel}`);
  // Electrochemistry joined: published precondition capacity and surface area, computed retention.
  const ca = full.summary.find((s) => s.electrode === 'cathode' && s.binderWtPct === 2.0)!.electrochem!.metrics;
  assert.equal(ca.relative_active_surface_area!.value, 0.67);
  assert.equal(ca.relative_active_surface_area!.source, 'published');
  const an = full.summary.find((s) => s.electrode === 'anode' && s.binderWtPct === 2.0)!.electrochem!.metrics;
  assert.equal(an.relative_active_surface_area, undefined);
  assert.equal(an.precond_capacity!.value, 1053);
  assert.equal(an.retention_150!.n, 3);
  assert.equal(an.retention_150!.origin, 'cycling');
  assert.deepEqual(an.dcir && { v: an.dcir.value, u: an.dcir.unit }, { v: 28.4, u: 'Ω cm²' });
  // Correlations state n and keep the plain numbers.
  const c = full.correlations.find((x) => x.electrode === 'cathode' && x.x.key === 'binder' && x.y.key === 'cycled_porosity')!;
  assert.equal(c.spearman.n, 5);
  assert.equal(c.spearman.rho, -1);
  assert.equal(c.points.length, 5);
  assert.ok(events.includes('start') && events.includes('file') && events.at(-1) === 'done');
});

test('report files: report.json holds the returned object; CSVs; run record with hashes', () => {
  const json = JSON.parse(readFileSync(join(outA, 'report.json'), 'utf8'));
  assert.deepEqual(json, JSON.parse(JSON.stringify(full)));
  assert.equal(json.schemaVersion, '1.0');
  for (const f of ['porosity.csv', 'sims.csv', 'summary.csv', 'report.md', 'index.html', 'plots/porosity-vs-binder.svg']) assert.ok(existsSync(join(outA, f)), f);
  const lines = (f: string) => readFileSync(join(outA, f), 'utf8').trim().split('\n');
  assert.equal(lines('porosity.csv').length, 41);
  assert.equal(lines('sims.csv').length, 6);
  assert.equal(lines('summary.csv').length, 11);
  assert.match(lines('summary.csv')[0]!, /^electrode,binder \(wt %\),pristine_porosity_mean \(%\),/);
  const one = 'sem/cathode/NBR1.5/cycled150/cathode_NBR1.5_cycled150_1.tif';
  const rec = full.run.inputs.find((i) => i.path === one)!;
  const bytes = readFileSync(join(SAMPLES, one));
  assert.equal(rec.sha256, createHash('sha256').update(bytes).digest('hex'));
  assert.equal(rec.sizeBytes, bytes.length);
  assert.equal(rec.role, 'sem');
  assert.ok(full.run.inputs.some((i) => i.role === 'sidecar'));
  assert.ok(full.run.inputs.some((i) => i.path === 'voidscope.yaml' && i.role === 'study'));
  assert.ok(full.run.dependencies.vega && full.run.dependencies['vega-lite'] && full.run.voidscopeVersion);
  const img = full.sem.find((s) => s.file === one)!;
  assert.ok(img.method && img.threshold !== null && img.polarity && img.roi && img.pixelSize?.source);
  assert.ok(img.overlay && existsSync(join(outA, img.overlay)));
  assert.ok(full.sims.every((m) => m.heatmap && existsSync(join(outA, m.heatmap))));
  const md = readFileSync(join(outA, 'report.md'), 'utf8');
  assert.match(md, /### cathode: 1\.5 wt % NBR/);
  // Every image row states its segmentation band and confidence (the default automatic segmenter: high
  // on these clean generated images; the band holds the ground truth, see bench:segmentation).
  assert.match(md, /\| sem\/cathode\/NBR1\.5\/cycled150\/cathode_NBR1\.5_cycled150_1\.tif \| cathode \| 1\.5 \| cycled \(150\) \| [\d.]+ \| \d+\.\d\d–\d+\.\d\d \| high \| auto \|/);
  assert.deepEqual(readdirSync(work).filter((n) => n.includes('.tmp-') || n.includes('.old-')), [], 'no temporary folders left');
});

test('results do not depend on --jobs; --resume reuses unchanged images', async () => {
  const one = await runStudy(SAMPLES, { out: join(work, 'report-b'), jobs: 1 });
  assert.deepEqual(numbers(one), numbers(full));
  const again = await runStudy(SAMPLES, { out: outA, jobs: 2, resume: true });
  assert.ok(again.sem.every((s) => s.cached) && again.sims.every((m) => m.cached), 'everything from the cache');
  assert.deepEqual(numbers(again), numbers(full));
  assert.ok(again.sem.every((s) => s.overlay && existsSync(join(outA, s.overlay))), 'cached overlays carried over');
});

/** A small writable study: two binder contents of cathode SEM images, labelled by names. */
function smallStudy(name: string): string {
  const dir = join(work, name);
  for (const b of ['0.5', '1.5']) {
    for (const st of ['pristine', 'cycled150']) {
      const src = join(SAMPLES, 'sem', 'cathode', `NBR${b}`, st);
      cpSync(src, join(dir, 'sem', 'cathode', `NBR${b}`, st), { recursive: true });
    }
  }
  return dir;
}

test('--resume re-analyses a changed image; a bad file among good ones; exit status', async () => {
  const dir = smallStudy('small');
  const out = join(work, 'small-report');
  const first = await runStudy(dir, { out, jobs: 2 });
  assert.equal(first.sem.length, 8);
  assert.equal(first.run.labelling.mode, 'names');
  const a = 'sem/cathode/NBR0.5/cycled150/cathode_NBR0.5_cycled150_1.tif';
  const b = 'sem/cathode/NBR1.5/cycled150/cathode_NBR1.5_cycled150_1.tif';
  // Replace one image by another's bytes: its hash changes, so it is analysed again.
  writeFileSync(join(dir, a), readFileSync(join(dir, b)));
  // And add a corrupt "image" in a labelled folder.
  const bad = 'sem/cathode/NBR1.5/pristine/broken.tif';
  writeFileSync(join(dir, bad), Buffer.from('II*\u0000 this is not a TIFF'));
  const second = await runStudy(dir, { out, jobs: 2, resume: true });
  const cached = Object.fromEntries(second.sem.map((s) => [s.file, s.cached]));
  assert.equal(cached[a], false);
  assert.equal(cached[b], true);
  assert.equal(second.sem.filter((s) => s.cached).length, 7);
  assert.equal(second.sem.find((s) => s.file === a)!.porosityPercent, first.sem.find((s) => s.file === b)!.porosityPercent);
  assert.equal(second.failures.length, 1);
  assert.equal(second.failures[0]!.file, bad);
  assert.match(second.failures[0]!.message, /broken\.tif/);
  const row = second.sem.find((s) => s.file === bad)!;
  assert.equal(row.status, 'failed');
  assert.equal(second.sem.filter((s) => s.status === 'ok').length, 8, 'the rest go on');
  assert.match(readFileSync(join(out, 'index.html'), 'utf8'), /broken\.tif/);
  // The CLI reports the file on stderr and exits 1.
  const cli = spawnSync(process.execPath, [CLI, 'run', dir, '--out', out, '--jobs', '1', '--resume', '--quiet'], { encoding: 'utf8' });
  assert.equal(cli.status, 1, cli.stderr);
  assert.match(cli.stderr, /^voidscope: .*broken\.tif/m);
});

test('report locations: default inside the folder is skipped by the scan; others must lie outside the inputs', async () => {
  const dir = smallStudy('loc');
  const r1 = await runStudy(dir, { jobs: 1 });
  assert.equal(r1.run.out, join(dir, 'voidscope-report'));
  const r2 = await runStudy(dir, { jobs: 1, resume: true });
  assert.ok(!r2.run.inputs.some((i) => i.path.startsWith('voidscope-report')), 'the report folder is not an input');
  assert.equal(r2.unlabelled.length, 0);
  assert.ok(r2.sem.every((s) => s.cached));
  const isOpt = (e: unknown) => e instanceof VoidscopeError && e.code === 'EOPTION';
  await assert.rejects(runStudy(dir, { out: join(dir, 'sem', 'out') }), (e) => isOpt(e) && /inside the input folder/.test((e as Error).message));
  await assert.rejects(runStudy(dir, { out: dirname(dir) }), (e) => isOpt(e) && /contains the input folder/.test((e as Error).message));
  const occupied = join(work, 'occupied');
  mkdirSync(occupied);
  writeFileSync(join(occupied, 'thesis.docx'), 'precious');
  await assert.rejects(runStudy(dir, { out: occupied }), (e) => isOpt(e) && /refusing to replace/.test((e as Error).message));
  assert.ok(existsSync(join(occupied, 'thesis.docx')));
  await assert.rejects(runStudy(join(work, 'nope')), (e) => e instanceof VoidscopeError && e.code === 'ENOENT');
  await assert.rejects(runStudy(dir, { jobs: 0 }), isOpt);
});

test('an interrupted run leaves the previous report intact and no half-written one', async () => {
  const dir = smallStudy('interrupt');
  const out = join(work, 'interrupt-report');
  // Stub analysers (the analysis step is pluggable): every image 10 % void.
  const stub = { sem: async () => ({ porosityPercent: 10, voidFraction: 0.1, method: 'Stub' }) as never, sims: async () => ({}) as never };
  const good = await runStudy(dir, { out, analyzers: stub });
  assert.equal(good.sem[0]!.porosityPercent, 10);
  assert.equal(good.sem[0]!.method, 'Stub');
  const before = readFileSync(join(out, 'report.json'), 'utf8');
  let n = 0;
  await assert.rejects(
    runStudy(dir, {
      out,
      analyzers: stub,
      onProgress: (e) => {
        if (e.type === 'file' && ++n === 3) throw new Error('simulated interruption');
      },
    }),
    /simulated interruption/,
  );
  assert.equal(readFileSync(join(out, 'report.json'), 'utf8'), before, 'previous report untouched');
  assert.deepEqual(readdirSync(work).filter((x) => x.startsWith('.interrupt-report')), [], 'temporary folder removed');
  // The same through an AbortSignal (what the CLI does on Ctrl-C).
  const ac = new AbortController();
  await assert.rejects(
    runStudy(dir, { out, analyzers: stub, signal: ac.signal, onProgress: (e) => { if (e.type === 'file') ac.abort(new Error('aborted by the user')); } }),
    /aborted by the user/,
  );
  assert.equal(readFileSync(join(out, 'report.json'), 'utf8'), before);
  // Leftovers of a killed run (older than an hour) are removed; a recent one (a run in progress) is not.
  const stale = join(work, '.interrupt-report.tmp-0123456789ab');
  const recent = join(work, '.interrupt-report.tmp-ba9876543210');
  mkdirSync(stale);
  mkdirSync(recent);
  const old = new Date(Date.now() - 2 * 3600_000);
  utimesSync(stale, old, old);
  await runStudy(dir, { out, analyzers: stub });
  assert.equal(existsSync(stale), false);
  assert.equal(existsSync(recent), true);
  rmSync(recent, { recursive: true });
  const fresh = join(work, 'never-written');
  await assert.rejects(runStudy(dir, { out: fresh, analyzers: stub, onProgress: (e) => { if (e.type === 'file') throw new Error('stop'); } }), /stop/);
  assert.equal(existsSync(fresh), false);
});

test('voidscope init writes a study file and never overwrites one without --force', async () => {
  const dir = smallStudy('init');
  mkdirSync(join(dir, 'odd'));
  writeFileSync(join(dir, 'odd', 'x.tif'), 'not labelled');
  const r = await initStudy(dir);
  assert.equal(r.file, join(dir, 'voidscope.yaml'));
  const study = parseStudy(readFileSync(r.file, 'utf8'), r.file);
  assert.deepEqual(study.groups.map((g) => [g.kind, g.electrode, g.files]), [['sem', 'cathode', ['sem/cathode/**/*.tif']]]);
  assert.deepEqual(r.unlabelled.map((u) => u.file), ['odd/x.tif']);
  await assert.rejects(initStudy(dir), (e) => e instanceof VoidscopeError && /already exists .*--force/.test(e.message));
  writeFileSync(r.file, '# edited by hand\n' + readFileSync(r.file, 'utf8'));
  await initStudy(dir, { force: true });
  assert.ok(!readFileSync(r.file, 'utf8').startsWith('# edited by hand'));
  // The study file is used by the next run, and the unmatched file is listed as unlabelled.
  const res = await runStudy(dir, { out: join(work, 'init-report'), analyzers: { sem: async () => ({ porosityPercent: 5 }) as never, sims: async () => ({}) as never } });
  assert.equal(res.run.labelling.mode, 'study-file');
  assert.equal(res.sem.length, 8);
  assert.deepEqual(res.unlabelled, [{ file: 'odd/x.tif', reason: 'not matched by any group of the study file' }]);
});
