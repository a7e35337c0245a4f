/**
 * Seeded randomness for every generator of fixtures and samples: the same seed gives the
 * same bytes on every machine, so committed fixtures can be checked against a fresh run.
 * Never Math.random.
 */

/** mulberry32 (src/random.ts: the library's seeded training uses the same generator). */
export { mulberry32 } from '../../src/random.js';

/** One standard-normal draw by Box–Muller from two uniforms (the first kept away from 0). */
export function normal(rnd: () => number): number {
  const u = Math.max(rnd(), 1e-12);
  const v = rnd();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}
