/**
 * Kuwahara filter (Fiji Trainable Weka Segmentation's "Kuwahara" feature; Kuwahara et al. 1976) of
 * G_1 * I: the mean of whichever of the four (r+1)×(r+1) quadrants meeting at the pixel has the
 * smallest variance. The scale is the radius r in whole pixels.
 *
 * Why it is in the stack: at a phase boundary the beam mixes the two sides, so a void rim next to the
 * electrolyte has the grey of a binder film between them, and every Gaussian-based channel sees the
 * mixture too. Scribbles lie inside phases, so the network never learns what such rims are. The
 * quadrant of least variance lies on one side of the edge, so this channel takes that side's grey
 * instead of the mixture (measured in learned/README.md).
 *
 * Out-of-image pixels take the nearest edge value (as the Gaussians). Computed by local.ts
 * (WebAssembly); every box sum is added in the same order relative to its pixel, so a tile's values
 * equal the whole image's bit for bit.
 */
import type { FeatureContext } from './context.js';
import { gaussianRadius } from './context.js';
import { checkRadius, kuwaharaFilter } from './local.js';

/** σ of the Gaussian applied before the filter (on the raw noise the quadrant choice is random). */
export const KUWAHARA_PRESMOOTH = 1;

export const kuwahara = {
  channels: ['kuwahara'] as const,
  scaleLabel: 'r',
  margin: (r: number) => r + gaussianRadius(KUWAHARA_PRESMOOTH),
  checkScale: (r: number) => checkRadius(r, 'Kuwahara'),
  compute(ctx: FeatureContext, r: number, out: Float32Array[]): void {
    kuwaharaFilter(ctx.blur(KUWAHARA_PRESMOOTH), ctx.width, ctx.height, r, out[0]!);
  },
};
