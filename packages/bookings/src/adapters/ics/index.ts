/**
 * `@almanac/bookings/ics`: read-only free/busy and events from any iCalendar feed (Google,
 * Outlook and Apple exports, `webcal://` subscriptions, files, or text), parsed with ical.js.
 *
 * Time rules:
 * - `TZID` times use the feed's `VTIMEZONE` when it has one, else the IANA zone of that name
 *   through `Intl` (Windows ids such as `Eastern Standard Time` and vendor-prefixed ids such
 *   as `/mozilla.org/.../America/New_York` are mapped to IANA). Never the server's zone.
 * - Floating times (no `TZID`, no `Z`), and a `TZID` nothing can resolve, are read in the
 *   calendar zone: `X-WR-TIMEZONE`, else the `defaultTimeZone` option, else `UTC`.
 * - All-day events (`VALUE=DATE`) are busy from midnight of their first date to midnight of
 *   their (exclusive) end date in the calendar zone; without `DTEND`/`DURATION` they last one day.
 *
 * Ids: the feed holds one calendar, id `feed` (or the `calendarId` option; `primary` is an
 * alias). An event's id is its `UID`; an instance of a recurring series is
 * `<UID>_<YYYYMMDD>` (all-day) or `<UID>_<YYYYMMDDTHHMMSSZ>` (its original start in UTC),
 * with `recurringEventId` = `UID`.
 *
 * Limits: `RANGE=THISANDFUTURE` overrides apply to their own instance only; an
 * `RDATE;VALUE=PERIOD` adds an instance at its start with the series' duration; `VTODO`,
 * `VJOURNAL` and `VFREEBUSY` components are ignored. A series needing more than
 * `maxOccurrencesPerSeries` occurrences to reach the range is cut off with a warning.
 *
 * @packageDocumentation
 */
import { checkFactoryOptions } from '@almanac/core';
import type { OptionKeys } from '@almanac/core';
import { createCalendar } from '../../facade/create-calendar';
import { calendarOptionsOf } from '../../facade/options';
import type { Calendar, CalendarOptions } from '../../facade/types';
import { createIcsCalendarProvider } from './provider';
import type { IcsProviderOptions } from './options';

/** Options of {@link createIcsCalendar}: the adapter's plus the facade's (`logger` and `clock` serve both). */
export type IcsCalendarOptions = IcsProviderOptions & CalendarOptions;

// Every option, so plain-JavaScript callers get "did you mean" for a misspelt one (the type keeps it complete).
const ICS_CALENDAR_OPTION_KEYS: OptionKeys<IcsCalendarOptions> = { source: true, calendarId: true, defaultTimeZone: true, refreshIntervalMs: true, fetch: true, headers: true, retry: true, maxFeedBytes: true, maxOccurrencesPerSeries: true, maxExpansionSteps: true, logger: true, clock: true, timeoutMs: true, onEvent: true, freeBusyConcurrency: true };

/**
 * A read-only {@link Calendar} over an iCalendar feed. Writes, sync and push throw
 * `CapabilityError`; a missing feed (HTTP 404, no such file) throws `NotFoundError`; a feed
 * that is not iCalendar throws `ProviderError` (or `ValidationError` for a `text` source,
 * at creation).
 *
 * @example
 * ```ts
 * const calendar = createIcsCalendar({ source: 'webcal://example.com/team.ics', defaultTimeZone: 'Europe/London' });
 * const [feed] = await calendar.freeBusy({ range: { start: '2026-03-02T00:00:00Z', end: '2026-03-09T00:00:00Z' } });
 * ```
 */
export function createIcsCalendar(options: IcsCalendarOptions): Calendar {
  checkFactoryOptions(options, ICS_CALENDAR_OPTION_KEYS, { factory: 'createIcsCalendar', provider: 'ics', required: ['source'] });
  return createCalendar(createIcsCalendarProvider(options), calendarOptionsOf(options));
}

export { createIcsCalendarProvider, createIcsProvider, ICS_CAPABILITIES } from './provider';
export { ICS_DEFAULTS } from './options';
export type { IcsProviderOptions, IcsSource } from './options';
export { WINDOWS_ZONES } from '../../time/windows-zones';
