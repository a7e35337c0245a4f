/** Stage 1: the study file (or a path pattern) and the labelled inputs. */
import { join } from 'node:path';
import { VoidscopeError } from '../../errors.js';
import { labelWithStudy, labelWithoutStudy, walk, type ScanResult } from '../inputs.js';
import { compilePattern, type PathPattern } from '../labels.js';
import { findStudyFile, loadStudyFile, DEFAULT_RULE, type RecommendationRule, type StudyConfig } from '../study.js';

export interface Scan {
  studyFile: string | null;
  study: StudyConfig | null;
  pattern: PathPattern | null;
  scan: ScanResult;
  rule: RecommendationRule;
}

export async function scanStudy(root: string, out: string, patternText: string | undefined): Promise<Scan> {
  const studyFile = findStudyFile(root);
  let study: StudyConfig | null = null;
  if (studyFile) {
    if (patternText) throw new VoidscopeError('EOPTION', `--pattern cannot be used with a study file (${studyFile}); edit its groups instead`);
    study = await loadStudyFile(studyFile);
  }
  const pattern = !study && patternText ? compilePattern(patternText) : null;
  const all = await walk(root, [out]);
  const scan: ScanResult = study ? labelWithStudy(all, study) : labelWithoutStudy(all, pattern);
  for (const f of [...scan.sem, ...scan.sims]) f.abs = join(root, f.rel);
  if (scan.sem.length + scan.sims.length + scan.tables.length + scan.cycling.length === 0) {
    throw new VoidscopeError(
      'EEMPTY',
      `no inputs found: no SEM images, SIMS maps or electrochemistry files` +
        (study ? ' matched the study file' : ' (images need a binder content and state in their path, or a voidscope.yaml: run voidscope init)'),
      { file: root },
    );
  }
  return { studyFile, study, pattern, scan, rule: study?.recommendation ?? DEFAULT_RULE };
}
