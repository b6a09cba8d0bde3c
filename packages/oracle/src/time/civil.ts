// Proleptic Gregorian calendar arithmetic on "wall milliseconds": a local date-time read as if
// it were UTC. Pure integer maths, so no step ever touches the host's local zone.

import { checkInstantMs, checkLocalParts } from './guards';

/** Milliseconds per day. */
export const DAY_MS = 86_400_000;

/** A wall-clock date and time, with no zone attached. Months are 1–12. */
export interface LocalDateTime {
  /** Full year, e.g. 2026. */
  readonly year: number;
  /** Month 1–12. */
  readonly month: number;
  /** Day of month 1–31. */
  readonly day: number;
  /**
   * Hour 0–23. Default 0. {@link zonedTimeToInstant} also takes 24 with everything below it
   * 0, meaning the end of the day.
   */
  readonly hour?: number | undefined;
  /** Minute 0–59. Default 0. */
  readonly minute?: number | undefined;
  /** Second 0–59. Default 0. */
  readonly second?: number | undefined;
  /** Millisecond 0–999. Default 0. */
  readonly millisecond?: number | undefined;
}

/** Non-negative remainder. */
export function mod(a: number, m: number): number {
  const r = a % m;
  return r < 0 ? r + m : r;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** Days in `month` (1–12) of `year`. */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Whether the parts name a real calendar date and time (no 31 April, no hour 24). */
export function isValidLocalDateTime(local: LocalDateTime): boolean {
  if (typeof local !== 'object' || local === null) return false;
  const { year, month, day, hour = 0, minute = 0, second = 0, millisecond = 0 } = local;
  const ints = [year, month, day, hour, minute, second, millisecond];
  if (!ints.every(Number.isInteger)) return false;
  return (
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(year, month) &&
    hour >= 0 &&
    hour <= 23 &&
    minute >= 0 &&
    minute <= 59 &&
    second >= 0 &&
    second <= 59 &&
    millisecond >= 0 &&
    millisecond <= 999
  );
}

// The exported conversions check their argument (a hostile one is an OracleTypeError, not a
// TypeError); the `…Unchecked` forms are for callers inside oracle whose values are already
// valid, so hot loops do not pay for the checks twice.

/** {@link toWallMs} without the argument check (internal). */
export function toWallMsUnchecked(local: LocalDateTime): number {
  return Date.UTC(local.year, local.month - 1, local.day, local.hour ?? 0, local.minute ?? 0, local.second ?? 0, local.millisecond ?? 0);
}

/** The wall time as milliseconds, read as if it were UTC. */
export function toWallMs(local: LocalDateTime): number {
  return toWallMsUnchecked(checkLocalParts('local', local));
}

/** {@link fromWallMs} without the argument check (internal). */
export function fromWallMsUnchecked(wallMs: number): { [K in keyof LocalDateTime]-?: Exclude<LocalDateTime[K], undefined> } {
  const d = new Date(wallMs);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    millisecond: d.getUTCMilliseconds(),
  };
}

/** The wall time of wall milliseconds (inverse of {@link toWallMs}). */
export function fromWallMs(wallMs: number): { [K in keyof LocalDateTime]-?: Exclude<LocalDateTime[K], undefined> } {
  return fromWallMsUnchecked(checkInstantMs('wallMs', wallMs));
}

/**
 * The wall-time parts captured by a date-time pattern whose groups 1–7 are year, month, day,
 * hour, minute, optional second and optional fraction (1–9 digits, truncated to ms).
 * Not validated: pass the result to {@link isValidLocalDateTime}.
 */
export function matchedLocalDateTime(m: RegExpExecArray): { [K in keyof LocalDateTime]-?: Exclude<LocalDateTime[K], undefined> } {
  return {
    year: Number(m[1]),
    month: Number(m[2]),
    day: Number(m[3]),
    hour: Number(m[4]),
    minute: Number(m[5]),
    second: Number(m[6] ?? 0),
    millisecond: Math.floor(Number(`0.${m[7] ?? '0'}`) * 1000),
  };
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** {@link formatDate} without the argument check (internal). */
export function formatDateUnchecked(local: LocalDateTime): string {
  return `${pad(local.year, 4)}-${pad(local.month)}-${pad(local.day)}`;
}

/** `YYYY-MM-DD` of a wall time. */
export function formatDate(local: LocalDateTime): string {
  return formatDateUnchecked(checkLocalParts('local', local));
}

/** {@link formatLocalDateTime} without the argument check (internal). */
export function formatLocalDateTimeUnchecked(local: LocalDateTime): string {
  const ms = local.millisecond ?? 0;
  const time = `${pad(local.hour ?? 0)}:${pad(local.minute ?? 0)}:${pad(local.second ?? 0)}${ms ? `.${pad(ms, 3)}` : ''}`;
  return `${formatDateUnchecked(local)}T${time}`;
}

/** `YYYY-MM-DDTHH:mm:ss` (plus `.sss` when non-zero) of a wall time. */
export function formatLocalDateTime(local: LocalDateTime): string {
  return formatLocalDateTimeUnchecked(checkLocalParts('local', local));
}
