/**
 * ImageJ 1.53t's Process ▸ Subtract Background… (`ij.plugin.filter.BackgroundSubtracter`, Michael
 * Schmid's rolling ball / sliding paraboloid), for 8-bit, 16-bit and float images, exact: the same
 * output pixels as `rollingBallBackground(ip, radius, false, light, paraboloid, !noSmoothing,
 * correctCorners)`, which is what the menu command runs (it always passes correctCorners = true).
 *
 * Hand-written: no library reproduces ImageJ's background (scikit-image's `rolling_ball` is a
 * different algorithm: no shrinking, no trimmed ball, no paraboloid). This is a line-by-line port of
 * the Java with Java's float32 arithmetic emulated: every float operation is rounded with
 * Math.fround (`f()` below) in Java's evaluation order, ints are truncated like Java's casts. Do not
 * "simplify" expressions here: reordering changes the last bit and then the output.
 *
 * What it does (ImageJ's own description): the image is made float; for a light background it is
 * inverted; optionally a 3×3 mean smooths it (and, for the paraboloid, a 3×3 maximum first); the
 * background is the surface reached from below by a ball of the given radius (rolling ball: on an
 * image shrunk by 2/4/8 for radii > 10/30/100 px, the ball trimmed by 24–40 %, then bilinearly
 * enlarged) or by a paraboloid of the same curvature slid along x, y and both diagonals; it is then
 * subtracted (8/16-bit: rounded, clipped to 0..255/65535, offset to 255/65535 for a light background).
 */
import { VoidscopeError } from '../../errors.js';
import type { Raster } from '../../raster/types.js';

const f = Math.fround;
const FLOAT_MAX = 3.4028234663852886e38;
const INT_MAX = 2147483647;

/** Options of `subtractBackground`, named as ImageJ's dialog. */
export interface SubtractBackgroundOptions {
  /** "Rolling ball radius" in pixels (> 0.0001, as ImageJ's dialog). */
  radius: number;
  /** "Light background" (default false). */
  light?: boolean;
  /** "Sliding paraboloid" instead of the rolling ball (default false). */
  paraboloid?: boolean;
  /** "Disable smoothing" (default false: ImageJ smooths with a 3×3 mean before finding the background). */
  noSmoothing?: boolean;
  /** Detect corner particles (paraboloid only; default true, as the menu command always does). */
  correctCorners?: boolean;
}

/** Largest accepted radius (pixels). */
export const MAX_BACKGROUND_RADIUS = 100_000;

/** The validated options with every default filled in (plain JSON, for result records). */
export interface BackgroundSpec {
  radius: number;
  light: boolean;
  paraboloid: boolean;
  noSmoothing: boolean;
  correctCorners: boolean;
}

const KEYS = ['radius', 'light', 'paraboloid', 'noSmoothing', 'correctCorners'] as const;

/** What a result records as the pre-filter's source. */
export const SUBTRACT_BACKGROUND_SOURCE = 'ImageJ 1.53t BackgroundSubtracter (Process > Subtract Background)';

/** One line for result notes, e.g. "Subtract Background (ImageJ 1.53t): rolling ball radius 50 px, light background, smoothing, corners corrected". */
export function describeBackground(spec: BackgroundSpec): string {
  return (
    `Subtract Background (ImageJ 1.53t): ${spec.paraboloid ? 'sliding paraboloid' : 'rolling ball'} radius ${spec.radius} px, ` +
    `${spec.light ? 'light' : 'dark'} background, ${spec.noSmoothing ? 'smoothing disabled' : '3×3 mean smoothing'}` +
    (spec.paraboloid ? `, corners ${spec.correctCorners ? 'corrected' : 'not corrected'}` : '')
  );
}

/**
 * Validate Subtract Background options once, where they enter (unknown keys, bad radius or non-boolean
 * flags → EOPTION naming `at.key`). Also accepts the house's whole pre-filter object
 * `{kind: 'background', radius, …}` (the `kind` key must then be 'background').
 */
