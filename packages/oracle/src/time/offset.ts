// UTC offsets from `Intl.DateTimeFormat`, i.e. the IANA tz database that ships with the
// JavaScript runtime (ICU) and is updated with it: oracle carries no tz data of its own and
// stays dependency-free. Constructing a formatter costs tens of microseconds, so formatters
// are kept per zone; a format call costs microseconds.
import { OracleRangeError, OracleTypeError } from '../errors';
import { DAY_MS, daysFromCivil, mod } from './civil';

const SECOND_MS = 1000;
// Caches are keyed by zone names the runtime accepted; the caps bound adversarial input
// (Intl accepts every capitalisation of a name). Dropping entries only costs recomputation.
const CACHE_CAP = 2000;
const knownZones = new Set<string>();
const offsetFormatters = new Map<string, Intl.DateTimeFormat>();
const wallFormatters = new Map<string, Intl.DateTimeFormat>();
const LONG_OFFSET = /GMT(?:([+-])(\d{2}):(\d{2})(?::(\d{2}))?)?$/;

function cached(cache: Map<string, Intl.DateTimeFormat>, zone: string, options: Intl.DateTimeFormatOptions) {
  let f = cache.get(zone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', { ...options, timeZone: zone });
    if (cache.size >= CACHE_CAP) cache.clear();
    cache.set(zone, f);
  }
  return f;
}

/** Whether `zone` is an IANA time zone name the runtime knows (`UTC` included). */
export function isValidTimeZone(zone: string): boolean {
  if (typeof zone !== 'string' || zone.length === 0) return false;
  if (knownZones.has(zone)) return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
  } catch {
    return false;
  }
  if (knownZones.size >= CACHE_CAP) knownZones.clear();
  knownZones.add(zone);
  return true;
}

/** `zone` when it is a known IANA zone name; otherwise an oracle error naming `field`. */
export function checkTimeZone(field: string, zone: unknown): string {
  if (typeof zone !== 'string' || zone.length === 0) throw new OracleTypeError(field, 'expected an IANA time zone name');
  if (!isValidTimeZone(zone)) throw new OracleRangeError(field, `unknown time zone "${zone}"`);
  return zone;
}

/**
 * UTC offset (local − UTC, ms) of an already checked `zone` at instant `t`, straight from
 * Intl. The `longOffset` name ("GMT+05:30") is about four times cheaper to get than the
 * wall-clock parts; the parts are the fallback for engines that print it differently.
 */
export function intlOffset(zone: string, t: number): number {
  const text = cached(offsetFormatters, zone, { timeZoneName: 'longOffset' }).format(t);
  const m = LONG_OFFSET.exec(text);
  if (m !== null) {
    if (m[1] === undefined) return 0;
    const magnitude = ((Number(m[2]) * 60 + Number(m[3])) * 60 + Number(m[4] ?? 0)) * SECOND_MS;
    return m[1] === '-' ? -magnitude : magnitude;
  }
  return wallOffset(zone, t);
}

function wallOffset(zone: string, t: number): number {
  const formatter = cached(wallFormatters, zone, {
    hourCycle: 'h23',
    era: 'short',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
  let year = 1970;
  let month = 1;
  let day = 1;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let bc = false;
  for (const part of formatter.formatToParts(t)) {
    switch (part.type) {
      case 'year':
        year = Number(part.value);
        break;
      case 'month':
        month = Number(part.value);
        break;
      case 'day':
        day = Number(part.value);
        break;
      case 'hour':
        hour = Number(part.value) % 24;
        break;
      case 'minute':
        minute = Number(part.value);
        break;
      case 'second':
        second = Number(part.value);
        break;
      case 'era':
        bc = part.value === 'BC' || part.value === 'B';
        break;
      default:
        break;
    }
  }
  if (bc) year = 1 - year;
  const wall = daysFromCivil(year, month, day) * DAY_MS + ((hour * 60 + minute) * 60 + second) * SECOND_MS;
  return wall - (t - mod(t, SECOND_MS));
}

/**
 * Reads the UTC offsets of one zone. Callers that convert many instants in one zone keep a
 * reader, so the zone name is checked once.
 */
export interface ZoneOffsetReader {
  /** The zone read. */
  readonly zone: string;
  /** UTC offset (local − UTC) in milliseconds at `instantMs`. */
  offsetAt(instantMs: number): number;
}

/**
 * Creates a {@link ZoneOffsetReader} for `zone`.
 *
 * @throws {@link OracleRangeError} (a `RangeError`) for an unknown zone, naming the field `zone`.
 */
export function createZoneOffsetReader(zone: string): ZoneOffsetReader {
  const tz = checkTimeZone('zone', zone);
  return { zone: tz, offsetAt: (instantMs) => intlOffset(tz, instantMs) };
}

/** UTC offset (local − UTC) of `zone` at `instant`, in milliseconds. */
export function zoneOffsetMs(zone: string, instant: Date | number): number {
  return createZoneOffsetReader(zone).offsetAt(typeof instant === 'number' ? instant : instant.getTime());
}
