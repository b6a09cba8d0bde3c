import { finiteNumber, object } from '../validate';
import type { AnomalyPoint } from './points';
import { readPoints } from './points';
import { anomalyTrace, detectorOptions, MAGNITUDE_Z, RARITY_WEIGHT, type ScoreAnomaliesOptions } from './score';

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
 * Score threshold for a sensitivity s: a point is flagged when its residual is the largest of the
 * window and its robust z is at least `z* = 10·(1 − s)` (5 at the default 0.5), i.e.
 * `0.9 + 0.1·z*²/(z*² + 20²)` (0.9059 by default). At s = 1 any window-maximal residual is flagged.
 */
export function anomalyThreshold(sensitivity: number): number {
  const z = 10 * (1 - finiteNumber('sensitivity', sensitivity, { min: 0, max: 1 }));
  return RARITY_WEIGHT + ((1 - RARITY_WEIGHT) * z * z) / (z * z + MAGNITUDE_Z * MAGNITUDE_Z);
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
  const { window, smoothing } = detectorOptions(options);
  const { scores, expected } = anomalyTrace(values, window, smoothing);
  const threshold = anomalyThreshold(sensitivity);
  const out: DetectedAnomaly[] = [];
  for (let i = 0; i < scores.length; i++) {
    if (scores[i]! >= threshold) out.push({ index: i, timestamp: points[i]!.timestamp, value: values[i]!, expected: expected[i]!, score: scores[i]! });
  }
  return out;
}
