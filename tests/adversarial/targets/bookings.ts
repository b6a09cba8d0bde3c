// @almanac/bookings: the ICS parser and expander (hostile feeds), the facade on the memory
// and ICS adapters, and the Google and Graph adapters' URL paths.
import { createIcsCalendar } from '@almanac/bookings/ics';
import { createGoogleCalendarProvider } from '@almanac/bookings/google';
import { createMemoryCalendar } from '@almanac/bookings/memory';
import { createMicrosoftCalendarProvider } from '@almanac/bookings/microsoft';
import fc from 'fast-check';
import { hostileString, hostileValue } from '../harness/hostile';
import type { HostileText } from '../harness/hostile';
import type { AdversarialTargets, FacadeTarget, RecordingFetch, TraversalTarget } from './types';
import { method } from './types';

type Calendar = ReturnType<typeof createIcsCalendar>;

const MARCH = { start: new Date('2026-03-02T00:00:00Z'), end: new Date('2026-03-03T00:00:00Z') };
const CRLF = '\r\n';
const feed = (...lines: string[]) => ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//adversary//EN', ...lines, 'END:VCALENDAR', ''].join(CRLF);

/** Fills `size` with copies of `unit` between a header and a footer. */
const fill = (head: string, unit: string, tail: string, size: number) =>
  head + unit.repeat(Math.max(0, Math.floor((size - head.length - tail.length) / unit.length))) + tail;

/** Feeds shaped after the issue's reproductions, grown to the hostile size. */
const HOSTILE_FEEDS: readonly HostileText[] = [
  {
    name: 'ics-never-ending-rule',
    why: 'RRULEs whose next occurrence is never found (February 30) or millions of steps away, repeated',
    density: 'dense',
    build: (n) =>
      fill(`BEGIN:VCALENDAR${CRLF}VERSION:2.0${CRLF}`, ['BEGIN:VEVENT', 'UID:x', 'DTSTART:20260301T000000Z', 'RRULE:FREQ=SECONDLY;BYMONTH=2;BYMONTHDAY=29', 'END:VEVENT', ''].join(CRLF), `END:VCALENDAR${CRLF}`, n),
  },
  {
    name: 'ics-secondly-series',
    why: 'thousands of FREQ=SECONDLY series that start a year before the range (the 62-second feed, grown)',
    density: 'dense',
    build: (n) => {
      let i = 0;
      let out = `BEGIN:VCALENDAR${CRLF}VERSION:2.0${CRLF}`;
      while (out.length < n - 200) out += ['BEGIN:VEVENT', `UID:s${i++}`, 'DTSTART:20250101T000000Z', 'DURATION:PT1S', 'RRULE:FREQ=SECONDLY', 'END:VEVENT', ''].join(CRLF);
      return `${out}END:VCALENDAR${CRLF}`;
    },
  },
  {
    name: 'ics-deep-nesting',
    why: 'components nested tens of thousands deep (stack overflow in recursive walks)',
    density: 'dense',
    build: (n) => {
      const depth = Math.floor((n - 200) / 24);
      return `BEGIN:VCALENDAR${CRLF}BEGIN:VEVENT${CRLF}UID:deep${CRLF}DTSTART:20260302T090000Z${CRLF}${`BEGIN:X-A${CRLF}`.repeat(depth)}${`END:X-A${CRLF}`.repeat(depth)}END:VEVENT${CRLF}END:VCALENDAR${CRLF}`;
    },
  },
];

/** Every hostile text inside a well-formed feed: as the summary of an event, and as an RRULE. */
const asSummary = (text: string) => feed('BEGIN:VEVENT', 'UID:a', 'DTSTART:20260302T090000Z', 'DTEND:20260302T100000Z', `SUMMARY:${text}`, 'END:VEVENT');
const asRule = (text: string) => feed('BEGIN:VEVENT', 'UID:r', 'DTSTART:20260302T090000Z', `RRULE:FREQ=DAILY;${text.replace(/[\r\n]/g, '')}`, 'END:VEVENT');
/** A feed-reading query with a small expansion budget, as a busy server would configure it. */
const query = (text: string) => createIcsCalendar({ source: { text }, maxExpansionSteps: 20_000 }).freeBusy({ range: MARCH });

const memoryCalendar: FacadeTarget<Calendar> = {
  name: '@almanac/bookings createMemoryCalendar',
  create: (ctx) => createMemoryCalendar({ logger: ctx.capture.logger() } as never),
  operations: {
    freeBusy: method('freeBusy', fc.tuple(fc.oneof(hostileValue, fc.record({ range: fc.oneof(hostileValue, fc.constant(MARCH)), calendars: hostileValue, timeZone: hostileValue })))),
    listEvents: method('listEvents', fc.tuple(fc.oneof(hostileValue, fc.record({ calendarId: hostileString, range: fc.oneof(hostileValue, fc.constant(MARCH)), pageSize: hostileValue })))),
    getEvent: method('getEvent', fc.tuple(fc.oneof(hostileValue, fc.record({ calendarId: hostileString, eventId: hostileString })))),
    createEvent: method('createEvent', fc.tuple(fc.oneof(hostileValue, fc.record({ calendarId: hostileString, title: hostileString, start: hostileValue, end: hostileValue, attendees: hostileValue, idempotencyKey: hostileValue })))),
    updateEvent: method('updateEvent', fc.tuple(fc.oneof(hostileValue, fc.record({ calendarId: hostileString, eventId: hostileString, patch: hostileValue })))),
    cancelEvent: method('cancelEvent', fc.tuple(fc.oneof(hostileValue, fc.record({ calendarId: hostileString, eventId: hostileString, notify: hostileValue })))),
    sync: method('sync', fc.tuple(fc.oneof(hostileValue, fc.record({ calendarId: hostileString, syncToken: hostileValue })))),
    supports: method('supports', fc.tuple(hostileValue)),
  },
};

