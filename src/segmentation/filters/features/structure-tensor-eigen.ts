/**
 * Eigenvalues of the structure tensor, larger first (ilastik "Structure Tensor Eigenvalues": inner
 * scale σ for the gradient, outer scale σ/2 for smoothing the tensor's entries). Gradient by central
 * differences of G_σ * I; entries gx², gx·gy, gy² smoothed with G_{σ/2}; scaled by σ².
 */
import type { FeatureContext } from './context.js';
import { eigen2, gaussianRadius, smooth } from './context.js';

export const STRUCTURE_OUTER_RATIO = 0.5;

export const structureTensorEigen = {
  channels: ['structure-eigen-1', 'structure-eigen-2'] as const,
  margin: (sigma: number) => gaussianRadius(sigma) + 2 + gaussianRadius(sigma * STRUCTURE_OUTER_RATIO),
  compute(ctx: FeatureContext, sigma: number, out: Float32Array[]): void {
    const [gx, gy] = ctx.gradient(sigma);
    const n = gx.length;
    const xx = ctx.scratch();
    const xy = ctx.scratch();
    const yy = ctx.scratch();
    for (let i = 0; i < n; i++) {
      const a = gx[i]!;
      const b = gy[i]!;
      xx[i] = a * a;
      xy[i] = a * b;
      yy[i] = b * b;
    }
    const so = sigma * STRUCTURE_OUTER_RATIO;
    const { width: w, height: h } = ctx;
    eigen2(smooth(xx, w, h, so, ctx.scratch()), smooth(xy, w, h, so, ctx.scratch()), smooth(yy, w, h, so, ctx.scratch()), out[0]!, out[1]!, sigma * sigma);
  },
};
