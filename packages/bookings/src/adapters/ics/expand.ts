import ICAL from 'ical.js';
import type { EventTime } from '../../spec';
import { recurrenceKey } from './feed';
import type { FeedSeries } from './feed';
import type { FeedTimes } from './feed-times';
import { addDays } from '@almanac/oracle/time';
import { daysBetween } from './zones';

/** One concrete occurrence: a single event, an override, or an expanded series instance. */
export interface Instance {
  /** Event id: the `UID`, or `<UID>_<stamp>` for an instance of a series. */
  readonly id: string;
  /** Series `UID`. */
  readonly uid: string;
  /** Component whose properties describe the instance (the override, else the master). */
  readonly event: ICAL.Event;
  /** True for an instance of a recurring series (expanded or overridden). */
  readonly recurring: boolean;
  /** Start as reported. */
  readonly start: EventTime;
  /** End (exclusive) as reported. */
  readonly end: EventTime;
  /** Start instant; all-day dates start at midnight in the calendar zone. */
  readonly startMs: number;
  /** End instant (exclusive). */
  readonly endMs: number;
}

/** A half-open range in epoch milliseconds. */
export interface MsRange {
  /** Inclusive start. */
  readonly start: number;
  /** Exclusive end. */
  readonly end: number;
}

/** Limits and hooks of {@link expandSeries}. */
export interface ExpandOptions {
  /** Most occurrences generated per series per call before giving up on it. */
  readonly maxScan: number;
  /** Called when a series is cut short (too many occurrences, or a rule ical.js cannot expand). */
  readonly onTruncated: (uid: string, reason: string) => void;
}

/** How long each occurrence of an event lasts. */
type Shape =
  | { readonly kind: 'date'; readonly days: number }
  | { readonly kind: 'time'; readonly nominalDays: number; readonly exactMs: number; readonly endZone: string | undefined };

const DAY_MS = 86_400_000;
/** Widest gap between a wall-clock reading taken as UTC and its real instant (UTC±14 plus slack). */
const WALL_SLACK_MS = 26 * 3_600_000;

function durationOf(event: ICAL.Event): ICAL.Duration | undefined {
  const value = event.component.getFirstPropertyValue('duration');
  return value instanceof ICAL.Duration && !value.isNegative ? value : undefined;
}

function dtendOf(event: ICAL.Event): ICAL.Time | undefined {
  const value = event.component.getFirstPropertyValue('dtend');
  return value instanceof ICAL.Time ? value : undefined;
}

/**
 * The shape of an event. A `DTEND` fixes an exact duration for every instance and a
 * `DURATION` keeps its day part nominal (RFC 5545 §3.8.5.3, §3.3.6), so a 09:00–10:00
 * meeting stays 09:00–10:00 local on both sides of a DST change.
 */
function shapeOf(event: ICAL.Event, times: FeedTimes): Shape {
  const start = event.startDate;
  const dtend = dtendOf(event);
  const duration = durationOf(event);
  if (start.isDate) {
    let days = 1;
    if (dtend) days = daysBetween(times.date(start), times.date(dtend));
    else if (duration) days = duration.weeks * 7 + duration.days + Math.ceil((duration.hours * 3600 + duration.minutes * 60 + duration.seconds) / 86_400);
    return { kind: 'date', days: Math.max(1, days) };
  }
  if (dtend) {
    return { kind: 'time', nominalDays: 0, exactMs: Math.max(0, times.instant(dtend) - times.instant(start)), endZone: times.zoneOf(dtend) };
  }
  if (duration) {
    const exactMs = (duration.hours * 3600 + duration.minutes * 60 + duration.seconds) * 1000;
    return { kind: 'time', nominalDays: duration.weeks * 7 + duration.days, exactMs, endZone: undefined };
  }
  return { kind: 'time', nominalDays: 0, exactMs: 0, endZone: undefined };
}

interface Span {
  readonly start: EventTime;
  readonly end: EventTime;
  readonly startMs: number;
  readonly endMs: number;
}

function spanAt(shape: Shape, at: ICAL.Time, times: FeedTimes): Span {
  if (shape.kind === 'date' || at.isDate) {
    const startDate = times.date(at);
    const endDate = addDays(startDate, shape.kind === 'date' ? shape.days : 1);
    return {
      start: { date: startDate },
      end: { date: endDate },
      startMs: times.startOfDate(startDate),
      endMs: times.startOfDate(endDate),
    };
  }
  const startMs = times.instant(at);
  let base = startMs;
  if (shape.nominalDays > 0) {
    const shifted = at.clone();
    shifted.addDuration(new ICAL.Duration({ days: shape.nominalDays }));
    base = times.instant(shifted);
  }
  const endMs = base + shape.exactMs;
  const zone = times.zoneOf(at);
  return {
    start: { dateTime: new Date(startMs), timeZone: zone },
    end: { dateTime: new Date(endMs), timeZone: shape.endZone ?? zone },
    startMs,
    endMs,
  };
}

/** Longest any occurrence of `shape` can last, for cheap range pre-filtering. */
function maxLengthMs(shape: Shape): number {
  return shape.kind === 'date' ? (shape.days + 1) * DAY_MS : (shape.nominalDays + 1) * DAY_MS + shape.exactMs;
}

/** `[start, end)` overlaps the range; a zero-length event counts when its start lies inside. */
function overlaps(span: Span, range: MsRange): boolean {
  if (span.startMs >= range.end) return false;
  return span.endMs > range.start || (span.endMs === span.startMs && span.startMs >= range.start);
}

