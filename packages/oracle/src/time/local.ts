import { OracleRangeError, OracleTypeError } from '../errors';
import { checkInstantMs, checkZoneArgument, describeValue } from './guards';
import { object, oneOf } from '../validate';
import {
  DAY_MS,
  formatDateUnchecked,
  formatLocalDateTime,
  formatLocalDateTimeUnchecked,
  fromWallMsUnchecked,
  isValidLocalDateTime,
  type LocalDateTime,
  matchedLocalDateTime,
  toWallMsUnchecked,
} from './civil';
import { createZoneOffsetReader, type ZoneOffsetReader } from './offset';

/**
 * How to read a wall time that a DST change makes ambiguous (autumn, it happens twice) or
 * skips (spring, it never happens). `compatible` is RFC 5545 §3.3.5 and `Temporal`'s default:
 * the earlier of two, and a skipped time is shifted forward by the gap (02:30 on the US spring
 * change becomes 03:30 EDT). `reject` throws {@link OracleRangeError} for both.
 */
export type Disambiguation = 'compatible' | 'earlier' | 'later' | 'reject';

const DISAMBIGUATIONS: readonly Disambiguation[] = ['compatible', 'earlier', 'later', 'reject'];

function reader(zone: string | ZoneOffsetReader): ZoneOffsetReader {
  const checked = checkZoneArgument('zone', zone);
  return typeof checked === 'string' ? createZoneOffsetReader(checked) : checked;
}

/**
 * The instant a wall-clock time in an IANA zone stands for, with the zone's DST rules.
 *
 * @throws {@link OracleRangeError} (a `RangeError`) for an impossible date (30 February), an
 * unknown zone, or with `reject` an ambiguous or skipped time.
 */
export function localToInstant(
  local: LocalDateTime,
  zone: string | ZoneOffsetReader,
  disambiguation: Disambiguation = 'compatible',
): Date {
  object('local', local);
  if (!isValidLocalDateTime(local)) throw new OracleRangeError('local', `not a valid date-time: ${formatLocalDateTime(local)}`);
  return checkedLocalToInstant('local', local, zone, disambiguation);
}

function checkedLocalToInstant(
  field: string,
  local: LocalDateTime,
  zone: string | ZoneOffsetReader,
  disambiguation: Disambiguation,
): Date {
  const offsets = reader(zone);
  return new Date(resolveWall(toWallMsUnchecked(local), offsets, oneOf('disambiguation', disambiguation, DISAMBIGUATIONS), field));
}

/**
 * {@link localToInstant} on wall milliseconds (the wall time read as if UTC), for loops that
 * convert many times in one zone: nothing is validated.
 */
export function wallMsToInstantMs(
  wallMs: number,
  zone: ZoneOffsetReader,
  disambiguation: Disambiguation = 'compatible',
): number {
  // Hot loops call this: type checks only on the fast path, full checks when one fails.
  if (typeof wallMs !== 'number' || typeof (zone as { offsetAt?: unknown } | null)?.offsetAt !== 'function' || typeof disambiguation !== 'string') {
    return resolveWall(checkInstantMs('wallMs', wallMs), reader(zone), oneOf('disambiguation', disambiguation, DISAMBIGUATIONS), 'wallMs');
  }
  return resolveWall(wallMs, zone, disambiguation, 'wallMs');
}

function resolveWall(wallMs: number, zone: ZoneOffsetReader, disambiguation: Disambiguation, field: string): number {
  // No zone changes offset twice within a day, so the offsets a day either side are the two
  // candidates (as in the Temporal polyfill); a candidate is real if the zone agrees with it.
  const before = zone.offsetAt(wallMs - DAY_MS);
  const after = zone.offsetAt(wallMs + DAY_MS);
  const candidates = [...new Set([before, after])]
    .map((offset) => wallMs - offset)
    .filter((instant) => instant + zone.offsetAt(instant) === wallMs)
    .sort((a, b) => a - b);
  const first = candidates[0];
  const last = candidates[candidates.length - 1];
  if (first !== undefined && last !== undefined) {
    if (candidates.length > 1 && disambiguation === 'reject') {
      throw new OracleRangeError(field, `${formatLocalDateTimeUnchecked(fromWallMsUnchecked(wallMs))} happens twice in ${zone.zone}`);
    }
    return disambiguation === 'later' ? last : first;
  }
  // Skipped by a spring-forward gap.
  if (disambiguation === 'reject') {
    throw new OracleRangeError(field, `${formatLocalDateTimeUnchecked(fromWallMsUnchecked(wallMs))} does not exist in ${zone.zone}`);
  }
  return disambiguation === 'earlier' ? wallMs - after : wallMs - before;
}

/** The wall-clock time an instant shows in an IANA zone. */
export function instantToLocal(instant: Date | number, zone: string | ZoneOffsetReader): { [K in keyof LocalDateTime]-?: Exclude<LocalDateTime[K], undefined> } {
  const ms = checkInstantMs('instant', instant);
  return fromWallMsUnchecked(ms + reader(zone).offsetAt(ms));
}

/** The calendar date (`YYYY-MM-DD`) an instant falls on in an IANA zone. */
export function dateInZone(instant: Date | number, zone: string | ZoneOffsetReader): string {
  return formatDateUnchecked(instantToLocal(instant, zone));
}

const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?$/;

/** Parses `YYYY-MM-DDTHH:mm[:ss[.fff]]` (no offset) into wall-clock parts; `undefined` if malformed. */
export function parseLocalDateTime(text: string): { [K in keyof LocalDateTime]-?: Exclude<LocalDateTime[K], undefined> } | undefined {
  if (typeof text !== 'string') return undefined;
  const m = LOCAL_DATE_TIME.exec(text);
  if (m === null) return undefined;
  const local = matchedLocalDateTime(m);
  return isValidLocalDateTime(local) ? local : undefined;
}

/**
 * Reads a zone-less local date-time (`2026-03-08T02:30:00`, as Microsoft Graph and ICS `TZID`
 * values carry them) in an explicit IANA zone, never in the host's zone.
 *
 * @throws {@link OracleRangeError} (a `RangeError`) when the text is malformed or the zone
 * unknown (or per `disambiguation`).
 */
export function zonedLocalToInstant(
  text: string,
  zone: string | ZoneOffsetReader,
  disambiguation: Disambiguation = 'compatible',
): Date {
  const local = parseLocalDateTime(text);
  if (local === undefined) {
    throw typeof text === 'string'
      ? new OracleRangeError('text', `not a local date-time (YYYY-MM-DDTHH:mm:ss): ${text}`)
      : new OracleTypeError('text', `expected a local date-time string, got ${describeValue(text)}`);
  }
  return checkedLocalToInstant('text', local, zone, disambiguation);
}
