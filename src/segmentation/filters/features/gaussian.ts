/**
 * Gaussian smoothing G_σ * I (ilastik "Gaussian Smoothing"; skimage multiscale_basic_features'
 * "intensity"). σ = 0 is the (normalised) intensity itself.
 */
import type { FeatureContext } from './context.js';

export const gaussian = {
  channels: ['gaussian'] as const,
  /** Extra pixels of context needed beyond the Gaussian's own radius. */
  extraMargin: () => 0,
  compute(ctx: FeatureContext, sigma: number, out: Float32Array[]): void {
    out[0]!.set(sigma === 0 ? ctx.image : ctx.blur(sigma));
  },
};
