import { OracleRangeError, OracleTypeError } from '../errors';
import { DAY_MS } from '../time/civil';
import { finiteNumber, instant, object } from '../validate';

/** Reason codes of {@link userRiskScore}, in the order reasons are listed. */
export const USER_RISK_REASON_CODES = [
  'privileged_without_mfa',
  'mfa_disabled',
  'privileged',
  'recent_anomalies',
  'stale_login',
  'old_password',
] as const;

/** One of {@link USER_RISK_REASON_CODES}. */
export type UserRiskReasonCode = (typeof USER_RISK_REASON_CODES)[number];

/** Facts about one account that {@link userRiskScore} weighs. */
export interface UserRiskInput {
  /** Holds an admin or otherwise privileged role. */
  readonly privileged: boolean;
  /** Has a second factor enrolled. */
  readonly mfaEnabled: boolean;
  /** Anomalous logins in the caller's recent window (e.g. 30 days), integer ≥ 0. */
  readonly recentAnomalies: number;
  /** Latest login; absent or `null` when unknown (not scored). */
  readonly lastLoginAt?: Date | string | null | undefined;
  /** Days since the password was set, ≥ 0; absent or `null` for passwordless accounts (not scored). */
  readonly passwordAgeDays?: number | null | undefined;
  /** Reference instant; required, since oracle never reads the clock. */
  readonly now: Date | string;
}

/** A contribution to {@link UserRiskScore}. */
export interface UserRiskReason {
  /** Stable machine code. */
  readonly code: UserRiskReasonCode;
  /** Points added. */
  readonly points: number;
  /** English explanation with the measured values. */
  readonly detail: string;
}

/** Result of {@link userRiskScore}. */
export interface UserRiskScore {
  /** `min(100, sum of reason points)`: the points sum to the score unless the cap bites. */
  readonly score: number;
  /** `high` at `score >= highAt`, `medium` at `score >= mediumAt`, else `low`. */
  readonly level: 'low' | 'medium' | 'high';
  /** Every reason that applied, in {@link USER_RISK_REASON_CODES} order. */
  readonly reasons: readonly UserRiskReason[];
}

/** Tuning of {@link userRiskScore}; defaults in {@link DEFAULT_USER_RISK_OPTIONS}. */
export interface UserRiskOptions {
  /** Points per reason in [0, 100]; for `recent_anomalies`, points per anomaly. */
  readonly weights?: Partial<Record<UserRiskReasonCode, number>> | undefined;
  /** Most points `recent_anomalies` can add, [0, 100]. */
  readonly anomalyPointsCap?: number | undefined;
  /** Days without a login from which `stale_login` applies, ≥ 0. */
  readonly staleLoginDays?: number | undefined;
  /** Password age in days from which `old_password` applies, ≥ 0. */
  readonly passwordMaxAgeDays?: number | undefined;
  /** Score from which the level is `medium`, [0, 100]. */
  readonly mediumAt?: number | undefined;
  /** Score from which the level is `high`, [mediumAt, 100]. */
  readonly highAt?: number | undefined;
}

/** {@link UserRiskOptions} with every default filled in. */
export interface ResolvedUserRiskOptions {
  /** See {@link UserRiskOptions.weights}; complete. */
  readonly weights: Readonly<Record<UserRiskReasonCode, number>>;
  /** See {@link UserRiskOptions.anomalyPointsCap}. */
  readonly anomalyPointsCap: number;
  /** See {@link UserRiskOptions.staleLoginDays}. */
  readonly staleLoginDays: number;
  /** See {@link UserRiskOptions.passwordMaxAgeDays}. */
  readonly passwordMaxAgeDays: number;
  /** See {@link UserRiskOptions.mediumAt}. */
  readonly mediumAt: number;
  /** See {@link UserRiskOptions.highAt}. */
  readonly highAt: number;
}

/**
 * Defaults of {@link userRiskScore}: a privileged account without MFA is `high` on its own
 * (60); three recent anomalies (15 each, capped at 45) make any account at least `medium`;
 * staleness (90 days) and an old password (365 days) only tip the balance (10 each).
 */
export const DEFAULT_USER_RISK_OPTIONS: ResolvedUserRiskOptions = Object.freeze({
  weights: Object.freeze({
    privileged_without_mfa: 60,
    mfa_disabled: 20,
    privileged: 10,
    recent_anomalies: 15,
    stale_login: 10,
    old_password: 10,
  }),
  anomalyPointsCap: 45,
  staleLoginDays: 90,
  passwordMaxAgeDays: 365,
  mediumAt: 30,
  highAt: 60,
});

function boolean(field: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new OracleTypeError(field, `expected a boolean, got ${value === null ? 'null' : typeof value}`);
  return value;
}