export function parseBackgroundOptions(input: unknown, at = 'background'): BackgroundSpec {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new VoidscopeError('EOPTION', `${at}: background subtraction options must be an object {radius, light, paraboloid, noSmoothing, correctCorners}`);
  }
  const o = input as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    if (k === 'kind' && o.kind === 'background') continue; // the house's Prefilter {kind: 'background', …}
    if (!(KEYS as readonly string[]).includes(k)) throw new VoidscopeError('EOPTION', `${at}.${k}: unknown key; allowed: ${KEYS.join(', ')}`);
  }
  const r = o.radius;
  if (typeof r !== 'number' || !Number.isFinite(r) || r <= 0.0001 || r > MAX_BACKGROUND_RADIUS) {
    throw new VoidscopeError('EOPTION', `${at}.radius: the rolling ball radius must be a number of pixels > 0.0001 and <= ${MAX_BACKGROUND_RADIUS}, got ${String(r)}`);
  }
  const flag = (k: (typeof KEYS)[number], dflt: boolean): boolean => {
    const v = o[k];
    if (v === undefined) return dflt;
    if (typeof v !== 'boolean') throw new VoidscopeError('EOPTION', `${at}.${k}: must be true or false, got ${String(v)}`);
    return v;
  };
  return { radius: r, light: flag('light', false), paraboloid: flag('paraboloid', false), noSmoothing: flag('noSmoothing', false), correctCorners: flag('correctCorners', true) };
}

/**
 * Subtract the background as ImageJ 1.53t does; returns a new raster of the same type
 * (Uint8Array, Uint16Array or Float32Array data). Other pixel types: VoidscopeError('EUNSUPPORTED').
 */
export function subtractBackground<T extends Raster>(raster: T, opts: SubtractBackgroundOptions): T {
  const spec = parseBackgroundOptions(opts);
  const { width, height, data } = raster;
  if (!(data instanceof Uint8Array || data instanceof Uint16Array || data instanceof Float32Array)) {
    throw new VoidscopeError('EUNSUPPORTED', `subtract background works on 8-bit, 16-bit and 32-bit float images (as ImageJ); this one is ${raster.bitDepth}-bit ${raster.sampleFormat}`);
  }
  const bg = background(data, width, height, spec);
  const invert = spec.light;
  let out: Uint8Array | Uint16Array | Float32Array;
  if (data instanceof Float32Array) {
    out = new Float32Array(data.length);
    for (let p = 0; p < bg.length; p++) out[p] = data[p]! - bg[p]!; // float − float, stored as float
  } else {
    const top = data instanceof Uint8Array ? 255 : 65535;
    const offset = invert ? f(top + 0.5) : 0.5; // includes 0.5 for rounding when converting float to byte/short
    out = data instanceof Uint8Array ? new Uint8Array(data.length) : new Uint16Array(data.length);
    for (let p = 0; p < bg.length; p++) {
      let value = f(f(data[p]! - bg[p]!) + offset);
      if (value < 0) value = 0;
      if (value > top) value = top;
      out[p] = Math.trunc(value);
    }
  }
  return { ...raster, data: out };
}

/** The background ImageJ subtracts (float32, same size), for inspection and tests. */
export function backgroundOf(raster: Raster, opts: SubtractBackgroundOptions): Float32Array {
  const spec = parseBackgroundOptions(opts);
  const d = raster.data;
  if (!(d instanceof Uint8Array || d instanceof Uint16Array || d instanceof Float32Array)) {
    throw new VoidscopeError('EUNSUPPORTED', `subtract background works on 8-bit, 16-bit and 32-bit float images; this one is ${raster.bitDepth}-bit ${raster.sampleFormat}`);
  }
  return background(d, raster.width, raster.height, spec);
}

function background(data: Uint8Array | Uint16Array | Float32Array, width: number, height: number, spec: BackgroundSpec): Float32Array {
  const fp = new Float32Array(data.length);
  for (let i = 0; i < data.length; i++) fp[i] = data[i]!;
  const presmooth = !spec.noSmoothing;
  if (spec.paraboloid) slidingParaboloidFloatBackground(fp, width, height, f(spec.radius), spec.light, presmooth, spec.correctCorners);
  else rollingBallFloatBackground(fp, width, height, spec.light, presmooth, new RollingBall(spec.radius));
  return fp;
}

