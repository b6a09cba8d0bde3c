import { AlmanacError, CapabilityError, ConflictError, NotFoundError, ValidationError } from '@almanac/core';
import { describe, expect, it } from 'vitest';
import type { TestContext } from 'vitest';
import type { Calendar, CalendarCapability } from '../facade/types';
import type { BusyInterval, CalendarEvent, EventTime, TimeRange } from '../spec';
import { fixtureExpectations, fixtureInstant, unionIntervals } from './expectations';
import type { ExpectedEvent } from './expectations';
import { CONFORMANCE_FIXTURE } from './fixture';
import type { ConformanceFixture } from './fixture';

/** What a conformance `create` hook returns: a calendar holding the fixture, and how to dispose of it. */
export interface ConformanceHarness {
  /** The facade under test, its fixture calendar holding exactly the fixture events. */
  readonly calendar: Calendar;
  /** Called after each test. */
  readonly cleanup?: () => Promise<void>;
}

/** Options of {@link describeCalendarConformance}. */
export interface ConformanceOptions {
  /** Shown in test names. */
  readonly name: string;
  /**
   * Builds a fresh calendar holding the fixture, once per test. Read-only providers serve it
   * (an ICS feed, a mocked API); read-write ones seed it (recurring series only when the
   * provider declares `recurrence`). It must reproduce transparency and status too.
   */
  create(fixture: ConformanceFixture): Promise<ConformanceHarness>;
  /** Fixture to use; {@link CONFORMANCE_FIXTURE} by default. Custom fixtures need `instances` on series. */
  readonly fixture?: ConformanceFixture;
}

const WRITE_RANGE: TimeRange = { start: new Date('2026-05-04T00:00:00Z'), end: new Date('2026-05-09T00:00:00Z') };
const BOGUS_SYNC_TOKEN = 'almanac-conformance-unknown-sync-token';
const WATCH_ADDRESS = 'https://hooks.almanac.example/calendar';

type Gate = (calendar: Calendar) => string | undefined;

const needs =
  (...capabilities: CalendarCapability[]): Gate =>
  (calendar) => {
    const missing = capabilities.filter((capability) => !calendar.supports(capability));
    return missing.length === 0 ? undefined : `${calendar.name} does not support ${missing.join(', ')}`;
  };

function timeKey(time: EventTime): string {
  return 'date' in time ? `date ${time.date}` : `${time.dateTime.toISOString()} ${time.timeZone}`;
}

function expectedTimeKey(time: ExpectedEvent['start']): string {
  return 'date' in time ? `date ${time.date}` : `${time.dateTime.toISOString()} ${time.timeZone}`;
}

function eventKey(event: CalendarEvent): string {
  return `${event.title} | ${timeKey(event.start)} -> ${timeKey(event.end)} | ${event.transparency} ${event.status}`;
}

function expectedKey(event: ExpectedEvent): string {
  return `${event.title} | ${expectedTimeKey(event.start)} -> ${expectedTimeKey(event.end)} | ${event.transparency} ${event.status}`;
}

const iso = (intervals: readonly TimeRange[]) =>
  intervals.map((interval) => `${interval.start.toISOString()}/${interval.end.toISOString()}`);

function sortedByStart(busy: readonly BusyInterval[]): boolean {
  return busy.every((block, i) => i === 0 || (busy[i - 1] as BusyInterval).start.getTime() <= block.start.getTime());
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail, but it succeeded');
}

async function expectValidation(promise: Promise<unknown>, path: string): Promise<void> {
  const error = await rejection(promise);
  expect(ValidationError.isInstance(error), `expected ValidationError, got ${String(error)}`).toBe(true);
  expect((error as ValidationError).issues.map((issue) => issue.path)).toContain(path);
  expect((error as ValidationError).message).toContain(path);
}

async function expectCapability(calendar: Calendar, promise: Promise<unknown>): Promise<void> {
  const error = await rejection(promise);
  expect(CapabilityError.isInstance(error), `expected CapabilityError, got ${String(error)}`).toBe(true);
  expect((error as CapabilityError).provider).toBe(calendar.name);
}

