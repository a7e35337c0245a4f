/**
 * Laplacian of Gaussian ∂²/∂x² + ∂²/∂y² of G_σ * I (ilastik "Laplacian of Gaussian"), second
 * derivatives as central differences of central differences (numpy.gradient twice), scale-normalised
 * by σ² so responses at different scales share one range.
 */
import type { FeatureContext } from './context.js';
import { diffX, diffY } from './context.js';

export const log = {
  channels: ['log'] as const,
  extraMargin: () => 4,
  compute(ctx: FeatureContext, sigma: number, out: Float32Array[]): void {
    const [gx, gy] = ctx.gradient(sigma);
    const gxx = diffX(gx, ctx.width, ctx.height);
    const gyy = diffY(gy, ctx.width, ctx.height);
    const o = out[0]!;
    const s2 = sigma * sigma;
    for (let i = 0; i < o.length; i++) o[i] = (gxx[i]! + gyy[i]!) * s2;
  },
};
