import { OracleRangeError } from '../errors';
import { finiteNumber, object } from '../validate';
import { readPoints } from './points';

/** Options of {@link scoreAnomalies}. */
export interface ScoreAnomaliesOptions {
  /** Points of history a residual is ranked against (≥ 10); default 300. */
  readonly window?: number | undefined;
  /**
   * Level smoothing α in (0, 1] of the expectation; default 1 (the expectation is the previous
   * value, after Winsorising: spikes move it by at most 4 spreads).
   */
  readonly smoothing?: number | undefined;
}

/** Raw detector output, shared with {@link detectAnomalies}. */
export interface AnomalyTrace {
  /** Score in [0, 1] per point. */
  readonly scores: Float64Array;
  /** Expectation the point was compared with. */
  readonly expected: Float64Array;
}

/** Weight of the rarity term; the magnitude term (weight 0.1) only orders equally rare points. */
export const RARITY_WEIGHT = 0.9;
/** Robust z at which the magnitude term reaches one half. */
export const MAGNITUDE_Z = 20;
const CLIP = 4;
const ADAPT_RUN = 6;
// Log-scale histogram of normalised residuals: 1/8 octave buckets over 2^-32 … 2^32.
const PER_OCTAVE = 8;
const BUCKETS = 64 * PER_OCTAVE + 2;
const MEAN_ABS_TO_SD = Math.sqrt(Math.PI / 2);

function bucketOf(a: number): number {
  if (!(a > 0)) return 0;
  const b = Math.floor(Math.log2(a) * PER_OCTAVE) + 32 * PER_OCTAVE + 1;
  return b < 1 ? 1 : b >= BUCKETS ? BUCKETS - 1 : b;
}

/**
 * The detector behind {@link scoreAnomalies} on plain values. Each step: residual against the
 * expectation, normalised by a robust spread (EWMA of Winsorised absolute residuals); rank of that
 * normalised residual among the last `window` ones kept in a Fenwick tree over a log-scale
 * histogram (O(log B) per point); then the state is updated with the Winsorised residual.
 */
export function anomalyTrace(values: ArrayLike<number>, window: number, smoothing: number): AnomalyTrace {
  const n = values.length;
  const scores = new Float64Array(n);
  const expected = new Float64Array(n);
  const tree = new Int32Array(BUCKETS + 1);
  const ring = new Int32Array(window);
  const logWindow = Math.log(window + 1);
  const z2 = MAGNITUDE_Z * MAGNITUDE_Z;
  let filled = 0;
  let level = n > 0 ? (values[0] as number) : 0;
  let spread = 0;
  let scale = 0;
  let run = 0;
  let runSign = 0;
  for (let i = 0; i < n; i++) {
    const x = values[i] as number;
    const r = x - level;
    expected[i] = level;
    const memory = Math.min(i + 1, window);
    scale += (Math.abs(x) - scale) / memory;
    // The floor keeps a perfectly flat history from dividing by zero; relative, so units do not matter.
    const sigma = Math.max(MEAN_ABS_TO_SD * spread, 1e-9 * scale, 1e-300);
    const a = Math.abs(r) / sigma;
    const b = bucketOf(a);
    let below = 0;
    for (let k = b; k > 0; k -= k & -k) below += tree[k]!;
    const pValue = (filled - below + 1) / (filled + 1);
    const rarity = Math.min(1, -Math.log(pValue) / logWindow);
    scores[i] = RARITY_WEIGHT * rarity + ((1 - RARITY_WEIGHT) * a * a) / (a * a + z2);
    if (filled === window) {
      for (let k = ring[i % window]! + 1; k <= BUCKETS; k += k & -k) tree[k]!--;
    } else filled++;
    ring[i % window] = b;
    for (let k = b + 1; k <= BUCKETS; k += k & -k) tree[k]!++;
    // A run of same-sided exceedances is a level shift: jump to it instead of creeping by CLIP·σ.
    if (a > CLIP * MEAN_ABS_TO_SD) {
      const sign = r > 0 ? 1 : -1;
      run = sign === runSign ? run + 1 : 1;
      runSign = sign;
    } else run = 0;
    if (run >= ADAPT_RUN) {
      level = x;
      run = 0;
    } else level += smoothing * Math.max(-CLIP * sigma, Math.min(CLIP * sigma, r));
    spread += (Math.min(Math.abs(r), CLIP * sigma) - spread) / Math.min(i + 1, window);
  }
  return { scores, expected };
}

/** Validates the shared detector options. */
export function detectorOptions(options: unknown): { window: number; smoothing: number } {
  const o = object('options', options);
  const window = o['window'] === undefined ? 300 : finiteNumber('options.window', o['window'], { integer: true, min: 10, max: 1e7 });
  const smoothing = o['smoothing'] === undefined ? 1 : finiteNumber('options.smoothing', o['smoothing'], { max: 1 });
  if (smoothing <= 0) throw new OracleRangeError('options.smoothing', `must be in (0, 1], got ${smoothing}`);
  return { window, smoothing };
}

/**
 * Online anomaly scores in [0, 1], one per point: score i depends only on points 0…i.
 *
 * Method: a conformal-style rank test (Vovk et al., "Algorithmic Learning in a Random World", 2005)
 * on robust residuals. The residual against a Winsorised level (default: the previous value) is
 * divided by a robust spread (EWMA of absolute residuals clipped at 4 spreads, over `window`
 * points) and ranked among the previous `window` normalised residuals. With `p` the fraction at
 * least as large (plus one), rarity = −ln p / ln(window + 1) is 1 exactly when the residual is the
 * largest of the window. The score is `0.9·rarity + 0.1·z²/(z² + 20²)`, so only residuals larger
 * than everything in the window reach 0.9, ordered by their robust z. Ranking instead of a Gaussian
 * tail makes the score robust to heavy-tailed, bursty and quantised metrics; a repeating (seasonal)
 * pattern stops scoring high once a cycle of it is in the window; and a level shift is absorbed
 * after 6 same-sided exceedances (or sooner, as the Winsorised level catches up). Scores stay low
 * while the window fills. Runs in O(n log B) time (B = 514 histogram buckets) and O(window) memory.
 */
export function scoreAnomalies(points: readonly { readonly timestamp: Date | number | string; readonly value: number }[], options: ScoreAnomaliesOptions = {}): number[] {
  const { values } = readPoints('points', points);
  const { window, smoothing } = detectorOptions(options);
  return Array.from(anomalyTrace(values, window, smoothing).scores);
}
