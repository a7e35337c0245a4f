import { DOUBLE_MAX_VALUE, intHistogram, javaResult } from './java.js';

/**
 * Huang's fuzzy thresholding (Huang & Wang 1995, Shannon entropy), as in ImageJ 1.53t
 * `AutoThresholder.Huang` (G. Landini's port of E. Celebi's fourier_0.8 code).
 *
 * Returns exactly `AutoThresholder.getThreshold(Huang, histogram)` for a 256-bin histogram;
 * longer histograms are handled by the same code with 256 → histogram.length. O(bins²).
 *
 * Degenerate histograms (values ImageJ 1.53t returns; we return the same): all-zero → 0;
 * one grey value v → 0 (the membership term is 1/0 = ∞, every entropy is NaN, -1 → 0);
 * two values a < b → a (60/180 → 60; 254/255 → 254).
 */
export function huang(histogram: ArrayLike<number>): number {
  const data = intHistogram(histogram);
  const n = data.length;
  let firstBin = 0;
  for (let ih = 0; ih < n; ih++) {
    if (data[ih] !== 0) {
      firstBin = ih;
      break;
    }
  }
  let lastBin = n - 1;
  for (let ih = n - 1; ih >= firstBin; ih--) {
    if (data[ih] !== 0) {
      lastBin = ih;
      break;
    }
  }
  const term = 1.0 / (lastBin - firstBin);
  const mu0 = new Float64Array(n);
  let sumPix = 0;
  let numPix = 0;
  for (let ih = firstBin; ih < n; ih++) {
    sumPix += ih * data[ih]!;
    numPix += data[ih]!;
    mu0[ih] = sumPix / numPix;
  }
  const mu1 = new Float64Array(n);
  sumPix = 0;
  numPix = 0;
  for (let ih = lastBin; ih > 0; ih--) {
    sumPix += ih * data[ih]!;
    numPix += data[ih]!;
    mu1[ih - 1] = sumPix / numPix;
  }
  let threshold = -1;
  let minEnt = DOUBLE_MAX_VALUE;
  for (let it = 0; it < n; it++) {
    let ent = 0.0;
    const m0 = mu0[it]!;
    for (let ih = 0; ih <= it; ih++) {
      const muX = 1.0 / (1.0 + term * Math.abs(ih - m0));
      if (!(muX < 1e-6 || muX > 0.999999)) {
        ent += data[ih]! * (-muX * Math.log(muX) - (1.0 - muX) * Math.log(1.0 - muX));
      }
    }
    const m1 = mu1[it]!;
    for (let ih = it + 1; ih < n; ih++) {
      const muX = 1.0 / (1.0 + term * Math.abs(ih - m1));
      if (!(muX < 1e-6 || muX > 0.999999)) {
        ent += data[ih]! * (-muX * Math.log(muX) - (1.0 - muX) * Math.log(1.0 - muX));
      }
    }
    if (ent < minEnt) {
      minEnt = ent;
      threshold = it;
    }
  }
  return javaResult(threshold);
}
