/** One sign-in as reported by the identity layer. Optional fields may be left out or `undefined`. */
export interface LoginEvent {
  /** When the login happened: a Date or an ISO-8601 string with `Z` or an offset. */
  readonly at: Date | string;
  /** Client IP; carried for the caller, not scored (geolocate it into `lat`/`lon`/`country`). */
  readonly ip?: string | undefined;
  /** Country code (e.g. ISO 3166 alpha-2); compared case-insensitively. */
  readonly country?: string | undefined;
  /** City; carried for the caller, not scored. */
  readonly city?: string | undefined;
  /** Latitude in degrees, [-90, 90]; must come with `lon`. */
  readonly lat?: number | undefined;
  /** Longitude in degrees, [-180, 180]; must come with `lat`. */
  readonly lon?: number | undefined;
  /** Stable device identifier (cookie, passkey id, …). */
  readonly deviceId?: string | undefined;
  /** User agent; carried for the caller, not scored (it changes with every browser update). */
  readonly userAgent?: string | undefined;
  /** IANA zone the user was in; overrides `options.timeZone` for this event's local hour. */
  readonly timeZone?: string | undefined;
}

/** Reason codes of {@link assessLogin}, in the order reasons are listed. */
export const LOGIN_REASON_CODES = [
  'first_login',
  'new_country',
  'new_device',
  'impossible_travel',
  'unusual_hour',
  'burst',
] as const;

/** One of {@link LOGIN_REASON_CODES}. */
export type LoginReasonCode = (typeof LOGIN_REASON_CODES)[number];

/** Why a login scored points: the code, its weight and a human-readable explanation. */
export interface LoginRiskReason {
  /** Stable machine code. */
  readonly code: LoginReasonCode;
  /** Points this reason added to the score (its weight). */
  readonly points: number;
  /** English explanation with the measured values, for logs and admin UIs. */
  readonly detail: string;
}

/** Result of {@link assessLogin}. */
export interface LoginAssessment {
  /** `min(100, sum of reason points)`. */
  readonly score: number;
  /** `score >= threshold`. */
  readonly anomalous: boolean;
  /** Every reason that fired, in {@link LOGIN_REASON_CODES} order. */
  readonly reasons: readonly LoginRiskReason[];
}

/** Tuning of login scoring; every field is optional, defaults in {@link DEFAULT_LOGIN_RISK_OPTIONS}. */
export interface LoginRiskOptions {
  /** Zone of events without their own `timeZone`. Default `'UTC'`. */
  readonly timeZone?: string | undefined;
  /** Points per reason, each in [0, 100]; unlisted codes keep their default. */
  readonly weights?: Partial<Record<LoginReasonCode, number>> | undefined;
  /** Score at or above which a login is anomalous, [0, 100]. Default 50. */
  readonly threshold?: number | undefined;
  /** Travel faster than this (km/h) is impossible. Default 1000 (airliner cruise plus margin). */
  readonly maxSpeedKmh?: number | undefined;
  /** IP-geolocation error (km): subtracted from every hop before computing the speed. Default 100. */
  readonly geoToleranceKm?: number | undefined;
  /** Logins within the window (the event included) that make a burst, integer in [2, 1000]. Default 5. */
  readonly burstCount?: number | undefined;
  /** Burst window in minutes, > 0. Default 10. */
  readonly burstWindowMinutes?: number | undefined;
  /** Earlier logins needed before hours are judged, integer ≥ 2. Default 10. */
  readonly unusualHourMinHistory?: number | undefined;
  /** Circular standard deviations from the mean hour that count as unusual, > 0. Default 2. */
  readonly unusualHourDeviations?: number | undefined;
  /** Floor on the unusual distance in hours, [0, 12], so clockwork users are not flagged for a late hour. Default 3. */
  readonly unusualHourMinDistanceHours?: number | undefined;
}

/** {@link LoginRiskOptions} with every default filled in. */
export interface ResolvedLoginRiskOptions {
  /** See {@link LoginRiskOptions.timeZone}. */
  readonly timeZone: string;
  /** See {@link LoginRiskOptions.weights}; complete. */
  readonly weights: Readonly<Record<LoginReasonCode, number>>;
  /** See {@link LoginRiskOptions.threshold}. */
  readonly threshold: number;
  /** See {@link LoginRiskOptions.maxSpeedKmh}. */
  readonly maxSpeedKmh: number;
  /** See {@link LoginRiskOptions.geoToleranceKm}. */
  readonly geoToleranceKm: number;
  /** See {@link LoginRiskOptions.burstCount}. */
  readonly burstCount: number;
  /** See {@link LoginRiskOptions.burstWindowMinutes}. */
  readonly burstWindowMinutes: number;
  /** See {@link LoginRiskOptions.unusualHourMinHistory}. */
  readonly unusualHourMinHistory: number;
  /** See {@link LoginRiskOptions.unusualHourDeviations}. */
  readonly unusualHourDeviations: number;
  /** See {@link LoginRiskOptions.unusualHourMinDistanceHours}. */
  readonly unusualHourMinDistanceHours: number;
}
