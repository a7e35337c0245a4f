/** `voidscope sims` end to end on the committed samples (compiled CLI run in a child process). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO, SAMPLES, tempDir } from './helpers.js';

const CLI = join(REPO, 'dist', 'src', 'cli', 'main.js');
const run = (...args: string[]) => spawnSync(process.execPath, [CLI, 'sims', ...args], { encoding: 'utf8', cwd: REPO });
const bif = (b: string) => join(SAMPLES, `NBR${b}`, `SiC-anode_NBR${b}_15cyc_pos.bif6`);

test('sims --list shows ids, kinds and mass ranges', () => {
  const r = run('--list', bif('0.5'));
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /bif6, 128×128 px/);
  assert.match(r.stdout, /index 1 {2}id 2 {2}peak +\(no label\) {2}m\/z 6\.99–7\.04 {2}centre 7\.016/);
  assert.match(r.stdout, /index 0 {2}id 0 {2}total/);
});

test('sims --json: required fields per map, comparison against --reference, heat maps written', () => {
  const dir = tempDir();
  const r = run(bif('1.5'), bif('2.5'), '--reference', bif('0.5'), '--fov', '50', '--json', '--heatmap', join(dir, 'li.png'), '--hotspot', 'sigma:2');
  assert.equal(r.status, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  assert.equal(j.maps.length, 3);
  assert.equal(j.maps[0].file, bif('0.5')); // the reference is analysed first
  for (const m of j.maps) {
    for (const k of ['file', 'format', 'channel', 'width', 'height', 'pixelSize', 'totalCounts', 'meanCounts', 'meanCountsCI95', 'zeroFraction', 'ticRatio', 'hotspotFraction', 'hotspot', 'binning', 'roi', 'assumptions']) {
      assert.ok(k in m, `field ${k}`);
    }
    assert.deepEqual(m.channel.mzRange, [6.99, 7.04]);
    assert.equal(m.pixelSize.value, 50 / 128);
    assert.equal(m.hotspot.rule.method, 'sigma');
    assert.equal(m.hotspot.rule.k, 2);
    assert.ok(m.meanCountsCI95.lower < m.meanCounts && m.meanCounts < m.meanCountsCI95.upper);
  }
  assert.equal(j.comparison.reference, bif('0.5'));
  assert.ok(j.comparison.rows[2].relativeIntensity.lower > 2);
  assert.equal(j.heatmaps.files.length, 3);
  for (const f of j.heatmaps.files) assert.ok(existsSync(f), f);
});

test('sims: a bad file among good ones is reported on stderr, the rest still analysed, exit 1', () => {
  const dir = tempDir();
  const bad = join(dir, 'bad.bif6');
  writeFileSync(bad, 'not a bif6 file at all');
  const r = run(bif('0.5'), bad, '--json');
  assert.equal(r.status, 1);
  assert.match(r.stderr, new RegExp(`^voidscope: ${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: not a BIF6 file: magic bytes`));
  assert.equal(JSON.parse(r.stdout).maps.length, 1);
});

test('sims: option errors exit 2 with a one-line message', () => {
  for (const args of [
    [bif('0.5'), '--bin', '0'],
    [bif('0.5'), '--channel', 'Li+', '--mz', '7'],
    [bif('0.5'), '--hotspot', 'median'],
    [bif('0.5'), '--roi', '1,2,3'],
  ]) {
    const r = run(...args);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, /^voidscope: /);
    assert.doesNotMatch(r.stderr, /at .*\.js:\d+/, 'no stack trace');
  }
});

test('sims text output: numbers with intervals and the notes once', () => {
  const r = run(bif('0.5'), bif('2.5'), '--fov', '50');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /mean counts\/px +[\d.]+ +95% CI \[[\d.]+, [\d.]+\] \(exact Poisson\)/);
  assert.match(r.stdout, /Relative intensity vs .*NBR0\.5/);
  assert.equal(r.stdout.match(/BIF6 stores no field of view/g)?.length, 1);
});
