import { createHash } from 'node:crypto';
import ICAL from 'ical.js';
import type { Logger } from '@almanac/core';
import { createFeedTimes } from './feed-times';
import type { FeedTimes } from './feed-times';
import { FeedRoot } from './ical-zones';
import type { ZoneMath } from './zones';

/** One `UID`: the series master (or single event) and its overridden instances. */
export interface FeedSeries {
  /** The `UID` (or a content hash for a `VEVENT` without one). */
  readonly uid: string;
  /** The component without `RECURRENCE-ID`; absent when the feed only carries overrides. */
  readonly master: ICAL.Event | undefined;
  /** Overrides (moved or cancelled instances), keyed by {@link recurrenceKey}. */
  readonly exceptions: ReadonlyMap<string, ICAL.Event>;
  /** Whether the series is made of all-day dates; decides how recurrence ids are keyed. */
  readonly allDay: boolean;
}

/** A parsed feed. Occurrences are expanded per query, never up front. */
export interface ParsedFeed {
  /** `X-WR-CALNAME`, when the feed has one. */
  readonly name: string | undefined;
  /** Converters bound to the feed's zones. */
  readonly times: FeedTimes;
  /** Every series, by `UID`. */
  readonly series: ReadonlyMap<string, FeedSeries>;
}

/** What {@link parseFeed} needs besides the text. */
export interface ParseFeedOptions {
  /** Intl zone arithmetic. */
  readonly zones: ZoneMath;
  /** Zone for floating times when the feed has no usable `X-WR-TIMEZONE`. */
  readonly defaultTimeZone: string | undefined;
  /** Hears about skipped events and unknown zones. */
  readonly logger: Logger;
  /** Builds the error thrown for text that is not iCalendar. */
  readonly invalid: (message: string, cause?: unknown) => Error;
}

/**
 * Key of one instance of a series: `D<YYYY-MM-DD>` for all-day series, `T<epoch ms>`
 * otherwise. Keys compare instants, not strings, so an override whose `RECURRENCE-ID`
 * is written in UTC still matches a master scheduled with a `TZID`.
 */
export function recurrenceKey(time: ICAL.Time, allDay: boolean, times: FeedTimes): string {
  return allDay ? `D${times.date(time)}` : `T${times.instant(time)}`;
}

const BOM = '\uFEFF';
/**
 * Deepest component nesting accepted (`BEGIN:` inside `BEGIN:`). Real feeds nest three
 * deep (VCALENDAR, VEVENT, VALARM); 50,000 levels overflowed the stack of every recursive
 * walk over the parsed tree.
 */
export const MAX_COMPONENT_DEPTH = 64;

/** Freezes the parsed tree without recursion, so no nesting can overflow the stack. */
function deepFreeze<T>(value: T): T {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const next = pending.pop();
    if (typeof next !== 'object' || next === null || Object.isFrozen(next)) continue;
    Object.freeze(next);
    for (const inner of Object.values(next)) pending.push(inner);
  }
  return value;
}

/** Deepest `BEGIN:`/`END:` nesting of the text, counted line by line (linear, no parsing). */
function nestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  for (let start = 0; start < text.length; ) {
    const newline = text.indexOf('\n', start);
    const end = newline < 0 ? text.length : newline;
    const head = text.slice(start, Math.min(end, start + 6)).toUpperCase();
    if (head === 'BEGIN:') deepest = Math.max(deepest, ++depth);
    else if (head.startsWith('END:')) depth = Math.max(0, depth - 1);
    start = end + 1;
  }
  return deepest;
}

function sequenceOf(event: ICAL.Event): number {
  const value = event.component.getFirstPropertyValue('sequence');
  return typeof value === 'number' ? value : 0;
}

/** Keeps the later revision of two components for the same slot (RFC 5545 `SEQUENCE`). */
function newer(current: ICAL.Event | undefined, candidate: ICAL.Event): ICAL.Event {
  return current === undefined || sequenceOf(candidate) >= sequenceOf(current) ? candidate : current;
}

function calendarsOf(jCal: unknown): unknown[][] {
  const list = Array.isArray(jCal) && typeof jCal[0] === 'string' ? [jCal] : Array.isArray(jCal) ? jCal : [];
  return list.filter((entry): entry is unknown[] => Array.isArray(entry) && entry[0] === 'vcalendar');
}

