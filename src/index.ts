/**
 * voidscope's public API: explicit lists (no `export *`), so that what the package publishes is
 * decided here. Grouped by the stages of the house: read → region → pre-filters → segment →
 * label map → measurements → report. Everything else is internal and may change.
 */

// Errors (the one error type) ----------------------------------------------------------------
export { VoidscopeError, isVoidscopeError, assertOption, type VoidscopeErrorCode } from './errors.js';

// Reading -------------------------------------------------------------------------------------
export {
  readImage,
  sniffImageFormat,
  DEFAULT_MAX_PIXELS,
  GREY_CONVERSION,
  type DecodedImage,
  type ImageFormat,
  type ReadImageOptions,
} from './raster/read.js';
export {
  createRaster,
  cropRaster,
  fullRoi,
  validateRoi,
  minMax,
  type BitDepth,
  type PixelData,
  type PixelSize,
  type Raster,
  type Roi,
  type SampleFormat,
} from './raster/types.js';
export { parseRoi, parseRoiOption, ROI_FORMAT } from './raster/roi.js';
export { phaseMask, phaseCounts, labelMapFromVoids, VOID, SOLID, TWO_PHASES, type LabelMap, type Phase, type LabelSpacing } from './raster/labels.js';
export { readSemMetadata, resolvePixelSize, detectDatabar, type SemMetadata, type DatabarInfo, type SemVendor } from './segmentation/metadata/index.js';

// The analysis spec (validated once, at every edge) -------------------------------------------
export {
  parseAnalysisSpec,
  isAnalysisSpec,
  OptionError,
  ANALYSIS_OPTION_KEYS,
  DEFAULT_POROSITY_METHOD,
  LOCAL_METHODS,
  METRIC_NAMES,
  type AnalysisOptions,
  type AnalysisSpec,
  type LocalMethod,
  type MetricName,
  type MinPoreSize,
  type Prefilter,
  type SegmentSpec,
} from './segmentation/spec.js';

// Stages: area, pre-filters, segmenters, measurements -----------------------------------------
export { resolveAnalysisArea, areaMask, type AnalysisArea } from './segmentation/area.js';
export { PREFILTERS, applyPrefilters, describeFilters } from './segmentation/prefilter.js';
export { SEGMENTERS, segment, labelsFromVoids, type RegionInput, type ThresholdSegmentation } from './segmentation/segment.js';
export type { Segmentation, SegmentationConfidence, SegmentationRecord, SegmentInput, Segmenter, VoidFractionBand } from './segmentation/segmentation-types.js';
export { METRICS, type MetricParams, type Measurements, type PoresMeasurement } from './segmentation/metrics/registry.js';
export { labelPores, summarizePores, type PoreSummary, type Pore } from './segmentation/metrics/pores.js';
export { voidFraction, type VoidCount } from './segmentation/metrics/porosity.js';
export type { AnalysisRegion } from './segmentation/metrics/region.js';
export { imagejGaussianBlur, imagejGaussianAccuracy } from './segmentation/filters/gaussian.js';
export { medianFilter, circularKernel } from './segmentation/filters/median.js';
export { subtractBackground, parseBackgroundOptions, describeBackground, type SubtractBackgroundOptions, type BackgroundSpec } from './segmentation/filters/subtract-background.js';
// The automatic segmenter (the default), its band and the noise report (segmentation/auto/README.md).
export { segmentAuto, noiseReport, speckleReport, thresholdBand, bandForThreshold, thresholdConfidence, groupBands, type AutoSpec, type NoiseReport } from './segmentation/auto/index.js';
// Fiji Auto Local Threshold (segmentation/local/README.md).
export { segmentLocal, localThreshold, parseLocalSpec, type LocalSpec } from './segmentation/local/index.js';
// Learned segmentation (segmentation/learned/README.md); TensorFlow.js loads only when training.
export {
  trainModel,
  trainModelFromFiles,
  writeModel,
  loadModel,
  segmentModel,
  predictClasses,
  readLabelImage,
  LABEL_COLOURS,
  type LearnedModel,
  type TrainOptions,
  type TrainResult,
  type TrainingImage,
} from './segmentation/learned/index.js';
export {
  THRESHOLD_METHODS,
  ALL_THRESHOLD_METHODS,
  computeThreshold,
  tryAllThresholds,
  applyThreshold,
  manualThreshold,
  parseThresholdMethod,
  isVoidPixel,
  voidRule,
  histogram,
  multiOtsu,
  type AnyThresholdMethod,
  type ThresholdMethod,
  type ThresholdResult,
  type HistogramInfo,
  type Polarity,
} from './segmentation/threshold/index.js';

// SEM porosity: the pure chain and the file edge ------------------------------------------------
export {
  measurePorosity,
  measurePorosityDetailed,
  measureAllThresholds,
  runPorosityStages,
  runPorosityStagesAsync,
  type MeasureOptions,
  type PorosityOptions,
  type ThresholdsOptions,
} from './segmentation/porosity.js';
export { analyzePorosity, analyzeThresholds } from './segmentation/analyze.js';
export type { AppliedFilter, PorosityDetail, PorosityResult, ThresholdsResult } from './segmentation/types.js';
export { renderOverlay, drawOverlay, voidMaskPng, OVERLAY_PALETTE, PHASE_TINT_ALPHA, type OverlayInput, type OverlayPhases, type OverlayPngOptions } from './render/overlay.js';
export { LABEL_COLOURS as PHASE_COLOURS, phaseColour, phaseColours } from './raster/phase-colours.js';

// TOF-SIMS ------------------------------------------------------------------------------------
export {
  readSimsFile,
  listSimsChannels,
  detectSimsFormat,
  SIMS_FORMATS,
  selectChannel,
  parseChannelSelector,
  analyzeSimsMap,
  compareSimsMaps,
  renderSimsHeatmaps,
  heatmapInputFromResult,
  heatmapUpscale,
  linearTicks,
  logTicks,
  garwoodInterval,
  meanCountsInterval,
  gammaQuantile,
  clopperPearson,
  poissonRateRatio,
  proportionRatioKatz,
  summarizeCounts,
  binCounts,
  otsuThreshold,
  gaussianBlur,
  hotspotFraction,
  encodeBif6,
  encodeSurfaceLabImageText,
  parseExportName,
  type SimsAnalysisOptions,
  type SimsMapResult,
  type SimsComparison,
  type SimsFormat,
  type SimsDataset,
  type SimsChannel,
  type ChannelSelector,
  type HotspotRule,
  type SimsHeatmapOptions,
} from './sims/index.js';

// The study pipeline --------------------------------------------------------------------------
export {
  runStudy,
  initStudy,
  parseStudy,
  loadStudyFile,
  findStudyFile,
  DEFAULT_RULE,
  STUDY_FILE_NAMES,
  SCHEMA_VERSION,
  labelFromNames,
  compilePattern,
  type RunStudyOptions,
  type ProgressEvent,
  type InitResult,
  type StudyConfig,
  type StudyGroup,
  type RecommendationRule,
  type StudyResult,
  type SemImage,
  type SimsMap,
  type BinderSummary,
  type Electrode,
  type CellState,
} from './pipeline/index.js';
