/**
 * Laplacian of Gaussian ∂²/∂x² + ∂²/∂y² of G_σ * I (ilastik "Laplacian of Gaussian"), second
 * derivatives as central differences of central differences (numpy.gradient twice), scale-normalised
 * by σ² so responses at different scales share one range.
 */
import type { FeatureContext } from './context.js';
import { gaussianRadius } from './context.js';

export const log = {
  channels: ['log'] as const,
  margin: (sigma: number) => gaussianRadius(sigma) + 4,
  compute(ctx: FeatureContext, sigma: number, out: Float32Array[]): void {
    const [gxx, , gyy] = ctx.hessian(sigma);
    const o = out[0]!;
    const s2 = sigma * sigma;
    const n = o.length;
    for (let i = 0; i < n; i++) o[i] = (gxx[i]! + gyy[i]!) * s2;
  },
};
