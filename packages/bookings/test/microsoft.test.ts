import {
  AuthError,
  ConfigError,
  ConflictError,
  NotFoundError,
  PermissionError,
  ProviderError,
  RateLimitError,
  ValidationError,
  createManualClock,
} from '@almanac/core';
import type { ManualClock } from '@almanac/core';
import { Client } from '@microsoft/microsoft-graph-client';
import nock from 'nock';
import { useStrictNock } from '@almanac/core/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { MAX_SUBSCRIPTION_MINUTES, createMicrosoftCalendar, createMicrosoftCalendarProvider, renewSubscriptionIfNeeded } from '../src/adapters/microsoft';
import type { GraphClientLike, MicrosoftCalendarProvider, MsalModuleLike } from '../src/adapters/microsoft';
import { createCalendar } from '../src/facade';
import { decodeSyncToken, encodeSyncToken, windowAt } from '../src/sync/window';
import { GRAPH, USER, USER_ID, graphError, graphEvent, scheduleInformation, scheduleResponse, subscription } from './fixtures/microsoft/responses';

// The real SDK client must fit the adapter's structural client type.
const sdkClient: GraphClientLike = Client.init({ authProvider: (done) => done(null, 'token') });
void sdkClient;

const START = Date.parse('2026-03-01T00:00:00Z');
let clock: ManualClock;
let provider: MicrosoftCalendarProvider;

function make(extra: Record<string, unknown> = {}): MicrosoftCalendarProvider {
  return createMicrosoftCalendarProvider({
    getAccessToken: async () => 'test-access-token',
    userId: USER_ID,
    clock,
    retry: { maxAttempts: 3, random: () => 0 },
    ...extra,
  } as Parameters<typeof createMicrosoftCalendarProvider>[0]);
}

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