// ---- S L I D E   P A R A B O L O I D ------------------------------------------------------------

function slidingParaboloidFloatBackground(
  pixels: Float32Array,
  width: number,
  height: number,
  radius: number,
  invert: boolean,
  doPresmooth: boolean,
  correctCorners: boolean,
): void {
  const cache = new Float32Array(Math.max(width, height));
  const nextPoint = new Int32Array(Math.max(width, height));
  const coeff2 = f(0.5 / radius);
  const coeff2diag = f(1.0 / radius);
  if (invert) for (let i = 0; i < pixels.length; i++) pixels[i] = -pixels[i]!;
  let shiftBy = 0;
  if (doPresmooth) {
    shiftBy = f(filter3x3(pixels, width, height, MAXIMUM));
    filter3x3(pixels, width, height, MEAN);
  }
  if (correctCorners) doCorrectCorners(pixels, width, height, coeff2, cache, nextPoint);
  filter1D(pixels, width, height, X_DIRECTION, coeff2, cache, nextPoint);
  filter1D(pixels, width, height, Y_DIRECTION, coeff2, cache, nextPoint);
  filter1D(pixels, width, height, X_DIRECTION, coeff2, cache, nextPoint);
  filter1D(pixels, width, height, DIAGONAL_1A, coeff2diag, cache, nextPoint);
  filter1D(pixels, width, height, DIAGONAL_1B, coeff2diag, cache, nextPoint);
  filter1D(pixels, width, height, DIAGONAL_2A, coeff2diag, cache, nextPoint);
  filter1D(pixels, width, height, DIAGONAL_2B, coeff2diag, cache, nextPoint);
  filter1D(pixels, width, height, DIAGONAL_1A, coeff2diag, cache, nextPoint);
  filter1D(pixels, width, height, DIAGONAL_1B, coeff2diag, cache, nextPoint);
  if (invert) for (let i = 0; i < pixels.length; i++) pixels[i] = -f(pixels[i]! - shiftBy);
  else if (doPresmooth) for (let i = 0; i < pixels.length; i++) pixels[i] = pixels[i]! - shiftBy;
}

const X_DIRECTION = 0;
const Y_DIRECTION = 1;
const DIAGONAL_1A = 2;
const DIAGONAL_1B = 3;
const DIAGONAL_2A = 4;
const DIAGONAL_2B = 5;

function filter1D(pixels: Float32Array, width: number, height: number, direction: number, coeff2: number, cache: Float32Array, nextPoint: Int32Array): void {
  let startLine = 0;
  let nLines = 0;
  let lineInc = 0;
  let pointInc = 0;
  let length = 0;
  switch (direction) {
    case X_DIRECTION:
      nLines = height;
      lineInc = width;
      pointInc = 1;
      length = width;
      break;
    case Y_DIRECTION:
      nLines = width;
      lineInc = 1;
      pointInc = width;
      length = height;
      break;
    case DIAGONAL_1A:
      nLines = width - 2;
      lineInc = 1;
      pointInc = width + 1;
      break;
    case DIAGONAL_1B:
      startLine = 1;
      nLines = height - 2;
      lineInc = width;
      pointInc = width + 1;
      break;
    case DIAGONAL_2A:
      startLine = 2;
      nLines = width;
      lineInc = 1;
      pointInc = width - 1;
      break;
    case DIAGONAL_2B:
      startLine = 0;
      nLines = height - 2;
      lineInc = width;
      pointInc = width - 1;
      break;
  }
  for (let i = startLine; i < nLines; i++) {
    let startPixel = i * lineInc;
    if (direction === DIAGONAL_2B) startPixel += width - 1;
    switch (direction) {
      case DIAGONAL_1A:
        length = Math.min(height, width - i);
        break;
      case DIAGONAL_1B:
        length = Math.min(width, height - i);
        break;
      case DIAGONAL_2A:
        length = Math.min(height, i + 1);
        break;
      case DIAGONAL_2B:
        length = Math.min(width, height - i);
        break;
    }
    lineSlideParabola(pixels, startPixel, pointInc, length, coeff2, cache, nextPoint, null);
  }
}

