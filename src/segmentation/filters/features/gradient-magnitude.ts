/** Gradient magnitude |∇(G_σ * I)| (ilastik "Gaussian Gradient Magnitude"), central differences, × σ. */
import type { FeatureContext } from './context.js';

export const gradientMagnitude = {
  channels: ['gradient-magnitude'] as const,
  extraMargin: () => 2,
  compute(ctx: FeatureContext, sigma: number, out: Float32Array[]): void {
    const [gx, gy] = ctx.gradient(sigma);
    const o = out[0]!;
    for (let i = 0; i < o.length; i++) o[i] = Math.sqrt(gx[i]! * gx[i]! + gy[i]! * gy[i]!) * sigma;
  },
};
