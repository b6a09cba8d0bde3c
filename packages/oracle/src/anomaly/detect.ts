import { finiteNumber, object } from '../validate';
import type { AnomalyPoint } from './points';
import { readPoints } from './points';
import { DEFAULT_THRESHOLD, ensembleTrace } from './ensemble';
import { detectorOptions, type ScoreAnomaliesOptions } from './score';

/** Options of {@link detectAnomalies}. */
export interface DetectAnomaliesOptions extends ScoreAnomaliesOptions {
  /** In [0, 1]; higher flags more. Default 0.5. */
  readonly sensitivity?: number | undefined;
}

/** One flagged point. */
export interface DetectedAnomaly {
  /** Position in the input. */
  readonly index: number;
  /** Timestamp as given. */
  readonly timestamp: Date | number | string;
  /** The observed value of the point. */
  readonly value: number;
  /** Value the detector expected. */
  readonly expected: number;
  /** The point's {@link scoreAnomalies} score in [0, 1]; at least {@link anomalyThreshold} of the sensitivity. */
  readonly score: number;
}

/**
 * Score threshold for a sensitivity s in [0, 1]: `1 − 2s·(1 − 0.8025)`, linear from 1 (s = 0: nothing
 * is flagged, no score reaches 1) through 0.8025 at the default s = 0.5 (chosen by cross-validation:
 * a trained KNN-CAD point beating all but at most one of its last 600 calibration scores, or
 * during warm-up a window-maximal residual with robust z ≥ 5) to 0.605 at s = 1.
 */
export function anomalyThreshold(sensitivity: number): number {
  const s = finiteNumber('sensitivity', sensitivity, { min: 0, max: 1 });
  return 1 - 2 * s * (1 - DEFAULT_THRESHOLD);
}

/**
 * Points whose {@link scoreAnomalies} score reaches the threshold implied by `sensitivity` (see
 * {@link anomalyThreshold}), in time order. Online like the scores: whether point i is flagged
 * never depends on later points.
 */
export function detectAnomalies(points: readonly AnomalyPoint[], options: DetectAnomaliesOptions = {}): DetectedAnomaly[] {
  const { values } = readPoints('points', points);
  const o = object('options', options);
  const sensitivity = o['sensitivity'] === undefined ? 0.5 : finiteNumber('options.sensitivity', o['sensitivity'], { min: 0, max: 1 });
  const { scores, expected } = ensembleTrace(values, detectorOptions(options));
  const threshold = anomalyThreshold(sensitivity);
  const out: DetectedAnomaly[] = [];
  for (let i = 0; i < scores.length; i++) {
    if (scores[i]! >= threshold) out.push({ index: i, timestamp: points[i]!.timestamp, value: values[i]!, expected: expected[i]!, score: scores[i]! });
  }
  return out;
}
