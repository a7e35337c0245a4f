/** Gradient magnitude |∇(G_σ * I)| (ilastik "Gaussian Gradient Magnitude"), central differences, × σ. */
import type { FeatureContext } from './context.js';
import { gaussianRadius } from './context.js';
import { wasmGradientMagnitude } from './derivatives.js';

export const gradientMagnitude = {
  channels: ['gradient-magnitude'] as const,
  margin: (sigma: number) => gaussianRadius(sigma) + 2,
  compute(ctx: FeatureContext, sigma: number, out: Float32Array[]): void {
    const [gx, gy] = ctx.gradient(sigma);
    const o = ctx.staging(out[0]!);
    // sqrt(gx² + gy²) · σ in double, rounded once to float32 (WebAssembly).
    wasmGradientMagnitude(gx, gy, o, o.length, sigma);
    ctx.deliver(o, out[0]!);
  },
};
