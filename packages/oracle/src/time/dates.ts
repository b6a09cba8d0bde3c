import { OracleRangeError, OracleTypeError } from '../errors';
import { checkZoneArgument, describeValue } from './guards';
import { finiteNumber } from '../validate';
import { DAY_MS, daysInMonth, formatDateUnchecked, fromWallMsUnchecked } from './civil';
import { localToInstant } from './local';
import type { ZoneOffsetReader } from './offset';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether `text` is a real calendar date written `YYYY-MM-DD`. */
export function isIsoDate(text: string): boolean {
  if (typeof text !== 'string') return false;
  const m = ISO_DATE.exec(text);
  if (m === null) return false;
  const month = Number(m[2]);
  const day = Number(m[3]);
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(Number(m[1]), month);
}

function parseDate(field: string, text: string): { year: number; month: number; day: number } {
  if (typeof text !== 'string' || !isIsoDate(text)) {
    throw typeof text === 'string'
      ? new OracleRangeError(field, `not a calendar date (YYYY-MM-DD): ${text}`)
      : new OracleTypeError(field, `expected a calendar date (YYYY-MM-DD), got ${describeValue(text)}`);
  }
  const [year, month, day] = text.split('-').map(Number) as [number, number, number];
  return { year, month, day };
}

/** `date` moved by `days` calendar days (`YYYY-MM-DD` in and out). */
export function addDays(date: string, days: number): string {
  const { year, month, day } = parseDate('date', date);
  const shift = finiteNumber('days', days, { integer: true });
  return formatDateUnchecked(fromWallMsUnchecked(Date.UTC(year, month - 1, day) + shift * DAY_MS));
}

function startOfDay(field: string, date: string, zone: string | ZoneOffsetReader): Date {
  return localToInstant(parseDate(field, date), checkZoneArgument('zone', zone), 'compatible');
}

/**
 * The instant a calendar day starts in a zone: local midnight, or the first instant after it
 * where a DST change skips midnight (as in America/Santiago).
 */
export function startOfDayInZone(date: string, zone: string | ZoneOffsetReader): Date {
  return startOfDay('date', date, zone);
}

/**
 * The instants an all-day event covers in a zone: from the start of `startDate` to the start of
 * `endDate` (exclusive, as in iCalendar and every provider). Days are 23 or 25 hours long on
 * DST changes, so this is never `startDate + n × 24 h`.
 */
export function allDayToRange(
  startDate: string,
  endDate: string,
  zone: string | ZoneOffsetReader,
): {
  /** The first instant of `startDate` in the zone. */
  start: Date;
  /** The first instant of `endDate` in the zone (exclusive). */
  end: Date;
} {
  return { start: startOfDay('startDate', startDate, zone), end: startOfDay('endDate', endDate, zone) };
}
