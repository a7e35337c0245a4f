/**
 * Public TOF-SIMS API of voidscope.
 *
 * Reading:   readSimsFile(file, options) → SimsDataset; listSimsChannels(file); detectSimsFormat(file)
 * Selecting: selectChannel(dataset, selector); parseChannelSelector("Li+" | "id:2" | "index:1" | "mz:7.016±0.05")
 * Analysis:  analyzeSimsMap(file, options) → SimsMapResult; compareSimsMaps(results, referenceIndex)
 * Maps:      renderSimsHeatmaps(maps, options)
 * Statistics (pure): garwoodInterval, meanCountsInterval, clopperPearson, poissonRateRatio,
 *   proportionRatioKatz, summarizeCounts, binCounts, otsuThreshold, gaussianBlur, hotspotFraction.
 * Writers (tests, samples): encodeBif6, encodeSurfaceLabImageText.
 */
export * from './types.js';
export { readSimsFile, listSimsChannels, detectSimsFormat, SIMS_FORMATS } from './read.js';
export type { ReadSimsOptions, SimsChannelInfo } from './read.js';
export { selectChannel, parseChannelSelector, labelMatches, canonicalLabel, findTotalChannel, LI7_MZ, DEFAULT_MZ_TOL } from './channels.js';
export { analyzeSimsMap, compareSimsMaps, parseRoi } from './analyze.js';
export type { SimsAnalysisOptions, SimsMapResult, SimsMapResultWithRaster, SimsComparison, SimsComparisonRow, SimsInterval } from './analyze.js';
export { renderSimsHeatmaps, heatmapInputFromResult, heatmapUpscale, linearTicks, logTicks } from './heatmap.js';
export type { SimsHeatmapInput, SimsHeatmapOptions, SimsHeatmapOutput } from './heatmap.js';
export { garwoodInterval, meanCountsInterval } from './stats/poisson-interval.js';
export type { Interval as CountInterval } from './stats/poisson-interval.js';
export { gammaP, gammaQ, gammaQuantile, lnGamma } from './stats/incomplete-gamma.js';
export { clopperPearson } from './stats/clopper-pearson.js';
export { poissonRateRatio, proportionRatioKatz } from './stats/rate-ratio.js';
export type { RatioWithInterval } from './stats/rate-ratio.js';
export { summarizeCounts } from './stats/summary.js';
export type { CountSummary } from './stats/summary.js';
export { binCounts } from './stats/binning.js';
export { otsuThreshold } from './stats/otsu.js';
export { gaussianBlur } from './stats/gaussian-blur.js';
export { hotspotFraction, parseHotspotRule, describeHotspotRule } from './stats/hotspot.js';
export type { HotspotRule, HotspotResult } from './stats/hotspot.js';
export { encodeBif6 } from './readers/bif6.js';
export type { Bif6Interval } from './readers/bif6.js';
export { encodeSurfaceLabImageText, parseExportName } from './readers/surfacelab-text.js';
export { peakInWindow, parseSpectrumText } from './readers/spectrum-text.js';
export type { Spectrum, PeakWindow } from './readers/spectrum-text.js';
export { ImzmlReader, parseImzmlXml } from './readers/imzml.js';
export type { ImzmlIndex, ImzmlSpectrumRef, ImzmlArrayRef } from './readers/imzml.js';
