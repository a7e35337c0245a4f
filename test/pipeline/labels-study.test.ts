/** Labelling from names and patterns; study-file parsing and validation errors. */
import test from 'node:test';
import assert from 'node:assert/strict';
import { labelFromNames, compilePattern, parseBinder, parseState } from '../../src/pipeline/labels.js';
import { parseStudy, DEFAULT_RULE } from '../../src/pipeline/study.js';
import { labelWithStudy, labelWithoutStudy, isTotalIonName, pairTotal } from '../../src/pipeline/inputs.js';
import { VoidscopeError } from '../../src/errors.js';

test('binder contents from names', () => {
  assert.equal(parseBinder('NBR1.5'), 1.5);
  assert.equal(parseBinder('nbr_2'), 2);
  assert.equal(parseBinder('1.5wt%'), 1.5);
  assert.equal(parseBinder('sample_0,5wt'), 0.5);
  assert.equal(parseBinder('2.5 wt %'), 2.5);
  assert.equal(parseBinder('1.0%NBR'), 1.0);
  assert.equal(parseBinder('cycled150'), undefined);
  assert.equal(parseBinder('2.0', true), 2);
  assert.equal(parseBinder('2.0'), undefined);
});

test('states from names', () => {
  assert.deepEqual(parseState('pristine'), { state: 'pristine', cycles: null });
  assert.deepEqual(parseState('cycled150'), { state: 'cycled', cycles: 150 });
  assert.deepEqual(parseState('150cycles'), { state: 'cycled', cycles: 150 });
  assert.deepEqual(parseState('cycled'), { state: 'cycled', cycles: null });
  assert.equal(parseState('foo'), undefined);
});

test('labels from the names in a path (the default labeller)', () => {
  assert.deepEqual(labelFromNames('sem/cathode/NBR1.5/cycled150/img_1.tif'), {
    kind: 'sem',
    electrode: 'cathode',
    binderWtPct: 1.5,
    state: 'cycled',
    cycles: 150,
  });
  assert.deepEqual(labelFromNames('Si-C/2.5wt%/pristine/a.tif'), { electrode: 'anode', binderWtPct: 2.5, state: 'pristine', cycles: null });
  // A cell file name: the electrode and binder, no state.
  assert.deepEqual(labelFromNames('electrochem/cycling/cathode_NBR0.5_cell2.csv'), { electrode: 'cathode', binderWtPct: 0.5 });
});

test('--pattern "{electrode}/{binder}wt/{state}/*"', () => {
  const p = compilePattern('{electrode}/{binder}wt/{state}/*');
  assert.deepEqual(p.match('images/anode/1.5wt/cycled150/x.tif'), { electrode: 'anode', binderWtPct: 1.5, state: 'cycled', cycles: 150 });
  assert.deepEqual(p.match('cathode/0,5wt/pristine/y.png'), { electrode: 'cathode', binderWtPct: 0.5, state: 'pristine', cycles: null });
  assert.equal(p.match('cathode/NBR0.5/pristine/y.png'), null);
  assert.throws(() => compilePattern('{electrode}/{bnder}/*'), (e: unknown) => e instanceof VoidscopeError && e.code === 'EOPTION' && /unknown field \{bnder\}/.test(e.message));
  assert.throws(() => compilePattern('{electrode/*'), /unclosed/);
});