const icsCalendar: FacadeTarget<Calendar> = {
  name: '@almanac/bookings createIcsCalendar',
  create: (ctx) =>
    createIcsCalendar({
      source: { text: feed('BEGIN:VEVENT', 'UID:daily@x', 'DTSTART:20260101T090000Z', 'DURATION:PT1H', 'RRULE:FREQ=DAILY', 'END:VEVENT') },
      logger: ctx.capture.logger(),
    }),
  operations: {
    freeBusy: method('freeBusy', fc.tuple(fc.oneof(hostileValue, fc.record({ range: fc.oneof(hostileValue, fc.constant(MARCH)), calendars: hostileValue })))),
    listEvents: method('listEvents', fc.tuple(fc.oneof(hostileValue, fc.record({ calendarId: fc.oneof(hostileString, fc.constant('feed')), range: fc.oneof(hostileValue, fc.constant(MARCH)), cursor: hostileValue })))),
    getEvent: method('getEvent', fc.tuple(fc.oneof(hostileValue, fc.record({ calendarId: fc.constant('feed'), eventId: fc.oneof(hostileString, fc.constant('daily@x_20260302T090000Z')) })))),
  },
};

/** Google's SDK puts ids into the path with encodeURIComponent; this fake does the same onto the recording fetch. */
function googleClient(fetch: RecordingFetch) {
  const call = (verb: string, path: (p: Record<string, string>) => string) => async (params: Record<string, unknown>) => {
    const response = await fetch(`https://www.googleapis.com/calendar/v3${path(params as Record<string, string>)}`, { method: verb });
    return { data: await response.json() };
  };
  const events = (p: Record<string, string>) => `/calendars/${encodeURIComponent(p['calendarId'] ?? '')}/events`;
  const event = (p: Record<string, string>) => `${events(p)}/${encodeURIComponent(p['eventId'] ?? '')}`;
  return {
    events: { list: call('GET', events), get: call('GET', event), insert: call('POST', events), patch: call('PATCH', event), delete: call('DELETE', event), watch: call('POST', (p) => `${events(p)}/watch`) },
    freebusy: { query: call('POST', () => '/freeBusy') },
    channels: { stop: call('POST', () => '/channels/stop') },
  };
}

/** A Graph client whose requests go to the recording fetch, as the SDK's would. */
function graphClient(fetch: RecordingFetch) {
  return {
    api(path: string) {
      const url = /^https:/.test(path) ? path : `https://graph.microsoft.com/v1.0${path}`;
      const send = (verb: string) => async () => (await fetch(url, { method: verb })).json();
      const request = { header: () => request, option: () => request, get: send('GET'), post: send('POST'), patch: send('PATCH'), delete: send('DELETE') };
      return request;
    },
  };
}

type Provider = ReturnType<typeof createGoogleCalendarProvider>;
const eventOperations: TraversalTarget<Provider>['operations'] = {
  'getEvent eventId': (p, id) => p.getEvent!({ calendarId: 'cal1', eventId: id }),
  'cancelEvent eventId': (p, id) => p.cancelEvent!({ calendarId: 'cal1', eventId: id, notify: false }),
  'updateEvent eventId': (p, id) => p.updateEvent!({ calendarId: 'cal1', eventId: id, patch: { title: 't' } }),
  'listEventsPage calendarId': (p, id) => p.listEventsPage!({ calendarId: id, range: MARCH }),
};

export const bookingsTargets: AdversarialTargets = {
  package: '@almanac/bookings',
  text: [
    // ical.js parses a megabyte of feed in well over 50 ms: the bounds below still catch anything superlinear.
    { name: 'bookings: ICS source text', run: (text: string) => createIcsCalendar({ source: { text } }), extraTexts: HOSTILE_FEEDS, budgetMs: { sparse: 1500, dense: 3000 } },
    { name: 'bookings: ICS event summary, queried', prepare: asSummary, run: query, budgetMs: { sparse: 1500, dense: 3000 } },
    { name: 'bookings: ICS recurrence rule, queried', prepare: asRule, run: query, budgetMs: { sparse: 1500, dense: 3000 } },
    { name: 'bookings: ICS hostile feeds, queried', run: query, extraTexts: HOSTILE_FEEDS, budgetMs: { sparse: 1500, dense: 3000 } },
  ],
  facades: [memoryCalendar, icsCalendar],
  traversal: [
    {
      name: '@almanac/bookings google',
      create: ({ fetch }) => createGoogleCalendarProvider({ client: googleClient(fetch) as never, retry: { maxAttempts: 1 } }),
      operations: eventOperations,
    },
    {
      name: '@almanac/bookings microsoft',
      create: ({ fetch }) => createMicrosoftCalendarProvider({ client: graphClient(fetch) as never, retry: { maxAttempts: 1 } } as never),
      operations: eventOperations,
    },
  ],
};
