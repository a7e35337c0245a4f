/** Difference of Gaussians G_{0.66σ} * I − G_σ * I (ilastik's DoG: inner scale 0.66 σ). */
import type { FeatureContext } from './context.js';
import { gaussianRadius } from './context.js';

export const DOG_RATIO = 0.66;

export const dog = {
  channels: ['dog'] as const,
  margin: (sigma: number) => gaussianRadius(sigma),
  compute(ctx: FeatureContext, sigma: number, out: Float32Array[]): void {
    const a = ctx.blur(sigma * DOG_RATIO);
    const b = ctx.blur(sigma);
    const o = out[0]!;
    for (let i = 0; i < o.length; i++) o[i] = a[i]! - b[i]!;
  },
};
