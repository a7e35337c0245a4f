/**
 * index.html: one self-contained page that works offline — styles inline, plots
 * as SVG data URIs (so the ids inside different Vega SVGs never clash), overlay
 * and heat-map thumbnails as PNG data URIs linking to the full-size files in the
 * report folder. A Content-Security-Policy forbids any network access.
 */
import { formatBinder } from '../labels.js';
import type { StudyResult } from '../types.js';
import type { Plot } from './plots.js';
import { fmt, fmtCi, methodText, imageBandText, provenanceRows, statisticsNote, summaryColumns } from './tables.js';

export interface Thumb {
  kind: 'overlay' | 'heatmap';
  href: string;
  data: string;
  caption: string;
}

const esc = (s: unknown): string =>
  String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const CSS = `
body{font-family:"DejaVu Sans",Arial,sans-serif;margin:0;color:#222;background:#fafafa}
header{background:#1f3b57;color:#fff;padding:18px 28px}
header h1{margin:0 0 4px;font-size:22px} header p{margin:0;opacity:.85;font-size:13px}
main{padding:10px 28px 40px;max-width:1500px}
h2{border-bottom:2px solid #1f3b57;padding-bottom:3px;margin-top:32px;font-size:18px}
table{border-collapse:collapse;font-size:12.5px;background:#fff;margin:8px 0}
th,td{border:1px solid #ccc;padding:4px 7px;text-align:left;vertical-align:top}
th{background:#e8eef4} td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
tr.best td{background:#fff6d5}
.rec{background:#fff;border-left:5px solid #2e7d32;padding:8px 16px;margin:10px 0}
.rec.undecided{border-left-color:#c62828}
.rec h3{margin:4px 0 6px;font-size:16px}
.figs{display:flex;flex-wrap:wrap;gap:18px}
figure{background:#fff;border:1px solid #ddd;margin:0;padding:10px;max-width:100%}
figure img.plot{max-width:100%;height:auto;display:block}
figcaption{font-size:12px;color:#444;max-width:720px;margin-top:6px}
.thumbs{display:flex;flex-wrap:wrap;gap:10px}
.thumbs figure{width:222px;padding:4px} .thumbs img{width:220px;height:auto;display:block}
.thumbs figcaption{font-size:11px;word-break:break-all}
.fail{color:#b00020} .muted{color:#666;font-size:12px}
details{margin:8px 0} summary{cursor:pointer;font-weight:bold}
`;

