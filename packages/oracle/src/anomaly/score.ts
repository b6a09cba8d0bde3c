import { OracleRangeError } from '../errors';
import { finiteNumber, object, oneOf } from '../validate';
import { type AnomalyMethod, DEFAULT_TRAINING, type DetectorSettings, ensembleTrace } from './ensemble';
import { readPoints } from './points';

/** Options of {@link scoreAnomalies}. */
export interface ScoreAnomaliesOptions {
  /**
   * `'knn-cad'` (default): KNN-CAD, a k-nearest-neighbour conformal detector on 19-point lag
   * vectors, once `training + 18` points are in, and the residual detector before that.
   * `'residual'`: the residual detector throughout (tens of times cheaper per point, no memory of shapes).
   */
  readonly method?: AnomalyMethod | undefined;
  /**
   * KNN-CAD training (and calibration) set size, 50…5000; default 600 (cross-validated). Each point
   * costs O(training); seeding the calibration set costs O(training² · 19) once.
   */
  readonly training?: number | undefined;
  /** Points of history the residual detector ranks a residual against (≥ 10); default 300. */
  readonly window?: number | undefined;
  /**
   * Level smoothing α in (0, 1] of the residual detector's expectation; default 1 (the
   * expectation is the previous value, after Winsorising: spikes move it by at most 4 spreads).
   */
  readonly smoothing?: number | undefined;
}

/** Validates the shared detector options. */
export function detectorOptions(options: unknown): DetectorSettings {
  const o = object('options', options);
  const window = o['window'] === undefined ? 300 : finiteNumber('options.window', o['window'], { integer: true, min: 10, max: 1e7 });
  const smoothing = o['smoothing'] === undefined ? 1 : finiteNumber('options.smoothing', o['smoothing'], { max: 1 });
  if (smoothing <= 0) throw new OracleRangeError('options.smoothing', `must be in (0, 1], got ${smoothing}`);
  const method = o['method'] === undefined ? 'knn-cad' : oneOf('options.method', o['method'], ['knn-cad', 'residual'] as const);
  const training = o['training'] === undefined ? DEFAULT_TRAINING : finiteNumber('options.training', o['training'], { integer: true, min: 50, max: 5000 });
  return { method, training, window, smoothing };
}

/**
 * Online anomaly scores in [0, 1], one per point: score i depends only on points 0…i.
 *
 * Default method, KNN-CAD (Burnaev & Ishimtsev, arXiv:1608.04585, as run in the Numenta Anomaly
 * Benchmark): each point's lag vector (it and the 18 before it) is compared with the `training`
 * lag vectors of a sliding reference stretch that ends `training + 19` points earlier; its
 * non-conformity (sum of squared distances to the 27 nearest) is ranked among the last `training`
 * non-conformities, a conformal test (Vovk et al., "Algorithmic Learning in a Random World", 2005).
 * With p the fraction at least as large (plus one), rarity = −ln p / ln(training + 1), and the score
 * is `0.9·rarity + 0.1·z²/(z² + 20²)` with z the point's robust residual z (it only orders equally
 * rare points). Shapes that recur within the reference stretch (seasonality, bursts) stop scoring
 * high. An alarm (the point beats all but 0.35 % of the calibration set) rests KNN-CAD for
 * `(training + 19)/5` points, as in NAB, while the residual detector below scores; meanwhile the
 * calibration set takes in the new scores, so a lasting level shift alarms once. Conformal ranks
 * of plain noise are uniform, so at sensitivity 0.5 about one noise point in 300 to 900 is flagged;
 * sensitivity ≤ 0.25 also requires a robust z ≥ 2.3. Costs O(training) per point (tens of times
 * the residual method) and O(n) memory.
 *
 * Until KNN-CAD has its first `training + 18` points, and throughout with `method: 'residual'`,
 * the score is the residual detector's: the residual against a Winsorised level (default: the
 * previous value), divided by a robust spread (EWMA of absolute residuals clipped at 4 spreads,
 * over `window` points), ranked among the previous `window` normalised residuals the same way;
 * a level shift is absorbed after 6 same-sided exceedances. Its score is mapped monotonically
 * onto the common scale so that {@link anomalyThreshold} at sensitivity 0.5 flags a window-maximal
 * residual with robust z ≥ 5. Runs in O(n log B) time (B = 514 histogram buckets).
 *
 * Defaults (method, training, threshold) were chosen by leave-one-series-out cross-validation of
 * the NAB standard-profile score over 12 AWS CloudWatch series (57 held out, against 43.5 for the
 * residual detector's best options); `npm run bench -- oracle-signals` prints it.
 */
export function scoreAnomalies(points: readonly { readonly timestamp: Date | number | string; readonly value: number }[], options: ScoreAnomaliesOptions = {}): number[] {
  const { values } = readPoints('points', points);
  return Array.from(ensembleTrace(values, detectorOptions(options)).scores);
}
