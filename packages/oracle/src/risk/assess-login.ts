import { circularSpreadHours, formatHour, HOUR_ANGLE, hourDistance, meanHour } from './circular-hours';
import { haversineKm } from './geo';
import { ParsedLogin, parseHistory, parseLoginInto } from './login-event';
import { resolveLoginRiskOptions } from './login-options';
import {
  checkOrder,
  COS_SUM,
  LAST_LAT,
  LAST_LON,
  LOCATED_AT,
  type LoginProfile,
  type LoginProfileState,
  profileState,
  RING,
  SIN_SUM,
  stateFrom,
} from './login-profile';
import type { LoginAssessment, LoginEvent, LoginRiskOptions, LoginRiskReason } from './login-types';

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;

function travelReason(state: LoginProfileState, e: ParsedLogin): LoginRiskReason | undefined {
  const o = state.options;
  const num = state.num;
  const since = num[LOCATED_AT] as number;
  if (Number.isNaN(e.lat) || Number.isNaN(since)) return undefined;
  const lat = num[LAST_LAT] as number;
  const lon = num[LAST_LON] as number;
  if (lat === e.lat && lon === e.lon) return undefined;
  const km = haversineKm(lat, lon, e.lat, e.lon);
  // Each fix may be off by the geolocation error, so only the distance beyond it has to be
  // travelled: short hops (and any hop given enough time) never fire.
  const excess = km - o.geoToleranceKm;
  if (excess <= 0) return undefined;
  const hours = (e.t - since) / HOUR_MS;
  const speed = hours > 0 ? excess / hours : Number.POSITIVE_INFINITY;
  if (speed <= o.maxSpeedKmh) return undefined;
  return {
    code: 'impossible_travel',
    points: o.weights.impossible_travel,
    detail:
      `${km.toFixed(0)} km from the previous located login in ${(hours * 60).toFixed(0)} min: ` +
      `${Number.isFinite(speed) ? speed.toFixed(0) : 'infinite'} km/h beyond the ${o.geoToleranceKm} km ` +
      `geolocation error, above ${o.maxSpeedKmh} km/h`,
  };
}

function hourReason(state: LoginProfileState, e: ParsedLogin): LoginRiskReason | undefined {
  const o = state.options;
  const n = state.loginCount;
  if (n < o.unusualHourMinHistory) return undefined;
  const sin = state.num[SIN_SUM] as number;
  const cos = state.num[COS_SUM] as number;
  const length = Math.sqrt(sin * sin + cos * cos);
  const spread = circularSpreadHours(Math.min(1, length / n));
  const limit = Math.max(o.unusualHourMinDistanceHours, o.unusualHourDeviations * spread);
  if (limit >= 12) return undefined;
  // The angle to the mean direction via a dot product with the resultant vector: no atan2 on
  // the hot path, only for the detail of a reason that fires.
  if (!(e.hourCos * cos + e.hourSin * sin < length * Math.cos(limit * HOUR_ANGLE))) return undefined;
  const mean = meanHour(sin, cos);
  return {
    code: 'unusual_hour',
    points: o.weights.unusual_hour,
    detail:
      `login at ${formatHour(e.hour)} ${e.zone} is ${hourDistance(e.hour, mean).toFixed(1)} h from the usual ` +
      `${formatHour(mean)} (spread ±${spread.toFixed(1)} h over ${n} logins; limit ${limit.toFixed(1)} h)`,
  };
}

function burstReason(state: LoginProfileState, e: ParsedLogin): LoginRiskReason | undefined {
  const o = state.options;
  // The ring holds the latest burstCount - 1 instants in time order, so the window holds
  // burstCount logins (this one included) exactly when it holds the oldest of them.
  if (state.ringFill < o.burstCount - 1) return undefined;
  const oldest = state.num[RING + state.ringHead] as number;
  if (e.t - oldest > o.burstWindowMinutes * MINUTE_MS) return undefined;
  return {
    code: 'burst',
    points: o.weights.burst,
    detail: `${o.burstCount} logins within ${o.burstWindowMinutes} min`,
  };
}

// Most logins raise nothing; they share one frozen empty list instead of allocating their own.
const NO_REASONS: readonly LoginRiskReason[] = Object.freeze([]);

function append(list: LoginRiskReason[] | undefined, reason: LoginRiskReason | undefined): LoginRiskReason[] | undefined {
  if (reason === undefined) return list;
  if (list === undefined) return [reason];
  list.push(reason);
  return list;
}

