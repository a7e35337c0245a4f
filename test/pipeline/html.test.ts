/**
 * index.html in a real headless browser (Debian's chromium driven by
 * playwright-core): the page loads with no console errors and no network
 * requests, the summary table shows the numbers of report.json, and every image
 * and plot renders. Skipped, with the reason, when /usr/bin/chromium is absent
 * (`apt-get install chromium`; .ci/run installs it).
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { runStudy } from '../../src/pipeline/index.js';
import type { StudyResult } from '../../src/pipeline/index.js';

const CHROMIUM = '/usr/bin/chromium';
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const absent = !existsSync(CHROMIUM);

test('index.html renders in headless chromium with the numbers of report.json', { skip: absent ? `${CHROMIUM} is not installed (apt-get install chromium)` : false, timeout: 300_000 }, async () => {
  const work = mkdtempSync(join(tmpdir(), 'voidscope-html-'));
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const out = join(work, 'report');
    await runStudy(join(ROOT, 'samples'), { out, jobs: 2 });
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as StudyResult;
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const errors: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('request', (r) => {
      if (!r.url().startsWith('file:') && !r.url().startsWith('data:')) requests.push(r.url());
    });
    await page.goto(pathToFileURL(join(out, 'index.html')).href, { waitUntil: 'load' });
    assert.deepEqual(errors, [], 'no console errors');
    assert.deepEqual(requests, [], 'no network requests');

    // Every image (plots as SVG data URIs, overlay and heat-map thumbnails) decoded with a size.
    const imgs = await page.$$eval('img', (els) => els.map((e) => ({ alt: e.getAttribute('alt'), w: (e as unknown as { naturalWidth: number }).naturalWidth, complete: (e as unknown as { complete: boolean }).complete })));
    assert.ok(imgs.length >= 5 + 40 + 5, `${imgs.length} images: 5 plots, 40 overlays, 5 heat maps`);
    for (const i of imgs) assert.ok(i.complete && i.w > 0, `image "${i.alt}" did not render`);

    // The summary table shows report.json's numbers (data-value) and the same text.
    const cells = await page.$$eval('#summary-table tbody tr', (rows) =>
      rows.map((r) => ({
        electrode: r.getAttribute('data-electrode'),
        binder: Number(r.getAttribute('data-binder')),
        cells: Object.fromEntries([...r.querySelectorAll('td')].map((td) => [td.getAttribute('data-key'), { value: td.getAttribute('data-value'), text: td.textContent }])),
      })),
    );
    assert.equal(cells.length, report.summary.length);
    for (const s of report.summary) {
      const row = cells.find((c) => c.electrode === s.electrode && c.binder === s.binderWtPct)!;
      assert.ok(row, `row ${s.electrode} ${s.binderWtPct}`);
      const cyc = row.cells.cycled_porosity_mean!;
      assert.equal(Number(cyc.value), s.sem.cycled!.porosity.mean);
      assert.ok(cyc.text!.startsWith(`${s.sem.cycled!.porosity.mean!.toFixed(2)} ± `) && cyc.text!.endsWith(`% (n = ${s.sem.cycled!.porosity.n} images)`), cyc.text!);
      const ret = row.cells.retention_150!;
      assert.equal(Number(ret.value), s.electrochem!.metrics.retention_150!.value);
      assert.ok(ret.text!.startsWith(s.electrochem!.metrics.retention_150!.value.toFixed(1)), ret.text!);
      if (s.sims?.relative) assert.equal(Number(row.cells.li_relative!.value), s.sims.relative.value);
    }
    const best = await page.$$eval('#summary-table tr.best', (rows) => rows.map((r) => [r.getAttribute('data-electrode'), r.getAttribute('data-binder')]));
    assert.deepEqual(best, [['cathode', '1.5'], ['anode', '1.5']]);
    const rec = await page.textContent('.rec[data-electrode="cathode"] h3');
    assert.equal(rec, 'cathode: 1.5 wt % NBR');
    await page.screenshot({ path: join(work, 'index.png'), fullPage: true });
    assert.ok(existsSync(join(work, 'index.png')));
  } finally {
    await browser.close();
    rmSync(work, { recursive: true, force: true });
  }
});