test('without a study file: labelled, unlabelled and sidecars', () => {
  const all = [
    'sem/cathode/NBR1.5/pristine/a.tif',
    'sem/cathode/NBR1.5/pristine/a.txt',
    'sem/cathode/NBR1.5/pristine/b.tif',
    'sem/cathode/NBR1.5/pristine/b-tif.hdr',
    'sem/cathode/mystery/c.tif',
    'sims/anode/NBR0.5/m (2) - Li+.txt',
    'sims/anode/NBR0.5/m (0) - total.txt',
    'electrochem/table.csv',
    'electrochem/cycling/cathode_NBR1.5_cell1.csv',
    'notes.md',
  ];
  const r = labelWithoutStudy(all, null);
  assert.deepEqual(r.sem.map((f) => f.rel), ['sem/cathode/NBR1.5/pristine/a.tif', 'sem/cathode/NBR1.5/pristine/b.tif']);
  assert.deepEqual(r.unlabelled, [{ file: 'sem/cathode/mystery/c.tif', reason: 'no binder content, state (pristine/cycled) in the path (use a study file or --pattern)' }]);
  assert.equal(r.sims.length, 1);
  assert.equal(r.sims[0]!.total, 'sims/anode/NBR0.5/m (0) - total.txt');
  assert.equal(r.sims[0]!.label.state, 'cycled');
  assert.deepEqual(r.auxiliary.map((a) => a.rel).sort(), ['sem/cathode/NBR1.5/pristine/a.txt', 'sem/cathode/NBR1.5/pristine/b-tif.hdr', 'sims/anode/NBR0.5/m (0) - total.txt']);
  assert.deepEqual(r.tables, ['electrochem/table.csv']);
  assert.deepEqual(r.cycling.map((c) => c.rel), ['electrochem/cycling/cathode_NBR1.5_cell1.csv']);
  assert.ok(isTotalIonName('x (0) - total.txt'));
  assert.ok(!isTotalIonName('x (2) - Li+.txt'));
  assert.equal(pairTotal('d/a (2) - Li+.txt', ['d/a (0) - total.txt', 'd/b (0) - total.txt']), 'd/a (0) - total.txt');
});

const GOOD = `
version: 1
name: test study
groups:
  - name: cath
    kind: sem
    electrode: cathode
    files: sem/cathode/**/*.tif
    options: { method: Otsu }
  - kind: sims
    electrode: anode
    files: [sims/**/*.bif6]
    cycles: 15
    reference: 0.5
electrochemistry:
  tables: ec/table.csv
  cycling:
    - files: ec/cycling/*.csv
      source: illustrative
recommendation:
  margin: 3
`;

test('a valid study file', () => {
  const s = parseStudy(GOOD, 'voidscope.yaml');
  assert.equal(s.name, 'test study');
  assert.equal(s.groups.length, 2);
  assert.deepEqual(s.groups[0]!.options, { method: 'Otsu' });
  assert.equal(s.groups[1]!.state, 'cycled', 'cycles imply cycled');
  assert.equal(s.groups[1]!.cycles, 15);
  assert.equal(s.groups[1]!.name, 'SIMS anode');
  assert.deepEqual(s.electrochemistry.tables, ['ec/table.csv']);
  assert.equal(s.electrochemistry.cycling[0]!.source, 'illustrative');
  assert.equal(s.recommendation.marginPp, 3);
  assert.equal(s.recommendation.retentionCycle, DEFAULT_RULE.retentionCycle);
  const roi = parseStudy('groups:\n  - kind: sem\n    files: a\n    options: { roi: "10, 20,300,200" }\n', 'v.yaml');
  assert.deepEqual(roi.groups[0]!.options.roi, { x: 10, y: 20, width: 300, height: 200 });
  // JSON is read by the same parser.
  const j = parseStudy(JSON.stringify({ groups: [{ kind: 'sem', files: '*.tif', binder: '1.5 wt %', state: 'pristine' }] }), 'voidscope.json');
  assert.equal(j.groups[0]!.binderWtPct, 1.5);
});

function err(text: string): string {
  try {
    parseStudy(text, 'study/voidscope.yaml');
  } catch (e) {
    assert.ok(e instanceof VoidscopeError);
    return e.message;
  }
  assert.fail('expected an error');
}

