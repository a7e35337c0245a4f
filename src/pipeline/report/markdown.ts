/** report.md: the study's answer in plain Markdown (recommendation, summary table, relations, problems). */
import { formatBinder } from '../labels.js';
import type { StudyResult } from '../types.js';
import type { Plot } from './plots.js';
import { fmt, methodText, imageBandText, provenanceRows, statisticsNote, summaryColumns } from './tables.js';

const esc = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function renderMarkdown(r: StudyResult, plots: Plot[]): string {
  const L: string[] = [];
  L.push(`# voidscope report: ${r.study.name ?? 'study'}`, '');
  if (r.study.description) L.push(r.study.description.trim(), '');
  L.push(
    `voidscope ${r.run.voidscopeVersion}, ${r.run.finishedAt || r.run.startedAt}; ${r.run.inputs.length} input files; ` +
      `${r.sem.length} SEM images, ${r.sims.length} SIMS maps, ${r.electrochem.cells.length} cycling files, ${r.electrochem.tables.length} electrochemistry tables; ` +
      `labels from ${r.run.labelling.mode === 'study-file' ? r.run.labelling.studyFile : r.run.labelling.mode === 'pattern' ? `pattern "${r.run.labelling.pattern}"` : 'names in the paths'}.`,
    '',
  );
  if (r.failures.length) L.push(`**${r.failures.length} input(s) failed** — see "Failures" below.`, '');
  L.push('## Recommendation', '');
  if (r.recommendations.length === 0) L.push('No electrochemistry was found, so no binder content can be recommended.', '');
  for (const rec of r.recommendations) {
    L.push(
      `### ${rec.electrode}: ${rec.decided ? `${formatBinder(rec.bestBinderWtPct!)} wt % NBR` : 'the data cannot decide'}`,
      '',
      `Rule: ${rec.ruleText}.`,
      '',
      ...rec.reasons.map((x) => `- ${x}`),
      '',
    );
  }
  L.push('## Summary per electrode and binder content', '');
  L.push('Mean ± standard deviation (n, with what it counts); intervals are 95 %.', '');
  const note = statisticsNote(r);
  if (note) L.push(`*What the statistics stand on.* ${note}`, '');
  const all = summaryColumns(r);
  const table = (cols: typeof all): void => {
    L.push(`| ${cols.map((c) => esc(c.header)).join(' | ')} |`, `|${cols.map(() => '---').join('|')}|`);
    for (const s of r.summary) L.push(`| ${cols.map((c) => esc(c.text(s))).join(' | ')} |`);
    L.push('');
  };
  table(all.filter((c) => c.main && c.header !== ''));
  const details = all.filter((c) => !c.main && c.header !== '');
  if (details.length) {
    L.push('### Electrochemistry details', '');
    table([...all.filter((c) => c.key === 'electrode' || c.key === 'binder'), ...details]);
  }
  if (r.correlations.length) {
    L.push(
      '## Relations across binder contents',
      '',
      'Spearman rank correlation over the binder contents (n = number of binder contents). With five binder contents any two monotone trends give ρ = ±1 with exact p = 1/60 ≈ 0.017: read these as descriptions of trends, not as evidence of a mechanism, and read the plain numbers.',
      '',
    );
    for (const c of r.correlations) {
      L.push(
        `- **${c.electrode}: ${c.y.label} vs ${c.x.label}** — ρ = ${fmt(c.spearman.rho, 2)}, n = ${c.spearman.n} binder contents${c.spearman.pExact !== null ? `, exact p = ${fmt(c.spearman.pExact, 3)}` : ''}. ` +
          `Values (${c.x.unit} → ${c.y.unit}): ${c.points.map((p) => `${formatBinder(p.binderWtPct)} wt %: ${fmt(p.x, 2)} → ${fmt(p.y, 2)}`).join('; ')}.` +
          (c.caveat ? ` *Caveat:* ${c.caveat}` : ''),
      );
    }
    L.push('');
  }
  const prov = provenanceRows(r);
  if (prov.length) {
    L.push('## Provenance', '', 'Where each quantity comes from: published, illustrative, or computed by voidscope from which files.', '');
    L.push('| quantity | electrode | NBR (wt %) | source | from |', '|---|---|---|---|---|');
    for (const p of prov) L.push(`| ${esc(p.quantity)} | ${p.electrode} | ${p.binders} | ${esc(p.source)} | ${esc(p.how)} |`);
    L.push('');
  }
  if (plots.length) {
    L.push('## Plots', '');
    for (const p of plots) L.push(`![${p.title}](plots/${p.name})`, '', `*${p.title}.* ${p.caption}`, '');
  }
  L.push('## SEM images', '', '| file | electrode | NBR (wt %) | state | porosity (%) | segmentation band (%) | confidence | method | pre-filters | threshold | pixel size (µm) | calibration | pores | D50 |', '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const s of r.sem) {
    L.push(
      `| ${esc(s.file)} | ${s.label.electrode} | ${formatBinder(s.label.binderWtPct)} | ${s.label.state}${s.label.cycles ? ` (${s.label.cycles})` : ''} | ${s.status === 'ok' ? fmt(s.porosityPercent) : `failed: ${esc(s.error?.code ?? '')}`} | ${imageBandText(s)} | ${s.confidence?.level ?? ''} | ${esc(methodText(s))} | ${s.prefilters ?? ''} | ${s.threshold ?? ''} | ${s.pixelSize ? fmt(s.pixelSize.value, 4) : 'uncalibrated'} | ${esc(s.pixelSize?.source ?? '')} | ${s.pores?.count ?? ''} | ${s.pores ? `${fmt(s.pores.d50)} ${s.pores.unit}` : ''} |`,
    );
  }
  L.push('');
  if (r.sims.length) {
    L.push('## TOF-SIMS maps', '', '| file | electrode | NBR (wt %) | mean counts / pixel [95 % CI] | Li⁺/total | relative to reference [95 % CI] |', '|---|---|---|---|---|---|');
    for (const m of r.sims) {
      L.push(
        `| ${esc(m.file)} | ${m.label.electrode} | ${formatBinder(m.label.binderWtPct)} | ${m.status === 'ok' ? `${fmt(m.meanCounts)} [${fmt(m.meanCountsCI95?.[0])}, ${fmt(m.meanCountsCI95?.[1])}]` : `failed: ${esc(m.error?.code ?? '')}`} | ${fmt(m.ticRatio, 4)} | ${m.relativeToReference ? `${fmt(m.relativeToReference.value, 3)} [${fmt(m.relativeToReference.ci95?.[0], 3)}, ${fmt(m.relativeToReference.ci95?.[1], 3)}]` : '–'} |`,
      );
    }
    L.push('');
  }
  L.push('## Failures', '');
  if (r.failures.length === 0) L.push('None.');
  for (const f of r.failures) L.push(`- \`${f.file}\` (${f.code}): ${f.message}`);
  L.push('', '## Unlabelled files', '');
  if (r.unlabelled.length === 0) L.push('None.');
  for (const u of r.unlabelled) L.push(`- \`${u.file}\`: ${u.reason}`);
  L.push('', '## Warnings', '');
  if (r.warnings.length === 0) L.push('None.');
  for (const w of r.warnings) L.push(`- ${w}`);
  L.push('', '## Run record', '', `Every input with its size and SHA-256 is in \`report.json\` (run.inputs). voidscope ${r.run.voidscopeVersion}, Node ${r.run.node}, jobs ${r.run.options.jobs}.`, '');
  return `${L.join('\n')}\n`;
}