/** ImageJ's lineSlideParabola: one line, parabola from below; returns the corrected edges when asked. */
function lineSlideParabola(
  pixels: Float32Array,
  start: number,
  inc: number,
  length: number,
  coeff2: number,
  cache: Float32Array,
  nextPoint: Int32Array,
  correctedEdges: Float32Array | null,
): Float32Array | null {
  let minValue = FLOAT_MAX;
  let lastpoint = 0;
  let firstCorner = length - 1;
  let lastCorner = 0;
  let vPrevious1 = 0;
  let vPrevious2 = 0;
  const curvatureTest = f(f(1.999) * coeff2);
  for (let i = 0, p = start; i < length; i++, p += inc) {
    const v = pixels[p]!;
    cache[i] = v;
    if (v < minValue) minValue = v;
    if (i >= 2 && f(f(f(vPrevious1 + vPrevious1) - vPrevious2) - v) < curvatureTest) {
      nextPoint[lastpoint] = i - 1;
      lastpoint = i - 1;
    }
    vPrevious2 = vPrevious1;
    vPrevious1 = v;
  }
  nextPoint[lastpoint] = length - 1;
  nextPoint[length - 1] = INT_MAX;

  let i1 = 0;
  while (i1 < length - 1) {
    const v1 = cache[i1]!;
    let minSlope = FLOAT_MAX;
    let i2 = 0;
    let searchTo = length;
    let recalculateLimitNow = 0;
    for (let j = nextPoint[i1]!; j < searchTo; j = nextPoint[j]!, recalculateLimitNow++) {
      const v2 = cache[j]!;
      const slope = f(f(f(v2 - v1) / (j - i1)) + f(coeff2 * (j - i1)));
      if (slope < minSlope) {
        minSlope = slope;
        i2 = j;
        recalculateLimitNow = -3;
      }
      if (recalculateLimitNow === 0) {
        const b = f(f(0.5 * minSlope) / coeff2);
        const maxSearch = (i1 + javaInt(b + Math.sqrt(b * b + f(f(v1 - minValue) / coeff2)) + 1)) | 0;
        if (maxSearch < searchTo && maxSearch > 0) searchTo = maxSearch;
      }
    }
    if (i1 === 0) firstCorner = i2;
    if (i2 === length - 1) lastCorner = i1;
    for (let j = i1 + 1, p = start + j * inc; j < i2; j++, p += inc) {
      pixels[p] = f(v1 + f((j - i1) * f(minSlope - f((j - i1) * coeff2))));
    }
    i1 = i2;
  }
  if (correctedEdges !== null) {
    if (4 * firstCorner >= length) firstCorner = 0;
    if (4 * (length - 1 - lastCorner) >= length) lastCorner = length - 1;
    const v1 = cache[firstCorner]!;
    const v2 = cache[lastCorner]!;
    const slope = f(f(v2 - v1) / (lastCorner - firstCorner));
    const value0 = f(v1 - f(slope * firstCorner));
    let coeff6 = 0;
    const mid = f(0.5 * (lastCorner + firstCorner));
    for (let i = Math.trunc((length + 2) / 3); i <= Math.trunc((2 * length) / 3); i++) {
      const dx = f(f(f(i - mid) * 2) / (lastCorner - firstCorner));
      const poly6 = f(pow6(dx) - 1);
      if (cache[i]! < f(f(value0 + f(slope * i)) + f(coeff6 * poly6))) {
        coeff6 = f(-f(f(value0 + f(slope * i)) - cache[i]!) / poly6);
      }
    }
    let dx = f(f(f(firstCorner - mid) * 2) / (lastCorner - firstCorner));
    correctedEdges[0] = f(f(value0 + f(coeff6 * f(pow6(dx) - 1))) + f(f(coeff2 * firstCorner) * firstCorner));
    dx = f(f(f(lastCorner - mid) * 2) / (lastCorner - firstCorner));
    const tail = length - 1 - lastCorner;
    correctedEdges[1] = f(f(f(value0 + f((length - 1) * slope)) + f(coeff6 * f(pow6(dx) - 1))) + f(f(coeff2 * tail) * tail));
  }
  return correctedEdges;
}

