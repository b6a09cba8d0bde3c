// The residual-rank anomaly detector: robust residuals ranked in a sliding window (Fenwick tree over a log histogram).
/** Raw output of the residual-rank detector. */
export interface AnomalyTrace {
  /** Score in [0, 1] per point. */
  readonly scores: Float64Array;
  /** Expectation the point was compared with. */
  readonly expected: Float64Array;
  /** Magnitude term z²/(z² + 20²) in [0, 1) of the point's robust z. */
  readonly magnitude: Float64Array;
}

/** Weight of the rarity term; the magnitude term (weight 0.1) only orders equally rare points. */
export const RARITY_WEIGHT = 0.9;
/** Robust z at which the magnitude term reaches one half. */
export const MAGNITUDE_Z = 20;
const CLIP = 4;
const SATURATE = 1e150;
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
 * The residual-rank detector on plain values (`method: 'residual'` of `scoreAnomalies`, and the
 * default method's score until KNN-CAD is trained). Each step: residual against the
 * expectation, normalised by a robust spread (EWMA of Winsorised absolute residuals); rank of that
 * normalised residual among the last `window` ones kept in a Fenwick tree over a log-scale
 * histogram (O(log B) per point); then the state is updated with the Winsorised residual.
 */
export function anomalyTrace(values: ArrayLike<number>, window: number, smoothing: number): AnomalyTrace {
  const n = values.length;
  const scores = new Float64Array(n);
  const expected = new Float64Array(n);
  const magnitude = new Float64Array(n);
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
    const raw = values[i] as number;
    // Saturated so residuals, spreads and z² stay finite for any finite input.
    const x = raw > SATURATE ? SATURATE : raw < -SATURATE ? -SATURATE : raw;
    const r = x - level;
    expected[i] = level;
    const memory = Math.min(i + 1, window);
    scale += (Math.abs(x) - scale) / memory;
    // The floor keeps a perfectly flat history from dividing by zero; relative, so units do not matter.
    const sigma = Math.max(MEAN_ABS_TO_SD * spread, 1e-9 * scale, 1e-300);
    const a = Math.min(Math.abs(r) / sigma, 1e100);
    const b = bucketOf(a);
    let below = 0;
    for (let k = b; k > 0; k -= k & -k) below += tree[k]!;
    const pValue = (filled - below + 1) / (filled + 1);
    const rarity = Math.min(1, -Math.log(pValue) / logWindow);
    magnitude[i] = (a * a) / (a * a + z2);
    scores[i] = RARITY_WEIGHT * rarity + (1 - RARITY_WEIGHT) * magnitude[i]!;
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
  return { scores, expected, magnitude };
}

