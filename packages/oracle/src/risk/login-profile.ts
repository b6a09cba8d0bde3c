import { OracleRangeError, OracleTypeError } from '../errors';
import { circularSpreadHours, meanHour, resultantLength } from './circular-hours';
import { type ParsedLogin, parseHistory } from './login-event';
import { resolveLoginRiskOptions } from './login-options';
import type { LoginEvent, LoginRiskOptions, ResolvedLoginRiskOptions } from './login-types';

/** Concentration of a user's local login hours (circular statistics). */
export interface LoginHourProfile {
  /** Logins counted. */
  readonly samples: number;
  /** Circular mean local hour in [0, 24); `undefined` with no logins. */
  readonly meanHour: number | undefined;
  /** Mean resultant length R̄ in [0, 1]: 1 when every login is at the same hour, near 0 when spread round the clock. */
  readonly concentration: number;
  /** Circular standard deviation in hours; `Infinity` when R̄ is 0. */
  readonly spreadHours: number;
}

/**
 * What {@link assessLoginWithProfile} knows about one user: a fixed-size summary of the
 * logins recorded so far plus the sets of countries and devices seen (so memory grows with
 * distinct devices, not with logins). Built by {@link createLoginProfile};
 * {@link updateLoginProfile} and {@link assessAndRecordLogin} mutate it in place, so keep one
 * per user and do not share it across users.
 */
export interface LoginProfile {
  /** Options the profile was created with, defaults filled in. */
  readonly options: ResolvedLoginRiskOptions;
  /** Logins recorded. */
  readonly loginCount: number;
  /** Epoch ms of the latest recorded login; `undefined` when none. */
  readonly lastLoginAt: number | undefined;
  /** Upper-cased country codes seen. */
  readonly countries: ReadonlySet<string>;
  /** Device ids seen. */
  readonly devices: ReadonlySet<string>;
  /** Local login hours so far. */
  readonly hours: LoginHourProfile;
}

// Numeric state lives in one Float64Array per profile: class fields holding doubles are boxed
// by V8, one heap object each, and a stream over thousands of users misses the cache on every
// box. Slot indices:
/** Epoch ms of the latest login. */
export const LAST_T = 0;
/** Epoch ms of the latest located login; NaN when none. */
export const LOCATED_AT = 1;
/** Its latitude. */
export const LAST_LAT = 2;
/** Its longitude. */
export const LAST_LON = 3;
/** Sum of the sines of the local-hour angles. */
export const SIN_SUM = 4;
/** Sum of their cosines. */
export const COS_SUM = 5;
/** First of `burstCount - 1` slots: a ring of the latest login instants. */
export const RING = 6;

/** Mutable state behind {@link LoginProfile}; internal to the risk module. */
export class LoginProfileState implements LoginProfile {
  loginCount = 0;
  /** Next ring slot to overwrite, in [0, burstCount - 1). */
  ringHead = 0;
  /** Ring slots in use. */
  ringFill = 0;
  readonly num: Float64Array;
  readonly countries = new Set<string>();
  readonly devices = new Set<string>();
  // Most logins repeat the previous one's country and device: comparing with these answers
  // "seen before?" without touching the sets' hash tables, a cache miss each in a big stream.
  lastCountry: string | undefined = undefined;
  lastDevice: string | undefined = undefined;

  constructor(readonly options: ResolvedLoginRiskOptions) {
    this.num = new Float64Array(RING + options.burstCount - 1);
    this.num[LAST_T] = Number.NEGATIVE_INFINITY;
    this.num[LOCATED_AT] = Number.NaN;
  }

  get lastLoginAt(): number | undefined {
    return this.loginCount === 0 ? undefined : this.num[LAST_T];
  }

  get hours(): LoginHourProfile {
    const sin = this.num[SIN_SUM] as number;
    const cos = this.num[COS_SUM] as number;
    const r = resultantLength(sin, cos, this.loginCount);
    return {
      samples: this.loginCount,
      meanHour: this.loginCount === 0 ? undefined : meanHour(sin, cos),
      concentration: r,
      spreadHours: circularSpreadHours(r),
    };
  }

  /** Adds a login known to be no earlier than the latest. */
  record(e: ParsedLogin): void {
    const num = this.num;
    this.loginCount++;
    num[LAST_T] = e.t;
    if (!Number.isNaN(e.lat)) {
      num[LOCATED_AT] = e.t;
      num[LAST_LAT] = e.lat;
      num[LAST_LON] = e.lon;
    }
    if (e.country !== undefined && e.country !== this.lastCountry) {
      this.countries.add(e.country);
      this.lastCountry = e.country;
    }
    if (e.deviceId !== undefined && e.deviceId !== this.lastDevice) {
      this.devices.add(e.deviceId);
      this.lastDevice = e.deviceId;
    }
    const size = num.length - RING;
    if (size > 0) {
      num[RING + this.ringHead] = e.t;
      this.ringHead = this.ringHead + 1 === size ? 0 : this.ringHead + 1;
      if (this.ringFill < size) this.ringFill++;
    }
    num[SIN_SUM] = (num[SIN_SUM] as number) + e.hourSin;
    num[COS_SUM] = (num[COS_SUM] as number) + e.hourCos;
  }
}

/** The state behind a profile argument, refusing anything not made by {@link createLoginProfile}. */
export function profileState(value: unknown): LoginProfileState {
  if (!(value instanceof LoginProfileState)) throw new OracleTypeError('profile', 'expected a profile from createLoginProfile');
  return value;
}

/** Refuses a login earlier than the profile's latest: a summary cannot take back what it has seen. */
export function checkOrder(state: LoginProfileState, e: ParsedLogin): void {
  if (e.t < (state.num[LAST_T] as number)) {
    throw new OracleRangeError(
      'event.at',
      `precedes the profile's latest login (${new Date(state.num[LAST_T] as number).toISOString()}); feed each user's logins in time order`,
    );
  }
}

/** Builds the state from already parsed, time-ordered logins. */
export function stateFrom(options: ResolvedLoginRiskOptions, logins: readonly ParsedLogin[]): LoginProfileState {
  const state = new LoginProfileState(options);
  for (const login of logins) state.record(login);
  return state;
}

/**
 * `createLoginProfile`: summarises a user's past logins (any order; inputs are not modified)
 * for scoring a stream in O(1) per event with {@link assessAndRecordLogin}. `options` are
 * validated here once and kept with the profile.
 */
export function createLoginProfile(history: readonly LoginEvent[] = [], options?: LoginRiskOptions): LoginProfile {
  const resolved = resolveLoginRiskOptions(options);
  return stateFrom(resolved, parseHistory(history, resolved.timeZone));
}