test('validation errors name the file, the key path and the line', () => {
  assert.equal(
    err('groups:\n  - kind: sem\n    files: a/*.tif\n  - kind: sem\n    files: b/*.tif\n    binder: lots\n'),
    'study/voidscope.yaml: groups[1].binder (line 6): expected a binder content in wt % (a number ≥ 0), got "lots"',
  );
  assert.match(err('groups:\n  - kind: xrd\n    files: a/*.tif\n'), /^study\/voidscope\.yaml: groups\[0\]\.kind \(line 2\): expected "sem" or "sims", got "xrd"$/);
  assert.match(err('groups:\n  - kind: sem\n    fils: a/*.tif\n'), /groups\[0\]\.fils \(line 3\): unknown key \(did you mean "files"\?\)/);
  assert.match(err('groups:\n  - kind: sem\n'), /groups\[0\] \(line 2\): missing key "files"/);
  assert.match(err('name: x\n'), /groups: expected a list of groups/);
  assert.match(err('groups:\n  - kind: sem\n    files: a\n    state: pristine\n    cycles: 10\n'), /groups\[0\]\.cycles \(line 5\): a pristine group cannot have a cycle count/);
  assert.match(err('groups:\n  - kind: sem\n    files: a\nrecommendation:\n  margin: -1\n'), /recommendation\.margin \(line 5\): expected a margin/);
  assert.match(err('groups:\n  - kind: sem\n    files: a\nrecommendation:\n  highRate: 0.1\n  lowRate: 1\n'), /highRate \(0\.1 C\) must be above lowRate/);
  assert.match(err('groups:\n  - kind: sem\n    files: a\n    options:\n      roi: 1,2,3\n'), /groups\[0\]\.options\.roi \(line 5\): expected "x,y,width,height"/);
  assert.match(err('groups: [\n'), /^study\/voidscope\.yaml: line \d+, column \d+: /);
  // The first group's default name is "SEM group 1", so the second group's explicit name collides with it.
  assert.match(err('groups:\n  - kind: sem\n    files: a\n  - name: SEM group 1\n    kind: sem\n    files: b\n'), /groups\[1\]\.name \(line 4\): duplicate group name "SEM group 1"/);
});

test('labelling with a study file: groups, path-derived binder/state, unmatched files', () => {
  const s = parseStudy(GOOD, 'voidscope.yaml');
  const all = [
    'sem/cathode/NBR1.5/pristine/a.tif',
    'sem/cathode/NBR1.5/cycled150/b.tif',
    'sem/cathode/odd/c.tif',
    'sem/anode/NBR1.5/pristine/d.tif',
    'sims/anode/NBR0.5/m.bif6',
    'ec/table.csv',
    'ec/cycling/cathode_NBR1.5_cell1.csv',
  ];
  const r = labelWithStudy(all, s);
  assert.deepEqual(r.sem.map((f) => [f.rel, f.label.binderWtPct, f.label.state, f.label.cycles, f.label.group]), [
    ['sem/cathode/NBR1.5/pristine/a.tif', 1.5, 'pristine', null, 'cath'],
    ['sem/cathode/NBR1.5/cycled150/b.tif', 1.5, 'cycled', 150, 'cath'],
  ]);
  assert.deepEqual(r.unlabelled, [
    { file: 'sem/cathode/odd/c.tif', reason: 'group "cath": no binder content, state (pristine/cycled) in the group or the path' },
    { file: 'sem/anode/NBR1.5/pristine/d.tif', reason: 'not matched by any group of the study file' },
  ]);
  assert.equal(r.sims[0]!.label.cycles, 15);
  assert.equal(r.sims[0]!.reference, 0.5);
  assert.deepEqual(r.tables, ['ec/table.csv']);
  assert.equal(r.cycling[0]!.source, 'illustrative');
});

test('without a study file: a map exported as BIF6 and as SurfaceLab text is counted once', () => {
  const r = labelWithoutStudy(['sims/anode/NBR0.5/m.bif6', 'sims/anode/NBR0.5/m (2) - Li+.txt', 'sims/anode/NBR0.5/m (0) - total.txt', 'sims/anode/NBR1.5/k (2) - Li+.txt'], null);
  assert.deepEqual(r.sims.map((x) => x.rel), ['sims/anode/NBR0.5/m.bif6', 'sims/anode/NBR1.5/k (2) - Li+.txt']);
  assert.deepEqual(r.warnings, ['sims/anode/NBR0.5/m (2) - Li+.txt: the same measurement as m.bif6 (text export); the BIF6 form is used']);
});

