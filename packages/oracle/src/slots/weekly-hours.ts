import { OracleRangeError, OracleTypeError } from '../errors';
import { array, finiteNumber, object } from '../validate';
import { pushMerged } from './spans';
import { DAY_MS, mod } from '../time/civil';
import { offsetAt, type ZoneTimeline, wallToInstant } from '../time/timeline';

const MINUTE_MS = 60_000;

/** Weekly windows grouped by local weekday (index 0 = Sunday), each day's windows sorted by start. */
export type WeeklySchedule = ReadonlyArray<ReadonlyArray<readonly [startMinute: number, endMinute: number]>>;

// Minutes since midnight of a well-formed 'HH:mm' ('24:00' only as an end), else -1.
// Hand-rolled instead of a regex: it runs for every window of every participant.
function quickMinutes(value: unknown, allowEndOfDay: boolean): number {
  if (typeof value !== 'string' || value.length !== 5 || value.charCodeAt(2) !== 58 /* : */) return -1;
  const h1 = value.charCodeAt(0) - 48;
  const h2 = value.charCodeAt(1) - 48;
  const m1 = value.charCodeAt(3) - 48;
  const m2 = value.charCodeAt(4) - 48;
  if (h1 < 0 || h1 > 9 || h2 < 0 || h2 > 9 || m1 < 0 || m1 > 5 || m2 < 0 || m2 > 9) return -1;
  const minutes = (h1 * 10 + h2) * 60 + m1 * 10 + m2;
  if (minutes < 1440 || (allowEndOfDay && minutes === 1440)) return minutes;
  return -1;
}

function minutesOf(field: string, value: unknown, allowEndOfDay: boolean): number {
  if (typeof value !== 'string') throw new OracleTypeError(field, `expected an 'HH:mm' string, got ${typeof value}`);
  const minutes = quickMinutes(value, allowEndOfDay);
  if (minutes < 0) {
    const allowed = allowEndOfDay ? "'00:00'..'24:00'" : "'00:00'..'23:59'";
    throw new OracleRangeError(field, `expected 'HH:mm' in ${allowed}, got "${value}"`);
  }
  return minutes;
}

// Full validation with field paths; only reached when the quick path finds a problem.
function windowOrThrow(field: string, item: unknown): [day: number, start: number, end: number] {
  const w = object(field, item);
  const day = finiteNumber(`${field}.day`, w['day'], { integer: true, min: 0, max: 6 });
  const start = minutesOf(`${field}.start`, w['start'], false);
  const end = minutesOf(`${field}.end`, w['end'], true);
  if (end <= start) {
    throw new OracleRangeError(
      `${field}.end`,
      'must be after start (split overnight windows at midnight: 22:00–24:00 and 00:00–06:00 next day)',
    );
  }
  return [day, start, end];
}

/**
 * Validates a `WeeklyWindow[]` field. Returns `undefined` when it is omitted or empty, which
 * callers read as "no constraint".
 */
export function parseWeeklySchedule(field: string, value: unknown): WeeklySchedule | undefined {
  if (value === undefined) return undefined;
  const windows = array(field, value);
  if (windows.length === 0) return undefined;
  const byDay: Array<Array<[number, number]>> = [[], [], [], [], [], [], []];
  for (let i = 0; i < windows.length; i++) {
    const w = windows[i] as { day?: unknown; start?: unknown; end?: unknown } | null;
    let day = -1;
    let start = -1;
    let end = -1;
    if (typeof w === 'object' && w !== null) {
      day = typeof w.day === 'number' && Number.isInteger(w.day) && w.day >= 0 && w.day <= 6 ? w.day : -1;
      start = quickMinutes(w.start, false);
      end = quickMinutes(w.end, true);
    }
    if (day < 0 || start < 0 || end <= start) [day, start, end] = windowOrThrow(`${field}[${i}]`, w);
    (byDay[day] as Array<[number, number]>).push([start, end]);
  }
  for (const day of byDay) day.sort((a, b) => a[0] - b[0]);
  return byDay;
}

/**
 * The instants covered by a weekly schedule over `[from, to)`, as a normalised span list.
 * Each window on each local date becomes `[instant(date start), instant(date end))` with
 * {@link wallToInstant}'s DST rule, so a 09:00–17:00 window on a DST day runs from the real
 * 09:00 to the real 17:00 (7 or 9 hours if the change falls inside it). `24:00` is the next
 * local midnight, which is why a window ending at 24:00 and one starting at 00:00 the next day
 * merge into one stretch.
 */
export function expandSchedule(schedule: WeeklySchedule, timeline: ZoneTimeline, from: number, to: number): number[] {
  const out: number[] = [];
  if (!(to > from)) return out;
  // Windows of earlier local dates end by the local midnight at or before `from`, and those of
  // later dates start after `to`; one extra day each side covers midnights lost in a DST gap.
  const firstDay = Math.floor((from + offsetAt(timeline, from)) / DAY_MS) - 1;
  const lastDay = Math.floor((to + offsetAt(timeline, to)) / DAY_MS) + 1;
  for (let d = firstDay; d <= lastDay; d++) {
    // 1970-01-01 (day 0) was a Thursday.
    const windows = schedule[mod(d + 4, 7)] as ReadonlyArray<readonly [number, number]>;
    const midnight = d * DAY_MS;
    for (const [startMinute, endMinute] of windows) {
      const s = Math.max(wallToInstant(timeline, midnight + startMinute * MINUTE_MS), from);
      const e = Math.min(wallToInstant(timeline, midnight + endMinute * MINUTE_MS), to);
      pushMerged(out, s, e);
    }
  }
  return out;
}