describe('microsoft adapter: getSchedule', () => {
  it('reads zone-less times in the returned Windows zone across the US DST change', async () => {
    let body: Record<string, unknown> | undefined;
    nock(GRAPH)
      .post(`${USER}/calendar/getSchedule`, (b) => {
        body = b;
        return true;
      })
      .matchHeader('prefer', 'outlook.timezone="UTC"')
      .matchHeader('authorization', 'Bearer test-access-token')
      .reply(
        200,
        scheduleResponse([
          scheduleInformation('adelev@contoso.com', [
            // The Prefer header was not honoured: times come back in Pacific time.
            {
              isPrivate: false,
              status: 'busy',
              subject: 'Planning',
              location: 'Rainier',
              isMeeting: true,
              isRecurring: false,
              isException: false,
              isReminderSet: true,
              start: { dateTime: '2026-03-05T08:00:00.0000000', timeZone: 'Pacific Standard Time' },
              end: { dateTime: '2026-03-05T09:00:00.0000000', timeZone: 'Pacific Standard Time' },
            },
            {
              isPrivate: false,
              status: 'tentative',
              start: { dateTime: '2026-03-09T08:00:00.0000000', timeZone: 'Pacific Standard Time' },
              end: { dateTime: '2026-03-09T08:30:00.0000000', timeZone: 'Pacific Standard Time' },
            },
            { status: 'free', subject: 'Focus', start: { dateTime: '2026-03-10T17:00:00.0000000', timeZone: 'UTC' }, end: { dateTime: '2026-03-10T18:00:00.0000000', timeZone: 'UTC' } },
            { status: 'workingElsewhere', start: { dateTime: '2026-03-11T17:00:00.0000000', timeZone: 'UTC' }, end: { dateTime: '2026-03-11T18:00:00.0000000', timeZone: 'UTC' } },
            { status: 'oof', start: { dateTime: '2026-03-12T00:00:00.0000000', timeZone: 'UTC' }, end: { dateTime: '2026-03-13T00:00:00.0000000', timeZone: 'UTC' } },
          ]),
        ]),
      );
    const [result] = await provider.freeBusy({
      calendars: ['adelev@contoso.com'],
      range: { start: new Date('2026-03-02T00:00:00Z'), end: new Date('2026-03-16T00:00:00Z') },
    });
    expect(body).toEqual({
      schedules: ['adelev@contoso.com'],
      startTime: { dateTime: '2026-03-02T00:00:00.000', timeZone: 'UTC' },
      endTime: { dateTime: '2026-03-16T00:00:00.000', timeZone: 'UTC' },
      availabilityViewInterval: 60,
    });
    expect(result?.calendarId).toBe('adelev@contoso.com');
    expect(result?.busy.map((b) => [b.start.toISOString(), b.end.toISOString(), b.source])).toEqual([
      // 08:00 PST = 16:00Z before 8 March, 08:00 PDT = 15:00Z after.
      ['2026-03-05T16:00:00.000Z', '2026-03-05T17:00:00.000Z', 'Microsoft 365: Planning'],
      ['2026-03-09T15:00:00.000Z', '2026-03-09T15:30:00.000Z', undefined],
      ['2026-03-12T00:00:00.000Z', '2026-03-13T00:00:00.000Z', undefined],
    ]);
  });

  it('splits 30 mailboxes into calls of 20 and 10', async () => {
    const calendars = Array.from({ length: 30 }, (_, i) => `user${i}@contoso.com`);
    const sizes: number[] = [];
    nock(GRAPH)
      .post(`${USER}/calendar/getSchedule`)
      .times(2)
      .reply(200, (_uri, b) => {
        const schedules = (b as { schedules: string[] }).schedules;
        sizes.push(schedules.length);
        return scheduleResponse(schedules.map((id) => scheduleInformation(id, [])));
      });
    // The facade splits to the adapter's advertised limits; the adapter itself never splits.
    const results = await createCalendar(provider).freeBusy({ calendars, range: { start: new Date(START), end: new Date(START + 86_400_000) } });
    expect(sizes).toEqual([20, 10]);
    expect(results.map((r) => r.calendarId)).toEqual(calendars);
  });

  it('splits a 100-day range into calls under 62 days', async () => {
    const ranges: Array<[string, string]> = [];
    nock(GRAPH)
      .post(`${USER}/calendar/getSchedule`)
      .times(2)
      .reply(200, (_uri, b) => {
        const { startTime, endTime } = b as { startTime: { dateTime: string }; endTime: { dateTime: string } };
        ranges.push([startTime.dateTime, endTime.dateTime]);
        return scheduleResponse([scheduleInformation('a@contoso.com', [])]);
      });
    await createCalendar(provider).freeBusy({ calendars: ['a@contoso.com'], range: { start: new Date(START), end: new Date(START + 100 * 86_400_000) } });
    expect(ranges).toEqual([
      ['2026-03-01T00:00:00.000', '2026-05-01T00:00:00.000'],
      ['2026-05-01T00:00:00.000', '2026-06-09T00:00:00.000'],
    ]);
  });

  it('surfaces a per-mailbox error as NotFoundError instead of reporting the mailbox free', async () => {
    nock(GRAPH)
      .post(`${USER}/calendar/getSchedule`)
      .reply(
        200,
        scheduleResponse([
          {
            scheduleId: 'ghost@contoso.com',
            availabilityView: '',
            error: { message: 'The specified user could not be found.', responseCode: 'ErrorMailRecipientNotFound' },
          },
        ]),
      );
    await expect(
      provider.freeBusy({ calendars: ['ghost@contoso.com'], range: { start: new Date(START), end: new Date(START + 86_400_000) } }),
    ).rejects.toSatisfy((e) => NotFoundError.isInstance(e) && /ghost@contoso.com/.test((e as Error).message));
  });

  it('resolves primary to the mailbox address once', async () => {
    nock(GRAPH).get(USER).query({ $select: 'mail,userPrincipalName' }).reply(200, { mail: 'AdeleV@contoso.com', userPrincipalName: 'AdeleV@contoso.com' });
    nock(GRAPH)
      .post(`${USER}/calendar/getSchedule`, (b) => b.schedules[0] === 'AdeleV@contoso.com')
      .times(2)
      .reply(200, scheduleResponse([scheduleInformation('AdeleV@contoso.com', [])]));
    const range = { start: new Date(START), end: new Date(START + 86_400_000) };
    expect((await provider.freeBusy({ range }))[0]?.calendarId).toBe('primary');
    await provider.freeBusy({ calendars: ['primary'], range });
  });
});

