/**
 * Eigenvalues of the structure tensor, larger first (ilastik "Structure Tensor Eigenvalues": inner
 * scale σ for the gradient, outer scale σ/2 for smoothing the tensor's entries). Gradient by central
 * differences of G_σ * I; entries gx², gx·gy, gy² smoothed with G_{σ/2}; scaled by σ².
 */
import type { FeatureContext } from './context.js';
import { eigen2, gaussianRadius, smooth } from './context.js';
import { wasmProducts } from './derivatives.js';

export const STRUCTURE_OUTER_RATIO = 0.5;

export const structureTensorEigen = {
  channels: ['structure-eigen-1', 'structure-eigen-2'] as const,
  margin: (sigma: number) => gaussianRadius(sigma) + 2 + gaussianRadius(sigma * STRUCTURE_OUTER_RATIO),
  compute(ctx: FeatureContext, sigma: number, out: Float32Array[]): void {
    const [gx, gy] = ctx.gradient(sigma);
    const xx = ctx.scratch();
    const xy = ctx.scratch();
    const yy = ctx.scratch();
    // gx², gx·gy, gy² (WebAssembly; float32 products, equal to the double product rounded to float32).
    wasmProducts(gx, gy, xx, xy, yy, gx.length);
    const so = sigma * STRUCTURE_OUTER_RATIO;
    const { width: w, height: h } = ctx;
    const sxx = smooth(xx, w, h, so, ctx.scratch());
    const sxy = smooth(xy, w, h, so, ctx.scratch());
    const syy = smooth(yy, w, h, so, ctx.scratch());
    const l1 = ctx.staging(out[0]!);
    const l2 = ctx.staging(out[1]!);
    eigen2(sxx, sxy, syy, l1, l2, sigma * sigma);
    ctx.deliver(l1, out[0]!);
    ctx.deliver(l2, out[1]!);
  },
};
