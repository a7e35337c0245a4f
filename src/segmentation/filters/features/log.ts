/**
 * Laplacian of Gaussian ∂²/∂x² + ∂²/∂y² of G_σ * I (ilastik "Laplacian of Gaussian"), second
 * derivatives as central differences of central differences (numpy.gradient twice), scale-normalised
 * by σ² so responses at different scales share one range.
 */
import type { FeatureContext } from './context.js';
import { gaussianRadius } from './context.js';
import { wasmLaplacian } from './derivatives.js';

export const log = {
  channels: ['log'] as const,
  margin: (sigma: number) => gaussianRadius(sigma) + 4,
  compute(ctx: FeatureContext, sigma: number, out: Float32Array[]): void {
    const [gxx, , gyy] = ctx.hessian(sigma);
    const o = ctx.staging(out[0]!);
    // (gxx + gyy) · σ² in double, rounded once to float32 (WebAssembly).
    wasmLaplacian(gxx, gyy, o, o.length, sigma * sigma);
    ctx.deliver(o, out[0]!);
  },
};
