/**
 * Eigenvalues of the Hessian of G_σ * I, larger first (ilastik "Hessian of Gaussian Eigenvalues";
 * skimage 0.19 `hessian_matrix_eigvals(hessian_matrix(I, σ))`: Gaussian, then numpy.gradient twice,
 * Hxy from ∂y(∂x)). Scale-normalised by σ².
 */
import type { FeatureContext } from './context.js';
import { diffX, diffY, eigen2 } from './context.js';

export const hessianEigen = {
  channels: ['hessian-eigen-1', 'hessian-eigen-2'] as const,
  extraMargin: () => 4,
  compute(ctx: FeatureContext, sigma: number, out: Float32Array[]): void {
    const [gx, gy] = ctx.gradient(sigma);
    const hxx = diffX(gx, ctx.width, ctx.height);
    const hxy = diffY(gx, ctx.width, ctx.height);
    const hyy = diffY(gy, ctx.width, ctx.height);
    const l1 = out[0]!;
    const l2 = out[1]!;
    eigen2(hxx, hxy, hyy, l1, l2);
    const s2 = sigma * sigma;
    for (let i = 0; i < l1.length; i++) {
      l1[i] = l1[i]! * s2;
      l2[i] = l2[i]! * s2;
    }
  },
};
