/**
 * Shapes the SEM-like generators (sem.ts: the bundled samples; dense.ts: dense electrodes) paint into
 * their phase maps: perturbed round outlines, interfacial gaps just outside a particle, wavy cracks
 * across one, pores. Each generator draws its own random parameters (in its own order, so that its
 * images stay byte for byte what they were) and decides which phases a shape may overwrite; these
 * functions only say which pixels a shape covers (pixel centres, within the W×H image).
 */

/** A round outline perturbed by a few harmonics: r(θ) = r · (1 + Σ a cos(kθ + φ)). */
export interface Outline {
  cx: number;
  cy: number;
  r: number;
  harm: { a: number; k: number; ph: number }[];
}

export function radiusAt(p: Outline, th: number): number {
  let f = 1;
  for (const h of p.harm) f += h.a * Math.cos(h.k * th + h.ph);
  return p.r * f;
}

/** fn(x, y, dx, dy) for every pixel of the W×H image in the square of half-side R around (cx, cy); (dx, dy) = pixel centre − (cx, cy). */
export function forEachNear(cx: number, cy: number, R: number, W: number, H: number, fn: (x: number, y: number, dx: number, dy: number) => void): void {
  for (let y = Math.max(0, Math.floor(cy - R)); y < Math.min(H, Math.ceil(cy + R)); y++) {
    for (let x = Math.max(0, Math.floor(cx - R)); x < Math.min(W, Math.ceil(cx + R)); x++) fn(x, y, x + 0.5 - cx, y + 0.5 - cy);
  }
}

/** Pixels inside the outline p (searched within half-side R). */
export function paintInside(p: Outline, R: number, W: number, H: number, set: (x: number, y: number) => void): void {
  forEachNear(p.cx, p.cy, R, W, H, (x, y, dx, dy) => {
    if (Math.hypot(dx, dy) <= radiusAt(p, Math.atan2(dy, dx))) set(x, y);
  });
}

const TAU = 6.283185307179586;

/**
 * Interfacial gap: pixels whose centre lies outside the outline by at most wmax · taper(sin(πt)), over
 * the arc of `ext` radians from th0 (t = 0 … 1 along it): a crescent, widest mid-arc.
 */
export function paintGap(
  p: Outline,
  R: number,
  W: number,
  H: number,
  g: { th0: number; ext: number; wmax: number; taper: (s: number) => number },
  set: (x: number, y: number) => void,
): void {
  forEachNear(p.cx, p.cy, R, W, H, (x, y, dx, dy) => {
    const th = Math.atan2(dy, dx);
    const t = (((th - g.th0) % TAU) + TAU) % TAU / g.ext;
    if (t > 1) return;
    const d = Math.hypot(dx, dy) - radiusAt(p, th);
    if (d > 0 && d <= g.wmax * g.taper(Math.sin(Math.PI * t))) set(x, y);
  });
}

/**
 * Crack: pixels whose centre is within width/2 of the wavy line n = off + amp · sin(s / period + wav)
 * (s along direction th, n across it, through the centre), and at least `inset` inside the outline.
 */
export function paintCrack(
  p: Outline,
  R: number,
  W: number,
  H: number,
  c: { th: number; off: number; width: number; amp: number; period: number; wav: number; inset: number },
  set: (x: number, y: number) => void,
): void {
  const ux = Math.cos(c.th);
  const uy = Math.sin(c.th);
  forEachNear(p.cx, p.cy, R, W, H, (x, y, dx, dy) => {
    const s = dx * ux + dy * uy;
    const n = -dx * uy + dy * ux;
    if (Math.abs(n - (c.off + c.amp * Math.sin(s / c.period + c.wav))) > c.width / 2) return;
    if (Math.hypot(dx, dy) < radiusAt(p, Math.atan2(dy, dx)) - c.inset) set(x, y);
  });
}
