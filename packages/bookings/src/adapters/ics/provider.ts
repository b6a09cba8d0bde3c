import { NotFoundError, ProviderError, ValidationError, abortReason, silentLogger, systemClock } from '@almanac/core';
import type { Logger } from '@almanac/core';
import type {
  BusyInterval,
  CalendarCapabilities,
  CalendarEvent,
  CalendarProvider,
  EventPage,
  FreeBusyRequest,
  FreeBusyResult,
  GetEventRequest,
  ListEventsRequest,
  TimeRange,
} from '../../spec';
import { CALENDAR_SPECIFICATION_VERSION } from '../../spec';
import { createExpansionBudget, expandSeries, findInstance, keyFromStamp } from './expand';
import type { ExpandOptions, Instance, MsRange } from './expand';
import { parseFeed } from './feed';
import type { ParsedFeed } from './feed';
import { createFeedCache } from './feed-cache';
import type { FeedCache } from './feed-cache';
import { createFileLoader, createUrlLoader } from './load';
import { statusOf, toCalendarEvent, transparencyOf } from './map-event';
import { ICS_DEFAULTS, validateIcsOptions } from './options';
import type { IcsProviderOptions } from './options';
import { createZoneMath } from './zones';

/**
 * What an ICS feed supports: reading only. Limits are generous because a query never
 * leaves the process once the feed is cached.
 */
export const ICS_CAPABILITIES: CalendarCapabilities = Object.freeze({
  freeBusy: true,
  events: true,
  write: false,
  conferencing: Object.freeze([]) as readonly [],
  incrementalSync: false,
  push: false,
  recurrence: true,
  maxFreeBusyCalendars: 50,
  maxFreeBusyRangeDays: 3660,
});

const PROVIDER = 'ics';
const DEFAULT_PAGE_SIZE = 250;
const MAX_PAGE_SIZE = 2500;

function encodeCursor(offset: number): string {
  return Buffer.from(`ics:${offset}`, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string | undefined): number {
  if (cursor === undefined) return 0;
  const match = /^ics:(\d{1,9})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) {
    throw new ValidationError('ics listEvents: cursor is not one this provider issued', [{ path: 'cursor', message: 'is not a valid cursor' }], {
      provider: PROVIDER,
      operation: 'listEvents',
    });
  }
  return Number(match[1]);
}

function msRange(range: TimeRange, operation: string): MsRange {
  const start = range?.start instanceof Date ? range.start.getTime() : Number.NaN;
  const end = range?.end instanceof Date ? range.end.getTime() : Number.NaN;
  if (Number.isNaN(start) || Number.isNaN(end) || end <= start) {
    throw new ValidationError(`ics ${operation}: range must have valid Dates with end after start`, [{ path: 'range', message: 'must have valid Dates with end after start' }], {
      provider: PROVIDER,
      operation,
    });
  }
  return { start, end };
}

