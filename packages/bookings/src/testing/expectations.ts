import type { BusyInterval, TimeRange } from '../spec';
import { CONFORMANCE_FIXTURE } from './fixture';
import type { ConformanceFixture, FixtureEvent } from './fixture';

/** A timed or all-day boundary as tests compare it. */
export type ExpectedTime =
  | {
      /** The instant. */
      readonly dateTime: Date;
      /** IANA zone of the event. */
      readonly timeZone: string;
    }
  | {
      /** Calendar date `YYYY-MM-DD`. */
      readonly date: string;
    };

/** An event (or instance of a series) `listEvents` must return. */
export interface ExpectedEvent {
  /** `uid` of the fixture event it comes from. */
  readonly uid: string;
  /** Title. */
  readonly title: string;
  /** Start. */
  readonly start: ExpectedTime;
  /** End (exclusive). */
  readonly end: ExpectedTime;
  /** Transparency. */
  readonly transparency: 'opaque' | 'transparent';
  /** Status. */
  readonly status: 'confirmed' | 'tentative' | 'cancelled';
  /** An instance of a recurring series (so `recurringEventId` must be set). */
  readonly recurring: boolean;
  /** The instants it covers (all-day events: local days in the calendar zone). */
  readonly interval: TimeRange;
}

/** What a correct provider returns for a fixture over a range. */
export interface FixtureExpectations {
  /** The range the expectations are for. */
  readonly range: TimeRange;
  /** Busy time of the fixture calendar: merged (touching blocks too), clipped to the range. */
  readonly busy: readonly BusyInterval[];
  /** Events overlapping the range, sorted by start then title; cancelled events excluded. */
  readonly events: readonly ExpectedEvent[];
  /** Titles of cancelled events: `listEvents` may omit them or return them with status `cancelled`. */
  readonly cancelledTitles: readonly string[];
}

/** Options of {@link fixtureExpectations}. */
export interface FixtureExpectationsOptions {
  /** Whether the provider expands recurring series; without it the series are not expected at all. */
  readonly recurrence: boolean;
  /** Range to expect; the fixture's whole range by default. */
  readonly range?: TimeRange | undefined;
}

// The expectations are computed without the zone and ISO helpers of @almanac/oracle/time that
// the adapters use, so a bug there cannot make the expected and the actual values agree: instants
// are read by the platform's own `Date.parse`, and local midnights from `Intl.DateTimeFormat`.
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** Parses a fixture ISO instant; fails loudly on a fixture typo. */
export function fixtureInstant(text: string): Date {
  const ms = ISO_WITH_OFFSET.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(ms)) throw new RangeError(`Fixture time is not ISO 8601 with an offset: ${text}`);
  return new Date(ms);
}

/** Offset of `zone` from UTC at `ms`, in milliseconds, read from Intl's wall-clock parts. */
function zoneOffsetMs(zone: string, ms: number): number {
  const format = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
  const parts: Record<string, number> = {};
  for (const part of format.formatToParts(new Date(ms))) if (part.type !== 'literal') parts[part.type] = Number(part.value);
  const wall = Date.UTC(parts['year'] ?? 0, (parts['month'] ?? 1) - 1, parts['day'] ?? 1, parts['hour'] ?? 0, parts['minute'] ?? 0, parts['second'] ?? 0);
  return wall - Math.floor(ms / 1000) * 1000;
}

/** The instant a calendar date `YYYY-MM-DD` begins in `zone` (the fixture zones have no midnight DST gap). */
function localMidnight(date: string, zone: string): Date {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const wall = Date.UTC(year, month - 1, day);
  const first = wall - zoneOffsetMs(zone, wall);
  return new Date(wall - zoneOffsetMs(zone, first));
}

/** The instants an all-day span `[startDate, endDate)` covers in `zone`. */
function allDayToRange(startDate: string, endDate: string, zone: string): TimeRange {
  return { start: localMidnight(startDate, zone), end: localMidnight(endDate, zone) };
}

/** The instants a fixture event (first occurrence, for a series) covers; all-day days are read in `calendarZone`. */
export function fixtureEventInterval(event: FixtureEvent, calendarZone: string): TimeRange {
  if (event.allDay === true) return allDayToRange(event.start, event.end, calendarZone);
  return { start: fixtureInstant(event.start), end: fixtureInstant(event.end) };
}

/**
 * The busy time and events a correct provider reports for `fixture` over `options.range`,
 * derived from the fixture data (series from their hand-written `instances`).
 */
export function fixtureExpectations(
  options: FixtureExpectationsOptions,
  fixture: ConformanceFixture = CONFORMANCE_FIXTURE,
): FixtureExpectations {
  const range = options.range ?? { start: fixtureInstant(fixture.range.start), end: fixtureInstant(fixture.range.end) };
  const events: ExpectedEvent[] = [];
  const cancelledTitles: string[] = [];
  for (const event of fixture.events) {
    if (event.rrule !== undefined && !options.recurrence) continue;
    if (event.status === 'cancelled') {
      cancelledTitles.push(event.title);
      continue;
    }
    const occurrences =
      event.rrule === undefined ? [{ start: event.start, end: event.end }] : (event.instances ?? []);
    for (const occurrence of occurrences) {
      const timed = event.allDay !== true;
      const interval = timed
        ? { start: fixtureInstant(occurrence.start), end: fixtureInstant(occurrence.end) }
        : allDayToRange(occurrence.start, occurrence.end, fixture.timeZone);
      if (interval.end <= range.start || interval.start >= range.end) continue;
      events.push({
        uid: event.uid,
        title: event.title,
        start: timed ? { dateTime: interval.start, timeZone: event.timeZone } : { date: occurrence.start },
        end: timed ? { dateTime: interval.end, timeZone: event.timeZone } : { date: occurrence.end },
        transparency: event.transparency,
        status: event.status,
        recurring: event.rrule !== undefined,
        interval,
      });
    }
  }
  events.sort((a, b) => a.interval.start.getTime() - b.interval.start.getTime() || a.title.localeCompare(b.title));
  const busy = unionIntervals(
    events.filter((event) => event.transparency === 'opaque').map((event) => event.interval),
    range,
  );
  return { range, busy, events, cancelledTitles };
}

/**
 * Union of intervals clipped to `range`, touching ones joined, sources dropped: the form tests
 * compare busy time in, since providers may split or label blocks differently.
 */
export function unionIntervals(intervals: readonly TimeRange[], range?: TimeRange): TimeRange[] {
  const from = range?.start.getTime() ?? Number.NEGATIVE_INFINITY;
  const to = range?.end.getTime() ?? Number.POSITIVE_INFINITY;
  const spans = intervals
    .map((interval) => [Math.max(interval.start.getTime(), from), Math.min(interval.end.getTime(), to)] as const)
    .filter(([start, end]) => end > start)
    .sort((a, b) => a[0] - b[0]);
  const out: Array<[number, number]> = [];
  for (const [start, end] of spans) {
    const last = out[out.length - 1];
    if (last !== undefined && start <= last[1]) last[1] = Math.max(last[1], end);
    else out.push([start, end]);
  }
  return out.map(([start, end]) => ({ start: new Date(start), end: new Date(end) }));
}
