import { OracleRangeError, OracleTypeError } from '../errors';
import { finiteNumber, instant, object } from '../validate';
import { HOUR_ANGLE } from './circular-hours';
import { knownZoneClock, zoneClock } from './local-hour';

/**
 * A validated login: epoch ms, location (NaN when unknown) and local hour in its zone, with
 * the hour's unit vector precomputed since both scoring and recording need it. Mutable so the
 * stream path can parse into one scratch instance instead of allocating per event.
 */
export class ParsedLogin {
  t = 0;
  lat = Number.NaN;
  lon = Number.NaN;
  /** Local hour of day in [0, 24) in `zone`. */
  hour = 0;
  hourSin = 0;
  hourCos = 1;
  /** Upper-cased country code. */
  country: string | undefined = undefined;
  deviceId: string | undefined = undefined;
  zone = 'UTC';
}

// The stream path parses millions of events, so each check has a fast path for valid
// input and field names (string concatenations) are only built on the way to an error.

function optionalString(field: string, value: unknown): void {
  if (value !== undefined && typeof value !== 'string') {
    throw new OracleTypeError(field, `expected a string, got ${value === null ? 'null' : typeof value}`);
  }
}

function isBlank(s: string): boolean {
  return s.length === 0 || ((s.charCodeAt(0) <= 32 || s.charCodeAt(s.length - 1) <= 32) && s.trim().length === 0);
}

function nonEmpty(parent: string, key: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string' && !isBlank(value)) return value;
  optionalString(`${parent}.${key}`, value);
  throw new OracleRangeError(`${parent}.${key}`, 'must not be empty');
}

/** Upper-cased and trimmed, without allocating for codes that already are. */
function countryCode(value: string): string {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 65 || c > 90) return value.trim().toUpperCase();
  }
  return value;
}

function coordinate(parent: string, key: 'lat' | 'lon', value: unknown, limit: number): number {
  if (typeof value === 'number' && value >= -limit && value <= limit) return value;
  return finiteNumber(`${parent}.${key}`, value, { min: -limit, max: limit });
}

/** Validates one {@link LoginEvent} into `out`; `defaultZone` applies when the event has no `timeZone`. */
export function parseLoginInto(out: ParsedLogin, field: string, value: unknown, defaultZone: string): ParsedLogin {
  const e = object(field, value);
  const at = e['at'];
  const ms = at instanceof Date ? at.getTime() : Number.NaN;
  const t = Number.isNaN(ms) ? instant(`${field}.at`, at) : ms;
  let lat = Number.NaN;
  let lon = Number.NaN;
  const rawLat = e['lat'];
  const rawLon = e['lon'];
  if (rawLat !== undefined || rawLon !== undefined) {
    if (rawLat === undefined) throw new OracleTypeError(`${field}.lat`, 'required when lon is given');
    if (rawLon === undefined) throw new OracleTypeError(`${field}.lon`, 'required when lat is given');
    lat = coordinate(field, 'lat', rawLat, 90);
    lon = coordinate(field, 'lon', rawLon, 180);
  }
  const country = nonEmpty(field, 'country', e['country']);
  const deviceId = nonEmpty(field, 'deviceId', e['deviceId']);
  const ip = e['ip'];
  if (ip !== undefined && typeof ip !== 'string') optionalString(`${field}.ip`, ip);
  const city = e['city'];
  if (city !== undefined && typeof city !== 'string') optionalString(`${field}.city`, city);
  const userAgent = e['userAgent'];
  if (userAgent !== undefined && typeof userAgent !== 'string') optionalString(`${field}.userAgent`, userAgent);
  const zone = e['timeZone'] === undefined ? defaultZone : e['timeZone'];
  const clock = knownZoneClock(zone) ?? zoneClock(`${field}.timeZone`, zone);
  const hour = clock.hourOf(t);
  out.t = t;
  out.lat = lat;
  out.lon = lon;
  out.hour = hour;
  out.hourSin = Math.sin(hour * HOUR_ANGLE);
  out.hourCos = Math.cos(hour * HOUR_ANGLE);
  out.country = country === undefined ? undefined : countryCode(country);
  out.deviceId = deviceId;
  out.zone = clock.zone;
  return out;
}

/** Validates a history array and returns it parsed and sorted by time (a stable sort of a copy). */
export function parseHistory(value: unknown, defaultZone: string): ParsedLogin[] {
  if (!Array.isArray(value)) throw new OracleTypeError('history', 'expected an array');
  const parsed = new Array<ParsedLogin>(value.length);
  let sorted = true;
  for (let i = 0; i < value.length; i++) {
    const p = parseLoginInto(new ParsedLogin(), `history[${i}]`, value[i], defaultZone);
    if (i > 0 && p.t < (parsed[i - 1] as ParsedLogin).t) sorted = false;
    parsed[i] = p;
  }
  return sorted ? parsed : parsed.sort((a, b) => a.t - b.t);
}