function byStart(a: Instance, b: Instance): number {
  return a.startMs - b.startMs || a.endMs - b.endMs || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Cancelled, transparent and zero-length events are free time. */
function isBusy(instance: Instance): boolean {
  const component = instance.event.component;
  return statusOf(component) !== 'cancelled' && transparencyOf(component) !== 'transparent' && instance.endMs > instance.startMs;
}

function busySource(instance: Instance): string {
  const title = instance.event.component.getFirstPropertyValue('summary');
  return typeof title === 'string' && title.trim() !== '' ? `ICS: ${title}` : 'ICS';
}

/**
 * The ICS adapter as a bare {@link CalendarProvider}: read-only free/busy and events of one
 * iCalendar feed. Most callers want `createIcsCalendar`, which wraps it in the facade.
 *
 * @throws ValidationError for invalid options, including a `text` source that is not iCalendar.
 */
export function createIcsCalendarProvider(options: IcsProviderOptions): CalendarProvider {
  const validated = validateIcsOptions(options);
  const { source } = validated;
  const logger: Logger = validated.logger ?? silentLogger;
  const clock = validated.clock ?? systemClock;
  const calendarId = validated.calendarId ?? ICS_DEFAULTS.calendarId;
  const maxBytes = validated.maxFeedBytes ?? ICS_DEFAULTS.maxFeedBytes;
  const zones = createZoneMath();
  const warned = new WeakMap<ParsedFeed, Set<string>>();

  const parseWith = (invalid: (message: string, cause?: unknown) => Error) => (text: string) =>
    parseFeed(text, { zones, defaultTimeZone: validated.defaultTimeZone, logger, invalid });

  let cache: FeedCache;
  if (source.kind === 'text') {
    // Caller-supplied text: a bad feed is bad input, reported at creation.
    const feed = parseWith(
      (message, cause) =>
        new ValidationError(`ics: source text is ${message}`, [{ path: 'options.source', message: `is ${message}` }], {
          provider: PROVIDER,
          operation: 'createIcsCalendarProvider',
          cause,
        }),
    )(source.text);
    cache = { get: (signal) => (signal?.aborted ? Promise.reject(abortReason(signal)) : Promise.resolve(feed)) };
  } else {
    const loader =
      source.kind === 'url'
        ? createUrlLoader({
            url: source.url,
            fetch: validated.fetch,
            headers: validated.headers,
            retry: validated.retry,
            clock: validated.clock,
            logger: validated.logger,
            maxBytes,
          })
        : createFileLoader(source.path, maxBytes);
    cache = createFeedCache({
      loader,
      clock,
      refreshIntervalMs: validated.refreshIntervalMs ?? ICS_DEFAULTS.refreshIntervalMs,
      // Someone else's feed: a malformed one is the provider failing, not the caller.
      parse: parseWith(
        (message, cause) => new ProviderError(`ics: feed ${loader.describe} is ${message}`, { provider: PROVIDER, operation: 'parse', cause }),
      ),
    });
  }

  // One budget per query, shared by every series it expands.
  const expandOptions = (feed: ParsedFeed): ExpandOptions => ({
    maxScan: validated.maxOccurrencesPerSeries ?? ICS_DEFAULTS.maxOccurrencesPerSeries,
    budget: createExpansionBudget(validated.maxExpansionSteps ?? ICS_DEFAULTS.maxExpansionSteps),
    onTruncated(uid, reason) {
      let seen = warned.get(feed);
      if (seen === undefined) {
        seen = new Set();
        warned.set(feed, seen);
      }
      if (seen.has(uid)) return;
      seen.add(uid);
      logger.warn('ics: recurring series cut short; later occurrences are missing', { uid, reason });
    },
  });

  const checkCalendar = (id: string, operation: string) => {
    if (id === calendarId || id === 'primary') return;
    throw new NotFoundError(`ics ${operation}: unknown calendar "${id}"; this feed's calendar id is "${calendarId}"`, {
      provider: PROVIDER,
      operation,
    });
  };

  /** The instances of a range, and the series that could not be expanded through it. */
  interface Expanded {
    readonly instances: Instance[];
    readonly truncated: ReadonlyArray<{ readonly uid: string; readonly title: string | undefined; readonly fromMs: number }>;
  }

  // The last expansion, so paging through one listing expands the feed once, not once per page.
  let last: { feed: ParsedFeed; start: number; end: number; expanded: Expanded } | undefined;
  const instancesIn = async (feed: ParsedFeed, range: MsRange): Promise<Expanded> => {
    if (last !== undefined && last.feed === feed && last.start === range.start && last.end === range.end) return last.expanded;
    const options = expandOptions(feed);
    const instances: Instance[] = [];
    const truncated: Array<{ uid: string; title: string | undefined; fromMs: number }> = [];
    for (const series of feed.series.values()) {
      const result = await expandSeries(series, range, feed.times, options);
      instances.push(...result.instances);
      if (result.truncatedFromMs !== undefined && result.truncatedFromMs < range.end) {
        const title = series.master?.component.getFirstPropertyValue('summary');
        truncated.push({ uid: series.uid, title: typeof title === 'string' ? title : undefined, fromMs: result.truncatedFromMs });
      }
    }
    instances.sort(byStart);
    const expanded = { instances, truncated };
    last = { feed, start: range.start, end: range.end, expanded };
    return expanded;
  };

  const tooExpensive = (operation: string, uids: readonly string[]) =>
    new ProviderError(
      `ics ${operation}: recurring series ${uids.map((uid) => `"${uid}"`).join(', ')} could not be expanded through the requested range within the expansion budget`,
      { provider: PROVIDER, operation, retryable: false },
    );

  return {
    name: PROVIDER,
    specificationVersion: CALENDAR_SPECIFICATION_VERSION,
    capabilities: ICS_CAPABILITIES,

    async freeBusy(request: FreeBusyRequest): Promise<FreeBusyResult[]> {
      const ids = request.calendars ?? [calendarId];
      for (const id of ids) checkCalendar(id, 'freeBusy');
      const range = msRange(request.range, 'freeBusy');
      const feed = await cache.get(request.signal);
      const { instances, truncated } = await instancesIn(feed, range);
      const busy: BusyInterval[] = [];
      for (const instance of instances) {
        if (isBusy(instance)) busy.push({ start: new Date(instance.startMs), end: new Date(instance.endMs), source: busySource(instance) });
      }
      // Occurrences past a cut are unknown: busy, never offered as free time.
      for (const cut of truncated) {
        const start = Math.max(range.start, cut.fromMs);
        const name = cut.title?.trim() ? `ICS: ${cut.title.trim()}` : 'ICS';
        busy.push({ start: new Date(start), end: new Date(range.end), source: `${name} (recurrence too expensive to expand; busy from here)` });
      }
      busy.sort((a, b) => a.start.getTime() - b.start.getTime() || a.end.getTime() - b.end.getTime());
      return ids.map((id) => ({ calendarId: id, busy: [...busy] }));
    },

    async listEventsPage(request: ListEventsRequest): Promise<EventPage> {
      checkCalendar(request.calendarId, 'listEvents');
      const range = msRange(request.range, 'listEvents');
      const offset = decodeCursor(request.cursor);
      const pageSize = Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(request.pageSize ?? DEFAULT_PAGE_SIZE)));
      const feed = await cache.get(request.signal);
      const { instances, truncated } = await instancesIn(feed, range);
      // A listing with occurrences missing would look complete: fail instead.
      if (truncated.length > 0) throw tooExpensive('listEvents', truncated.map((cut) => cut.uid));
      const items = instances.slice(offset, offset + pageSize).map((instance) => toCalendarEvent(instance, calendarId));
      const next = offset + pageSize;
      return next < instances.length ? { items, nextCursor: encodeCursor(next) } : { items };
    },

    async getEvent(request: GetEventRequest): Promise<CalendarEvent> {
      checkCalendar(request.calendarId, 'getEvent');
      const feed = await cache.get(request.signal);
      const options = expandOptions(feed);
      const { eventId } = request;
      let instance: Instance | undefined | 'truncated';
      const whole = feed.series.get(eventId);
      if (whole) {
        instance = await findInstance(whole, undefined, feed.times, options);
      } else {
        const split = eventId.lastIndexOf('_');
        const series = split > 0 ? feed.series.get(eventId.slice(0, split)) : undefined;
        const key = split > 0 ? keyFromStamp(eventId.slice(split + 1)) : undefined;
        if (series && key !== undefined) instance = await findInstance(series, key, feed.times, options);
      }
      if (instance === 'truncated') throw tooExpensive('getEvent', [eventId.slice(0, eventId.lastIndexOf('_'))]);
      if (instance === undefined) {
        throw new NotFoundError(`ics getEvent: no event "${eventId}" in the feed`, { provider: PROVIDER, operation: 'getEvent' });
      }
      return toCalendarEvent(instance, calendarId);
    },
  };
}

/**
 * The ICS provider under its old name.
 *
 * @deprecated Use {@link createIcsCalendarProvider}; this alias goes in the next minor release.
 */
export function createIcsProvider(options: IcsProviderOptions): CalendarProvider {
  return createIcsCalendarProvider(options);
}
