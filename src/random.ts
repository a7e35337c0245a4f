/**
 * mulberry32: a small, well-known 32-bit seeded PRNG, uniform in [0, 1). The one generator of the
 * project: the library's seeded training (segmentation/learned) and every fixture and sample generator
 * (scripts/lib/random.ts re-exports it), so the same seed gives the same bytes on every machine.
 * Never Math.random.
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
