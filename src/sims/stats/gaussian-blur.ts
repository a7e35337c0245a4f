/**
 * Separable Gaussian blur (σ in pixels, kernel radius ⌈3σ⌉, edges extended by repeating the
 * border pixel). Used only to smooth a count map before hot-spot thresholding; sums of the
 * smoothed map are not used as counts.
 */
export function gaussianBlur(data: ArrayLike<number>, width: number, height: number, sigma: number): Float64Array {
  if (!(sigma > 0)) return Float64Array.from(data);
  const r = Math.max(1, Math.ceil(3 * sigma));
  const k = new Float64Array(2 * r + 1);
  let sum = 0;
  for (let i = -r; i <= r; i++) {
    k[i + r] = Math.exp((-i * i) / (2 * sigma * sigma));
    sum += k[i + r]!;
  }
  for (let i = 0; i < k.length; i++) k[i] = k[i]! / sum;
  const tmp = new Float64Array(width * height);
  const out = new Float64Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let acc = 0;
      for (let i = -r; i <= r; i++) {
        const xx = Math.min(width - 1, Math.max(0, x + i));
        acc += k[i + r]! * data[y * width + xx]!;
      }
      tmp[y * width + x] = acc;
    }
  }
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let acc = 0;
      for (let i = -r; i <= r; i++) {
        const yy = Math.min(height - 1, Math.max(0, y + i));
        acc += k[i + r]! * tmp[yy * width + x]!;
      }
      out[y * width + x] = acc;
    }
  }
  return out;
}