test('label vocabulary: before/fresh → pristine; after, cycNNN, NNNcyc, cycled → cycled with N; NCM811, SiC, graphite', () => {
  // Expected labels written by hand from the vocabulary in the issue.
  assert.deepEqual(parseState('before'), { state: 'pristine', cycles: null });
  assert.deepEqual(parseState('fresh'), { state: 'pristine', cycles: null });
  assert.deepEqual(parseState('after'), { state: 'cycled', cycles: null });
  assert.deepEqual(parseState('cyc150'), { state: 'cycled', cycles: 150 });
  assert.deepEqual(parseState('50cyc'), { state: 'cycled', cycles: 50 });
  assert.deepEqual(labelFromNames('NCM811_NBR1.5_before_1.tif'), { electrode: 'cathode', binderWtPct: 1.5, state: 'pristine', cycles: null });
  assert.deepEqual(labelFromNames('SiC_NBR0.5_after_cyc50_2.tif'), { electrode: 'anode', binderWtPct: 0.5, state: 'cycled', cycles: 50 });
  assert.deepEqual(labelFromNames('graphite_1.0wt_150cyc_after.tif'), { electrode: 'anode', binderWtPct: 1, state: 'cycled', cycles: 150 });
  assert.deepEqual(labelFromNames('Si-C_NBR2.5_cycled_150_1.tif'), { electrode: 'anode', binderWtPct: 2.5, state: 'cycled', cycles: 150 });
  // An image index after "after" is not a cycle count.
  assert.deepEqual(labelFromNames('NMC622_NBR1.5_after_1.tif'), { electrode: 'cathode', binderWtPct: 1.5, state: 'cycled', cycles: null });
  // A SurfaceLab text export is a SIMS map even without "sims" in its path.
  assert.equal(labelFromNames('anode_NBR1.5_15cyc (2) - Li+.txt').kind, 'sims');
  assert.equal(labelFromNames('SiC_NBR2.5_cyc15_Li+.txt').kind, 'sims');
  assert.equal(labelFromNames('SiC_NBR2.5_cyc15_7Li+.csv').kind, 'sims');
  assert.equal(labelFromNames('SiC_NBR2.5_cycled_2.tif').kind, undefined);
});

test('a flat folder: SIMS text exports and unlabelled files are listed by name, not dropped', () => {
  const all = ['NCM811_NBR1.5_before_1.tif', 'anode_NBR1.5_15cyc (2) - Li+.csv', 'anode_NBR1.5_15cyc (0) - total.csv', 'anode_NBR2.5_Li+.txt', 'anode_Li+_map.txt', 'mystery_map.tif'];
  const r = labelWithoutStudy(all, null);
  assert.deepEqual(r.sem.map((x) => x.rel), ['NCM811_NBR1.5_before_1.tif']);
  assert.deepEqual(r.sims.map((x) => [x.rel, x.total]), [['anode_NBR1.5_15cyc (2) - Li+.csv', 'anode_NBR1.5_15cyc (0) - total.csv'], ['anode_NBR2.5_Li+.txt', null]]);
  // A SIMS map without a binder content is listed by name, not dropped.
  assert.deepEqual(r.unlabelled.map((u) => u.file), ['anode_Li+_map.txt', 'mystery_map.tif']);
});