export function renderHtml(r: StudyResult, plots: Plot[], thumbs: Thumb[]): string {
  const H: string[] = [];
  H.push(
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>voidscope report — ${esc(r.study.name ?? 'study')}</title>`,
    `<style>${CSS}</style></head><body>`,
    `<header><h1>voidscope report — ${esc(r.study.name ?? 'study')}</h1>`,
    `<p>voidscope ${esc(r.run.voidscopeVersion)} · ${esc(r.run.finishedAt || r.run.startedAt)} · ${r.run.inputs.length} input files · ${r.sem.length} SEM images · ${r.sims.length} SIMS maps · ${r.electrochem.cells.length} cycling files${r.failures.length ? ` · <strong>${r.failures.length} failed</strong>` : ''}</p></header><main>`,
  );
  if (r.study.description) H.push(`<p>${esc(r.study.description)}</p>`);

  H.push('<h2 id="recommendation">Recommendation</h2>');
  if (r.recommendations.length === 0) H.push('<p>No electrochemistry was found, so no binder content can be recommended.</p>');
  for (const rec of r.recommendations) {
    H.push(
      `<div class="rec${rec.decided ? '' : ' undecided'}" data-electrode="${esc(rec.electrode)}" data-best="${rec.bestBinderWtPct ?? ''}">`,
      `<h3>${esc(rec.electrode)}: ${rec.decided ? `${formatBinder(rec.bestBinderWtPct!)} wt % NBR` : 'the data cannot decide'}</h3>`,
      `<p class="muted">Rule: ${esc(rec.ruleText)}.</p><ul>${rec.reasons.map((x) => `<li>${esc(x)}</li>`).join('')}</ul></div>`,
    );
  }

  H.push('<h2 id="summary">Summary per electrode and binder content</h2>', '<p class="muted">Mean ± standard deviation (n, with what it counts); intervals in brackets are 95 %.</p>');
  const note = statisticsNote(r);
  if (note) H.push(`<p class="muted" id="statistics-note"><strong>What the statistics stand on.</strong> ${esc(note)}</p>`);
  const cols = summaryColumns(r);
  const table = (id: string, shown: typeof cols): void => {
    H.push([`<table id="${id}"><thead><tr>`, shown.map((c) => `<th>${esc(c.header)}</th>`).join('\n'), '</tr></thead><tbody>'].join('\n'));
    for (const s of r.summary) {
      const best = r.recommendations.find((x) => x.electrode === s.electrode)?.bestBinderWtPct === s.binderWtPct;
      H.push(`<tr data-electrode="${esc(s.electrode)}" data-binder="${s.binderWtPct}"${best ? ' class="best"' : ''}>`);
      for (const c of shown) {
        const v = c.value(s);
        const isNum = typeof v === 'number';
        H.push(`<td data-key="${esc(c.key)}"${isNum ? ` data-value="${v}" class="num"` : ''}>${esc(c.text(s))}</td>`);
      }
      H.push('</tr>');
    }
    H.push('</tbody></table>');
  };
  table('summary-table', cols.filter((c) => c.main && c.header !== ''));
  const details = cols.filter((c) => !c.main && c.header !== '');
  if (details.length) {
    H.push('<h3>Electrochemistry details</h3>');
    table('electrochem-table', [...cols.filter((c) => c.key === 'electrode' || c.key === 'binder'), ...details]);
  }
  H.push( '<p class="muted">All columns, with sd, n and interval bounds separately: <a href="summary.csv">summary.csv</a>; per image: <a href="porosity.csv">porosity.csv</a>, per map: <a href="sims.csv">sims.csv</a>; everything: <a href="report.json">report.json</a>.</p>');

  const prov = provenanceRows(r);
  if (prov.length) {
    H.push('<h2 id="provenance">Provenance</h2><p class="muted">Where each quantity comes from: published, illustrative, or computed by voidscope from which files.</p>');
    H.push('<table id="provenance-table"><thead><tr><th>Quantity</th><th>Electrode</th><th>NBR (wt %)</th><th>Source</th><th>From</th></tr></thead><tbody>');
    for (const p of prov) H.push(`<tr><td>${esc(p.quantity)}</td><td>${esc(p.electrode)}</td><td>${esc(p.binders)}</td><td data-key="source">${esc(p.source)}</td><td>${esc(p.how)}</td></tr>`);
    H.push('</tbody></table>');
  }

  if (plots.length) {
    H.push('<h2 id="plots">Plots</h2><div class="figs">');
    for (const p of plots) {
      H.push(
        `<figure><a href="plots/${esc(p.name)}"><img class="plot" alt="${esc(p.title)}" src="data:image/svg+xml;base64,${Buffer.from(p.svg, 'utf8').toString('base64')}"></a>`,
        `<figcaption><strong>${esc(p.title)}.</strong> ${esc(p.caption)}</figcaption></figure>`,
      );
    }
    H.push('</div>');
  }

  if (r.correlations.length) {
    H.push(
      '<h2 id="relations">Relations across binder contents</h2><p class="muted">Spearman rank correlation over binder contents (n = number of binder contents). With five binder contents any two monotone trends give ρ = ±1 with exact p = 1/60 ≈ 0.017: read these as descriptions of trends, not as evidence of a mechanism, and read the plain numbers.</p>',
    );
    H.push('<table id="relations-table"><thead><tr><th>Electrode</th><th>y vs x</th><th>ρ</th><th>n (binder contents)</th><th>exact p</th><th>values per binder content (x → y)</th><th>caveat</th></tr></thead><tbody>');
    for (const c of r.correlations) {
      H.push(
        `<tr><td>${esc(c.electrode)}</td><td>${esc(c.y.label)} (${esc(c.y.unit)}) vs ${esc(c.x.label)} (${esc(c.x.unit)})</td><td class="num">${fmt(c.spearman.rho, 2)}</td><td class="num">${c.spearman.n}</td><td class="num">${fmt(c.spearman.pExact, 3)}</td>`,
        `<td>${c.points.map((p) => `${formatBinder(p.binderWtPct)} wt %: ${fmt(p.x, 2)} → ${fmt(p.y, 2)}`).map(esc).join('; ')}</td><td class="muted">${esc(c.caveat ?? '')}</td></tr>`,
      );
    }
    H.push('</tbody></table>');
  }

  const over = thumbs.filter((t) => t.kind === 'overlay');
  const heat = thumbs.filter((t) => t.kind === 'heatmap');
  for (const [title, list, id] of [['Segmentation overlays', over, 'overlays'], ['TOF-SIMS heat maps', heat, 'heatmaps']] as const) {
    if (!list.length) continue;
    H.push(`<h2 id="${id}">${title}</h2><p class="muted">Click a thumbnail for the full-size PNG.</p><div class="thumbs">`);
    for (const t of list) H.push(`<figure><a href="${esc(t.href)}"><img alt="${esc(t.caption)}" src="${t.data}"></a><figcaption>${esc(t.caption)}</figcaption></figure>`);
    H.push('</div>');
  }

  H.push('<h2 id="sem">SEM images</h2><table><thead><tr><th>File</th><th>Electrode</th><th>NBR (wt %)</th><th>State</th><th>Porosity (%)</th><th>Segmentation band (%)</th><th>Confidence</th><th>Method</th><th>Pre-filters</th><th>Threshold</th><th>Polarity</th><th>ROI (px)</th><th>Pixel size (µm)</th><th>Calibration source</th><th>Pores</th><th>D50</th></tr></thead><tbody>');
  for (const s of r.sem) {
    H.push(
      `<tr><td>${esc(s.file)}${s.cached ? ' <span class="muted">(cached)</span>' : ''}</td><td>${esc(s.label.electrode)}</td><td class="num">${formatBinder(s.label.binderWtPct)}</td><td>${esc(s.label.state)}${s.label.cycles ? ` (${s.label.cycles})` : ''}</td>`,
      s.status === 'ok'
        ? `<td class="num">${fmt(s.porosityPercent)}</td><td class="num">${imageBandText(s)}</td><td>${esc(s.confidence?.level ?? '')}</td><td>${esc(methodText(s))}</td><td>${esc(s.prefilters ?? '')}</td><td class="num">${esc(s.threshold)}</td><td>${esc(s.polarity)}</td><td>${s.roi ? `${s.roi.x},${s.roi.y},${s.roi.width}×${s.roi.height}` : ''}</td><td class="num">${s.pixelSize ? fmt(s.pixelSize.value, 4) : 'uncalibrated'}</td><td>${esc(s.pixelSize?.source ?? '')}</td><td class="num">${s.pores?.count ?? ''}</td><td class="num">${s.pores ? `${fmt(s.pores.d50)} ${esc(s.pores.unit)}` : ''}</td>`
        : `<td colspan="12" class="fail">failed: ${esc(s.error?.message)}</td>`,
      '</tr>',
    );
  }
  H.push('</tbody></table>');

  if (r.sims.length) {
    H.push('<h2 id="sims">TOF-SIMS maps</h2><table><thead><tr><th>File</th><th>Electrode</th><th>NBR (wt %)</th><th>Size (px)</th><th>Mean counts / pixel [95 % CI]</th><th>Zero fraction</th><th>Li⁺ / total</th><th>Hot-spot fraction</th><th>Relative to reference [95 % CI]</th></tr></thead><tbody>');
    for (const m of r.sims) {
      H.push(
        `<tr><td>${esc(m.file)}${m.totalFile ? `<br><span class="muted">total: ${esc(m.totalFile)}</span>` : ''}</td><td>${esc(m.label.electrode)}</td><td class="num">${formatBinder(m.label.binderWtPct)}</td>`,
        m.status === 'ok'
          ? `<td class="num">${m.width ?? ''}×${m.height ?? ''}</td><td class="num">${fmt(m.meanCounts)} ${fmtCi(m.meanCountsCI95)}</td><td class="num">${fmt(m.zeroFraction, 3)}</td><td class="num">${fmt(m.ticRatio, 4)}</td><td class="num">${fmt(m.hotspotFraction, 3)}</td><td class="num">${m.relativeToReference ? `${fmt(m.relativeToReference.value, 3)} ${fmtCi(m.relativeToReference.ci95, 3)}` : '–'}</td>`
          : `<td colspan="6" class="fail">failed: ${esc(m.error?.message)}</td>`,
        '</tr>',
      );
    }
    H.push('</tbody></table>');
  }

  H.push('<h2 id="failures">Failures and warnings</h2>');
  H.push(r.failures.length ? `<ul class="fail" id="failure-list">${r.failures.map((f) => `<li><code>${esc(f.file)}</code> (${esc(f.code)}): ${esc(f.message)}</li>`).join('')}</ul>` : '<p id="failure-list">No failures.</p>');
  if (r.unlabelled.length) H.push(`<h3>Unlabelled files</h3><ul>${r.unlabelled.map((u) => `<li><code>${esc(u.file)}</code>: ${esc(u.reason)}</li>`).join('')}</ul>`);
  H.push(r.warnings.length ? `<details${r.warnings.length < 12 ? ' open' : ''}><summary>${r.warnings.length} warning(s)</summary><ul>${r.warnings.map((w) => `<li>${esc(w)}</li>`).join('')}</ul></details>` : '<p>No warnings.</p>');

  H.push('<h2 id="run">Run record</h2>');
  H.push(
    `<p class="muted">Labels from ${esc(r.run.labelling.mode === 'study-file' ? r.run.labelling.studyFile : r.run.labelling.mode === 'pattern' ? `pattern ${r.run.labelling.pattern}` : 'names in the paths')}; jobs ${r.run.options.jobs}; Node ${esc(r.run.node)}; dependencies: ${Object.entries(r.run.dependencies).map(([k, v]) => `${esc(k)} ${esc(v)}`).join(', ')}.</p>`,
    `<details><summary>${r.run.inputs.length} input files (size, SHA-256)</summary><table><thead><tr><th>File</th><th>Role</th><th>Size (bytes)</th><th>SHA-256</th></tr></thead><tbody>`,
    ...r.run.inputs.map((i) => `<tr><td>${esc(i.path)}</td><td>${esc(i.role)}</td><td class="num">${i.sizeBytes}</td><td><code>${esc(i.sha256)}</code></td></tr>`),
    '</tbody></table></details>',
  );
  H.push('</main></body></html>');
  return `${H.join('\n')}\n`;
}
