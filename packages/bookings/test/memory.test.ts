import { ConflictError, NotFoundError, ValidationError, createManualClock } from '@almanac/core';
import { describe, expect, it } from 'vitest';
import { createMemoryCalendar } from '../src/adapters/memory';
import type { MemoryNotification, MemorySeedEvent } from '../src/adapters/memory';

const d = (iso: string) => new Date(iso);
const range = { start: '2026-03-01T00:00:00Z', end: '2026-04-01T00:00:00Z' };

function timed(title: string, start: string, end: string, extra: Partial<MemorySeedEvent> = {}): MemorySeedEvent {
  return { calendarId: 'primary', title, start: d(start), end: d(end), timeZone: 'UTC', ...extra };
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

describe('memory calendar writes', () => {
  it('increments the etag on every update and rejects a stale If-Match', async () => {
    const calendar = createMemoryCalendar();
    const created = await calendar.createEvent({
      calendarId: 'primary',
      title: 'Plan',
      start: '2026-03-02T10:00:00Z',
      end: '2026-03-02T11:00:00Z',
      timeZone: 'UTC',
    });
    const first = await calendar.updateEvent({ calendarId: 'primary', eventId: created.id, patch: { title: 'Plan v2' }, etag: created.etag as string });
    const second = await calendar.updateEvent({ calendarId: 'primary', eventId: created.id, patch: { location: 'Room 2' } });
    expect([created.etag, first.etag, second.etag]).toEqual(['"1"', '"2"', '"3"']);
    const stale = await failure(
      calendar.updateEvent({ calendarId: 'primary', eventId: created.id, patch: { title: 'lost' }, etag: first.etag as string }),
    );
    expect(ConflictError.isInstance(stale)).toBe(true);
    const cancelStale = await failure(
      calendar.cancelEvent({ calendarId: 'primary', eventId: created.id, notify: false, etag: created.etag as string }),
    );
    expect(ConflictError.isInstance(cancelStale)).toBe(true);
    expect((await calendar.getEvent({ calendarId: 'primary', eventId: created.id })).title).toBe('Plan v2');
  });

  it('moves an event keeping its duration when only the start changes', async () => {
    const calendar = createMemoryCalendar({ seed: [timed('Move me', '2026-03-02T10:00:00Z', '2026-03-02T11:30:00Z', { id: 'm' })] });
    const moved = await calendar.updateEvent({ calendarId: 'primary', eventId: 'm', patch: { start: d('2026-03-03T08:00:00Z') } });
    expect(moved.start).toEqual({ dateTime: d('2026-03-03T08:00:00Z'), timeZone: 'UTC' });
    expect(moved.end).toEqual({ dateTime: d('2026-03-03T09:30:00Z'), timeZone: 'UTC' });
    const busy = await calendar.freeBusy({ range });
    expect(busy[0]?.busy.map((b) => b.start.toISOString())).toEqual(['2026-03-03T08:00:00.000Z']);
  });

  it('creates once per idempotency key, per calendar', async () => {
    const calendar = createMemoryCalendar({ calendars: ['a', 'b'] });
    const input = { title: 'Once', start: '2026-03-02T10:00:00Z', end: '2026-03-02T11:00:00Z', timeZone: 'UTC', idempotencyKey: 'k1' };
    const first = await calendar.createEvent({ ...input, calendarId: 'a' });
    const again = await calendar.createEvent({ ...input, calendarId: 'a', title: 'Ignored' });
    const other = await calendar.createEvent({ ...input, calendarId: 'b' });
    expect(again.id).toBe(first.id);
    expect(again.title).toBe('Once');
    expect(other.id).not.toBe(first.id);
    expect(calendar.provider.size()).toBe(2);
  });

  it('keeps cancelled events readable as cancelled and out of listings and busy time', async () => {
    const calendar = createMemoryCalendar({ seed: [timed('Gone', '2026-03-02T10:00:00Z', '2026-03-02T11:00:00Z', { id: 'g' })] });
    await calendar.cancelEvent({ calendarId: 'primary', eventId: 'g', notify: false });
    await calendar.cancelEvent({ calendarId: 'primary', eventId: 'g', notify: false });
    expect((await calendar.getEvent({ calendarId: 'primary', eventId: 'g' })).status).toBe('cancelled');
    expect(await calendar.listEvents({ calendarId: 'primary', range }).toArray()).toEqual([]);
    expect((await calendar.freeBusy({ range }))[0]?.busy).toEqual([]);
    expect(ConflictError.isInstance(await failure(calendar.updateEvent({ calendarId: 'primary', eventId: 'g', patch: { title: 'x' } })))).toBe(true);
    expect(NotFoundError.isInstance(await failure(calendar.cancelEvent({ calendarId: 'primary', eventId: 'never', notify: false })))).toBe(true);
  });

  it('creates placeholder conference links on .invalid domains', async () => {
    const calendar = createMemoryCalendar();
    const base = { calendarId: 'primary', title: 'Call', start: '2026-03-02T10:00:00Z', end: '2026-03-02T11:00:00Z', timeZone: 'UTC' };
    const meet = await calendar.createEvent({ ...base, conference: 'meet' });
    const teams = await calendar.createEvent({ ...base, conference: 'teams' });
    expect(meet.joinUrl).toBe(`https://meet.example.invalid/${meet.id}`);
    expect(teams.joinUrl).toBe(`https://teams.example.invalid/l/meetup-join/${teams.id}`);
    expect(teams.conference).toBe('teams');
  });

  it('rejects unknown calendars with NotFoundError', async () => {
    const calendar = createMemoryCalendar();
    expect(NotFoundError.isInstance(await failure(calendar.freeBusy({ calendars: ['nope'], range })))).toBe(true);
    expect(NotFoundError.isInstance(await failure(calendar.listEvents({ calendarId: 'nope', range }).toArray()))).toBe(true);
  });
});

describe('memory calendar reads', () => {
  it('pages with opaque cursors and refuses foreign ones', async () => {
    const seed = Array.from({ length: 7 }, (_, i) =>
      timed(`E${i}`, `2026-03-0${i + 1}T10:00:00Z`, `2026-03-0${i + 1}T11:00:00Z`),
    );
    const calendar = createMemoryCalendar({ seed });
    const pages: string[][] = [];
    let cursor: string | undefined;
    do {
      const page = await calendar.provider.listEventsPage({
        calendarId: 'primary',
        range: { start: d(range.start), end: d(range.end) },
        pageSize: 3,
        ...(cursor === undefined ? {} : { cursor }),
      });
      pages.push(page.items.map((item) => item.title));
      cursor = page.nextCursor;
    } while (cursor !== undefined);
    expect(pages).toEqual([['E0', 'E1', 'E2'], ['E3', 'E4', 'E5'], ['E6']]);
    const error = await failure(
      calendar.provider.listEventsPage({ calendarId: 'primary', range: { start: d(range.start), end: d(range.end) }, cursor: 'garbage' }),
    );
    expect(ValidationError.isInstance(error)).toBe(true);
  });

  it('counts all-day events busy for their local day in the calendar zone, not UTC', async () => {
    const calendar = createMemoryCalendar({
      timeZone: 'Asia/Kolkata',
      seed: [{ calendarId: 'primary', title: 'Holi', start: d('2026-03-04T12:00:00Z'), end: d('2026-03-05T12:00:00Z'), timeZone: 'UTC', allDay: true }],
    });
    const [result] = await calendar.freeBusy({ range });
    expect(result?.busy).toEqual([{ start: d('2026-03-03T18:30:00Z'), end: d('2026-03-04T18:30:00Z'), source: 'Memory: Holi' }]);
    const [event] = await calendar.listEvents({ calendarId: 'primary', range }).toArray();
    expect(event?.start).toEqual({ date: '2026-03-04' });
    expect(event?.end).toEqual({ date: '2026-03-05' });
  });

  it('excludes transparent events from busy time but lists them', async () => {
    const calendar = createMemoryCalendar({
      seed: [timed('Focus', '2026-03-02T10:00:00Z', '2026-03-02T12:00:00Z', { transparency: 'transparent' })],
    });
    expect((await calendar.freeBusy({ range }))[0]?.busy).toEqual([]);
    expect((await calendar.listEvents({ calendarId: 'primary', range }).toArray()).map((e) => e.transparency)).toEqual(['transparent']);
  });

  it('finds long events that start before the range', async () => {
    const calendar = createMemoryCalendar({
      seed: [
        timed('Conference week', '2026-02-20T00:00:00Z', '2026-03-03T00:00:00Z'),
        timed('Short', '2026-02-27T10:00:00Z', '2026-02-27T11:00:00Z'),
      ],
    });
    const titles = (await calendar.listEvents({ calendarId: 'primary', range }).toArray()).map((e) => e.title);
    expect(titles).toEqual(['Conference week']);
  });
});

describe('memory recurring series', () => {
  const weekly = (): MemorySeedEvent => ({
    id: 'weekly',
    calendarId: 'primary',
    title: 'Weekly',
    start: d('2026-03-03T10:00:00Z'),
    end: d('2026-03-03T11:00:00Z'),
    timeZone: 'Europe/London',
    recurrence: { rrule: 'FREQ=WEEKLY;UNTIL=20260331T100000Z' },
  });

  it('expands in the series zone, honouring a UTC UNTIL', async () => {
    const calendar = createMemoryCalendar({ seed: [weekly()] });
    const events = await calendar.listEvents({ calendarId: 'primary', range: { start: range.start, end: '2026-04-30T00:00:00Z' } }).toArray();
    // 31 March 10:00 BST is 09:00Z, before the UNTIL of 10:00Z, so it is included.
    expect(events.map((e) => ('dateTime' in e.start ? e.start.dateTime.toISOString() : ''))).toEqual([
      '2026-03-03T10:00:00.000Z',
      '2026-03-10T10:00:00.000Z',
      '2026-03-17T10:00:00.000Z',
      '2026-03-24T10:00:00.000Z',
      '2026-03-31T09:00:00.000Z',
    ]);
    expect(events.map((e) => e.id)[0]).toBe('weekly_20260303T100000Z');
    expect(new Set(events.map((e) => e.recurringEventId))).toEqual(new Set(['weekly']));
  });

  it('reads, moves and cancels single instances', async () => {
    const calendar = createMemoryCalendar({ seed: [weekly()] });
    const instance = await calendar.getEvent({ calendarId: 'primary', eventId: 'weekly_20260310T100000Z' });
    expect(instance.recurringEventId).toBe('weekly');
    await calendar.updateEvent({
      calendarId: 'primary',
      eventId: 'weekly_20260310T100000Z',
      patch: { start: d('2026-03-11T15:00:00Z'), end: d('2026-03-11T16:00:00Z'), title: 'Weekly (moved)' },
    });
    await calendar.cancelEvent({ calendarId: 'primary', eventId: 'weekly_20260317T100000Z', notify: false });
    const busy = (await calendar.freeBusy({ range: { start: '2026-03-09T00:00:00Z', end: '2026-03-20T00:00:00Z' } }))[0]?.busy;
    expect(busy).toEqual([{ start: d('2026-03-11T15:00:00Z'), end: d('2026-03-11T16:00:00Z'), source: 'Memory: Weekly (moved)' }]);
    expect(NotFoundError.isInstance(await failure(calendar.getEvent({ calendarId: 'primary', eventId: 'weekly_20260317T100000Z' })))).toBe(true);
    expect(NotFoundError.isInstance(await failure(calendar.getEvent({ calendarId: 'primary', eventId: 'weekly_20260311T100000Z' })))).toBe(true);
  });

  it('rejects an unreadable RRULE in the seed', () => {
    expect(() => createMemoryCalendar({ seed: [{ ...weekly(), recurrence: { rrule: 'EVERY TUESDAY' } }] })).toThrow(ValidationError);
  });
});

describe('memory sync and push', () => {
  it('reports changes and deletions since a token, and resyncs fully on an expired one', async () => {
    const calendar = createMemoryCalendar({
      calendars: ['primary', 'other'],
      clock: createManualClock(Date.parse('2026-03-01T00:00:00Z')),
      seed: [timed('Keep', '2026-03-02T10:00:00Z', '2026-03-02T11:00:00Z', { id: 'k' })],
    });
    const full = await calendar.sync({ calendarId: 'primary' });
    expect(full).toMatchObject({ deleted: [], fullResync: false });
    expect(full.changes.map((e) => e.id)).toEqual(['k']);
    const added = await calendar.createEvent({ calendarId: 'primary', title: 'New', start: '2026-03-03T10:00:00Z', end: '2026-03-03T11:00:00Z', timeZone: 'UTC' });
    await calendar.createEvent({ calendarId: 'other', title: 'Elsewhere', start: '2026-03-03T10:00:00Z', end: '2026-03-03T11:00:00Z', timeZone: 'UTC' });
    await calendar.cancelEvent({ calendarId: 'primary', eventId: 'k', notify: false });
    const delta = await calendar.sync({ calendarId: 'primary', syncToken: full.nextSyncToken });
    expect(delta.changes.map((e) => e.id)).toEqual([added.id]);
    expect(delta.deleted).toEqual(['k']);
    expect(delta.fullResync).toBe(false);
    const quiet = await calendar.sync({ calendarId: 'primary', syncToken: delta.nextSyncToken });
    expect(quiet).toMatchObject({ changes: [], deleted: [], fullResync: false });
    // A token of another calendar is not valid here.
    expect((await calendar.sync({ calendarId: 'other', syncToken: delta.nextSyncToken })).fullResync).toBe(true);
    calendar.provider.expireSyncTokens();
    const resync = await calendar.sync({ calendarId: 'primary', syncToken: delta.nextSyncToken });
    expect(resync.fullResync).toBe(true);
    expect(resync.changes.map((e) => e.id)).toEqual([added.id]);
  });

  it('notifies live channels of changes, stops after unwatch and after expiry', async () => {
    const clock = createManualClock(Date.parse('2026-03-01T00:00:00Z'));
    const seen: MemoryNotification[] = [];
    const calendar = createMemoryCalendar({ clock, onNotification: (n) => seen.push(n) });
    const extra: MemoryNotification[] = [];
    const unsubscribe = calendar.provider.subscribe((n) => extra.push(n));
    const channel = await calendar.watch({ calendarId: 'primary', address: 'https://hooks.example/cal', token: 's3cret', ttlSeconds: 60 });
    expect(channel.expiresAt).toEqual(new Date(clock.now() + 60_000));
    const created = await calendar.createEvent({ calendarId: 'primary', title: 'A', start: '2026-03-02T10:00:00Z', end: '2026-03-02T11:00:00Z', timeZone: 'UTC' });
    await calendar.updateEvent({ calendarId: 'primary', eventId: created.id, patch: { title: 'B' } });
    unsubscribe();
    await calendar.cancelEvent({ calendarId: 'primary', eventId: created.id, notify: true });
    expect(seen.map((n) => `${n.change}:${n.eventId}:${n.token}:${n.channel.id}`)).toEqual([
      `created:${created.id}:s3cret:${channel.id}`,
      `updated:${created.id}:s3cret:${channel.id}`,
      `cancelled:${created.id}:s3cret:${channel.id}`,
    ]);
    expect(extra).toHaveLength(2);
    await clock.advance(60_000);
    await calendar.createEvent({ calendarId: 'primary', title: 'Late', start: '2026-03-02T10:00:00Z', end: '2026-03-02T11:00:00Z', timeZone: 'UTC' });
    expect(seen).toHaveLength(3);
    expect(calendar.provider.channels().map((c) => c.id)).toEqual([channel.id]);
    await calendar.unwatch(channel);
    expect(calendar.provider.channels()).toEqual([]);
  });
});

describe('memory at benchmark scale', () => {
  it('answers freeBusy for 50 calendars × 2,000 events exactly', async () => {
    const calendars = Array.from({ length: 50 }, (_, i) => `cal-${i}`);
    const seed: MemorySeedEvent[] = [];
    const base = Date.parse('2026-01-01T00:00:00Z');
    for (const [c, calendarId] of calendars.entries()) {
      for (let i = 0; i < 2_000; i++) {
        // Deterministic spread: one 30-minute event every 4 h, shifted per calendar.
        const start = base + i * 4 * 3_600_000 + c * 60_000;
        seed.push({ calendarId, title: `e${i}`, start: new Date(start), end: new Date(start + 1_800_000), timeZone: 'UTC' });
      }
    }
    const calendar = createMemoryCalendar({ calendars, seed });
    const week = { start: '2026-02-02T00:00:00Z', end: '2026-02-09T00:00:00Z' };
    const results = await calendar.freeBusy({ calendars, range: week });
    expect(results).toHaveLength(50);
    for (const [c, result] of results.entries()) {
      const expected = seed.filter(
        (s) => s.calendarId === calendars[c] && s.end.getTime() > Date.parse(week.start) && s.start.getTime() < Date.parse(week.end),
      );
      expect(result.busy).toHaveLength(expected.length);
      expect(result.busy[0]?.start).toEqual(expected[0]?.start);
    }
  });
});

describe('memory options', () => {
  it('names bad options', () => {
    expect(() => createMemoryCalendar({ calendars: [] })).toThrow(/options\.calendars/);
    expect(() => createMemoryCalendar({ timeZone: 'Nowhere/Land' })).toThrow(/options\.timeZone/);
    expect(() =>
      createMemoryCalendar({ seed: [{ calendarId: 'primary', title: 'x', start: d(range.start), end: d(range.start), timeZone: 'UTC' }] }),
    ).toThrow(/options\.seed\.0\.end/);
  });
});

describe('memory series edge cases', () => {
  it('lists an instance moved into the range from an original after it, once', async () => {
    const calendar = createMemoryCalendar({
      seed: [
        {
          id: 'daily',
          calendarId: 'primary',
          title: 'Daily',
          start: d('2026-03-02T09:00:00Z'),
          end: d('2026-03-02T09:15:00Z'),
          timeZone: 'UTC',
          recurrence: {
            rrule: 'FREQ=DAILY',
            overrides: [{ recurrenceId: d('2026-03-10T09:00:00Z'), start: d('2026-03-03T15:00:00Z'), end: d('2026-03-03T15:15:00Z') }],
          },
        },
      ],
    });
    const events = await calendar.listEvents({ calendarId: 'primary', range: { start: '2026-03-03T00:00:00Z', end: '2026-03-04T00:00:00Z' } }).toArray();
    expect(events.map((e) => e.id)).toEqual(['daily_20260303T090000Z', 'daily_20260310T090000Z']);
    // An unbounded rule: reading one instance expands only up to it.
    const far = await calendar.getEvent({ calendarId: 'primary', eventId: 'daily_20300101T090000Z' });
    expect(far.start).toEqual({ dateTime: d('2030-01-01T09:00:00Z'), timeZone: 'UTC' });
  });
});
