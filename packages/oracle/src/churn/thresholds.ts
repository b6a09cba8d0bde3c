import { OracleRangeError } from '../errors';
import { finiteNumber, object } from '../validate';

/**
 * Probability cut-offs of the churn risk categories: `low` below `medium`, `medium` below
 * `high`, `high` from `high` up. Plain cut-offs rather than calibrated costs, so teams can
 * tune them to their retention budget.
 */
export interface ChurnThresholds {
  /** Lowest churn probability counted as medium risk. */
  medium: number;
  /** Lowest churn probability counted as high risk. */
  high: number;
}

/** Default cut-offs: p < 0.3 is low risk, 0.3 ≤ p < 0.6 medium, p ≥ 0.6 high. */
export const DEFAULT_CHURN_THRESHOLDS: Readonly<ChurnThresholds> = Object.freeze({ medium: 0.3, high: 0.6 });

/** Validates thresholds: 0 ≤ medium ≤ high ≤ 1. */
export function checkThresholds(field: string, value: unknown): ChurnThresholds {
  const o = object(field, value);
  const medium = finiteNumber(`${field}.medium`, o['medium'], { min: 0, max: 1 });
  const high = finiteNumber(`${field}.high`, o['high'], { min: 0, max: 1 });
  if (high < medium) throw new OracleRangeError(`${field}.high`, `must be >= medium (${medium}), got ${high}`);
  return { medium, high };
}
