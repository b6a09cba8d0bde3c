// Wall-clock readings with the DST rule `findSlots` uses, for code that schedules around it.
import { OracleRangeError } from '../errors';
import { finiteNumber, instant, object, timeZone } from '../validate';
import { DAY_MS, daysFromCivil, daysInMonth, fromWallMsUnchecked, type LocalDateTime } from './civil';
import { intlOffset } from './offset';
import { buildZoneTimeline, wallToInstant } from './timeline';

/** A wall-clock reading of an instant in a zone, with the weekday and UTC offset. */
export interface ZonedReading {
  /** Full year. */
  readonly year: number;
  /** Month 1–12. */
  readonly month: number;
  /** Day of month. */
  readonly day: number;
  /** Hour 0–23. */
  readonly hour: number;
  /** Minute. */
  readonly minute: number;
  /** Second. */
  readonly second: number;
  /** Day of week, 0 = Sunday. */
  readonly weekday: number;
  /** Offset from UTC in minutes (local − UTC), e.g. −300 for New York in winter. */
  readonly offsetMinutes: number;
}

const TWO_DAYS_MS = 2 * DAY_MS;

function intIn(field: string, value: unknown, min: number, max: number): number {
  return finiteNumber(field, value, { min, max, integer: true });
}

/**
 * The instant a wall clock in `zone` shows `local`, using the runtime's IANA database (Intl).
 * DST rule (the same as `findSlots`): a time skipped by a spring-forward change maps to the
 * moment the clock jumps; a time repeated by a fall-back change maps to its first occurrence.
 */
export function zonedTimeToInstant(local: LocalDateTime, zone: string): Date {
  const o = object('local', local);
  const tz = timeZone('timeZone', zone);
  const year = intIn('local.year', o['year'], 1, 9999);
  const month = intIn('local.month', o['month'], 1, 12);
  const day = intIn('local.day', o['day'], 1, 31);
  const hour = intIn('local.hour', o['hour'] ?? 0, 0, 24);
  const minute = intIn('local.minute', o['minute'] ?? 0, 0, 59);
  const second = intIn('local.second', o['second'] ?? 0, 0, 59);
  const millisecond = intIn('local.millisecond', o['millisecond'] ?? 0, 0, 999);
  if (hour === 24 && (minute !== 0 || second !== 0 || millisecond !== 0)) {
    throw new OracleRangeError('local.hour', '24 is only allowed as 24:00:00');
  }
  if (day > daysInMonth(year, month)) throw new OracleRangeError('local.day', `${year}-${month} has no day ${day}`);
  const wall = daysFromCivil(year, month, day) * DAY_MS + ((hour * 60 + minute) * 60 + second) * 1000 + millisecond;
  return new Date(wallToInstant(buildZoneTimeline(tz, wall - TWO_DAYS_MS, wall + TWO_DAYS_MS), wall));
}

/** What a wall clock in `zone` shows at `at` (a Date or ISO string with an offset). */
export function instantToZonedTime(at: Date | string, zone: string): ZonedReading {
  const t = instant('at', at);
  const tz = timeZone('timeZone', zone);
  const offset = intlOffset(tz, t);
  const { year, month, day, hour, minute, second } = fromWallMsUnchecked(t + offset);
  const weekday = new Date(t + offset).getUTCDay();
  return { year, month, day, hour, minute, second, weekday, offsetMinutes: Math.round(offset / 60_000) };
}