/** dx*dx*dx*dx*dx*dx in float, left to right. */
function pow6(dx: number): number {
  return f(f(f(f(f(dx * dx) * dx) * dx) * dx) * dx);
}

/** Java (int) of a double: truncation toward 0, NaN → 0, saturating. */
function javaInt(d: number): number {
  if (d !== d) return 0;
  if (d >= INT_MAX) return INT_MAX;
  if (d <= -2147483648) return -2147483648;
  return Math.trunc(d);
}

function doCorrectCorners(pixels: Float32Array, width: number, height: number, coeff2: number, cache: Float32Array, nextPoint: Int32Array): void {
  const corners = new Float32Array(4);
  let e: Float32Array = new Float32Array(2);
  e = lineSlideParabola(pixels, 0, 1, width, coeff2, cache, nextPoint, e)!;
  corners[0] = e[0]!;
  corners[1] = e[1]!;
  e = lineSlideParabola(pixels, (height - 1) * width, 1, width, coeff2, cache, nextPoint, e)!;
  corners[2] = e[0]!;
  corners[3] = e[1]!;
  e = lineSlideParabola(pixels, 0, width, height, coeff2, cache, nextPoint, e)!;
  corners[0] = corners[0]! + e[0]!;
  corners[2] = corners[2]! + e[1]!;
  e = lineSlideParabola(pixels, width - 1, width, height, coeff2, cache, nextPoint, e)!;
  corners[1] = corners[1]! + e[0]!;
  corners[3] = corners[3]! + e[1]!;
  const diagLength = Math.min(width, height);
  const coeff2diag = f(2 * coeff2);
  e = lineSlideParabola(pixels, 0, 1 + width, diagLength, coeff2diag, cache, nextPoint, e)!;
  corners[0] = corners[0]! + e[0]!;
  e = lineSlideParabola(pixels, width - 1, -1 + width, diagLength, coeff2diag, cache, nextPoint, e)!;
  corners[1] = corners[1]! + e[0]!;
  e = lineSlideParabola(pixels, (height - 1) * width, 1 - width, diagLength, coeff2diag, cache, nextPoint, e)!;
  corners[2] = corners[2]! + e[0]!;
  e = lineSlideParabola(pixels, width * height - 1, -1 - width, diagLength, coeff2diag, cache, nextPoint, e)!;
  corners[3] = corners[3]! + e[0]!;
  const third = (k: number): number => f(corners[k]! / 3);
  if (pixels[0]! > third(0)) pixels[0] = third(0);
  if (pixels[width - 1]! > third(1)) pixels[width - 1] = third(1);
  if (pixels[(height - 1) * width]! > third(2)) pixels[(height - 1) * width] = third(2);
  if (pixels[width * height - 1]! > third(3)) pixels[width * height - 1] = third(3);
}

// ---- R O L L I N G   B A L L --------------------------------------------------------------------

/** ImageJ's RollingBall: a trimmed patch of a sphere, and the shrink factor chosen from the radius. */
class RollingBall {
  readonly data: Float32Array;
  readonly width: number;
  readonly shrinkFactor: number;
  constructor(radius: number) {
    let arcTrimPer: number;
    if (radius <= 10) {
      this.shrinkFactor = 1;
      arcTrimPer = 24;
    } else if (radius <= 30) {
      this.shrinkFactor = 2;
      arcTrimPer = 24;
    } else if (radius <= 100) {
      this.shrinkFactor = 4;
      arcTrimPer = 32;
    } else {
      this.shrinkFactor = 8;
      arcTrimPer = 40;
    }
    let smallballradius = radius / this.shrinkFactor;
    if (smallballradius < 1) smallballradius = 1;
    const rsquare = smallballradius * smallballradius;
    const xtrim = Math.trunc(javaInt(arcTrimPer * smallballradius) / 100);
    const halfWidth = Math.round(smallballradius - xtrim);
    this.width = 2 * halfWidth + 1;
    this.data = new Float32Array(this.width * this.width);
    for (let y = 0, p = 0; y < this.width; y++)
      for (let x = 0; x < this.width; x++, p++) {
        const xval = x - halfWidth;
        const yval = y - halfWidth;
        const temp = rsquare - xval * xval - yval * yval;
        this.data[p] = temp > 0 ? Math.sqrt(temp) : 0;
      }
  }
}

