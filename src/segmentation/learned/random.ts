/** Seeded randomness for training (weight initialisation, shuffling, held-out split): the project's mulberry32. */
import { mulberry32 } from '../../random.js';

export { mulberry32 };

/** A uniform [0, 1) number fixed by (seed, a, b, c): one mulberry32 draw from a hashed seed. */
export function hashUniform(seed: number, a: number, b: number, c: number): number {
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b);
  h = Math.imul(h ^ a ^ (h >>> 13), 0xc2b2ae35);
  h = Math.imul(h ^ b ^ (h >>> 16), 0x27d4eb2f);
  h = Math.imul(h ^ c ^ (h >>> 15), 0x165667b1);
  return mulberry32(h)();
}
