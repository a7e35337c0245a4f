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
    eigen2(hxx, hxy, hyy, out[0]!, out[1]!, sigma * sigma);
  },
};
