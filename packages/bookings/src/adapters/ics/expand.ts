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

/**
 * The work one query may spend expanding recurrences, shared by every series of the feed:
 * one budget per query, not per series, so a feed of many expensive series costs no more
 * than one. A step is one occurrence produced or one candidate ical.js tries on the way.
 */
export interface ExpansionBudget {
  /** Steps left for this query. */
  remaining: number;
  /** Steps since the expansion last yielded to the event loop. */
  sinceYield: number;
}

/**
 * Steps ical.js may take between two occurrences. One `next()` cannot be interrupted, so
 * this bounds how long the event loop is blocked at a time (a few ms); a rule that finds no
 * occurrence within it is cut off: `FREQ=SECONDLY;BYMONTH=2;BYMONTHDAY=30` never finds one,
 * `FREQ=MINUTELY;BYDAY=MO` would need 8,640 steps across a week.
 */
export const STEPS_PER_OCCURRENCE = 5_000;
/** Steps between yields to the event loop. */
const SLICE_STEPS = 2_000;

/** Creates the budget of one query. */
export function createExpansionBudget(steps: number): ExpansionBudget {
  return { remaining: steps, sinceYield: 0 };
}

/** Limits and hooks of {@link expandSeries}. */
export interface ExpandOptions {
  /** Most occurrences generated per series per call before giving up on it. */
  readonly maxScan: number;
  /** The query's budget, shared by every series it expands. */
  readonly budget: ExpansionBudget;
  /** Called when a series is cut short (too many occurrences, the budget spent, or a rule ical.js cannot expand). */
  readonly onTruncated: (uid: string, reason: string) => void;
}

