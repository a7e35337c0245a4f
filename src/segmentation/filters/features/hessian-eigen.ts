/**
 * Eigenvalues of the Hessian of G_σ * I, larger first (ilastik "Hessian of Gaussian Eigenvalues";
 * skimage 0.19 `hessian_matrix_eigvals(hessian_matrix(I, σ))`: Gaussian, then numpy.gradient twice,
 * Hxy from ∂y(∂x)). Scale-normalised by σ².
 */
import type { FeatureContext } from './context.js';
import { eigen2, gaussianRadius } from './context.js';

export const hessianEigen = {
  channels: ['hessian-eigen-1', 'hessian-eigen-2'] as const,
  margin: (sigma: number) => gaussianRadius(sigma) + 4,
  compute(ctx: FeatureContext, sigma: number, out: Float32Array[]): void {
    const [hxx, hxy, hyy] = ctx.hessian(sigma);
    const l1 = ctx.staging(out[0]!);
    const l2 = ctx.staging(out[1]!);
    eigen2(hxx, hxy, hyy, l1, l2, sigma * sigma);
    ctx.deliver(l1, out[0]!);
    ctx.deliver(l2, out[1]!);
  },
};
