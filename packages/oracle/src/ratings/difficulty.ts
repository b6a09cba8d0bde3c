import { OracleRangeError, OracleTypeError } from '../errors';
import { array, finiteNumber, object } from '../validate';

/** Input of {@link adjustDifficulty}. */
export interface DifficultyInput {
  /** Recent attempts, oldest first: `true` = success. */
  readonly outcomes: readonly boolean[];
  /** Difficulty the outcomes were played at (clamped into [min, max] first). */
  readonly current: number;
  /** Success rate to hold the player at, in (0, 1). Default 0.5. */
  readonly targetSuccessRate?: number | undefined;
  /** Lowest difficulty. */
  readonly min: number;
  /** Highest difficulty (≥ min). */
  readonly max: number;
  /** Proportional gain: share of (max − min) moved per unit of rate error, in (0, 1]. Default 0.25. */
  readonly gain?: number | undefined;
  /** Half-life of an outcome's weight, in attempts (> 0). Default 8. */
  readonly halfLife?: number | undefined;
  /** No change while |rate − target| ≤ deadBand, in [0, 0.5). Default 0.05. */
  readonly deadBand?: number | undefined;
  /** Pseudo-attempts at the target rate blended into the estimate (≥ 0). Default 2. */
  readonly priorWeight?: number | undefined;
  /** Largest move per call as a share of (max − min), in (0, 1]. Default 0.1. */
  readonly maxStep?: number | undefined;
}

/** Why {@link adjustDifficulty} moved (or kept) the difficulty. */
export type DifficultyReason = 'no_data' | 'on_target' | 'too_easy' | 'too_hard';

/** Result of {@link adjustDifficulty}. */
export interface DifficultyResult {
  /** New difficulty, within [min, max]. */
  readonly difficulty: number;
  /** Smoothed success rate the decision used (the target when there are no outcomes). */
  readonly successRate: number;
  /** `too_easy` raises, `too_hard` lowers; `on_target` (inside the dead band) and `no_data` keep it. */
  readonly reason: DifficultyReason;
  /** True when [min, max] or `maxStep` cut the move short (or `current` was outside the range). */
  readonly clamped: boolean;
}

function optional(field: string, value: unknown, fallback: number, lo: number, hi: number, openLo: boolean, openHi: boolean): number {
  if (value === undefined) return fallback;
  const n = finiteNumber(field, value);
  if ((openLo ? n <= lo : n < lo) || (openHi ? n >= hi : n > hi)) {
    throw new OracleRangeError(field, `must be in ${openLo ? '(' : '['}${lo}, ${hi}${openHi ? ')' : ']'}, got ${n}`);
  }
  return n;
}

/**
 * Dynamic difficulty adjustment by a proportional controller with a dead band: the success rate
 * is an exponentially weighted mean of the outcomes (newest weighs most, half-life `halfLife`
 * attempts) shrunk towards the target by `priorWeight` pseudo-attempts, so a couple of results
 * cannot swing it; outside the dead band the difficulty moves by
 * `gain · (rate − target) · (max − min)`, at most `maxStep · (max − min)`, clamped to [min, max].
 * The smoothing, dead band and step cap are what keep the loop from oscillating: a single
 * surprising outcome moves the estimate by at most ~1/(priorWeight + effective sample size).
 * Deterministic: the same input always gives the same output.
 *
 * @throws OracleTypeError / OracleRangeError naming the bad field (`outcomes[4]`, `max`, …).
 */
export function adjustDifficulty(input: DifficultyInput): DifficultyResult {
  const o = object('input', input);
  const outcomes = array('outcomes', o['outcomes']).map((x, i) => {
    if (typeof x !== 'boolean') throw new OracleTypeError(`outcomes[${i}]`, `expected a boolean, got ${typeof x}`);
    return x;
  });
  const min = finiteNumber('min', o['min']);
  const max = finiteNumber('max', o['max'], { min });
  const rawCurrent = finiteNumber('current', o['current']);
  const target = optional('targetSuccessRate', o['targetSuccessRate'], 0.5, 0, 1, true, true);
  const gain = optional('gain', o['gain'], 0.25, 0, 1, true, false);
  const halfLife = optional('halfLife', o['halfLife'], 8, 0, Number.MAX_VALUE, true, false);
  const deadBand = optional('deadBand', o['deadBand'], 0.05, 0, 0.5, false, true);
  const priorWeight = optional('priorWeight', o['priorWeight'], 2, 0, Number.MAX_VALUE, false, false);
  const maxStep = optional('maxStep', o['maxStep'], 0.1, 0, 1, true, false);

  const current = Math.min(max, Math.max(min, rawCurrent));
  const outOfRange = current !== rawCurrent;
  if (outcomes.length === 0) return { difficulty: current, successRate: target, reason: 'no_data', clamped: outOfRange };

  const decay = 2 ** (-1 / halfLife);
  let weight = 1;
  let weightSum = priorWeight;
  let successSum = priorWeight * target;
  for (let i = outcomes.length - 1; i >= 0; i--) {
    weightSum += weight;
    if (outcomes[i]) successSum += weight;
    weight *= decay;
  }
  const successRate = successSum / weightSum;
  const error = successRate - target;
  if (Math.abs(error) <= deadBand) return { difficulty: current, successRate, reason: 'on_target', clamped: outOfRange };

  const span = max - min;
  const wanted = gain * error * span;
  const limit = maxStep * span;
  const step = Math.max(-limit, Math.min(limit, wanted));
  const difficulty = Math.min(max, Math.max(min, current + step));
  return {
    difficulty,
    successRate,
    reason: error > 0 ? 'too_easy' : 'too_hard',
    clamped: outOfRange || difficulty !== current + wanted,
  };
}
