import { OracleRangeError } from '../errors';
import { array, finiteNumber, object } from '../validate';

/** Options of {@link detectPeriod}. */
export interface DetectPeriodOptions {
  /** Longest period to consider, in samples; default `min(⌊n/2⌋, 5000)` (two full cycles needed). */
  readonly maxPeriod?: number | undefined;
}

/** Smallest autocorrelation a seasonal peak must reach, whatever the series length. */
const MIN_PEAK = 0.2;
const DEFAULT_MAX_PERIOD = 5000;

/** Residuals of the least-squares line through the series, and their sum of squares. */
function detrend(y: readonly number[]): { r: Float64Array; den: number } {
  const n = y.length;
  const tMean = (n - 1) / 2;
  let yMean = 0;
  for (const v of y) yMean += v / n;
  let sxy = 0;
  let sxx = 0;
  for (let t = 0; t < n; t++) {
    sxy += (t - tMean) * (y[t]! - yMean);
    sxx += (t - tMean) * (t - tMean);
  }
  const slope = sxx === 0 ? 0 : sxy / sxx;
  const r = new Float64Array(n);
  let den = 0;
  for (let t = 0; t < n; t++) {
    r[t] = y[t]! - yMean - slope * (t - tMean);
    den += r[t]! * r[t]!;
  }
  return { r, den };
}

function lagProduct(r: Float64Array, den: number, k: number): number {
  let num = 0;
  for (let t = 0; t + k < r.length; t++) num += r[t]! * r[t + k]!;
  return den === 0 ? 0 : num / den;
}

/** Lag-k autocorrelation after removing a least-squares line, so trends do not pose as seasons. */
export function detrendedAutocorrelation(y: readonly number[], lag: number): number {
  if (lag <= 0 || lag >= y.length) return 0;
  const { r, den } = detrend(y);
  return lagProduct(r, den, lag);
}

/** Autocorrelations r₁…r_K of the linearly detrended series. O(n·K). */
export function detrendedAutocorrelations(y: readonly number[], maxLag: number): number[] {
  const { r, den } = detrend(y);
  const out: number[] = [];
  for (let k = 1; k <= maxLag; k++) out.push(lagProduct(r, den, k));
  return out;
}

/**
 * Dominant seasonal period from the sample autocorrelation function (Box & Jenkins; the "first
 * significant ACF peak" rule of Hyndman & Athanasopoulos, FPP3 §2.8). With n values the white-noise
 * 95 % band is ±2/√n (Bartlett). The ACF (of the linearly detrended series) must first fall inside
 * that band; after that each excursion above it is a candidate hump, and the first hump whose
 * highest autocorrelation reaches `max(0.2, 4/√n)` gives the period (its arg-max lag). The stricter
 * peak bar keeps the many small noise excursions of a long white-noise ACF from counting. Returns
 * `undefined` when no lag in `[2, maxPeriod]` qualifies or there are fewer than 4 values.
 */
export function detectPeriod(values: readonly number[], options: DetectPeriodOptions = {}): number | undefined {
  const y = array<number>('values', values);
  for (let i = 0; i < y.length; i++) finiteNumber(`values[${i}]`, y[i]);
  const o = object('options', options);
  const half = Math.floor(y.length / 2);
  let maxPeriod = Math.min(half, DEFAULT_MAX_PERIOD);
  if (o['maxPeriod'] !== undefined) {
    const given = finiteNumber('options.maxPeriod', o['maxPeriod'], { integer: true });
    if (given < 2) throw new OracleRangeError('options.maxPeriod', `must be >= 2, got ${given}`);
    maxPeriod = Math.min(given, half);
  }
  if (y.length < 4 || maxPeriod < 2) return undefined;
  const acf = detrendedAutocorrelations(y, maxPeriod);
  const band = 2 / Math.sqrt(y.length);
  const peakBar = Math.max(MIN_PEAK, 2 * band);
  let descended = false;
  let humpLag = -1;
  let humpValue = Number.NEGATIVE_INFINITY;
  for (let k = 1; k <= maxPeriod + 1; k++) {
    const r = k <= maxPeriod ? acf[k - 1]! : Number.NEGATIVE_INFINITY;
    if (!descended) {
      if (r < band) descended = true;
      continue;
    }
    if (r > band) {
      if (r > humpValue) {
        humpValue = r;
        humpLag = k;
      }
    } else if (humpLag > 0) {
      if (humpValue >= peakBar && humpLag >= 2) return humpLag;
      humpLag = -1;
      humpValue = Number.NEGATIVE_INFINITY;
    }
  }
  return undefined;
}