/** Scores a parsed login against the state; reads the state only. */
function assessParsed(state: LoginProfileState, e: ParsedLogin): LoginAssessment {
  const o = state.options;
  let reasons: LoginRiskReason[] | undefined;
  if (state.loginCount === 0) {
    reasons = [{ code: 'first_login', points: o.weights.first_login, detail: 'first recorded login: nothing to compare with' }];
  } else {
    const countries = state.countries;
    if (e.country !== undefined && e.country !== state.lastCountry && countries.size > 0 && !countries.has(e.country)) {
      reasons = append(reasons, {
        code: 'new_country',
        points: o.weights.new_country,
        detail: `country ${e.country} not seen in ${countries.size} earlier ${countries.size === 1 ? 'country' : 'countries'}`,
      });
    }
    const devices = state.devices;
    if (e.deviceId !== undefined && e.deviceId !== state.lastDevice && devices.size > 0 && !devices.has(e.deviceId)) {
      reasons = append(reasons, {
        code: 'new_device',
        points: o.weights.new_device,
        detail: `device ${e.deviceId} not among ${devices.size} known ${devices.size === 1 ? 'device' : 'devices'}`,
      });
    }
    reasons = append(reasons, travelReason(state, e));
    reasons = append(reasons, hourReason(state, e));
    reasons = append(reasons, burstReason(state, e));
  }
  if (reasons === undefined) return { score: 0, anomalous: 0 >= o.threshold, reasons: NO_REASONS };
  let sum = 0;
  for (const reason of reasons) sum += reason.points;
  const score = Math.min(100, sum);
  return { score, anomalous: score >= o.threshold, reasons };
}

// The stream path parses into this one instance: scoring is synchronous and never re-entered.
const scratch = new ParsedLogin();

/**
 * `assessLoginWithProfile`: scores `event` against a profile from {@link createLoginProfile}
 * without recording it. Throws if `event` is earlier than the profile's latest login.
 */
export function assessLoginWithProfile(profile: LoginProfile, event: LoginEvent): LoginAssessment {
  const state = profileState(profile);
  const e = parseLoginInto(scratch, 'event', event, state.options.timeZone);
  checkOrder(state, e);
  return assessParsed(state, e);
}

/**
 * `updateLoginProfile`: records `event` in the profile, **mutating the profile** (never the
 * event). Logins must arrive in time order per user; an earlier one throws.
 */
export function updateLoginProfile(profile: LoginProfile, event: LoginEvent): void {
  const state = profileState(profile);
  const e = parseLoginInto(scratch, 'event', event, state.options.timeZone);
  checkOrder(state, e);
  state.record(e);
}

/**
 * `assessAndRecordLogin`: the stream path — scores `event` against everything recorded so
 * far, then records it in the profile (mutated in place), in O(1) and with one validation.
 * Keep one profile per user and feed each user's logins in time order; logins with the same
 * instant as the latest recorded one count as simultaneous (any hop beyond the geolocation
 * error is then impossible travel).
 */
export function assessAndRecordLogin(profile: LoginProfile, event: LoginEvent): LoginAssessment {
  const state = profileState(profile);
  const e = parseLoginInto(scratch, 'event', event, state.options.timeZone);
  checkOrder(state, e);
  const result = assessParsed(state, e);
  state.record(e);
  return result;
}

/**
 * `assessLogin`: risk of one login given the user's earlier logins. History may be in any
 * order; entries at or after `event.at` are ignored (no look-ahead); inputs are not modified.
 * It rebuilds the profile on every call, O(history); to score a stream, keep a profile per
 * user with {@link createLoginProfile} and call {@link assessAndRecordLogin} instead.
 *
 * Reasons and default points (`options.weights`), score `min(100, sum)`, anomalous at
 * `score >= threshold` (default 50):
 * - `first_login` (10): the history is empty; no other reason can then fire.
 * - `new_country` (30) / `new_device` (20): the event's country / device id was never seen,
 *   once the history has at least one country / device (users without that data are not flagged).
 * - `impossible_travel` (60): from the latest located earlier login, the great-circle
 *   (haversine) distance minus `geoToleranceKm` (default 100 km of IP-geolocation error), over
 *   the elapsed time, exceeds `maxSpeedKmh` (default 1000). Hops within the tolerance never fire.
 * - `unusual_hour` (15): with at least `unusualHourMinHistory` (10) earlier logins, the event's
 *   local hour is further from the circular mean of their local hours than
 *   `max(unusualHourMinDistanceHours, unusualHourDeviations × circular SD)` (3 h, 2 SD). Each
 *   login's hour is read in its own `timeZone` ?? `options.timeZone` ?? UTC, so DST changes
 *   do not shift a user's habits, and hours spread round the clock (R̄ → 0) are never unusual.
 * - `burst` (35): `burstCount` (5) logins, this one included, within `burstWindowMinutes` (10).
 */
export function assessLogin(history: readonly LoginEvent[], event: LoginEvent, options?: LoginRiskOptions): LoginAssessment {
  const resolved = resolveLoginRiskOptions(options);
  const e = parseLoginInto(new ParsedLogin(), 'event', event, resolved.timeZone);
  const earlier = parseHistory(history, resolved.timeZone).filter((h) => h.t < e.t);
  return assessParsed(stateFrom(resolved, earlier), e);
}