/**
 * Registers the calendar conformance suite with vitest: free/busy, listing, reads, writes,
 * conferencing, sync, push, capability and validation errors, each test gated by the
 * provider's capabilities (reported as skipped when not applicable). Call it at the top level
 * of a test file.
 *
 * Documented outcomes the suite accepts: after `cancelEvent`, `getEvent` either throws
 * `NotFoundError` or returns the event with status `cancelled`; `listEvents` either omits
 * cancelled events or returns them with status `cancelled`.
 */
export function describeCalendarConformance(options: ConformanceOptions): void {
  const fixture = options.fixture ?? CONFORMANCE_FIXTURE;
  const fullRange: TimeRange = { start: fixtureInstant(fixture.range.start), end: fixtureInstant(fixture.range.end) };

  const test = (name: string, gate: Gate | undefined, body: (calendar: Calendar) => Promise<void>) =>
    it(name, async (context: TestContext) => {
      const harness = await options.create(fixture);
      try {
        const reason = gate?.(harness.calendar);
        if (reason !== undefined) context.skip(reason);
        await body(harness.calendar);
      } finally {
        await harness.cleanup?.();
      }
    });

  const expectations = (calendar: Calendar, range?: TimeRange) =>
    fixtureExpectations(range === undefined ? { recurrence: calendar.supports('recurrence') } : { recurrence: calendar.supports('recurrence'), range }, fixture);

  const base = {
    calendarId: fixture.calendarId,
    title: 'Conformance write',
    description: 'kept across patches',
    start: '2026-05-04T14:00:00+02:00',
    end: '2026-05-04T15:00:00+02:00',
    timeZone: 'Europe/Berlin',
    location: 'Room 1',
    notify: false,
  };

  const busyOf = async (calendar: Calendar, range: TimeRange) => {
    const results = await calendar.freeBusy({ calendars: [fixture.calendarId], range });
    expect(results.map((result) => result.calendarId)).toEqual([fixture.calendarId]);
    const busy = (results[0] as (typeof results)[number]).busy;
    expect(sortedByStart(busy)).toBe(true);
    for (const block of busy) {
      expect(block.start.getTime()).toBeGreaterThanOrEqual(range.start.getTime());
      expect(block.end.getTime()).toBeLessThanOrEqual(range.end.getTime());
      expect(block.end.getTime()).toBeGreaterThan(block.start.getTime());
    }
    return busy;
  };

  const listTitles = async (calendar: Calendar, range: TimeRange) =>
    (await calendar.listEvents({ calendarId: fixture.calendarId, range }).toArray())
      .filter((event) => event.status !== 'cancelled')
      .map((event) => event.title);

  describe(`${options.name}: calendar conformance`, () => {
    describe('capabilities', () => {
      test('declares consistent capabilities', undefined, async (calendar) => {
        expect(calendar.name.length).toBeGreaterThan(0);
        const caps = calendar.capabilities;
        expect(Number.isInteger(caps.maxFreeBusyCalendars) && caps.maxFreeBusyCalendars > 0).toBe(true);
        expect(caps.maxFreeBusyRangeDays).toBeGreaterThan(0);
        for (const kind of caps.conferencing) expect(['meet', 'teams']).toContain(kind);
        for (const flag of ['freeBusy', 'events', 'recurrence'] as const) expect(calendar.supports(flag)).toBe(caps[flag]);
        for (const kind of ['meet', 'teams'] as const) {
          expect(calendar.supports(kind)).toBe(calendar.supports('write') && caps.conferencing.includes(kind));
        }
      });

      test('rejects unsupported operations with CapabilityError naming the provider', undefined, async (calendar) => {
        const checks: Array<Promise<void>> = [];
        const id = { calendarId: fixture.calendarId };
        if (!calendar.supports('freeBusy')) checks.push(expectCapability(calendar, calendar.freeBusy({ range: fullRange })));
        if (!calendar.supports('events')) {
          checks.push(expectCapability(calendar, calendar.listEvents({ ...id, range: fullRange }).toArray()));
          checks.push(expectCapability(calendar, calendar.getEvent({ ...id, eventId: fixture.missingEventId })));
        }
        if (!calendar.supports('write')) {
          const start = '2026-05-04T10:00:00Z';
          const end = '2026-05-04T11:00:00Z';
          checks.push(expectCapability(calendar, calendar.createEvent({ ...id, title: 'x', start, end, timeZone: 'UTC' })));
          checks.push(
            expectCapability(calendar, calendar.updateEvent({ ...id, eventId: fixture.missingEventId, patch: { title: 'x' } })),
          );
          checks.push(expectCapability(calendar, calendar.cancelEvent({ ...id, eventId: fixture.missingEventId, notify: false })));
        }
        if (!calendar.supports('incrementalSync')) checks.push(expectCapability(calendar, calendar.sync(id)));
        if (!calendar.supports('push')) {
          checks.push(expectCapability(calendar, calendar.watch({ ...id, address: WATCH_ADDRESS, token: 'secret' })));
          const channel = { id: 'channel', calendarId: fixture.calendarId, address: WATCH_ADDRESS, expiresAt: fullRange.end };
          checks.push(expectCapability(calendar, calendar.unwatch(channel)));
        }
        await Promise.all(checks);
      });

      test('rejects conference kinds it cannot create', needs('write'), async (calendar) => {
        for (const kind of ['meet', 'teams'] as const) {
          if (calendar.supports(kind)) continue;
          await expectCapability(
            calendar,
            calendar.createEvent({
              calendarId: fixture.calendarId,
              title: `No ${kind}`,
              start: '2026-05-04T10:00:00Z',
              end: '2026-05-04T11:00:00Z',
              timeZone: 'UTC',
              conference: kind,
            }),
          );
        }
      });
    });

    describe('freeBusy', () => {
      test('reports exactly the busy time of the fixture', needs('freeBusy'), async (calendar) => {
        const busy = await busyOf(calendar, fullRange);
        expect(iso(unionIntervals(busy))).toEqual(iso(expectations(calendar).busy));
      });

      test('clips busy time to a partial range', needs('freeBusy'), async (calendar) => {
        const range = { start: new Date('2026-03-08T06:00:00Z'), end: new Date('2026-03-10T10:30:00Z') };
        const busy = await busyOf(calendar, range);
        expect(iso(unionIntervals(busy))).toEqual(iso(expectations(calendar, range).busy));
        expect(iso(unionIntervals(busy))[0]).toBe('2026-03-08T06:00:00.000Z/2026-03-08T08:00:00.000Z');
      });

      test('excludes cancelled and transparent events', needs('freeBusy'), async (calendar) => {
        const range = { start: new Date('2026-03-04T00:00:00Z'), end: new Date('2026-03-06T00:00:00Z') };
        expect(await busyOf(calendar, range)).toEqual([]);
      });

      test('counts all-day events as busy for their local day in the calendar zone', needs('freeBusy'), async (calendar) => {
        const range = { start: new Date('2026-03-19T00:00:00Z'), end: new Date('2026-03-22T00:00:00Z') };
        const busy = await busyOf(calendar, range);
        expect(iso(unionIntervals(busy))).toEqual(iso(expectations(calendar, range).busy));
      });

      test('expands recurring series in their zone across DST', needs('freeBusy', 'recurrence'), async (calendar) => {
        const range = { start: new Date('2026-03-16T00:00:00Z'), end: new Date('2026-04-08T00:00:00Z') };
        const busy = unionIntervals(await busyOf(calendar, range));
        expect(iso(busy)).toEqual(iso(expectations(calendar, range).busy));
        expect(iso(busy)).toContain('2026-03-31T09:00:00.000Z/2026-03-31T10:00:00.000Z');
        expect(iso(busy)).not.toContain('2026-03-17T10:00:00.000Z/2026-03-17T11:00:00.000Z');
      });
    });

    describe('listEvents and getEvent', () => {
      test('lists the fixture events with explicit zones', needs('events'), async (calendar) => {
        const expected = expectations(calendar);
        const events = await calendar.listEvents({ calendarId: fixture.calendarId, range: fullRange }).toArray();
        for (const event of events) {
          expect(event.calendarId).toBe(fixture.calendarId);
          expect(event.id.length).toBeGreaterThan(0);
          if (event.status === 'cancelled') expect(expected.cancelledTitles).toContain(event.title);
        }
        expect(new Set(events.map((event) => event.id)).size).toBe(events.length);
        const live = events.filter((event) => event.status !== 'cancelled');
        expect(live.map(eventKey).sort()).toEqual(expected.events.map(expectedKey).sort());
        const seriesIds = new Map<string, Set<string | undefined>>();
        for (const event of live) {
          const match = expected.events.find((candidate) => candidate.title === event.title);
          if (match?.recurring !== true) continue;
          expect(event.recurringEventId, `${event.title} instance needs recurringEventId`).toBeTruthy();
          const ids = seriesIds.get(match.uid) ?? new Set();
          ids.add(event.recurringEventId);
          seriesIds.set(match.uid, ids);
        }
        for (const ids of seriesIds.values()) expect(ids.size).toBe(1);
      });

      test('pages with a small pageSize without losing or repeating events', needs('events'), async (calendar) => {
        const all = await calendar.listEvents({ calendarId: fixture.calendarId, range: fullRange }).toArray();
        const paged: CalendarEvent[] = [];
        for await (const event of calendar.listEvents({ calendarId: fixture.calendarId, range: fullRange, pageSize: 3 })) {
          paged.push(event);
        }
        expect(paged.map((event) => event.id).sort()).toEqual(all.map((event) => event.id).sort());
        const limited = await calendar.listEvents({ calendarId: fixture.calendarId, range: fullRange, pageSize: 3 }).toArray({ limit: 2 });
        expect(limited).toHaveLength(2);
      });

      test('returns events overlapping a partial range', needs('events'), async (calendar) => {
        const range = { start: new Date('2026-03-08T06:00:00Z'), end: new Date('2026-03-08T07:00:00Z') };
        expect(await listTitles(calendar, range)).toEqual(['Overnight deploy window']);
      });

      test('getEvent returns a listed event', needs('events'), async (calendar) => {
        const events = await calendar.listEvents({ calendarId: fixture.calendarId, range: fullRange }).toArray();
        const listed = events.find((event) => event.title === 'Overnight deploy window');
        expect(listed).toBeDefined();
        const event = await calendar.getEvent({ calendarId: fixture.calendarId, eventId: (listed as CalendarEvent).id });
        expect(event.id).toBe((listed as CalendarEvent).id);
        expect(eventKey(event)).toBe(eventKey(listed as CalendarEvent));
      });

      test('getEvent throws NotFoundError for a missing id', needs('events'), async (calendar) => {
        const error = await rejection(calendar.getEvent({ calendarId: fixture.calendarId, eventId: fixture.missingEventId }));
        expect(NotFoundError.isInstance(error), `expected NotFoundError, got ${String(error)}`).toBe(true);
      });
    });

    describe('write', () => {
      test('creates, reads, patches, rejects a stale etag and cancels idempotently', needs('write'), async (calendar) => {
        const created = await calendar.createEvent(base);
        expect(created.id.length).toBeGreaterThan(0);
        expect(created.title).toBe(base.title);
        expect(created.status).not.toBe('cancelled');
        expect(timeKey(created.start)).toBe('2026-05-04T12:00:00.000Z Europe/Berlin');
        expect(timeKey(created.end)).toBe('2026-05-04T13:00:00.000Z Europe/Berlin');

        if (calendar.supports('events')) {
          const read = await calendar.getEvent({ calendarId: fixture.calendarId, eventId: created.id });
          expect(read.title).toBe(base.title);
          expect(timeKey(read.start)).toBe(timeKey(created.start));
        }

        const patched = await calendar.updateEvent({
          calendarId: fixture.calendarId,
          eventId: created.id,
          patch: { title: 'Conformance write (renamed)' },
          notify: false,
          ...(created.etag === undefined ? {} : { etag: created.etag }),
        });
        expect(patched.id).toBe(created.id);
        expect(patched.title).toBe('Conformance write (renamed)');
        expect(patched.description).toBe(base.description);
        expect(patched.location).toBe(base.location);
        expect(timeKey(patched.start)).toBe(timeKey(created.start));

        if (created.etag !== undefined) {
          expect(patched.etag).toBeDefined();
          expect(patched.etag).not.toBe(created.etag);
          const stale = await rejection(
            calendar.updateEvent({
              calendarId: fixture.calendarId,
              eventId: created.id,
              patch: { title: 'lost update' },
              etag: created.etag,
            }),
          );
          expect(ConflictError.isInstance(stale), `expected ConflictError, got ${String(stale)}`).toBe(true);
        }

        await calendar.cancelEvent({ calendarId: fixture.calendarId, eventId: created.id, notify: false });
        await calendar.cancelEvent({ calendarId: fixture.calendarId, eventId: created.id, notify: false });

        if (calendar.supports('events')) {
          try {
            const after = await calendar.getEvent({ calendarId: fixture.calendarId, eventId: created.id });
            expect(after.status).toBe('cancelled');
          } catch (error) {
            expect(NotFoundError.isInstance(error), `expected NotFoundError, got ${String(error)}`).toBe(true);
          }
          expect(await listTitles(calendar, WRITE_RANGE)).not.toContain('Conformance write (renamed)');
        }
      });

      test('moves an event with a patch of start and end', needs('write'), async (calendar) => {
        const created = await calendar.createEvent(base);
        const moved = await calendar.updateEvent({
          calendarId: fixture.calendarId,
          eventId: created.id,
          patch: { start: new Date('2026-05-05T08:00:00Z'), end: new Date('2026-05-05T09:30:00Z') },
        });
        expect(timeKey(moved.start)).toBe('2026-05-05T08:00:00.000Z Europe/Berlin');
        expect(timeKey(moved.end)).toBe('2026-05-05T09:30:00.000Z Europe/Berlin');
        expect(moved.title).toBe(base.title);
      });

      test('creates all-day events as dates', needs('write'), async (calendar) => {
        const created = await calendar.createEvent({
          calendarId: fixture.calendarId,
          title: 'Conformance all-day',
          start: '2026-05-06',
          end: '2026-05-07',
          allDay: true,
          timeZone: 'America/New_York',
          notify: false,
        });
        expect(created.start).toEqual({ date: '2026-05-06' });
        expect(created.end).toEqual({ date: '2026-05-07' });
      });

      test('creates once per idempotencyKey', needs('write'), async (calendar) => {
        const input = { ...base, title: 'Conformance idempotent', idempotencyKey: 'conformance-key-1' };
        const first = await calendar.createEvent(input);
        const second = await calendar.createEvent(input);
        expect(second.id).toBe(first.id);
        if (calendar.supports('events')) {
          const titles = await listTitles(calendar, WRITE_RANGE);
          expect(titles.filter((title) => title === input.title)).toHaveLength(1);
        }
      });

      for (const kind of ['meet', 'teams'] as const) {
        test(`creates a ${kind} conference link`, needs('write', kind), async (calendar) => {
          const created = await calendar.createEvent({ ...base, title: `Conformance ${kind}`, conference: kind });
          expect(created.conference).toBe(kind);
          expect(created.joinUrl).toMatch(/^https:\/\//);
        });
      }
    });

    describe('sync', () => {
      test('full sync returns the fixture and an unknown token forces a full resync', needs('incrementalSync'), async (calendar) => {
        const first = await calendar.sync({ calendarId: fixture.calendarId });
        expect(first.nextSyncToken.length).toBeGreaterThan(0);
        const titles = first.changes.map((event) => event.title);
        for (const event of fixture.events) {
          if (event.status === 'cancelled' || (event.rrule !== undefined && !calendar.supports('recurrence'))) continue;
          expect(titles).toContain(event.title);
        }
        const resync = await calendar.sync({ calendarId: fixture.calendarId, syncToken: BOGUS_SYNC_TOKEN });
        expect(resync.fullResync).toBe(true);
        expect(resync.nextSyncToken.length).toBeGreaterThan(0);
        expect(resync.changes.map((event) => event.title)).toEqual(expect.arrayContaining(['New York standup']));
      });

      test('incremental sync reports changes and deletions since the token', needs('incrementalSync', 'write'), async (calendar) => {
        const first = await calendar.sync({ calendarId: fixture.calendarId });
        const standup = first.changes.find((event) => event.title === 'New York standup');
        expect(standup).toBeDefined();
        const created = await calendar.createEvent({ ...base, title: 'Conformance sync probe' });
        await calendar.cancelEvent({ calendarId: fixture.calendarId, eventId: (standup as CalendarEvent).id, notify: false });
        const next = await calendar.sync({ calendarId: fixture.calendarId, syncToken: first.nextSyncToken });
        expect(next.fullResync).toBe(false);
        expect(next.changes.map((event) => event.id)).toContain(created.id);
        expect(next.deleted).toContain((standup as CalendarEvent).id);
        const live = next.changes.filter((event) => event.status !== 'cancelled').map((event) => event.id);
        expect(live).not.toContain((standup as CalendarEvent).id);
        expect(next.nextSyncToken.length).toBeGreaterThan(0);
      });
    });

    describe('push', () => {
      test('watches and unwatches a calendar idempotently', needs('push'), async (calendar) => {
        const channel = await calendar.watch({
          calendarId: fixture.calendarId,
          address: WATCH_ADDRESS,
          token: 'conformance-secret',
          ttlSeconds: 3600,
        });
        expect(channel.id.length).toBeGreaterThan(0);
        expect(channel.calendarId).toBe(fixture.calendarId);
        expect(channel.address).toBe(WATCH_ADDRESS);
        expect(Number.isNaN(channel.expiresAt.getTime())).toBe(false);
        await calendar.unwatch(channel);
        await calendar.unwatch(channel);
      });
    });

    describe('validation', () => {
      test('freeBusy names the bad range field', needs('freeBusy'), async (calendar) => {
        await expectValidation(calendar.freeBusy({ range: { start: fullRange.end, end: fullRange.start } }), 'range.end');
        await expectValidation(
          calendar.freeBusy({ range: { start: '2026-03-01T00:00:00', end: fixture.range.end } }),
          'range.start',
        );
        await expectValidation(calendar.freeBusy({ calendars: [''], range: fullRange }), 'calendars.0');
      });

      test('listEvents and getEvent name the bad field', needs('events'), async (calendar) => {
        await expectValidation(calendar.listEvents({ calendarId: '', range: fullRange }).toArray(), 'calendarId');
        await expectValidation(calendar.getEvent({ calendarId: fixture.calendarId, eventId: '' }), 'eventId');
      });

      test('createEvent names the bad field', needs('write'), async (calendar) => {
        const input = { calendarId: fixture.calendarId, title: 'x', start: '2026-05-04T10:00:00Z', end: '2026-05-04T11:00:00Z' };
        await expectValidation(calendar.createEvent({ ...input, timeZone: 'Mars/Olympus_Mons' }), 'timeZone');
        await expectValidation(calendar.createEvent({ ...input, timeZone: 'UTC', end: input.start }), 'end');
        await expectValidation(
          calendar.createEvent({ ...input, timeZone: 'UTC', attendees: [{ email: 'not an email' }] }),
          'attendees.0.email',
        );
      });

      test('watch names the bad field', needs('push'), async (calendar) => {
        const input = { calendarId: fixture.calendarId, address: WATCH_ADDRESS, token: 'secret' };
        await expectValidation(calendar.watch({ ...input, address: 'http://insecure.example/hook' }), 'address');
        await expectValidation(calendar.watch({ ...input, ttlSeconds: 0 }), 'ttlSeconds');
      });

      test('every failure is an AlmanacError', needs('events'), async (calendar) => {
        const error = await rejection(calendar.getEvent({ calendarId: fixture.calendarId, eventId: fixture.missingEventId }));
        expect(AlmanacError.isInstance(error)).toBe(true);
      });
    });
  });
}