/**
 * Parses iCalendar text. Broken `VEVENT`s (no `DTSTART`, unparseable values) are skipped
 * with a warning so one bad entry cannot hide a whole calendar; text that is not
 * iCalendar at all fails through `options.invalid`.
 */
export function parseFeed(text: string, options: ParseFeedOptions): ParsedFeed {
  const { zones, logger, invalid } = options;
  const body = text.startsWith(BOM) ? text.slice(1) : text;
  // Messages never quote the text: a "feed" may be any file or page, secrets included.
  if (!/^\s*BEGIN:VCALENDAR/i.test(body)) throw invalid('not an iCalendar feed (it does not start with BEGIN:VCALENDAR)');
  if (nestingDepth(body) > MAX_COMPONENT_DEPTH) throw invalid(`not a usable iCalendar feed: components nest more than ${MAX_COMPONENT_DEPTH} deep`);
  let jCal: unknown;
  try {
    jCal = ICAL.parse(body);
  } catch {
    // ical.js quotes the offending line in its message; neither it nor the error goes further.
    throw invalid('not valid iCalendar (unparseable content line or structure)');
  }
  const calendars = calendarsOf(jCal);
  if (calendars.length === 0) throw invalid('not valid iCalendar: no VCALENDAR component');
  deepFreeze(calendars);

  const unknownZone = (tzid: string) =>
    logger.warn('ics: unknown TZID without VTIMEZONE; reading its times in the calendar zone', { tzid });
  const roots = calendars.map((calendar) => new FeedRoot(calendar, zones, unknownZone));
  const first = roots[0] as FeedRoot;
  const declared = first.getFirstPropertyValue('x-wr-timezone');
  const declaredZone = typeof declared === 'string' ? zones.ianaName(declared) : undefined;
  if (typeof declared === 'string' && declaredZone === undefined) {
    logger.warn('ics: ignoring X-WR-TIMEZONE that is not a known zone', { zone: declared });
  }
  const times = createFeedTimes(zones, declaredZone ?? options.defaultTimeZone ?? 'UTC', logger);
  const nameValue = first.getFirstPropertyValue('x-wr-calname');

  const masters = new Map<string, ICAL.Event>();
  const overrides = new Map<string, ICAL.Event[]>();
  for (const root of roots) {
    for (const component of root.getAllSubcomponents('vevent')) {
      let event: ICAL.Event;
      try {
        // `exceptions: []`: without it every Event scans all sibling VEVENTs for overrides,
        // quadratic in the feed (9,000 events took over 20 s). Overrides are grouped below.
        event = new ICAL.Event(component, { exceptions: [] });
        if (!event.startDate) throw new Error('missing DTSTART');
        // Touch the end now: an unparseable DTEND/DURATION should skip the event, not fail a later query.
        void event.endDate;
      } catch (error) {
        logger.warn('ics: skipping invalid VEVENT', {
          uid: String(component.getFirstPropertyValue('uid') ?? ''),
          reason: error instanceof Error ? error.message : String(error),
        });
        continue;
      }
      const uidValue = component.getFirstPropertyValue('uid');
      const uid =
        typeof uidValue === 'string' && uidValue.trim() !== ''
          ? uidValue
          : `ics-${createHash('sha256').update(JSON.stringify(component.jCal)).digest('hex').slice(0, 16)}`;
      if (component.hasProperty('recurrence-id')) {
        const list = overrides.get(uid) ?? [];
        list.push(event);
        overrides.set(uid, list);
      } else {
        masters.set(uid, newer(masters.get(uid), event));
      }
    }
  }

  const series = new Map<string, FeedSeries>();
  for (const uid of new Set([...masters.keys(), ...overrides.keys()])) {
    const master = masters.get(uid);
    const list = overrides.get(uid) ?? [];
    const allDay = master ? master.startDate.isDate : (list[0]?.recurrenceId.isDate ?? false);
    const exceptions = new Map<string, ICAL.Event>();
    for (const event of list) {
      const key = recurrenceKey(event.recurrenceId, allDay, times);
      exceptions.set(key, newer(exceptions.get(key), event));
    }
    series.set(uid, { uid, master, exceptions, allDay });
  }
  return { name: typeof nameValue === 'string' && nameValue !== '' ? nameValue : undefined, times, series };
}