/** `<UID>_<stamp>` with the stamp Google uses: `YYYYMMDD`, or `YYYYMMDDTHHMMSSZ` in UTC. */
function instanceId(uid: string, key: string): string {
  if (key.startsWith('D')) return `${uid}_${key.slice(1).replaceAll('-', '')}`;
  const iso = new Date(Number(key.slice(1))).toISOString();
  return `${uid}_${iso.slice(0, 19).replace(/[-:]/g, '')}Z`;
}

/** The recurrence key an instance id stamp stands for, or `undefined` when it is not one. */
export function keyFromStamp(stamp: string): string | undefined {
  const date = /^(\d{4})(\d{2})(\d{2})$/.exec(stamp);
  if (date) return `D${date[1]}-${date[2]}-${date[3]}`;
  const time = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(stamp);
  if (!time) return undefined;
  const [, y, mo, d, h, mi, s] = time.map(Number) as [number, number, number, number, number, number, number];
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  return Number.isNaN(ms) ? undefined : `T${ms}`;
}

function wallAsUtc(time: ICAL.Time): number {
  return Date.UTC(time.year, time.month - 1, time.day, time.hour, time.minute, time.second);
}

function makeInstance(series: FeedSeries, event: ICAL.Event, span: Span, key: string | undefined): Instance {
  return {
    id: key === undefined ? series.uid : instanceId(series.uid, key),
    uid: series.uid,
    event,
    recurring: key !== undefined,
    ...span,
  };
}

/**
 * Walks the master's recurrence set (RRULE, RDATE, EXDATE via ical.js) in order, calling
 * `visit` for each occurrence that has no override, until `visit` returns false. Iteration
 * always starts at `DTSTART` (COUNT and BYxxx rules are anchored there) and is capped by
 * `maxScan`, so an unbounded rule can never spin forever.
 */
function walk(
  series: FeedSeries,
  master: ICAL.Event,
  options: ExpandOptions,
  visit: (occurrence: ICAL.Time) => boolean,
): void {
  let scanned = 0;
  try {
    const iterator = master.iterator();
    for (let occurrence = iterator.next(); occurrence; occurrence = iterator.next()) {
      if (++scanned > options.maxScan) {
        options.onTruncated(series.uid, `more than ${options.maxScan} occurrences before the requested range ended`);
        return;
      }
      // An `RDATE;VALUE=PERIOD` comes back as a Period: its start counts, with the series' own duration.
      const start = (occurrence as unknown) instanceof ICAL.Period ? (occurrence as unknown as ICAL.Period).start : occurrence;
      if (!visit(start)) return;
    }
  } catch (error) {
    options.onTruncated(series.uid, error instanceof Error ? error.message : String(error));
  }
}

/** Every instance of `series` overlapping `range`, unsorted. */
export function expandSeries(series: FeedSeries, range: MsRange, times: FeedTimes, options: ExpandOptions): Instance[] {
  const out: Instance[] = [];
  const { master } = series;
  if (master) {
    const shape = shapeOf(master, times);
    if (!master.isRecurring()) {
      const span = spanAt(shape, master.startDate, times);
      if (overlaps(span, range)) out.push(makeInstance(series, master, span, undefined));
    } else {
      const reach = maxLengthMs(shape) + WALL_SLACK_MS;
      walk(series, master, options, (occurrence) => {
        // Cheap wall-clock bounds first: exact conversion (Intl) only near the range.
        const approx = wallAsUtc(occurrence);
        if (approx - WALL_SLACK_MS >= range.end) return false;
        if (approx + reach <= range.start) return true;
        const key = recurrenceKey(occurrence, series.allDay, times);
        if (series.exceptions.has(key)) return true;
        const span = spanAt(shape, occurrence, times);
        if (span.startMs >= range.end) return false;
        if (overlaps(span, range)) out.push(makeInstance(series, master, span, key));
        return true;
      });
    }
  }
  for (const [key, event] of series.exceptions) {
    const span = spanAt(shapeOf(event, times), event.startDate, times);
    if (overlaps(span, range)) out.push(makeInstance(series, event, span, key));
  }
  return out;
}

/**
 * One instance by recurrence key (`undefined` key: the series itself, starting at
 * `DTSTART`). `undefined` when the series has no such instance, e.g. an `EXDATE`.
 */
export function findInstance(
  series: FeedSeries,
  key: string | undefined,
  times: FeedTimes,
  options: ExpandOptions,
): Instance | undefined {
  const { master } = series;
  if (key === undefined) {
    if (!master) return undefined;
    return makeInstance(series, master, spanAt(shapeOf(master, times), master.startDate, times), undefined);
  }
  const override = series.exceptions.get(key);
  if (override) return makeInstance(series, override, spanAt(shapeOf(override, times), override.startDate, times), key);
  if (!master?.isRecurring()) return undefined;
  const target = key.startsWith('D') ? times.startOfDate(key.slice(1)) : Number(key.slice(1));
  const shape = shapeOf(master, times);
  let found: Instance | undefined;
  walk(series, master, options, (occurrence) => {
    const approx = wallAsUtc(occurrence);
    if (approx + WALL_SLACK_MS < target) return true;
    if (recurrenceKey(occurrence, series.allDay, times) === key) {
      found = makeInstance(series, master, spanAt(shape, occurrence, times), key);
      return false;
    }
    return approx - WALL_SLACK_MS <= target;
  });
  return found;
}