function rollingBallFloatBackground(pixels: Float32Array, width: number, height: number, invert: boolean, doPresmooth: boolean, ball: RollingBall): void {
  const shrink = ball.shrinkFactor > 1;
  if (invert) for (let i = 0; i < pixels.length; i++) pixels[i] = -pixels[i]!;
  if (doPresmooth) filter3x3(pixels, width, height, MEAN);
  if (shrink) {
    const sWidth = Math.trunc((width + ball.shrinkFactor - 1) / ball.shrinkFactor);
    const sHeight = Math.trunc((height + ball.shrinkFactor - 1) / ball.shrinkFactor);
    if (sWidth < 2) {
      // ImageJ throws ArrayIndexOutOfBoundsException while enlarging a 1-pixel-wide shrunk image (index −1
      // in x). A 1-pixel-high one works in ImageJ (the first interpolation line stays 0) and here alike.
      throw new VoidscopeError(
        'EOPTION',
        `rolling ball radius too large for a ${width}×${height} image: ImageJ shrinks it ${ball.shrinkFactor}× to ${sWidth}×${sHeight} and fails (1 pixel wide); use a smaller radius or the paraboloid`,
      );
    }
    const small = shrinkImage(pixels, width, height, ball.shrinkFactor, sWidth, sHeight);
    rollBall(ball, small, sWidth, sHeight);
    enlargeImage(small, sWidth, sHeight, pixels, width, height, ball.shrinkFactor);
  } else {
    rollBall(ball, pixels, width, height);
  }
  if (invert) for (let i = 0; i < pixels.length; i++) pixels[i] = -pixels[i]!;
}

function shrinkImage(pixels: Float32Array, width: number, height: number, shrinkFactor: number, sWidth: number, sHeight: number): Float32Array {
  const s = new Float32Array(sWidth * sHeight);
  for (let ySmall = 0; ySmall < sHeight; ySmall++)
    for (let xSmall = 0; xSmall < sWidth; xSmall++) {
      let min = FLOAT_MAX;
      for (let j = 0, y = shrinkFactor * ySmall; j < shrinkFactor && y < height; j++, y++)
        for (let k = 0, x = shrinkFactor * xSmall; k < shrinkFactor && x < width; k++, x++) {
          const v = pixels[x + y * width]!;
          if (v < min) min = v;
        }
      s[xSmall + ySmall * sWidth] = min;
    }
  return s;
}

/** ImageJ's rollBall (O(width·height·ballWidth²), as ImageJ; the ball is small after shrinking). */
function rollBall(ball: RollingBall, pixels: Float32Array, width: number, height: number): void {
  const zBall = ball.data;
  const ballWidth = ball.width;
  const radius = ballWidth >> 1;
  const cache = new Float32Array(width * ballWidth);
  for (let y = -radius; y < height + radius; y++) {
    const nextLineToWriteInCache = (y + radius) % ballWidth;
    const nextLineToRead = y + radius;
    if (nextLineToRead < height) {
      cache.set(pixels.subarray(nextLineToRead * width, nextLineToRead * width + width), nextLineToWriteInCache * width);
      pixels.fill(-FLOAT_MAX, nextLineToRead * width, nextLineToRead * width + width);
    }
    let y0 = y - radius;
    if (y0 < 0) y0 = 0;
    const yBall0 = y0 - y + radius;
    let yend = y + radius;
    if (yend >= height) yend = height - 1;
    for (let x = -radius; x < width + radius; x++) {
      let z = FLOAT_MAX;
      let x0 = x - radius;
      if (x0 < 0) x0 = 0;
      const xBall0 = x0 - x + radius;
      let xend = x + radius;
      if (xend >= width) xend = width - 1;
      for (let yp = y0, yBall = yBall0; yp <= yend; yp++, yBall++) {
        let cachePointer = (yp % ballWidth) * width + x0;
        for (let xp = x0, bp = xBall0 + yBall * ballWidth; xp <= xend; xp++, cachePointer++, bp++) {
          const zReduced = f(cache[cachePointer]! - zBall[bp]!);
          if (z > zReduced) z = zReduced;
        }
      }
      for (let yp = y0, yBall = yBall0; yp <= yend; yp++, yBall++)
        for (let xp = x0, p = xp + yp * width, bp = xBall0 + yBall * ballWidth; xp <= xend; xp++, p++, bp++) {
          const zMin = f(z + zBall[bp]!);
          if (pixels[p]! < zMin) pixels[p] = zMin;
        }
    }
  }
}

