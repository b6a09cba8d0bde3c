import { AuthError, ConfigError, ConflictError, NotFoundError, PermissionError, RateLimitError, createManualClock } from '@almanac/core';
import type { ManualClock } from '@almanac/core';
import { calendar } from '@googleapis/calendar';
import nock from 'nock';
import { useStrictNock } from '@almanac/core/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { createGoogleCalendarProvider, googleEventIdFor, renewChannelIfNeeded } from '../src/adapters/google';
import type { GoogleCalendarClient } from '../src/adapters/google';
import { buildGoogleProvider } from '../src/adapters/google/provider';
import { createCalendar } from '../src/facade';
import { decodeSyncToken, encodeSyncToken, windowAt } from '../src/sync/window';
import type { CalendarProvider, WatchChannel } from '../src/spec';
import { API, ERRORS, EVENTS_PATH, eventsPage, googleEvent, pendingConference, readyConference } from './fixtures/google/responses';

// The real SDK must be structurally assignable to the adapter's client interface.
const sdkClient: GoogleCalendarClient = calendar({ version: 'v3' });
void sdkClient;

const START = Date.parse('2026-03-01T00:00:00Z');

let clock: ManualClock;
let provider: CalendarProvider;

function make(): CalendarProvider {
  return createGoogleCalendarProvider({
    tokens: { getToken: async () => 'test-access-token' },
    clock,
    retry: { maxAttempts: 3, random: () => 0 },
  });
}

/** Lets the pending call reach its backoff sleep. */
async function untilSleeping(target: ManualClock, count = 1): Promise<void> {
  const deadline = Date.now() + 5000;
  while (target.pendingSleeps() < count && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 2));
  expect(target.pendingSleeps()).toBe(count);
}

useStrictNock();

beforeEach(() => {
  clock = createManualClock(START);
  provider = make();
});

const range = { start: new Date('2026-03-01T00:00:00Z'), end: new Date('2026-04-01T00:00:00Z') };

describe('google adapter: events.list', () => {
  it('lists expanded events page by page with Google query parameters, mapping every field', async () => {
    const meet = googleEvent({
      id: 'series1_20260310T140000Z',
      recurringEventId: 'series1',
      originalStartTime: { dateTime: '2026-03-10T10:00:00-04:00', timeZone: 'America/New_York' },
      attendees: [
        { email: 'ada@example.com', organizer: true, self: true, responseStatus: 'accepted' },
        { email: 'bob@example.com', displayName: 'Bob', optional: true, responseStatus: 'tentative' },
        { email: 'room-1@resource.calendar.google.com', resource: true, responseStatus: 'accepted' },
      ],
      hangoutLink: 'https://meet.google.com/abc-defg-hij',
      conferenceData: readyConference('req-1'),
      reminders: { useDefault: false, overrides: [{ method: 'email', minutes: 60 }, { method: 'popup', minutes: 10 }] },
    });
    const allDay = googleEvent({ id: 'allday1', start: { date: '2026-03-20' }, end: { date: '2026-03-21' }, transparency: 'transparent' });
    const noZone = googleEvent({ id: 'nozone1', start: { dateTime: '2026-03-12T09:00:00Z' }, end: { dateTime: '2026-03-12T10:00:00Z' } });
    nock(API)
      .get(EVENTS_PATH('primary'))
      .query({
        singleEvents: 'true',
        orderBy: 'startTime',
        timeMin: '2026-03-01T00:00:00.000Z',
        timeMax: '2026-04-01T00:00:00.000Z',
        maxResults: '2',
      })
      .matchHeader('authorization', 'Bearer test-access-token')
      .reply(200, eventsPage([meet, allDay], { nextPageToken: 'page-2', timeZone: 'Europe/London' }))
      .get(EVENTS_PATH('primary'))
      .query({
        singleEvents: 'true',
        orderBy: 'startTime',
        timeMin: '2026-03-01T00:00:00.000Z',
        timeMax: '2026-04-01T00:00:00.000Z',
        maxResults: '2',
        pageToken: 'page-2',
      })
      .reply(200, eventsPage([noZone], { timeZone: 'Europe/London' }));

    const first = await provider.listEventsPage({ calendarId: 'primary', range, pageSize: 2 });
    expect(first.nextCursor).toBe('page-2');
    const [series, day] = first.items;
    expect(series).toMatchObject({
      id: 'series1_20260310T140000Z',
      calendarId: 'primary',
      title: 'Team Sync',
      start: { dateTime: new Date('2026-03-10T14:00:00Z'), timeZone: 'America/New_York' },
      end: { dateTime: new Date('2026-03-10T14:30:00Z'), timeZone: 'America/New_York' },
      organizer: 'ada@example.com',
      status: 'confirmed',
      transparency: 'opaque',
      recurringEventId: 'series1',
      joinUrl: 'https://meet.google.com/abc-defg-hij',
      conference: 'meet',
      etag: '"3531234567890000"',
      updated: new Date('2026-02-02T09:30:00.000Z'),
      reminders: [
        { minutesBefore: 60, method: 'email' },
        { minutesBefore: 10, method: 'popup' },
      ],
    });
    expect(series?.attendees).toEqual([
      { email: 'ada@example.com', response: 'accepted' },
      { email: 'bob@example.com', name: 'Bob', optional: true, response: 'tentative' },
      { email: 'room-1@resource.calendar.google.com', response: 'accepted', resource: true },
    ]);
    expect(series?.raw).toEqual(meet);
    expect(day).toMatchObject({ start: { date: '2026-03-20' }, end: { date: '2026-03-21' }, transparency: 'transparent' });

    const second = await provider.listEventsPage({ calendarId: 'primary', range, pageSize: 2, cursor: 'page-2' });
    expect(second.nextCursor).toBeUndefined();
    // No start.timeZone on the event: the calendar's zone from the list response is used.
    expect(second.items[0]?.start).toEqual({ dateTime: new Date('2026-03-12T09:00:00Z'), timeZone: 'Europe/London' });
  });

  it('getEvent maps 404 to NotFoundError and a cancelled (deleted) event too', async () => {
    nock(API)
      .get(`${EVENTS_PATH('primary')}/gone1`)
      .reply(404, ERRORS.notFound404)
      .get(`${EVENTS_PATH('primary')}/cancelled1`)
      .reply(200, googleEvent({ id: 'cancelled1', status: 'cancelled' }));
    await expect(provider.getEvent({ calendarId: 'primary', eventId: 'gone1' })).rejects.toSatisfy((error: unknown) => NotFoundError.isInstance(error));
    await expect(provider.getEvent({ calendarId: 'primary', eventId: 'cancelled1' })).rejects.toSatisfy((error: unknown) => NotFoundError.isInstance(error));
  });
});

