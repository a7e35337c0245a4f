/**
 * Seeded randomness for every generator of fixtures and samples: the same seed gives the
 * same bytes on every machine, so committed fixtures can be checked against a fresh run.
 * Never Math.random.
 */

/** mulberry32: a small, well-known 32-bit seeded PRNG; uniform in [0, 1). */
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

/** One standard-normal draw by Box–Muller from two uniforms (the first kept away from 0). */
export function normal(rnd: () => number): number {
  const u = Math.max(rnd(), 1e-12);
  const v = rnd();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}