function enlargeImage(sPixels: Float32Array, smallWidth: number, smallHeight: number, pixels: Float32Array, width: number, height: number, shrinkFactor: number): void {
  const xSmallIndices = new Int32Array(width);
  const xWeights = new Float32Array(width);
  makeInterpolationArrays(xSmallIndices, xWeights, width, smallWidth, shrinkFactor);
  const ySmallIndices = new Int32Array(height);
  const yWeights = new Float32Array(height);
  makeInterpolationArrays(ySmallIndices, yWeights, height, smallHeight, shrinkFactor);
  let line0 = new Float32Array(width);
  let line1 = new Float32Array(width);
  for (let x = 0; x < width; x++) {
    const w = xWeights[x]!;
    line1[x] = f(f(sPixels[xSmallIndices[x]!]! * w) + f(sPixels[xSmallIndices[x]! + 1]! * f(1 - w)));
  }
  let ySmallLine0 = -1;
  for (let y = 0; y < height; y++) {
    if (ySmallLine0 < ySmallIndices[y]!) {
      const swap = line0;
      line0 = line1;
      line1 = swap;
      ySmallLine0++;
      const sYPointer = (ySmallIndices[y]! + 1) * smallWidth;
      for (let x = 0; x < width; x++) {
        const w = xWeights[x]!;
        line1[x] = f(f(sPixels[sYPointer + xSmallIndices[x]!]! * w) + f(sPixels[sYPointer + xSmallIndices[x]! + 1]! * f(1 - w)));
      }
    }
    const weight = yWeights[y]!;
    const oneMinus = f(1 - weight);
    for (let x = 0, p = y * width; x < width; x++, p++) pixels[p] = f(f(line0[x]! * weight) + f(line1[x]! * oneMinus));
  }
}

function makeInterpolationArrays(smallIndices: Int32Array, weights: Float32Array, length: number, smallLength: number, shrinkFactor: number): void {
  for (let i = 0; i < length; i++) {
    let smallIndex = Math.trunc((i - (shrinkFactor >> 1)) / shrinkFactor);
    if (smallIndex >= smallLength - 1) smallIndex = smallLength - 2;
    smallIndices[i] = smallIndex;
    const distance = f(f(f(i + 0.5) / shrinkFactor) - f(smallIndex + 0.5));
    weights[i] = f(1 - distance);
  }
}

// ---- C O M M O N --------------------------------------------------------------------------------

const MAXIMUM = 0;
const MEAN = 1;

/** 3×3 mean or maximum, rows then columns, in place; for the maximum returns the mean change (double). */
function filter3x3(pixels: Float32Array, width: number, height: number, type: number): number {
  let shiftBy = 0;
  for (let y = 0; y < height; y++) shiftBy += filter3(pixels, width, y * width, 1, type);
  for (let x = 0; x < width; x++) shiftBy += filter3(pixels, height, x, width, type);
  return shiftBy / width / height;
}

const THIRD = f(0.33333333);

function filter3(pixels: Float32Array, length: number, pixel0: number, inc: number, type: number): number {
  let shiftBy = 0;
  let v3 = pixels[pixel0]!;
  let v2 = v3;
  let v1: number;
  for (let i = 0, p = pixel0; i < length; i++, p += inc) {
    v1 = v2;
    v2 = v3;
    if (i < length - 1) v3 = pixels[p + inc]!;
    if (type === MAXIMUM) {
      let max = v1 > v3 ? v1 : v3;
      if (v2 > max) max = v2;
      shiftBy += f(max - v2);
      pixels[p] = max;
    } else {
      pixels[p] = f(f(f(v1 + v2) + v3) * THIRD);
    }
  }
  return shiftBy;
}