/** The instances of one series in a range, and where its expansion was cut short, if it was. */
export interface SeriesExpansion {
  /** Instances found, unsorted. */
  readonly instances: Instance[];
  /**
   * Set when the series was cut short: the instant from which its occurrences are unknown
   * (its last occurrence reached, or its start). Callers must treat what follows as busy or
   * fail: never as free.
   */
  readonly truncatedFromMs: number | undefined;
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

/** Thrown from inside ical.js's iteration when a limit is hit; caught by {@link walk}. */
class ExpansionLimit extends Error {}

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Days in each month at most (February 29): a `BYMONTHDAY` beyond them in every `BYMONTH`
 * can never occur, and ical.js would search for it forever.
 */
const MONTH_DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Whether a rule's `BYMONTH` × `BYMONTHDAY` has no possible day (e.g. February 30). */
function isImpossible(recur: ICAL.Recur): boolean {
  const days = recur.parts['BYMONTHDAY'] as number[] | undefined;
  if (days === undefined || days.length === 0) return false;
  const months = (recur.parts['BYMONTH'] as number[] | undefined) ?? [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
  return !months.some((month) => days.some((day) => day !== 0 && Math.abs(day) <= (MONTH_DAYS[month - 1] ?? 0)));
}

/**
 * Makes every rule iterator of `master` count its steps against `budget`: ical.js's
 * `RecurIterator.next()` loops until a candidate passes `check_contracting_rules`, with no
 * limit, so the count is kept there. The wrappers live on this series' own `Recur` values
 * (cached by the component), never on ical.js's prototypes.
 */
function guardRules(master: ICAL.Event, budget: ExpansionBudget, sinceOccurrence: { steps: number }): ICAL.Recur[] {
  const rules: ICAL.Recur[] = [];
  for (const property of master.component.getAllProperties('rrule')) {
    const recur = property.getFirstValue();
    if (!(recur instanceof ICAL.Recur)) continue;
    rules.push(recur);
    const own = recur as ICAL.Recur & { iterator: ICAL.Recur['iterator'] };
    own.iterator = function iterator(this: ICAL.Recur, dtstart: ICAL.Time) {
      const iterator = ICAL.Recur.prototype.iterator.call(this, dtstart) as ICAL.RecurIterator & { check_contracting_rules(): boolean };
      const check = iterator.check_contracting_rules;
      iterator.check_contracting_rules = function counted(this: typeof iterator) {
        budget.remaining--;
        budget.sinceYield++;
        if (++sinceOccurrence.steps > STEPS_PER_OCCURRENCE) {
          throw new ExpansionLimit(`a rule found no occurrence within ${STEPS_PER_OCCURRENCE} steps`);
        }
        if (budget.remaining < 0) throw new ExpansionLimit("the query's expansion budget is spent");
        return check.call(this);
      };
      return iterator;
    };
  }
  return rules;
}

const WEEK_MS = 7 * DAY_MS;
const UNIT_MS: Readonly<Record<string, number>> = { SECONDLY: 1_000, MINUTELY: 60_000, HOURLY: 3_600_000, DAILY: DAY_MS, WEEKLY: WEEK_MS };
/** Parts that keep a rule's pattern the same in every week: shifting DTSTART by whole weeks (and periods) changes nothing. */
const WEEK_PERIODIC_PARTS = new Set(['BYDAY', 'BYHOUR', 'BYMINUTE', 'BYSECOND']);

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/**
 * The occurrences a rule has are unchanged by moving `DTSTART` forward by a whole number of
 * "super periods": a common multiple of the rule's period (`INTERVAL` × its unit) and a week,
 * when the rule is time-based (`SECONDLY` to `WEEKLY`), has no `COUNT` (which counts from
 * `DTSTART`) and only parts that repeat every week (`BYDAY` without ordinals, `BYHOUR`,
 * `BYMINUTE`, `BYSECOND`), and `DTSTART` is itself an occurrence of the rule. Then a series
 * started years ago is expanded from just before the query instead of from its first
 * occurrence: an old 15-minute series costs what a new one does.
 */
function skipAhead(master: ICAL.Event, fromWallMs: number): ICAL.Event | undefined {
  const properties = master.component.getAllProperties('rrule');
  if (properties.length !== 1 || master.component.hasProperty('rdate')) return undefined;
  const recur = properties[0]?.getFirstValue();
  if (!(recur instanceof ICAL.Recur) || recur.count) return undefined;
  const unit = UNIT_MS[recur.freq];
  if (unit === undefined) return undefined;
  for (const [part, values] of Object.entries(recur.parts)) {
    if (!WEEK_PERIODIC_PARTS.has(part)) return undefined;
    if (part === 'BYDAY' && (values as string[]).some((day) => !/^[A-Z]{2}$/.test(day))) return undefined;
  }
  const start = master.startDate;
  if (start.isDate) return undefined;
  // DTSTART counts even when the rule would not produce it; only skip when it is a real occurrence.
  const byDay = recur.parts['BYDAY'] as string[] | undefined;
  const dayNames = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'];
  if (byDay && !byDay.includes(dayNames[start.dayOfWeek() - 1] ?? '')) return undefined;
  for (const [part, value] of [['BYHOUR', start.hour], ['BYMINUTE', start.minute], ['BYSECOND', start.second]] as const) {
    const allowed = recur.parts[part] as number[] | undefined;
    if (allowed && !allowed.includes(value)) return undefined;
  }
  const periodMs = (recur.interval || 1) * unit;
  const superMs = (periodMs / gcd(periodMs, WEEK_MS)) * WEEK_MS;
  const steps = Math.floor((fromWallMs - wallAsUtc(start)) / superMs);
  if (steps < 2) return undefined;
  const shifted = start.clone();
  shifted.addDuration(ICAL.Duration.fromSeconds((steps * superMs) / 1000));
  if (recur.until && shifted.compare(recur.until) > 0) return undefined;
  const component = new ICAL.Component(JSON.parse(JSON.stringify(master.component.toJSON())));
  // Zones (TZID) resolve through the calendar the component sits in.
  component.parent = master.component.parent;
  component.getFirstProperty('dtstart')?.setValue(shifted);
  return new ICAL.Event(component, { exceptions: [] });
}

/** An override with `RANGE=THISANDFUTURE`: it changes its own instance and every later one. */
interface FutureOverride {
  readonly event: ICAL.Event;
  /** Instant of its `RECURRENCE-ID`: instances after it take its properties and shift. */
  readonly fromMs: number;
  /** `DTSTART − RECURRENCE-ID`, applied to every later instance (RFC 5545 §3.8.4.4). */
  readonly shift: ICAL.Duration;
  readonly shiftMs: number;
  readonly shape: Shape;
}

function futureOverrides(series: FeedSeries, times: FeedTimes): FutureOverride[] {
  const out: FutureOverride[] = [];
  for (const event of series.exceptions.values()) {
    const range = event.component.getFirstProperty('recurrence-id')?.getParameter('range');
    if (typeof range !== 'string' || range.toUpperCase() !== 'THISANDFUTURE') continue;
    const recurrenceId = event.recurrenceId;
    const fromMs = recurrenceId.isDate ? times.startOfDate(times.date(recurrenceId)) : times.instant(recurrenceId);
    const startMs = event.startDate.isDate ? times.startOfDate(times.date(event.startDate)) : times.instant(event.startDate);
    out.push({ event, fromMs, shift: event.startDate.subtractDate(recurrenceId), shiftMs: startMs - fromMs, shape: shapeOf(event, times) });
  }
  return out.sort((a, b) => a.fromMs - b.fromMs);
}

/** The THISANDFUTURE override governing an occurrence at `atMs`: the latest one before it. */
function governing(futures: readonly FutureOverride[], atMs: number): FutureOverride | undefined {
  let found: FutureOverride | undefined;
  for (const future of futures) if (future.fromMs < atMs) found = future;
  return found;
}

/** Where an occurrence lands and what describes it, after any THISANDFUTURE override. */
function placed(
  master: ICAL.Event,
  shape: Shape,
  futures: readonly FutureOverride[],
  occurrence: ICAL.Time,
  times: FeedTimes,
): { event: ICAL.Event; span: Span } {
  if (futures.length > 0) {
    const atMs = occurrence.isDate ? times.startOfDate(times.date(occurrence)) : times.instant(occurrence);
    const future = governing(futures, atMs);
    if (future !== undefined) {
      const moved = occurrence.clone();
      moved.addDuration(future.shift);
      return { event: future.event, span: spanAt(future.shape, moved, times) };
    }
  }
  return { event: master, span: spanAt(shape, occurrence, times) };
}

/**
 * Walks the master's recurrence set (RRULE, RDATE, EXDATE via ical.js) in order, calling
 * `visit` for each occurrence that has no override, until `visit` returns false. Iteration
 * starts at `DTSTART` (COUNT and BYxxx rules are anchored there), or, given `fromWallMs` and
 * a rule that allows it (see {@link skipAhead}), at an equivalent later start just before
 * that wall-clock time, and is bounded by
 * `maxScan` occurrences and the query's step budget, yielding to the event loop every few
 * thousand steps. Returns where it was cut short (the last occurrence reached, else
 * `DTSTART`), or `undefined` when it ran to its end.
 */
async function walk(
  series: FeedSeries,
  original: ICAL.Event,
  options: ExpandOptions,
  visit: (occurrence: ICAL.Time) => boolean,
  fromWallMs?: number,
): Promise<ICAL.Time | undefined> {
  const { budget } = options;
  const sinceOccurrence = { steps: 0 };
  // A query far after DTSTART starts from a later, equivalent DTSTART when the rule allows it.
  const master = fromWallMs === undefined ? original : (skipAhead(original, fromWallMs) ?? original);
  const rules = guardRules(master, budget, sinceOccurrence);
  // An impossible rule has no occurrence but DTSTART itself, which RFC 5545 always counts.
  if (rules.length > 0 && rules.every(isImpossible) && !master.component.hasProperty('rdate')) {
    visit(master.startDate);
    return undefined;
  }
  let scanned = 0;
  let last: ICAL.Time = master.startDate;
  const cut = (reason: string) => {
    options.onTruncated(series.uid, reason);
    return last;
  };
  // Spent already: not even an iterator (ical.js computes the first occurrence on creation).
  if (budget.remaining <= 0) return cut("the query's expansion budget is spent");
  try {
    const iterator = master.iterator();
    for (let occurrence = iterator.next(); occurrence; occurrence = iterator.next()) {
      sinceOccurrence.steps = 0;
      budget.remaining--;
      budget.sinceYield++;
      if (++scanned > options.maxScan) return cut(`more than ${options.maxScan} occurrences before the requested range ended`);
      if (budget.remaining < 0) return cut("the query's expansion budget is spent");
      // An `RDATE;VALUE=PERIOD` comes back as a Period: its start counts, with the series' own duration.
      const start = (occurrence as unknown) instanceof ICAL.Period ? (occurrence as unknown as ICAL.Period).start : occurrence;
      // ical.js hands out a fresh Time per occurrence (a clone), never mutated later.
      last = start;
      if (!visit(start)) return undefined;
      if (budget.sinceYield >= SLICE_STEPS) {
        budget.sinceYield = 0;
        await yieldToLoop();
      }
    }
    return undefined;
  } catch (error) {
    return cut(error instanceof Error ? error.message : String(error));
  }
}

/** Every instance of `series` overlapping `range`, unsorted, and where the series was cut short. */
export async function expandSeries(series: FeedSeries, range: MsRange, times: FeedTimes, options: ExpandOptions): Promise<SeriesExpansion> {
  const out: Instance[] = [];
  let truncatedFromMs: number | undefined;
  const { master } = series;
  if (master) {
    const shape = shapeOf(master, times);
    if (!master.isRecurring()) {
      const span = spanAt(shape, master.startDate, times);
      if (overlaps(span, range)) out.push(makeInstance(series, master, span, undefined));
    } else {
      const futures = futureOverrides(series, times);
      // A THISANDFUTURE override may move later instances (earlier or later) and lengthen them.
      const before = Math.max(0, ...futures.map((future) => future.shiftMs));
      const after = Math.max(0, ...futures.map((future) => -future.shiftMs));
      const reach = Math.max(maxLengthMs(shape), ...futures.map((future) => maxLengthMs(future.shape))) + WALL_SLACK_MS + before;
      const cutAt = await walk(
        series,
        master,
        options,
        (occurrence) => {
          // Cheap wall-clock bounds first: exact conversion (Intl) only near the range.
          const approx = wallAsUtc(occurrence);
          if (approx - WALL_SLACK_MS - after >= range.end) return false;
          if (approx + reach <= range.start) return true;
          const key = recurrenceKey(occurrence, series.allDay, times);
          if (series.exceptions.has(key)) return true;
          const { event, span } = placed(master, shape, futures, occurrence, times);
          if (span.startMs - after >= range.end) return false;
          if (overlaps(span, range)) out.push(makeInstance(series, event, span, key));
          return true;
        },
        // Never skip past the first THISANDFUTURE override: its shift is anchored to real occurrences.
        futures.length > 0 ? undefined : range.start - reach,
      );
      if (cutAt !== undefined) truncatedFromMs = times.instant(cutAt);
    }
  }
  for (const [key, event] of series.exceptions) {
    const span = spanAt(shapeOf(event, times), event.startDate, times);
    if (overlaps(span, range)) out.push(makeInstance(series, event, span, key));
  }
  return { instances: out, truncatedFromMs };
}

/**
 * One instance by recurrence key (`undefined` key: the series itself, starting at
 * `DTSTART`). `undefined` when the series has no such instance, e.g. an `EXDATE`; `'truncated'`
 * when the series could not be expanded far enough to tell.
 */
export async function findInstance(
  series: FeedSeries,
  key: string | undefined,
  times: FeedTimes,
  options: ExpandOptions,
): Promise<Instance | undefined | 'truncated'> {
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
  const futures = futureOverrides(series, times);
  let found: Instance | undefined;
  const cutAt = await walk(
    series,
    master,
    options,
    (occurrence) => {
      const approx = wallAsUtc(occurrence);
      if (approx + WALL_SLACK_MS < target) return true;
      if (recurrenceKey(occurrence, series.allDay, times) === key) {
        const { event, span } = placed(master, shape, futures, occurrence, times);
        found = makeInstance(series, event, span, key);
        return false;
      }
      return approx - WALL_SLACK_MS <= target;
    },
    futures.length > 0 ? undefined : target - WALL_SLACK_MS - DAY_MS,
  );
  return found ?? (cutAt === undefined ? undefined : 'truncated');
}
