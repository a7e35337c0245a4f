/**
 * The derivative kernels of derivatives.wat (why WebAssembly and why the results equal the former
 * JavaScript loops bit for bit: see its header) and the memory they run in.
 *
 * A kernel runs in place when all its planes are views of one module instance's memory (a PlanePool's,
 * see context.ts: `residentInstance`) and its outputs overlap no other plane; otherwise the planes are
 * copied into a per-thread scratch instance and the outputs copied back, so ordinary Float32Arrays of
 * any size (at least the element count used) work too.
 */
import { compileWasm, instantiateWasm } from '../../../wasm.js';

export interface DerivModule {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  diffx(s: number, d: number, w: number, h: number): void;
  diffy(s: number, d: number, w: number, h: number): void;
  eigen2(a: number, b: number, c: number, l1: number, l2: number, n: number, scale: number): void;
  products(gx: number, gy: number, xx: number, xy: number, yy: number, n: number): void;
  gradmag(gx: number, gy: number, o: number, n: number, s: number): void;
  lap(gxx: number, gyy: number, o: number, n: number, s: number): void;
}

let compiled: object | null = null;
/** Memories (their current buffers) of the instances handed to plane pools. */
const residents = new WeakMap<ArrayBuffer, DerivModule>();

function instance(): DerivModule {
  compiled ??= compileWasm(new URL('./derivatives.wasm', import.meta.url));
  return instantiateWasm<DerivModule>(compiled);
}

/** A new instance whose memory a plane pool manages; grow it with `growResident` (never directly). */
export function residentInstance(): DerivModule {
  const m = instance();
  residents.set(m.memory.buffer, m);
  return m;
}

/** Grow a resident instance's memory to at least `bytes` (its views so far are detached); false when that fails. */
export function growResident(m: DerivModule, bytes: number): boolean {
  const have = m.memory.buffer.byteLength;
  if (bytes <= have) return true;
  try {
    m.memory.grow(Math.ceil((bytes - have) / 65536));
  } catch {
    return false;
  }
  residents.set(m.memory.buffer, m);
  return true;
}

/** The resident instance whose memory holds every plane, with no output overlapping another plane; else null. */
function inPlace(inputs: Float32Array[], outputs: Float32Array[]): DerivModule | null {
  const buf = outputs[0]!.buffer;
  const m = residents.get(buf as ArrayBuffer);
  if (!m || m.memory.buffer !== buf) return null;
  for (const a of inputs) if (a.buffer !== buf) return null;
  const all = [...inputs, ...outputs];
  for (let k = inputs.length; k < all.length; k++) {
    const o = all[k]!;
    if (o.buffer !== buf) return null;
    const lo = o.byteOffset;
    const hi = lo + o.byteLength;
    for (let j = 0; j < all.length; j++) {
      if (j !== k && all[j]!.byteOffset < hi && lo < all[j]!.byteOffset + all[j]!.byteLength) return null;
    }
  }
  return m;
}

let scratch: DerivModule | null = null;
const align16 = (n: number): number => (n + 15) & ~15;

/**
 * Run `kernel` on n-float planes: in place when possible, else with the inputs copied into the scratch
 * instance and the outputs' first n floats copied back. `kernel` gets the module and byte addresses
 * (inputs, then outputs).
 */
function run(n: number, inputs: Float32Array[], outputs: Float32Array[], kernel: (m: DerivModule, at: number[]) => void): void {
  const m = inPlace(inputs, outputs);
  if (m) {
    kernel(m, [...inputs, ...outputs].map((a) => a.byteOffset));
    return;
  }
  scratch ??= instance();
  const s = scratch;
  const stride = align16(4 * n);
  const count = inputs.length + outputs.length;
  const need = count * stride;
  const have = s.memory.buffer.byteLength;
  if (need > have) s.memory.grow(Math.ceil((need - have) / 65536));
  const at = Array.from({ length: count }, (_, i) => i * stride);
  inputs.forEach((a, i) => new Float32Array(s.memory.buffer, at[i]!, n).set(a.length > n ? a.subarray(0, n) : a));
  kernel(s, at);
  outputs.forEach((o, i) => o.set(new Float32Array(s.memory.buffer, at[inputs.length + i]!, n)));
}

/** numpy.gradient along x of the w×h plane src into out (width ≥ 2). */
export function wasmDiffX(src: Float32Array, out: Float32Array, w: number, h: number): void {
  run(w * h, [src], [out], (m, [s, d]) => m.diffx(s!, d!, w, h));
}

/** numpy.gradient along y of the w×h plane src into out (height ≥ 2). */
export function wasmDiffY(src: Float32Array, out: Float32Array, w: number, h: number): void {
  run(w * h, [src], [out], (m, [s, d]) => m.diffy(s!, d!, w, h));
}

/** Eigenvalues of [[a, b], [b, c]] (first n elements), larger first, times scale. */
export function wasmEigen2(a: Float32Array, b: Float32Array, c: Float32Array, l1: Float32Array, l2: Float32Array, n: number, scale: number): void {
  run(n, [a, b, c], [l1, l2], (m, [pa, pb, pc, p1, p2]) => m.eigen2(pa!, pb!, pc!, p1!, p2!, n, scale));
}

/** xx = gx², xy = gx·gy, yy = gy² (first n elements). */
export function wasmProducts(gx: Float32Array, gy: Float32Array, xx: Float32Array, xy: Float32Array, yy: Float32Array, n: number): void {
  run(n, [gx, gy], [xx, xy, yy], (m, [a, b, p, q, r]) => m.products(a!, b!, p!, q!, r!, n));
}

/** out = sqrt(gx² + gy²) · s (first n elements, in double). */
export function wasmGradientMagnitude(gx: Float32Array, gy: Float32Array, out: Float32Array, n: number, s: number): void {
  run(n, [gx, gy], [out], (m, [a, b, o]) => m.gradmag(a!, b!, o!, n, s));
}

/** out = (gxx + gyy) · s (first n elements, in double). */
export function wasmLaplacian(gxx: Float32Array, gyy: Float32Array, out: Float32Array, n: number, s: number): void {
  run(n, [gxx, gyy], [out], (m, [a, b, o]) => m.lap(a!, b!, o!, n, s));
}
