/**
 * Local minimum and maximum of G_1 * I over the (2r+1)² square around each pixel, clipped to the image
 * (Fiji Trainable Weka Segmentation's "Minimum" / "Maximum" features). Scale = radius r in whole pixels.
 *
 * Why it is in the stack: a void rim that the beam mixed with the electrolyte has the grey of a binder
 * film, but its neighbourhood reaches down to the void's grey, which a film's does not (measured in
 * learned/README.md). Computed by local.ts (WebAssembly); min/max are exact, so tiles equal the whole image.
 */
import type { FeatureContext } from './context.js';
import { gaussianRadius } from './context.js';
import { checkRadius, windowExtrema } from './local.js';

/** σ of the Gaussian applied first (the extremes of the raw noise say nothing about the phases). */
export const EXTREMA_PRESMOOTH = 1;

export const extrema = {
  channels: ['minimum', 'maximum'] as const,
  scaleLabel: 'r',
  margin: (r: number) => r + gaussianRadius(EXTREMA_PRESMOOTH),
  checkScale: (r: number) => checkRadius(r, 'minimum/maximum'),
  compute(ctx: FeatureContext, r: number, out: Float32Array[]): void {
    windowExtrema(ctx.blur(EXTREMA_PRESMOOTH), ctx.width, ctx.height, r, out[0]!, out[1]!);
  },
};