test('voidscope init on a flat folder with both electrodes writes what the name labeller sees', async () => {
  const { mkdtempSync, writeFileSync, rmSync, readFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { initStudy } = await import('../../src/pipeline/init.js');
  const dir = mkdtempSync(join(tmpdir(), 'voidscope-init-flat-'));
  try {
    const files = [
      'NCM811_NBR0.5_pristine_1.tif', 'NCM811_NBR0.5_cycled150_1.tif', 'SiC_NBR0.5_pristine_1.tif', 'SiC_NBR0.5_cycled150_1.tif',
      'cathode_NBR1.5_fresh_2.tif', 'anode_NBR1.5_after_cyc150_2.tif',
    ];
    for (const f of files) writeFileSync(join(dir, f), 'x');
    const r = await initStudy(dir);
    const study = parseStudy(readFileSync(r.file, 'utf8'), r.file);
    const all = [...files].sort();
    const withStudy = labelWithStudy(all, study);
    const byNames = labelWithoutStudy(all, null);
    const key = (x: { rel: string; label: { electrode: string; binderWtPct: number; state: string; cycles: number | null } }) =>
      `${x.rel} ${x.label.electrode} ${x.label.binderWtPct} ${x.label.state} ${x.label.cycles}`;
    assert.deepEqual(withStudy.sem.map(key).sort(), byNames.sem.map(key).sort());
    assert.equal(withStudy.sem.filter((x) => x.label.electrode === 'anode').length, 3);
    assert.deepEqual(withStudy.warnings, []);
    assert.deepEqual(withStudy.unlabelled, []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('voidscope init takes the rule\'s rate pair and retention cycle from the cycling files', async () => {
  const { mkdtempSync, writeFileSync, mkdirSync, rmSync, readFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { initStudy } = await import('../../src/pipeline/init.js');
  const dir = mkdtempSync(join(tmpdir(), 'voidscope-init-rates-'));
  try {
    writeFileSync(join(dir, 'cathode_NBR1.5_pristine_1.tif'), 'x');
    mkdirSync(join(dir, 'cycling'));
    // A rate test 0.1 → 0.5 → 1.0 C, then 0.5 C to cycle 100 (the files end before the default cycle 150).
    const lines = ['cycle,c_rate (C),charge_capacity (mAh/g),discharge_capacity (mAh/g)'];
    for (let n = 1; n <= 100; n++) lines.push(`${n},${n <= 2 ? 0.1 : n <= 4 ? 0.5 : n <= 6 ? 1 : 0.5},180,178`);
    writeFileSync(join(dir, 'cycling', 'cathode_NBR1.5_cell1.csv'), lines.join('\n'));
    const r = await initStudy(dir);
    const study = parseStudy(readFileSync(r.file, 'utf8'), r.file);
    assert.deepEqual([study.recommendation.highRate, study.recommendation.lowRate, study.recommendation.retentionCycle], [1, 0.1, 100]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("study file ignore: globs leave files out on purpose (not analysed, not listed as unlabelled); other strays are still listed", () => {
  const s = parseStudy(
    'version: 1\nignore: [learned/**]\ngroups:\n  - name: cath\n    kind: sem\n    electrode: cathode\n    files: "sem/**/*.png"\n',
    'v.yaml',
  );
  assert.deepEqual(s.ignore, ['learned/**']);
  const r = labelWithStudy(['sem/NBR1.5/pristine/a.png', 'learned/img.png', 'learned/img.scribbles.png', 'stray.png'], s);
  assert.deepEqual(r.sem.map((f) => f.rel), ['sem/NBR1.5/pristine/a.png']);
  assert.deepEqual(r.unlabelled, [{ file: 'stray.png', reason: 'not matched by any group of the study file' }]);
  assert.throws(() => parseStudy('version: 1\nignore: 3\ngroups:\n  - kind: sem\n    files: a\n', 'v.yaml'), /ignore/);
});

test('flat folder without a study file: a stray CSV or text file (possibly a SIMS export) is listed as unlabelled, never dropped silently', () => {
  const r = labelWithoutStudy(['cathode_NBR1.5_pristine_1.tif', 'anode_NBR1.5_map.csv', 'notes.txt', 'electrochem/results.csv'], null);
  assert.deepEqual(r.sem.map((f) => f.rel), ['cathode_NBR1.5_pristine_1.tif']);
  assert.deepEqual(r.tables, ['electrochem/results.csv']);
  assert.deepEqual(r.unlabelled.map((u) => u.file), ['anode_NBR1.5_map.csv', 'notes.txt']);
  assert.match(r.unlabelled[0]!.reason, /no SIMS word/);
});