describe('google adapter: retries and error mapping', () => {
  it('retries a 429 after its Retry-After on the injected clock', async () => {
    nock(API)
      .get(EVENTS_PATH('primary'))
      .query(true)
      .reply(429, ERRORS.rateLimit429, { 'Retry-After': '3' })
      .get(EVENTS_PATH('primary'))
      .query(true)
      .reply(200, eventsPage([googleEvent()]));
    const pending = provider.listEventsPage({ calendarId: 'primary', range });
    await untilSleeping(clock);
    await clock.advance(2999);
    expect(nock.pendingMocks()).toHaveLength(1);
    await clock.advance(1);
    const page = await pending;
    expect(page.items).toHaveLength(1);
  });

  it('retries 403 userRateLimitExceeded and 5xx', async () => {
    nock(API)
      .get(`${EVENTS_PATH('primary')}/evt001abc`)
      .reply(403, ERRORS.userRateLimit403)
      .get(`${EVENTS_PATH('primary')}/evt001abc`)
      .reply(503, ERRORS.backend503)
      .get(`${EVENTS_PATH('primary')}/evt001abc`)
      .reply(200, googleEvent());
    const pending = provider.getEvent({ calendarId: 'primary', eventId: 'evt001abc' });
    await untilSleeping(clock);
    await clock.advance(0);
    await untilSleeping(clock);
    await clock.advance(0);
    expect((await pending).id).toBe('evt001abc');
  });

  it('never retries quotaExceeded or forbiddenForNonOrganizer', async () => {
    nock(API)
      .get(`${EVENTS_PATH('primary')}/a`)
      .reply(403, ERRORS.quotaExceeded403)
      .patch(`${EVENTS_PATH('primary')}/b`)
      .query(true)
      .reply(403, ERRORS.forbiddenForNonOrganizer403);
    const quota = await provider.getEvent({ calendarId: 'primary', eventId: 'a' }).catch((error: unknown) => error);
    expect(RateLimitError.isInstance(quota)).toBe(true);
    expect((quota as RateLimitError).retryable).toBe(false);
    expect((quota as Error).message).toContain('quotaExceeded');
    const organizer = await provider
      .updateEvent?.({ calendarId: 'primary', eventId: 'b', patch: { title: 'x' } })
      .catch((error: unknown) => error);
    expect(PermissionError.isInstance(organizer)).toBe(true);
    expect(clock.pendingSleeps()).toBe(0);
  });

  it('maps 401 to AuthError', async () => {
    nock(API).get(`${EVENTS_PATH('primary')}/a`).reply(401, ERRORS.authError401);
    await expect(provider.getEvent({ calendarId: 'primary', eventId: 'a' })).rejects.toSatisfy((error: unknown) => AuthError.isInstance(error));
  });

  it('throws a ConfigError naming the package when the SDK is missing', async () => {
    const missing = buildGoogleProvider({ auth: 'api-key', clock }, () =>
      Promise.reject(Object.assign(new Error("Cannot find package '@googleapis/calendar'"), { code: 'ERR_MODULE_NOT_FOUND' })),
    );
    const error = await missing.getEvent({ calendarId: 'primary', eventId: 'x' }).catch((caught: unknown) => caught);
    expect(ConfigError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('npm install @googleapis/calendar');
  });

  it('rejects options without credentials', () => {
    expect(() => createGoogleCalendarProvider({})).toThrow(/auth: give one of auth, tokens or client/);
  });
});

describe('google adapter: createEvent', () => {
  const base = {
    calendarId: 'primary',
    title: 'Planning',
    start: new Date('2026-03-10T15:00:00Z'),
    end: new Date('2026-03-10T16:00:00Z'),
    timeZone: 'Europe/London',
  };

  it('inserts with explicit zones, sendUpdates and a Meet request, polling while pending', async () => {
    const id = googleEventIdFor('primary', 'key-1');
    let body: Record<string, unknown> | undefined;
    nock(API)
      .post(EVENTS_PATH('primary'), (value: Record<string, unknown>) => {
        body = value;
        return true;
      })
      .query({ sendUpdates: 'none', conferenceDataVersion: '1' })
      .reply(200, (_uri, requestBody) => ({ ...googleEvent({ id }), ...(requestBody as object), conferenceData: pendingConference(id) }))
      .get(`${EVENTS_PATH('primary')}/${id}`)
      .reply(200, googleEvent({ id, conferenceData: pendingConference(id) }))
      .get(`${EVENTS_PATH('primary')}/${id}`)
      .reply(200, googleEvent({ id, conferenceData: readyConference(id), hangoutLink: 'https://meet.google.com/abc-defg-hij' }));
    const pending = provider.createEvent?.({
      ...base,
      conference: 'meet',
      idempotencyKey: 'key-1',
      notify: false,
      attendees: [{ email: 'bob@example.com', name: 'Bob' }],
      reminders: [{ minutesBefore: 15 }],
    });
    await untilSleeping(clock);
    await clock.advance(500);
    await untilSleeping(clock);
    await clock.advance(1000);
    const event = await pending;
    expect(body).toEqual({
      id,
      summary: 'Planning',
      start: { dateTime: '2026-03-10T15:00:00.000Z', timeZone: 'Europe/London' },
      end: { dateTime: '2026-03-10T16:00:00.000Z', timeZone: 'Europe/London' },
      attendees: [{ email: 'bob@example.com', displayName: 'Bob' }],
      reminders: { useDefault: false, overrides: [{ method: 'popup', minutes: 15 }] },
      conferenceData: { createRequest: { requestId: id, conferenceSolutionKey: { type: 'hangoutsMeet' } } },
    });
    expect(id).toMatch(/^[0-9a-v]{52}$/);
    expect(event).toMatchObject({ id, joinUrl: 'https://meet.google.com/abc-defg-hij', conference: 'meet' });
  });

  it('fails clearly when the Meet link stays pending', async () => {
    const slow = createGoogleCalendarProvider({ tokens: { getToken: async () => 't' }, clock, conferencePollDelaysMs: [100] });
    nock(API)
      .post(EVENTS_PATH('primary'))
      .query(true)
      .reply(200, googleEvent({ id: 'e1', conferenceData: pendingConference('r') }))
      .get(`${EVENTS_PATH('primary')}/e1`)
      .reply(200, googleEvent({ id: 'e1', conferenceData: pendingConference('r') }));
    const pending = slow.createEvent?.({ ...base, conference: 'meet' }).catch((error: unknown) => error);
    await untilSleeping(clock);
    await clock.advance(100);
    expect(String(await pending)).toMatch(/"e1" was created but its Meet link is still pending/);
  });

  it('creates all-day events as dates and never sends sendNotifications', async () => {
    let body: Record<string, unknown> | undefined;
    nock(API)
      .post(EVENTS_PATH('primary'), (value: Record<string, unknown>) => {
        body = value;
        return true;
      })
      .query({ sendUpdates: 'all' })
      .reply(200, googleEvent({ id: 'day1', start: { date: '2026-03-29' }, end: { date: '2026-03-30' } }));
    // Midnight in Kolkata is still the previous day in UTC.
    const event = await provider.createEvent?.({
      ...base,
      start: new Date('2026-03-28T18:30:00Z'),
      end: new Date('2026-03-29T18:30:00Z'),
      timeZone: 'Asia/Kolkata',
      allDay: true,
    });
    expect(body?.['start']).toEqual({ date: '2026-03-29' });
    expect(body?.['end']).toEqual({ date: '2026-03-30' });
    expect(event?.start).toEqual({ date: '2026-03-29' });
  });

  it('a retried insert that hits 409 duplicate returns the existing event', async () => {
    const id = googleEventIdFor('primary', 'order-42');
    nock(API)
      .post(EVENTS_PATH('primary'), (value: { id?: string }) => value.id === id)
      .query(true)
      .reply(409, ERRORS.duplicate409)
      .get(`${EVENTS_PATH('primary')}/${id}`)
      .reply(200, googleEvent({ id, summary: 'Planning' }));
    const event = await provider.createEvent?.({ ...base, idempotencyKey: 'order-42' });
    expect(event).toMatchObject({ id, title: 'Planning' });
  });

  it('retries an insert carrying the deterministic id after a 503, but never one without a key', async () => {
    nock(API)
      .post(EVENTS_PATH('primary'))
      .query(true)
      .reply(503, ERRORS.backend503)
      .post(EVENTS_PATH('primary'))
      .query(true)
      .reply(200, googleEvent({ id: googleEventIdFor('primary', 'k') }));
    const pending = provider.createEvent?.({ ...base, idempotencyKey: 'k' });
    await untilSleeping(clock);
    await clock.advance(0);
    expect((await pending)?.id).toBe(googleEventIdFor('primary', 'k'));

    nock(API).post(EVENTS_PATH('primary')).query(true).reply(503, ERRORS.backend503);
    await expect(provider.createEvent?.(base)).rejects.toMatchObject({ status: 503 });
  });
});

describe('google adapter: update and cancel', () => {
  it('patches with If-Match and maps 412 to ConflictError', async () => {
    nock(API)
      .patch(`${EVENTS_PATH('primary')}/e1`, {
        summary: 'New',
        start: { dateTime: '2026-03-10T16:00:00.000Z', timeZone: 'Europe/London' },
        // A zone change applies to both ends; patch merges, so the stored end instant stays.
        end: { timeZone: 'Europe/London' },
      })
      .query({ sendUpdates: 'all' })
      .matchHeader('if-match', '"old"')
      .reply(412, ERRORS.preconditionFailed412)
      .patch(`${EVENTS_PATH('primary')}/e1`, { summary: 'New' })
      .query({ sendUpdates: 'none' })
      .matchHeader('if-match', '"3531234567890000"')
      .reply(200, googleEvent({ id: 'e1', summary: 'New', etag: '"3531234567899999"' }));
    await expect(
      provider.updateEvent?.({
        calendarId: 'primary',
        eventId: 'e1',
        etag: '"old"',
        patch: { title: 'New', start: new Date('2026-03-10T16:00:00Z'), timeZone: 'Europe/London' },
      }),
    ).rejects.toSatisfy((error: unknown) => ConflictError.isInstance(error));
    const updated = await provider.updateEvent?.({
      calendarId: 'primary',
      eventId: 'e1',
      etag: '"3531234567890000"',
      notify: false,
      patch: { title: 'New' },
    });
    expect(updated).toMatchObject({ title: 'New', etag: '"3531234567899999"' });
  });

  it('delete is idempotent: 204, then 410 deleted, then 404 all succeed', async () => {
    nock(API)
      .delete(`${EVENTS_PATH('primary')}/e1`)
      .query({ sendUpdates: 'none' })
      .reply(204)
      .delete(`${EVENTS_PATH('primary')}/e1`)
      .query({ sendUpdates: 'all' })
      .reply(410, ERRORS.deleted410)
      .delete(`${EVENTS_PATH('primary')}/e1`)
      .query(true)
      .reply(404, ERRORS.notFound404);
    await expect(provider.cancelEvent?.({ calendarId: 'primary', eventId: 'e1', notify: false })).resolves.toBeUndefined();
    await expect(provider.cancelEvent?.({ calendarId: 'primary', eventId: 'e1', notify: true })).resolves.toBeUndefined();
    await expect(provider.cancelEvent?.({ calendarId: 'primary', eventId: 'e1', notify: true })).resolves.toBeUndefined();
    expect(nock.isDone()).toBe(true);
  });
});

describe('google adapter: sync', () => {
  it('follows pages until nextSyncToken (last page only) and reports cancelled items as deleted', async () => {
    nock(API)
      .get(EVENTS_PATH('primary'))
      .query({ syncToken: 'sync-1', maxResults: '250' })
      .reply(200, eventsPage([googleEvent({ id: 'changed1', summary: 'Moved' })], { nextPageToken: 'p2' }))
      .get(EVENTS_PATH('primary'))
      .query({ syncToken: 'sync-1', maxResults: '250', pageToken: 'p2' })
      .reply(200, eventsPage([{ kind: 'calendar#event', etag: '"1"', id: 'gone1', status: 'cancelled' }], { nextSyncToken: 'sync-2' }));
    const window = windowAt(START);
    const result = await provider.sync?.({ calendarId: 'primary', syncToken: encodeSyncToken(window, 'sync-1') });
    expect(result?.changes.map((event) => event.title)).toEqual(['Moved']);
    expect(result?.deleted).toEqual(['gone1']);
    expect(decodeSyncToken(result?.nextSyncToken ?? '')).toEqual({ window, inner: 'sync-2' });
    expect(result?.fullResync).toBe(false);
  });

  it('410 fullSyncRequired restarts as a transparent full sync', async () => {
    nock(API)
      .get(EVENTS_PATH('primary'))
      .query({ syncToken: 'expired', maxResults: '250' })
      .reply(410, ERRORS.fullSyncRequired410)
      .get(EVENTS_PATH('primary'))
      .query({ maxResults: '250' })
      .reply(200, eventsPage([googleEvent({ id: 'all1' })], { nextSyncToken: 'fresh' }));
    const result = await provider.sync?.({ calendarId: 'primary', syncToken: encodeSyncToken(windowAt(START), 'expired') });
    expect(result).toMatchObject({ fullResync: true, deleted: [] });
    expect(decodeSyncToken(result?.nextSyncToken ?? '')?.inner).toBe('fresh');
    expect(result?.changes.map((event) => event.id)).toEqual(['all1']);
  });
});

describe('google adapter: freeBusy', () => {
  // The facade splits to the adapter's advertised limits; the adapter itself never splits.
  it('splits 120 calendars into 3 queries of at most 50 (facade) and surfaces busy blocks', async () => {
    const ids = Array.from({ length: 120 }, (_, index) => `user${index}@example.com`);
    const sizes: number[] = [];
    nock(API)
      .post('/calendar/v3/freeBusy')
      .times(3)
      .reply(200, (_uri, body) => {
        const request = body as { timeMin: string; timeMax: string; items: Array<{ id: string }> };
        sizes.push(request.items.length);
        return {
          kind: 'calendar#freeBusy',
          timeMin: request.timeMin,
          timeMax: request.timeMax,
          calendars: Object.fromEntries(
            request.items.map(({ id }) => [id, { busy: [{ start: '2026-03-02T09:00:00Z', end: '2026-03-02T10:00:00Z' }] }]),
          ),
        };
      });
    const result = await createCalendar(provider).freeBusy({ calendars: ids, range });
    expect(sizes).toEqual([50, 50, 20]);
    expect(result.map((entry) => entry.calendarId)).toEqual(ids);
    expect(result[119]?.busy).toEqual([
      { start: new Date('2026-03-02T09:00:00Z'), end: new Date('2026-03-02T10:00:00Z'), source: 'Google Calendar' },
    ]);
  });

  it('splits ranges longer than 60 days (facade) and glues blocks cut at the seam', async () => {
    const windows: Array<[string, string]> = [];
    nock(API)
      .post('/calendar/v3/freeBusy')
      .times(2)
      .reply(200, (_uri, body) => {
        const request = body as { timeMin: string; timeMax: string };
        windows.push([request.timeMin, request.timeMax]);
        const seam = '2026-03-02T00:00:00.000Z';
        const busy = request.timeMin === seam ? [{ start: seam, end: '2026-03-02T01:00:00Z' }] : [{ start: '2026-03-01T23:00:00Z', end: seam }];
        return { kind: 'calendar#freeBusy', timeMin: request.timeMin, timeMax: request.timeMax, calendars: { primary: { busy } } };
      });
    const result = await createCalendar(provider).freeBusy({ range: { start: new Date('2026-01-01T00:00:00Z'), end: new Date('2026-04-01T00:00:00Z') } });
    expect(windows).toEqual([
      ['2026-01-01T00:00:00.000Z', '2026-03-02T00:00:00.000Z'],
      ['2026-03-02T00:00:00.000Z', '2026-04-01T00:00:00.000Z'],
    ]);
    expect(result).toEqual([
      {
        calendarId: 'primary',
        busy: [{ start: new Date('2026-03-01T23:00:00Z'), end: new Date('2026-03-02T01:00:00Z'), source: 'Google Calendar' }],
      },
    ]);
  });

  it('throws NotFoundError naming a calendar Google reports as notFound', async () => {
    nock(API)
      .post('/calendar/v3/freeBusy')
      .reply(200, {
        kind: 'calendar#freeBusy',
        timeMin: '2026-03-01T00:00:00.000Z',
        timeMax: '2026-04-01T00:00:00.000Z',
        calendars: {
          'ok@example.com': { busy: [] },
          'nobody@example.com': { errors: [{ domain: 'global', reason: 'notFound' }], busy: [] },
        },
      });
    const error = await provider.freeBusy({ calendars: ['ok@example.com', 'nobody@example.com'], range }).catch((caught: unknown) => caught);
    expect(NotFoundError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('nobody@example.com');
  });
});

describe('google adapter: watch', () => {
  it('starts a web_hook channel and stops it with id and resourceId', async () => {
    let watchBody: Record<string, unknown> | undefined;
    nock(API)
      .post(`${EVENTS_PATH('primary')}/watch`, (value: Record<string, unknown>) => {
        watchBody = value;
        return true;
      })
      .reply(200, (_uri, body) => ({
        kind: 'api#channel',
        id: (body as { id: string }).id,
        resourceId: 'o3hgv1538sdjfh',
        resourceUri: 'https://www.googleapis.com/calendar/v3/calendars/primary/events?alt=json',
        token: 'channel-secret',
        expiration: '1773100800000',
      }))
      .post('/calendar/v3/channels/stop', (value: { id: string; resourceId: string }) => value.resourceId === 'o3hgv1538sdjfh')
      .reply(204)
      .post('/calendar/v3/channels/stop')
      .reply(404, ERRORS.notFound404);
    const channel = await provider.watch?.({
      calendarId: 'primary',
      address: 'https://hooks.example.com/google',
      token: 'channel-secret',
      ttlSeconds: 86400,
    });
    expect(watchBody).toEqual({
      id: channel?.id,
      type: 'web_hook',
      address: 'https://hooks.example.com/google',
      token: 'channel-secret',
      params: { ttl: '86400' },
    });
    expect(channel).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      resourceId: 'o3hgv1538sdjfh',
      calendarId: 'primary',
      expiresAt: new Date(1773100800000),
      address: 'https://hooks.example.com/google',
    });
    await provider.unwatch?.(channel as WatchChannel);
    await provider.unwatch?.(channel as WatchChannel);
  });

  it('renewChannelIfNeeded starts the new channel before stopping the old one', async () => {
    const old: WatchChannel = {
      id: 'old',
      resourceId: 'res-old',
      calendarId: 'primary',
      expiresAt: new Date(START + 30 * 60_000),
      address: 'https://hooks.example.com/google',
    };
    const calls: string[] = [];
    const fake = {
      watch: async () => {
        calls.push('watch');
        return { ...old, id: 'new', expiresAt: new Date(START + 7 * 86_400_000) };
      },
      unwatch: async (channel: WatchChannel) => {
        calls.push(`unwatch:${channel.id}`);
      },
    };
    const early = await renewChannelIfNeeded(fake, old, { now: START - 86_400_000, token: 't' });
    expect(early).toEqual({ channel: old, renewed: false });
    const renewed = await renewChannelIfNeeded(fake, old, { now: START, token: 't', renewBeforeMs: 3_600_000 });
    expect(renewed.renewed).toBe(true);
    expect(renewed.channel.id).toBe('new');
    expect(calls).toEqual(['watch', 'unwatch:old']);
  });
});
