/**
 * The study pipeline (folder runs, joins, reports): public API.
 *
 *   const result = await runStudy('samples', { jobs: 2 });
 *   result.recommendations[0].bestBinderWtPct; // 1.5
 */
export { runStudy, type RunStudyOptions, type ProgressEvent } from './run.js';
export { initStudy, type InitResult } from './init.js';
export type * from './types.js';
export { SCHEMA_VERSION } from './types.js';
export {
  parseStudy,
  loadStudyFile,
  findStudyFile,
  DEFAULT_RULE,
  STUDY_FILE_NAMES,
  type StudyConfig,
  type StudyGroup,
  type RecommendationRule,
  type ElectrochemSpec,
  type CyclingSpec,
} from './study.js';
export {
  labelFromNames,
  compilePattern,
  parseBinder,
  parseState,
  parseElectrode,
  DEFAULT_PATTERN,
  type Electrode,
  type CellState,
  type DataKind,
  type PathLabel,
  type PathPattern,
} from './labels.js';
export {
  readEcTable,
  readCyclingFile,
  aggregateElectrochem,
  classifyColumn,
  splitHeader,
  type EcMetric,
  type EcRow,
  type CyclingCell,
  type CapacityCurve,
} from './electrochem.js';
export { summarize, welch, welchFromStats, spearman, ranks, tCritical, type Interval, type Summary, type WelchResult, type SpearmanResult } from './stats.js';
export { recommend, type Recommendation, type RecommendationCandidate } from './recommend.js';
export type { Analyzers, Analyzer, AnalysisTask } from './analyze.js';
