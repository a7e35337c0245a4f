/**
 * Gaussian smoothing G_σ * I (ilastik "Gaussian Smoothing"; skimage multiscale_basic_features'
 * "intensity"). σ = 0 is the (normalised) intensity itself.
 */
import type { FeatureContext } from './context.js';
import { gaussianRadius } from './context.js';

export const gaussian = {
  channels: ['gaussian'] as const,
  /** Pixels of context the channel needs on each side (σ = 0: none). */
  margin: (sigma: number) => (sigma === 0 ? 0 : gaussianRadius(sigma)),
  compute(ctx: FeatureContext, sigma: number, out: Float32Array[]): void {
    out[0]!.set(sigma === 0 ? ctx.image : ctx.blur(sigma));
  },
};