function resolve(value: unknown): ResolvedUserRiskOptions {
  const d = DEFAULT_USER_RISK_OPTIONS;
  if (value === undefined) return d;
  const o = object('options', value) as UserRiskOptions;
  const weights: Record<UserRiskReasonCode, number> = { ...d.weights };
  if (o.weights !== undefined) {
    const w = object('options.weights', o.weights);
    for (const key of Object.keys(w)) {
      if (!(USER_RISK_REASON_CODES as readonly string[]).includes(key)) {
        throw new OracleTypeError(`options.weights.${key}`, `unknown reason code; expected one of ${USER_RISK_REASON_CODES.join(', ')}`);
      }
      if (w[key] !== undefined) weights[key as UserRiskReasonCode] = finiteNumber(`options.weights.${key}`, w[key], { min: 0, max: 100 });
    }
  }
  const num = (field: keyof UserRiskOptions, fallback: number, max?: number) =>
    o[field] === undefined ? fallback : finiteNumber(`options.${field}`, o[field], max === undefined ? { min: 0 } : { min: 0, max });
  const mediumAt = num('mediumAt', d.mediumAt, 100);
  const highAt = num('highAt', Math.max(d.highAt, mediumAt), 100);
  if (highAt < mediumAt) throw new OracleRangeError('options.highAt', `must be >= mediumAt (${mediumAt}), got ${highAt}`);
  return {
    weights,
    anomalyPointsCap: num('anomalyPointsCap', d.anomalyPointsCap, 100),
    staleLoginDays: num('staleLoginDays', d.staleLoginDays),
    passwordMaxAgeDays: num('passwordMaxAgeDays', d.passwordMaxAgeDays),
    mediumAt,
    highAt,
  };
}

/**
 * `userRiskScore`: standing risk of an account, deterministic and explainable — every
 * reason carries the points it adds (defaults in {@link DEFAULT_USER_RISK_OPTIONS}):
 * - `privileged_without_mfa` (60): privileged and no MFA; replaces the two below.
 * - `mfa_disabled` (20): unprivileged without MFA.
 * - `privileged` (10): privileged with MFA — still the more valuable target.
 * - `recent_anomalies` (15 each, at most 45).
 * - `stale_login` (10): last login at least 90 days before `now` (dormant accounts are
 *   takeover targets); a login after `now` counts as 0 days.
 * - `old_password` (10): password at least 365 days old.
 *
 * Score `min(100, sum)`; level `low` < 30 ≤ `medium` < 60 ≤ `high`.
 */
export function userRiskScore(input: UserRiskInput, options?: UserRiskOptions): UserRiskScore {
  const i = object('input', input);
  const privileged = boolean('privileged', i['privileged']);
  const mfaEnabled = boolean('mfaEnabled', i['mfaEnabled']);
  const anomalies = finiteNumber('recentAnomalies', i['recentAnomalies'], { min: 0, integer: true });
  const now = instant('now', i['now']);
  const lastLoginAt = i['lastLoginAt'] == null ? undefined : instant('lastLoginAt', i['lastLoginAt']);
  const passwordAge = i['passwordAgeDays'] == null ? undefined : finiteNumber('passwordAgeDays', i['passwordAgeDays'], { min: 0 });
  const o = resolve(options);
  const w = o.weights;

  const reasons: UserRiskReason[] = [];
  if (privileged && !mfaEnabled) {
    reasons.push({ code: 'privileged_without_mfa', points: w.privileged_without_mfa, detail: 'privileged account without MFA' });
  } else if (!mfaEnabled) {
    reasons.push({ code: 'mfa_disabled', points: w.mfa_disabled, detail: 'no second factor enrolled' });
  } else if (privileged) {
    reasons.push({ code: 'privileged', points: w.privileged, detail: 'privileged account (MFA enabled)' });
  }
  if (anomalies > 0) {
    const points = Math.min(o.anomalyPointsCap, anomalies * w.recent_anomalies);
    reasons.push({
      code: 'recent_anomalies',
      points,
      detail: `${anomalies} recent anomalous ${anomalies === 1 ? 'login' : 'logins'} × ${w.recent_anomalies} points (at most ${o.anomalyPointsCap})`,
    });
  }
  if (lastLoginAt !== undefined) {
    const days = Math.max(0, now - lastLoginAt) / DAY_MS;
    if (days >= o.staleLoginDays) {
      reasons.push({ code: 'stale_login', points: w.stale_login, detail: `last login ${Math.floor(days)} days ago (limit ${o.staleLoginDays})` });
    }
  }
  if (passwordAge !== undefined && passwordAge >= o.passwordMaxAgeDays) {
    reasons.push({
      code: 'old_password',
      points: w.old_password,
      detail: `password ${Math.floor(passwordAge)} days old (limit ${o.passwordMaxAgeDays})`,
    });
  }
  let sum = 0;
  for (const reason of reasons) sum += reason.points;
  const score = Math.min(100, sum);
  const level = score >= o.highAt ? 'high' : score >= o.mediumAt ? 'medium' : 'low';
  return { score, level, reasons };
}