describe('microsoft adapter: calendarView', () => {
  const range = { start: new Date('2026-03-01T00:00:00Z'), end: new Date('2026-04-01T00:00:00Z') };

  it('pages with @odata.nextLink and maps every field', async () => {
    const nextLink = `${GRAPH}${USER}/calendar/calendarView?startDateTime=2026-03-01T00%3a00%3a00.000Z&endDateTime=2026-04-01T00%3a00%3a00.000Z&%24top=2&%24skip=2`;
    nock(GRAPH)
      .get(`${USER}/calendar/calendarView`)
      .query({ startDateTime: '2026-03-01T00:00:00.000Z', endDateTime: '2026-04-01T00:00:00.000Z', $top: '2', $orderby: 'start/dateTime' })
      .matchHeader('prefer', 'outlook.timezone="UTC", outlook.body-content-type="text"')
      .reply(200, {
        '@odata.context': `${GRAPH}/v1.0/$metadata#users('${USER_ID}')/calendar/calendarView`,
        '@odata.nextLink': nextLink,
        value: [
          graphEvent({
            attendees: [
              { type: 'required', status: { response: 'accepted', time: '2026-02-21T10:00:00Z' }, emailAddress: { name: 'Megan Bowen', address: 'MeganB@contoso.com' } },
              { type: 'optional', status: { response: 'tentativelyAccepted', time: '2026-02-21T10:00:00Z' }, emailAddress: { name: 'Lee Gu', address: 'LeeG@contoso.com' } },
              { type: 'resource', status: { response: 'none', time: '0001-01-01T00:00:00Z' }, emailAddress: { name: 'Conf Room Rainier', address: 'Rainier@contoso.com' } },
            ],
            isOnlineMeeting: true,
            onlineMeetingProvider: 'teamsForBusiness',
            onlineMeeting: { joinUrl: 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc%40thread.v2/0' },
          }),
          graphEvent({
            id: 'AAMkAllDay=',
            subject: 'Company offsite',
            isAllDay: true,
            originalStartTimeZone: 'Eastern Standard Time',
            originalEndTimeZone: 'Eastern Standard Time',
            // Converted to the preferred zone: midnight Eastern is 04:00Z.
            start: { dateTime: '2026-03-20T04:00:00.0000000', timeZone: 'UTC' },
            end: { dateTime: '2026-03-21T04:00:00.0000000', timeZone: 'UTC' },
            showAs: 'free',
          }),
        ],
      });
    nock(GRAPH)
      .get(`${USER}/calendar/calendarView`)
      .query({ startDateTime: '2026-03-01T00:00:00.000Z', endDateTime: '2026-04-01T00:00:00.000Z', $top: '2', $skip: '2' })
      .reply(200, {
        value: [
          graphEvent({
            id: 'AAMkOccurrence=',
            type: 'occurrence',
            seriesMasterId: 'AAMkMaster=',
            isCancelled: true,
            originalStartTimeZone: 'India Standard Time',
            onlineMeetingUrl: 'https://meet.example.com/abc',
          }),
        ],
      });
    const first = await provider.listEventsPage({ calendarId: 'primary', range, pageSize: 2 });
    expect(first.nextCursor).toBe(nextLink);
    const [teams, allDay] = first.items;
    expect(teams).toMatchObject({
      id: 'AAMkAGI2TG93AAA=',
      calendarId: 'primary',
      title: 'Quarterly planning',
      description: 'Agenda attached.',
      start: { dateTime: new Date('2026-03-09T16:00:00Z'), timeZone: 'America/Los_Angeles' },
      end: { dateTime: new Date('2026-03-09T17:00:00Z'), timeZone: 'America/Los_Angeles' },
      location: 'Conf Room Rainier',
      organizer: 'AdeleV@contoso.com',
      status: 'confirmed',
      transparency: 'opaque',
      joinUrl: 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc%40thread.v2/0',
      conference: 'teams',
      etag: 'W/"DwAAABYAAAAQ5ZZ0S+4M9kvUmuGNn4JPAAAnLd6B"',
      updated: new Date('2026-02-21T09:02:11.254Z'),
      reminders: [{ minutesBefore: 15, method: 'popup' }],
    });
    expect(teams?.attendees).toEqual([
      { email: 'MeganB@contoso.com', name: 'Megan Bowen', response: 'accepted' },
      { email: 'LeeG@contoso.com', name: 'Lee Gu', optional: true, response: 'tentative' },
      { email: 'Rainier@contoso.com', name: 'Conf Room Rainier', resource: true, response: 'needsAction' },
    ]);
    expect(teams?.raw).toMatchObject({ id: 'AAMkAGI2TG93AAA=' });
    expect(allDay).toMatchObject({ start: { date: '2026-03-20' }, end: { date: '2026-03-21' }, transparency: 'transparent' });

    const second = await provider.listEventsPage({ calendarId: 'primary', range, cursor: nextLink });
    expect(second.nextCursor).toBeUndefined();
    expect(second.items[0]).toMatchObject({
      status: 'cancelled',
      recurringEventId: 'AAMkMaster=',
      joinUrl: 'https://meet.example.com/abc',
      start: { timeZone: 'Asia/Kolkata' },
    });
    expect(second.items[0]?.conference).toBeUndefined();
  });

  it('uses /calendars/{id} for other calendars and /users/{address}/calendar for mailboxes', async () => {
    nock(GRAPH).get(`${USER}/calendars/AAMkCal%3D/calendarView`).query(true).reply(200, { value: [] });
    nock(GRAPH).get('/v1.0/users/room1%40contoso.com/calendar/calendarView').query(true).reply(200, { value: [] });
    await expect(provider.listEventsPage({ calendarId: 'AAMkCal=', range })).resolves.toEqual({ items: [] });
    await expect(provider.listEventsPage({ calendarId: 'room1@contoso.com', range })).resolves.toEqual({ items: [] });
  });

  it('rejects a cursor that is not a Graph URL, so the token is never sent elsewhere', async () => {
    await expect(provider.listEventsPage({ calendarId: 'primary', range, cursor: 'https://evil.example.com/v1.0/me' })).rejects.toSatisfy(
      (e) => ValidationError.isInstance(e) && e.issues[0]?.path === 'cursor',
    );
  });

  it('retries a 429 after Retry-After on the injected clock', async () => {
    nock(GRAPH)
      .get(`${USER}/calendar/calendarView`)
      .query(true)
      .reply(429, graphError('ApplicationThrottled', 'Application is over its MailboxConcurrency limit.'), { 'Retry-After': '7' });
    nock(GRAPH).get(`${USER}/calendar/calendarView`).query(true).reply(200, { value: [graphEvent()] });
    let settled = false;
    const pending = provider.listEventsPage({ calendarId: 'primary', range }).finally(() => {
      settled = true;
    });
    await untilSleeping(clock);
    await clock.advance(6999);
    expect(settled).toBe(false);
    await clock.advance(1);
    expect((await pending).items).toHaveLength(1);
  });

  it('maps Graph errors onto core errors', async () => {
    nock(GRAPH).get(`${USER}/calendar/events/a`).reply(401, graphError('InvalidAuthenticationToken', 'Access token has expired.'));
    nock(GRAPH).get(`${USER}/calendar/events/b`).reply(403, graphError('ErrorAccessDenied', 'Access is denied. Check credentials and try again.'));
    nock(GRAPH).get(`${USER}/calendar/events/c`).reply(404, graphError('ErrorItemNotFound', 'The specified object was not found in the store.'));
    nock(GRAPH)
      .get(`${USER}/calendar/events/d`)
      .times(3)
      .reply(429, graphError('ApplicationThrottled', 'Too many requests'), { 'Retry-After': '600' });
    await expect(provider.getEvent({ calendarId: 'primary', eventId: 'a' })).rejects.toSatisfy((e) => AuthError.isInstance(e));
    await expect(provider.getEvent({ calendarId: 'primary', eventId: 'b' })).rejects.toSatisfy((e) => PermissionError.isInstance(e));
    await expect(provider.getEvent({ calendarId: 'primary', eventId: 'c' })).rejects.toSatisfy(
      (e) => NotFoundError.isInstance(e) && /ErrorItemNotFound/.test((e as Error).message),
    );
    // Longer than the policy's maxRetryAfterMs: fails at once with the wait attached.
    const throttled = await provider.getEvent({ calendarId: 'primary', eventId: 'd' }).catch((e: unknown) => e);
    expect(RateLimitError.isInstance(throttled) && throttled.retryAfterMs).toBe(600_000);
    nock.cleanAll();
  });
});

describe('microsoft adapter: writes', () => {
  const base = {
    calendarId: 'primary',
    title: 'Design review',
    start: new Date('2026-03-10T17:00:00Z'),
    end: new Date('2026-03-10T17:30:00Z'),
    timeZone: 'America/Los_Angeles',
  };

  it('creates a Teams meeting only when asked', async () => {
    const bodies: Array<Record<string, unknown>> = [];
    nock(GRAPH)
      .post(`${USER}/calendar/events`, (b) => {
        bodies.push(b);
        return true;
      })
      .times(2)
      .reply(201, (_uri, b) => graphEvent({ subject: (b as { subject: string }).subject }));
    await provider.createEvent({ ...base, conference: 'teams', attendees: [{ email: 'MeganB@contoso.com', optional: true }] });
    await provider.createEvent(base);
    expect(bodies[0]).toEqual({
      subject: 'Design review',
      start: { dateTime: '2026-03-10T10:00:00', timeZone: 'America/Los_Angeles' },
      end: { dateTime: '2026-03-10T10:30:00', timeZone: 'America/Los_Angeles' },
      attendees: [{ emailAddress: { address: 'MeganB@contoso.com' }, type: 'optional' }],
      isOnlineMeeting: true,
      onlineMeetingProvider: 'teamsForBusiness',
    });
    expect(bodies[1]).not.toHaveProperty('isOnlineMeeting');
    expect(bodies[1]).not.toHaveProperty('onlineMeetingProvider');
  });

  it('creates all-day events as midnight dates in the zone', async () => {
    let body: Record<string, unknown> | undefined;
    nock(GRAPH)
      .post(`${USER}/calendar/events`, (b) => {
        body = b;
        return true;
      })
      .reply(201, graphEvent({ isAllDay: true, start: { dateTime: '2026-03-20T00:00:00.0000000', timeZone: 'UTC' }, end: { dateTime: '2026-03-21T00:00:00.0000000', timeZone: 'UTC' } }));
    const created = await provider.createEvent({
      ...base,
      allDay: true,
      timeZone: 'America/New_York',
      start: new Date('2026-03-20T04:00:00Z'),
      end: new Date('2026-03-21T04:00:00Z'),
    });
    expect(body).toMatchObject({
      isAllDay: true,
      start: { dateTime: '2026-03-20T00:00:00', timeZone: 'America/New_York' },
      end: { dateTime: '2026-03-21T00:00:00', timeZone: 'America/New_York' },
    });
    expect(created.start).toEqual({ date: '2026-03-20' });
  });

  it('sends the idempotency key as transactionId and retries only then', async () => {
    nock(GRAPH)
      .post(`${USER}/calendar/events`, (b) => b.transactionId === 'booking-42')
      .reply(503, graphError('ServiceUnavailable', 'Service unavailable'), { 'Retry-After': '1' });
    nock(GRAPH)
      .post(`${USER}/calendar/events`, (b) => b.transactionId === 'booking-42')
      .reply(201, graphEvent({ transactionId: 'booking-42' }));
    const pending = provider.createEvent({ ...base, idempotencyKey: 'booking-42' });
    await untilSleeping(clock);
    await clock.advance(1000);
    expect((await pending).id).toBe('AAMkAGI2TG93AAA=');

    nock(GRAPH).post(`${USER}/calendar/events`).reply(503, graphError('ServiceUnavailable', 'Service unavailable'));
    await expect(provider.createEvent(base)).rejects.toSatisfy((e) => ProviderError.isInstance(e) && e.status === 503);
  });

  it("waits the Retry-After Graph sends with a 503 before retrying, on the injected clock", async () => {
    nock(GRAPH)
      .get(`${USER}/calendar/events/E1`)
      .reply(503, graphError('ServiceUnavailable', 'Service unavailable'), { 'Retry-After': '30' });
    const retried = nock(GRAPH).get(`${USER}/calendar/events/E1`).reply(200, graphEvent({ id: 'E1' }));
    const pending = provider.getEvent({ calendarId: 'primary', eventId: 'E1' });
    await untilSleeping(clock);
    await clock.advance(29_999);
    // Still waiting: the backoff alone (0 ms with this random) would have retried already.
    expect(clock.pendingSleeps()).toBe(1);
    expect(retried.isDone()).toBe(false);
    await clock.advance(1);
    expect((await pending).id).toBe('E1');
  });

  it('retries a patch only under If-Match', async () => {
    nock(GRAPH).patch(`${USER}/calendar/events/E1`).reply(503, graphError('ServiceUnavailable', 'Service unavailable'));
    await expect(provider.updateEvent({ calendarId: 'primary', eventId: 'E1', patch: { title: 'x' } })).rejects.toSatisfy(
      (e) => ProviderError.isInstance(e) && e.status === 503,
    );
    nock(GRAPH).patch(`${USER}/calendar/events/E1`).matchHeader('if-match', 'W/"v1"').reply(503, graphError('ServiceUnavailable', 'Service unavailable'));
    nock(GRAPH).patch(`${USER}/calendar/events/E1`).matchHeader('if-match', 'W/"v1"').reply(200, graphEvent({ id: 'E1' }));
    const pending = provider.updateEvent({ calendarId: 'primary', eventId: 'E1', patch: { title: 'x' }, etag: 'W/"v1"' });
    await untilSleeping(clock);
    await clock.advance(60_000);
    expect((await pending).id).toBe('E1');
  });

  it('patches with If-Match and maps 412 to ConflictError', async () => {
    nock(GRAPH)
      .patch(`${USER}/calendar/events/AAMkAGI2TG93AAA%3D`, { subject: 'Renamed' })
      .matchHeader('if-match', 'W/"old"')
      .reply(412, graphError('ErrorIrresolvableConflict', 'The send or update operation could not be performed because the change key passed in the request does not match the current change key for the item.'));
    await expect(
      provider.updateEvent({ calendarId: 'primary', eventId: 'AAMkAGI2TG93AAA=', patch: { title: 'Renamed' }, etag: 'W/"old"' }),
    ).rejects.toSatisfy((e) => ConflictError.isInstance(e) && e.status === 412);
  });

  it('keeps the event zone when only the times change', async () => {
    nock(GRAPH).get(`${USER}/calendar/events/E1`).reply(200, graphEvent({ id: 'E1' }));
    nock(GRAPH)
      .patch(`${USER}/calendar/events/E1`, {
        start: { dateTime: '2026-03-11T09:00:00', timeZone: 'America/Los_Angeles' },
        end: { dateTime: '2026-03-11T10:00:00', timeZone: 'America/Los_Angeles' },
      })
      .reply(200, graphEvent({ id: 'E1' }));
    const updated = await provider.updateEvent({
      calendarId: 'primary',
      eventId: 'E1',
      patch: { start: new Date('2026-03-11T16:00:00Z'), end: new Date('2026-03-11T17:00:00Z') },
    });
    expect(updated.id).toBe('E1');
    expect(nock.isDone()).toBe(true);
  });

  it('cancels as organiser with notify, deletes otherwise, and treats 404 as done', async () => {
    nock(GRAPH)
      .get(`${USER}/calendar/events/E1`)
      .reply(200, graphEvent({ id: 'E1', attendees: [{ type: 'required', status: { response: 'none' }, emailAddress: { address: 'MeganB@contoso.com' } }] }));
    nock(GRAPH).post(`${USER}/calendar/events/E1/cancel`, {}).reply(202);
    await provider.cancelEvent({ calendarId: 'primary', eventId: 'E1', notify: true });

    nock(GRAPH).delete(`${USER}/calendar/events/E2`).reply(204);
    await provider.cancelEvent({ calendarId: 'primary', eventId: 'E2', notify: false });

    nock(GRAPH).delete(`${USER}/calendar/events/E3`).reply(404, graphError('ErrorItemNotFound', 'The specified object was not found in the store.'));
    await provider.cancelEvent({ calendarId: 'primary', eventId: 'E3', notify: false });
    expect(nock.isDone()).toBe(true);
  });
});

describe('microsoft adapter: delta sync', () => {
  const deltaPath = `${USER}/calendarView/delta`;

  it('pages to the deltaLink, reports @removed as deleted, and resyncs on 410', async () => {
    const nextLink = `${GRAPH}${deltaPath}?$skiptoken=R0usmcCM996atia_s`;
    const deltaLink = `${GRAPH}${deltaPath}?$deltatoken=R0usmci39OQxqJrxK4`;
    nock(GRAPH)
      .get(deltaPath)
      .query({ startDateTime: '2026-01-30T00:00:00.000Z', endDateTime: '2027-03-01T00:00:00.000Z' })
      .matchHeader('prefer', /odata\.maxpagesize=100/)
      .reply(200, { '@odata.context': `${GRAPH}/v1.0/$metadata#Collection(event)`, '@odata.nextLink': nextLink, value: [graphEvent({ id: 'E1' })] });
    nock(GRAPH)
      .get(deltaPath)
      .query({ $skiptoken: 'R0usmcCM996atia_s' })
      .reply(200, {
        '@odata.context': `${GRAPH}/v1.0/$metadata#Collection(event)`,
        '@odata.deltaLink': deltaLink,
        value: [
          { '@odata.type': '#microsoft.graph.event', id: 'E2', '@removed': { reason: 'deleted' } },
          graphEvent({ id: 'E3', isCancelled: true }),
        ],
      });
    const first = await provider.sync({ calendarId: 'primary' });
    expect(first).toMatchObject({ fullResync: false, deleted: ['E2', 'E3'] });
    expect(decodeSyncToken(first.nextSyncToken)?.inner).toBe(deltaLink);
    expect(first.changes.map((e) => e.id)).toEqual(['E1']);

    nock(GRAPH).get(deltaPath).query({ $deltatoken: 'R0usmci39OQxqJrxK4' }).reply(410, graphError('syncStateNotFound', 'The sync state generation is not found.'));
    nock(GRAPH)
      .get(deltaPath)
      .query((q) => 'startDateTime' in q)
      .reply(200, { '@odata.deltaLink': `${GRAPH}${deltaPath}?$deltatoken=fresh`, value: [graphEvent({ id: 'E1' })] });
    const again = await provider.sync({ calendarId: 'primary', syncToken: first.nextSyncToken });
    expect(again.fullResync).toBe(true);
    expect(decodeSyncToken(again.nextSyncToken)?.inner).toBe(`${GRAPH}${deltaPath}?$deltatoken=fresh`);
  });

  it('never follows a sync token that is not a Graph URL: full resync instead', async () => {
    nock(GRAPH)
      .get(deltaPath)
      .query((q) => 'startDateTime' in q)
      .reply(200, { '@odata.deltaLink': `${GRAPH}${deltaPath}?$deltatoken=fresh`, value: [] });
    nock(GRAPH)
      .get(deltaPath)
      .query((q) => 'startDateTime' in q)
      .reply(200, { '@odata.deltaLink': `${GRAPH}${deltaPath}?$deltatoken=fresh`, value: [] });
    const raw = await provider.sync({ calendarId: 'primary', syncToken: 'https://attacker.example/v1.0/x' });
    expect(raw.fullResync).toBe(true);
    // Also inside a token of the right shape.
    const wrapped = await provider.sync({ calendarId: 'primary', syncToken: encodeSyncToken(windowAt(START), 'https://attacker.example/v1.0/x') });
    expect(wrapped.fullResync).toBe(true);
    expect(decodeSyncToken(wrapped.nextSyncToken)?.inner).toBe(`${GRAPH}${deltaPath}?$deltatoken=fresh`);
  });
});

describe('microsoft adapter: subscriptions', () => {
  const channelRequest = { calendarId: 'primary', address: 'https://hooks.example.com/graph', token: 'secret-client-state' };

  it('creates with clamped expiry, renews when due, and deletes idempotently', async () => {
    let body: Record<string, unknown> | undefined;
    nock(GRAPH)
      .post('/v1.0/subscriptions', (b) => {
        body = b;
        return true;
      })
      .reply(201, (_uri, b) => subscription({ expirationDateTime: (b as { expirationDateTime: string }).expirationDateTime }));
    const channel = await provider.watch({ ...channelRequest, ttlSeconds: 30 * 86_400 });
    expect(body).toEqual({
      changeType: 'created,updated,deleted',
      notificationUrl: 'https://hooks.example.com/graph',
      lifecycleNotificationUrl: 'https://hooks.example.com/graph',
      resource: `/users/${USER_ID}/events`,
      expirationDateTime: new Date(START + MAX_SUBSCRIPTION_MINUTES * 60_000).toISOString(),
      clientState: 'secret-client-state',
      latestSupportedTlsVersion: 'v1_2',
    });
    expect(channel).toEqual({
      id: '7f105c7d-2dc5-4530-97cd-4e7ae6534c07',
      calendarId: 'primary',
      expiresAt: new Date(START + MAX_SUBSCRIPTION_MINUTES * 60_000),
      address: 'https://hooks.example.com/graph',
    });

    const calendar = createMicrosoftCalendar({ getAccessToken: async () => 'test-access-token', userId: USER_ID, clock });
    // Not due: no call.
    expect(await renewSubscriptionIfNeeded(calendar, channel, { now: START, renewBeforeMs: 3_600_000 })).toBe(channel);
    const later = channel.expiresAt.getTime() - 1_800_000;
    clock.set(later);
    nock(GRAPH)
      .patch(`/v1.0/subscriptions/${channel.id}`, { expirationDateTime: new Date(later + MAX_SUBSCRIPTION_MINUTES * 60_000).toISOString() })
      .reply(200, (_uri, b) => subscription({ expirationDateTime: (b as { expirationDateTime: string }).expirationDateTime }));
    const renewed = await renewSubscriptionIfNeeded(calendar, channel, { now: later, renewBeforeMs: 3_600_000 });
    expect(renewed.expiresAt.getTime()).toBe(later + MAX_SUBSCRIPTION_MINUTES * 60_000);

    nock(GRAPH).delete(`/v1.0/subscriptions/${channel.id}`).reply(204);
    await provider.unwatch(renewed);
    nock(GRAPH).delete(`/v1.0/subscriptions/${channel.id}`).reply(404, graphError('ResourceNotFound', 'The object was not found.'));
    await provider.unwatch(renewed);
  });
});

describe('microsoft adapter: sign-in and optional peers', () => {
  function fakeMsal(calls: Array<Record<string, unknown>>, token = 'app-only-token'): MsalModuleLike {
    return {
      ConfidentialClientApplication: class {
        constructor(config: { auth: Record<string, unknown> }) {
          calls.push({ config: config.auth });
        }
        async acquireTokenByClientCredential(request: { scopes: string[] }) {
          calls.push({ scopes: request.scopes });
          return { accessToken: token, expiresOn: null };
        }
      },
    };
  }

  it('app-only credentials go through msal and always address /users/{id}, never /me', async () => {
    const calls: Array<Record<string, unknown>> = [];
    const appOnly = make({
      getAccessToken: undefined,
      credentials: { tenantId: 'contoso.onmicrosoft.com', clientId: 'client-1', clientSecret: 'sup3r-s3cret-value' },
      modules: { msal: async () => fakeMsal(calls) },
    });
    nock(GRAPH)
      .get(`${USER}/calendar/calendarView`)
      .query(true)
      .matchHeader('authorization', 'Bearer app-only-token')
      .reply(200, { value: [] });
    nock(GRAPH).post(`${USER}/calendar/getSchedule`).reply(200, scheduleResponse([scheduleInformation('a@contoso.com', [])]));
    const scope = nock(GRAPH).get(/\/v1\.0\/me\b/).reply(500);
    await appOnly.listEventsPage({ calendarId: 'primary', range: { start: new Date(START), end: new Date(START + 86_400_000) } });
    await appOnly.freeBusy({ calendars: ['a@contoso.com'], range: { start: new Date(START), end: new Date(START + 86_400_000) } });
    expect(scope.isDone()).toBe(false);
    nock.cleanAll();
    expect(calls[0]).toEqual({
      config: { clientId: 'client-1', authority: 'https://login.microsoftonline.com/contoso.onmicrosoft.com', clientSecret: 'sup3r-s3cret-value' },
    });
    expect(calls[1]).toEqual({ scopes: ['https://graph.microsoft.com/.default'] });
  });

  it('requires userId with app-only credentials and exactly one way to sign in', () => {
    expect(() =>
      createMicrosoftCalendarProvider({ credentials: { tenantId: 't', clientId: 'c', clientSecret: 's' } } as Parameters<typeof createMicrosoftCalendarProvider>[0]),
    ).toThrow(ConfigError);
    expect(() => createMicrosoftCalendarProvider({} as Parameters<typeof createMicrosoftCalendarProvider>[0])).toThrow(/exactly one of client, getAccessToken or credentials/);
  });

  it('never puts the client secret into errors (canary)', async () => {
    const secret = 'CANARY-secret-9f8e7d';
    const failing: MsalModuleLike = {
      ConfidentialClientApplication: class {
        async acquireTokenByClientCredential(): Promise<null> {
          throw Object.assign(new Error(`AADSTS7000215: Invalid client secret provided: ${secret}`), { errorCode: 'invalid_client' });
        }
      },
    };
    const appOnly = make({
      getAccessToken: undefined,
      credentials: { tenantId: 't', clientId: 'c', clientSecret: secret },
      modules: { msal: async () => failing },
    });
    const error = await appOnly.getEvent({ calendarId: 'primary', eventId: 'x' }).catch((e: unknown) => e);
    expect(AuthError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('invalid_client');
    expect((error as Error).message).not.toContain(secret);
    expect(JSON.stringify(error)).not.toContain(secret);
  });

  it('throws ConfigError naming the SDK when it is not installed', async () => {
    const missing = make({
      modules: {
        graph: async () => {
          throw Object.assign(new Error("Cannot find package '@microsoft/microsoft-graph-client'"), { code: 'ERR_MODULE_NOT_FOUND' });
        },
      },
    });
    await expect(missing.getEvent({ calendarId: 'primary', eventId: 'x' })).rejects.toSatisfy(
      (e) => ConfigError.isInstance(e) && /npm install @microsoft\/microsoft-graph-client/.test((e as Error).message),
    );
  });

  it('works with an injected SDK client', async () => {
    const client = Client.init({ authProvider: (done) => done(null, 'injected-token') });
    const injected = make({ getAccessToken: undefined, client });
    nock(GRAPH).get(`${USER}/calendar/events/E1`).matchHeader('authorization', 'Bearer injected-token').reply(200, graphEvent({ id: 'E1' }));
    expect((await injected.getEvent({ calendarId: 'primary', eventId: 'E1' })).id).toBe('E1');
  });
});
