/** Gradient magnitude |∇(G_σ * I)| (ilastik "Gaussian Gradient Magnitude"), central differences, × σ. */
import type { FeatureContext } from './context.js';
import { gaussianRadius } from './context.js';

export const gradientMagnitude = {
  channels: ['gradient-magnitude'] as const,
  margin: (sigma: number) => gaussianRadius(sigma) + 2,
  compute(ctx: FeatureContext, sigma: number, out: Float32Array[]): void {
    const [gx, gy] = ctx.gradient(sigma);
    const o = out[0]!;
    const n = o.length;
    for (let i = 0; i < n; i++) {
      const a = gx[i]!;
      const b = gy[i]!;
      o[i] = Math.sqrt(a * a + b * b) * sigma;
    }
  },
};
