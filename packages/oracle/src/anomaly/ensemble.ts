/**
 * The default anomaly score: KNN-CAD (knn.ts) once it is trained, the residual-rank detector
 * (score.ts) before that, on one scale so one threshold serves both. Defaults were chosen by
 * leave-one-series-out cross-validation on the 12 NAB AWS CloudWatch series
 * (bench/signals/forecast.ts prints the cross-validated score).
 */
import { KNN_DIM, KNN_NEIGHBOURS, KNN_REST, knnCadRanks, knnWarmUp } from './knn';
import { anomalyTrace, MAGNITUDE_Z, RARITY_WEIGHT } from './residual';

/** Default KNN-CAD training size: chosen by cross-validation from {400, 600, 800}. */
export const DEFAULT_TRAINING = 600;
/**
 * Score threshold at the default sensitivity 0.5, chosen by the same cross-validation: a trained
 * KNN-CAD point is flagged when its non-conformity exceeds all but at most one of the last 600.
 */
export const DEFAULT_THRESHOLD = 0.8025;
/** The residual detector's own threshold at sensitivity 0.5 (rarest residual with robust z ≥ 5). */
const RESIDUAL_THRESHOLD = RARITY_WEIGHT + ((1 - RARITY_WEIGHT) * 25) / (25 + MAGNITUDE_Z * MAGNITUDE_Z);

/** Which detector scores the points; see {@link ScoreAnomaliesOptions}. */
export type AnomalyMethod = 'knn-cad' | 'residual';

/** Validated detector settings. */
export interface DetectorSettings {
  readonly method: AnomalyMethod;
  readonly training: number;
  readonly window: number;
  readonly smoothing: number;
}

/**
 * Residual-detector score on the common scale: a monotone, piecewise-linear map taking its own
 * sensitivity-0.5 threshold onto {@link DEFAULT_THRESHOLD}, so at the default sensitivity it flags
 * exactly what it flagged on its own.
 */
function residualOnCommonScale(score: number): number {
  return score <= RESIDUAL_THRESHOLD
    ? (score * DEFAULT_THRESHOLD) / RESIDUAL_THRESHOLD
    : DEFAULT_THRESHOLD + ((score - RESIDUAL_THRESHOLD) * (1 - DEFAULT_THRESHOLD)) / (1 - RESIDUAL_THRESHOLD);
}

/**
 * Scores in [0, 1] and expectations per value. With `knn-cad`, point i ≥ `training + 18` scores
 * `0.9·rarity + 0.1·z²/(z² + 20²)`, where rarity = −ln p / ln(training + 1) with p the fraction
 * (plus one) of the last `training` calibration scores at least as large as the point's KNN-CAD
 * non-conformity, and z the point's robust residual z from the residual detector (which only
 * orders equally rare points). Earlier points, points where KNN-CAD rests after an alarm (unless
 * `muteFallback` is false: then 0, as in NAB), and every point with `residual` get the residual
 * detector's score mapped onto the same scale.
 */
export function ensembleTrace(values: ArrayLike<number>, settings: DetectorSettings, muteFallback = true): { scores: Float64Array; expected: Float64Array } {
  const trace = anomalyTrace(values, settings.window, settings.smoothing);
  const scores = new Float64Array(values.length);
  const warm = settings.method === 'knn-cad' ? knnWarmUp(settings.training) : values.length;
  for (let i = 0; i < Math.min(warm, values.length); i++) scores[i] = residualOnCommonScale(trace.scores[i]!);
  if (warm >= values.length) return { scores, expected: trace.expected };
  const train = settings.training;
  const ranks = knnCadRanks(values, train, 1, KNN_DIM, KNN_NEIGHBOURS, KNN_REST, muteFallback ? -1 : 0);
  const logTrain = Math.log(train + 1);
  for (let i = warm; i < values.length; i++) {
    const r = ranks[i]!;
    if (r < 0) scores[i] = residualOnCommonScale(trace.scores[i]!);
    if (r <= 0) continue;
    const p = (train * (1 - r) + 1) / (train + 1);
    const rarity = Math.min(1, -Math.log(p) / logTrain);
    scores[i] = RARITY_WEIGHT * rarity + (1 - RARITY_WEIGHT) * trace.magnitude[i]!;
  }
  return { scores, expected: trace.expected };
}
