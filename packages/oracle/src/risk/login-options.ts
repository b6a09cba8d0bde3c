import { OracleRangeError, OracleTypeError } from '../errors';
import { finiteNumber, object } from '../validate';
import { zoneClock } from './local-hour';
import { LOGIN_REASON_CODES, type LoginReasonCode, type LoginRiskOptions, type ResolvedLoginRiskOptions } from './login-types';

/**
 * Defaults of {@link assessLogin}. Weights are set so that one strong signal (impossible
 * travel, 60) or two medium ones (new country 30 + new device 20) reach the threshold of 50,
 * while a lone weak one (unusual hour 15, first login 10, burst 35) does not.
 */
export const DEFAULT_LOGIN_RISK_OPTIONS: ResolvedLoginRiskOptions = Object.freeze({
  timeZone: 'UTC',
  weights: Object.freeze({
    first_login: 10,
    new_country: 30,
    new_device: 20,
    impossible_travel: 60,
    unusual_hour: 15,
    burst: 35,
  }),
  threshold: 50,
  maxSpeedKmh: 1000,
  geoToleranceKm: 100,
  burstCount: 5,
  burstWindowMinutes: 10,
  unusualHourMinHistory: 10,
  unusualHourDeviations: 2,
  unusualHourMinDistanceHours: 3,
});

function positive(field: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  const n = finiteNumber(field, value, { min: 0 });
  if (n === 0) throw new OracleRangeError(field, 'must be > 0, got 0');
  return n;
}

function bounded(field: string, value: unknown, fallback: number, bounds: { min: number; max?: number | undefined; integer?: boolean | undefined }) {
  return value === undefined ? fallback : finiteNumber(field, value, bounds);
}

/** Validates options once (per profile, not per event) and fills in defaults. */
export function resolveLoginRiskOptions(value: unknown): ResolvedLoginRiskOptions {
  if (value === undefined) return DEFAULT_LOGIN_RISK_OPTIONS;
  const o = object('options', value) as LoginRiskOptions;
  const d = DEFAULT_LOGIN_RISK_OPTIONS;
  const weights: Record<LoginReasonCode, number> = { ...d.weights };
  if (o.weights !== undefined) {
    const w = object('options.weights', o.weights);
    for (const key of Object.keys(w)) {
      if (!(LOGIN_REASON_CODES as readonly string[]).includes(key)) {
        throw new OracleTypeError(`options.weights.${key}`, `unknown reason code; expected one of ${LOGIN_REASON_CODES.join(', ')}`);
      }
      const points = w[key];
      if (points !== undefined) {
        weights[key as LoginReasonCode] = finiteNumber(`options.weights.${key}`, points, { min: 0, max: 100 });
      }
    }
  }
  return Object.freeze({
    timeZone: o.timeZone === undefined ? d.timeZone : zoneClock('options.timeZone', o.timeZone).zone,
    weights: Object.freeze(weights),
    threshold: bounded('options.threshold', o.threshold, d.threshold, { min: 0, max: 100 }),
    maxSpeedKmh: positive('options.maxSpeedKmh', o.maxSpeedKmh, d.maxSpeedKmh),
    geoToleranceKm: bounded('options.geoToleranceKm', o.geoToleranceKm, d.geoToleranceKm, { min: 0 }),
    burstCount: bounded('options.burstCount', o.burstCount, d.burstCount, { min: 2, max: 1000, integer: true }),
    burstWindowMinutes: positive('options.burstWindowMinutes', o.burstWindowMinutes, d.burstWindowMinutes),
    unusualHourMinHistory: bounded('options.unusualHourMinHistory', o.unusualHourMinHistory, d.unusualHourMinHistory, {
      min: 2,
      integer: true,
    }),
    unusualHourDeviations: positive('options.unusualHourDeviations', o.unusualHourDeviations, d.unusualHourDeviations),
    unusualHourMinDistanceHours: bounded(
      'options.unusualHourMinDistanceHours',
      o.unusualHourMinDistanceHours,
      d.unusualHourMinDistanceHours,
      { min: 0, max: 12 },
    ),
  });
}
