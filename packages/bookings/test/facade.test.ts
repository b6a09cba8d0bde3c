import {
  AbortedError,
  CapabilityError,
  NotFoundError,
  ProviderError,
  TimeoutError,
  ValidationError,
  createManualClock,
} from '@almanac/core';
import { describe, expect, it, vi } from 'vitest';
import { createCalendar } from '../src/facade';
import type { CalendarAuditEvent } from '../src/facade';
import type {
  CalendarCapabilities,
  CalendarEvent,
  CalendarProvider,
  CreateEventRequest,
  FreeBusyRequest,
  FreeBusyResult,
  ListEventsRequest,
} from '../src/spec';

const CAPS: CalendarCapabilities = {
  freeBusy: true,
  events: true,
  write: true,
  conferencing: ['meet'],
  incrementalSync: true,
  push: true,
  recurrence: false,
  maxFreeBusyCalendars: 50,
  maxFreeBusyRangeDays: 60,
};

const d = (iso: string) => new Date(iso);

function event(id: string, overrides: Partial<CalendarEvent> = {}): CalendarEvent {
  return {
    id,
    calendarId: 'cal',
    title: id,
    start: { dateTime: d('2026-03-02T10:00:00Z'), timeZone: 'UTC' },
    end: { dateTime: d('2026-03-02T11:00:00Z'), timeZone: 'UTC' },
    attendees: [],
    status: 'confirmed',
    transparency: 'opaque',
    ...overrides,
  };
}

function fakeProvider(overrides: Partial<CalendarProvider> = {}, caps: Partial<CalendarCapabilities> = {}) {
  const base = {
    name: 'fake',
    specificationVersion: 'v1' as const,
    capabilities: { ...CAPS, ...caps },
    freeBusy: vi.fn(async (request: FreeBusyRequest): Promise<FreeBusyResult[]> =>
      (request.calendars ?? ['primary']).map((calendarId) => ({ calendarId, busy: [] })),
    ),
    listEventsPage: vi.fn(async (_request: ListEventsRequest) => ({ items: [event('a')] })),
    getEvent: vi.fn(async () => event('a')),
    createEvent: vi.fn(async (request: CreateEventRequest) => event('new', { title: request.title })),
    updateEvent: vi.fn(async () => event('a')),
    cancelEvent: vi.fn(async () => {}),
    sync: vi.fn(async () => ({ changes: [], deleted: [], window: { start: new Date(0), end: new Date(1) }, nextSyncToken: 't', fullResync: false })),
    watch: vi.fn(async () => ({ id: 'ch', calendarId: 'cal', address: 'https://x.example', expiresAt: d('2026-03-02T00:00:00Z') })),
    unwatch: vi.fn(async () => {}),
  };
  return Object.assign(base, overrides) as typeof base;
}

const range = { start: '2026-03-01T00:00:00Z', end: '2026-03-08T00:00:00Z' };

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

describe('freeBusy splitting and merging', () => {
  it('splits 120 calendars into calls of at most 50 and keeps the requested order', async () => {
    const provider = fakeProvider();
    const calendar = createCalendar(provider);
    const calendars = Array.from({ length: 120 }, (_, i) => `cal-${i}`);
    const results = await calendar.freeBusy({ calendars, range });
    expect(provider.freeBusy).toHaveBeenCalledTimes(3);
    expect(provider.freeBusy.mock.calls.map(([request]) => request.calendars?.length)).toEqual([50, 50, 20]);
    expect(results.map((result) => result.calendarId)).toEqual(calendars);
  });

  it('splits a 200-day range into 60-day slices and merges a block cut at a slice boundary', async () => {
    const boundary = d('2026-03-02T00:00:00Z').getTime();
    const provider = fakeProvider({
      freeBusy: vi.fn(async (request: FreeBusyRequest) => {
        // One event 2 h either side of the first boundary, reported clipped to each slice, like Google.
        const eventStart = boundary - 2 * 3_600_000;
        const eventEnd = boundary + 2 * 3_600_000;
        const start = Math.max(eventStart, request.range.start.getTime());
        const end = Math.min(eventEnd, request.range.end.getTime());
        const busy = end > start ? [{ start: new Date(start), end: new Date(end), source: 'Launch' }] : [];
        return [{ calendarId: 'cal', busy }];
      }),
    });
    const calendar = createCalendar(provider);
    const start = new Date(boundary - 60 * 86_400_000);
    const end = new Date(start.getTime() + 200 * 86_400_000);
    const [result] = await calendar.freeBusy({ calendars: ['cal'], range: { start, end } });
    const slices = provider.freeBusy.mock.calls.map(([request]) => [request.range.start.toISOString(), request.range.end.toISOString()]);
    expect(slices).toHaveLength(4);
    expect(slices[0]?.[0]).toBe(start.toISOString());
    expect(slices[1]?.[0]).toBe(new Date(boundary).toISOString());
    expect(slices[3]?.[1]).toBe(end.toISOString());
    expect(result?.busy).toEqual([
      { start: new Date(boundary - 7_200_000), end: new Date(boundary + 7_200_000), source: 'Launch' },
    ]);
  });

  it('sorts, clips and merges overlapping blocks, keeping sources only where blocks stay apart', async () => {
    const provider = fakeProvider({
      freeBusy: vi.fn(async () => [
        {
          calendarId: 'cal',
          busy: [
            { start: d('2026-03-03T12:00:00Z'), end: d('2026-03-03T13:00:00Z'), source: 'Lunch' },
            { start: d('2026-03-02T10:00:00Z'), end: d('2026-03-02T11:00:00Z'), source: 'A' },
            { start: d('2026-03-02T10:30:00Z'), end: d('2026-03-02T11:30:00Z'), source: 'B' },
            { start: d('2026-03-03T13:00:00Z'), end: d('2026-03-03T14:00:00Z'), source: 'Review' },
            { start: d('2026-02-28T22:00:00Z'), end: d('2026-03-01T01:00:00Z') },
          ],
        },
      ]),
    });
    const [result] = await createCalendar(provider).freeBusy({ calendars: ['cal'], range });
    expect(result?.busy).toEqual([
      { start: d('2026-03-01T00:00:00Z'), end: d('2026-03-01T01:00:00Z') },
      { start: d('2026-03-02T10:00:00Z'), end: d('2026-03-02T11:30:00Z') },
      { start: d('2026-03-03T12:00:00Z'), end: d('2026-03-03T13:00:00Z'), source: 'Lunch' },
      { start: d('2026-03-03T13:00:00Z'), end: d('2026-03-03T14:00:00Z'), source: 'Review' },
    ]);
  });

  it('asks for the primary calendar when none is named', async () => {
    const provider = fakeProvider();
    const results = await createCalendar(provider).freeBusy({ range });
    expect(provider.freeBusy.mock.calls[0]?.[0].calendars).toBeUndefined();
    expect(results).toEqual([{ calendarId: 'primary', busy: [] }]);
  });

  it('runs at most freeBusyConcurrency calls at once', async () => {
    let inFlight = 0;
    let peak = 0;
    const release: Array<() => void> = [];
    const provider = fakeProvider({
      freeBusy: vi.fn(async (request: FreeBusyRequest) => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        await new Promise<void>((resolve) => release.push(resolve));
        inFlight--;
        return (request.calendars ?? []).map((calendarId) => ({ calendarId, busy: [] }));
      }),
    }, { maxFreeBusyCalendars: 1 });
    const calendar = createCalendar(provider, { freeBusyConcurrency: 3 });
    const pending = calendar.freeBusy({ calendars: Array.from({ length: 10 }, (_, i) => `c${i}`), range });
    while (provider.freeBusy.mock.calls.length < 10 || release.length > 0) {
      await new Promise((resolve) => setImmediate(resolve));
      for (const resolve of release.splice(0)) resolve();
    }
    expect((await pending).length).toBe(10);
    expect(peak).toBe(3);
  });

  it('stops starting chunks after one fails', async () => {
    const provider = fakeProvider({
      freeBusy: vi.fn(async () => {
        throw new NotFoundError('no such calendar', { provider: 'fake' });
      }),
    }, { maxFreeBusyCalendars: 1 });
    const calendar = createCalendar(provider, { freeBusyConcurrency: 1 });
    const error = await failure(calendar.freeBusy({ calendars: ['a', 'b', 'c'], range }));
    expect(NotFoundError.isInstance(error)).toBe(true);
    expect(provider.freeBusy).toHaveBeenCalledTimes(1);
  });
});

describe('capabilities', () => {
  it('rejects operations the provider does not support before calling it', async () => {
    const provider = fakeProvider({}, { write: false, push: false, incrementalSync: false, freeBusy: false });
    const calendar = createCalendar(provider);
    const create = await failure(
      calendar.createEvent({ calendarId: 'cal', title: 't', start: range.start, end: range.end, timeZone: 'UTC' }),
    );
    expect(CapabilityError.isInstance(create)).toBe(true);
    expect(create).toMatchObject({ provider: 'fake', operation: 'createEvent', capability: 'write' });
    expect((create as Error).message).toContain('fake');
    expect(CapabilityError.isInstance(await failure(calendar.freeBusy({ range })))).toBe(true);
    expect(CapabilityError.isInstance(await failure(calendar.sync({ calendarId: 'cal' })))).toBe(true);
    expect(
      CapabilityError.isInstance(await failure(calendar.watch({ calendarId: 'cal', address: 'https://x.example', token: 't' }))),
    ).toBe(true);
    expect(provider.createEvent).not.toHaveBeenCalled();
    expect(provider.freeBusy).not.toHaveBeenCalled();
  });

  it('treats a declared capability without its method as unsupported', async () => {
    const { sync: _sync, ...rest } = fakeProvider();
    const calendar = createCalendar(rest);
    expect(calendar.supports('incrementalSync')).toBe(false);
    expect(CapabilityError.isInstance(await failure(calendar.sync({ calendarId: 'cal' })))).toBe(true);
  });

  it('rejects a conference kind the provider cannot create', async () => {
    const provider = fakeProvider();
    const calendar = createCalendar(provider);
    expect(calendar.supports('meet')).toBe(true);
    expect(calendar.supports('teams')).toBe(false);
    const error = await failure(
      calendar.createEvent({ calendarId: 'cal', title: 't', start: range.start, end: range.end, timeZone: 'UTC', conference: 'teams' }),
    );
    expect(CapabilityError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('teams');
    expect(provider.createEvent).not.toHaveBeenCalled();
  });

  it('rejects listEvents on a provider without events when iterated', async () => {
    const calendar = createCalendar(fakeProvider({}, { events: false }));
    const listing = calendar.listEvents({ calendarId: 'cal', range });
    expect(CapabilityError.isInstance(await failure(listing.toArray()))).toBe(true);
    const iterate = async () => {
      for await (const _ of listing) {
        // never reached
      }
    };
    expect(CapabilityError.isInstance(await failure(iterate()))).toBe(true);
  });
});

describe('deadlines and cancellation', () => {
  const hanging = () => {
    let seen: AbortSignal | undefined;
    const provider = fakeProvider({
      getEvent: vi.fn((request) => {
        seen = request.signal;
        return new Promise<CalendarEvent>(() => {});
      }),
    });
    return { provider, signal: () => seen };
  };

  it('fails with TimeoutError when the provider exceeds timeoutMs on the injected clock', async () => {
    const clock = createManualClock(0);
    const { provider, signal } = hanging();
    const calendar = createCalendar(provider, { clock, timeoutMs: 5_000 });
    const pending = failure(calendar.getEvent({ calendarId: 'cal', eventId: 'a' }));
    await clock.advance(4_999);
    expect(signal()?.aborted).toBe(false);
    await clock.advance(1);
    const error = await pending;
    expect(TimeoutError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ provider: 'fake', operation: 'getEvent', retryable: true });
    expect(signal()?.aborted).toBe(true);
  });

  it('fails with AbortedError when the caller aborts, and aborts the provider call', async () => {
    const clock = createManualClock(0);
    const { provider, signal } = hanging();
    const calendar = createCalendar(provider, { clock });
    const controller = new AbortController();
    const pending = failure(calendar.getEvent({ calendarId: 'cal', eventId: 'a', signal: controller.signal }));
    await clock.advance(0);
    controller.abort();
    const error = await pending;
    expect(AbortedError.isInstance(error)).toBe(true);
    expect(signal()?.aborted).toBe(true);
    expect(clock.pendingSleeps()).toBe(0);
  });

  it('does not call the provider with an already aborted signal', async () => {
    const provider = fakeProvider();
    const controller = new AbortController();
    controller.abort();
    const error = await failure(createCalendar(provider).getEvent({ calendarId: 'cal', eventId: 'a', signal: controller.signal }));
    expect(AbortedError.isInstance(error)).toBe(true);
    expect(provider.getEvent).not.toHaveBeenCalled();
  });

  it('clears its timer once the call settles', async () => {
    const clock = createManualClock(0);
    const calendar = createCalendar(fakeProvider(), { clock });
    await calendar.getEvent({ calendarId: 'cal', eventId: 'a' });
    expect(clock.pendingSleeps()).toBe(0);
  });
});

describe('error mapping', () => {
  it('wraps foreign errors in ProviderError naming provider and operation', async () => {
    const cause = new TypeError('socket hang up');
    const provider = fakeProvider({ getEvent: vi.fn(async () => Promise.reject(cause)) });
    const error = await failure(createCalendar(provider).getEvent({ calendarId: 'cal', eventId: 'a' }));
    expect(ProviderError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ provider: 'fake', operation: 'getEvent' });
    expect((error as Error).message).toContain('socket hang up');
    expect((error as Error).cause).toBe(cause);
  });

  it('passes Almanac errors through unchanged', async () => {
    const original = new NotFoundError('gone', { provider: 'fake', operation: 'getEvent', status: 404 });
    const provider = fakeProvider({ getEvent: vi.fn(async () => Promise.reject(original)) });
    expect(await failure(createCalendar(provider).getEvent({ calendarId: 'cal', eventId: 'a' }))).toBe(original);
  });

  it('maps a synchronous throw too', async () => {
    const provider = fakeProvider({
      getEvent: vi.fn(() => {
        throw new Error('boom');
      }),
    });
    expect(ProviderError.isInstance(await failure(createCalendar(provider).getEvent({ calendarId: 'cal', eventId: 'a' })))).toBe(true);
  });
});

describe('audit events', () => {
  it('emits one event per operation with duration on the injected clock', async () => {
    const clock = createManualClock(1_000);
    const events: CalendarAuditEvent[] = [];
    const provider = fakeProvider({
      getEvent: vi.fn(async () => {
        await clock.sleep(250);
        return event('a');
      }),
    });
    const calendar = createCalendar(provider, { clock, onEvent: (e) => events.push(e) });
    const pending = calendar.getEvent({ calendarId: 'cal', eventId: 'a' });
    await clock.advance(250);
    await pending;
    await failure(calendar.getEvent({ calendarId: 'cal', eventId: '' }));
    expect(events).toEqual([
      { action: 'getEvent', provider: 'fake', outcome: 'ok', durationMs: 250, calendarId: 'cal' },
      { action: 'getEvent', provider: 'fake', outcome: 'error', durationMs: 0, calendarId: 'cal', errorCode: 'validation' },
    ]);
  });

  it('audits each page of a listing and survives a throwing listener', async () => {
    const events: CalendarAuditEvent[] = [];
    const warn = vi.fn();
    const provider = fakeProvider({
      listEventsPage: vi.fn(async (request: ListEventsRequest) =>
        request.cursor === undefined ? { items: [event('a')], nextCursor: 'p2' } : { items: [event('b')] },
      ),
    });
    const calendar = createCalendar(provider, {
      logger: { debug() {}, info() {}, warn, error() {} },
      onEvent: (e) => {
        events.push(e);
        throw new Error('listener bug');
      },
    });
    const items = await calendar.listEvents({ calendarId: 'cal', range, pageSize: 1 }).toArray();
    expect(items.map((item) => item.id)).toEqual(['a', 'b']);
    expect(events.map((e) => `${e.action}:${e.outcome}`)).toEqual(['listEvents:ok', 'listEvents:ok']);
    expect(warn).toHaveBeenCalledTimes(2);
    expect(provider.listEventsPage.mock.calls.map(([request]) => [request.cursor, request.pageSize])).toEqual([
      [undefined, 1],
      ['p2', 1],
    ]);
  });
});

describe('validation', () => {
  const provider = fakeProvider();
  const calendar = createCalendar(provider);

  async function issues(promise: Promise<unknown>): Promise<string[]> {
    const error = await failure(promise);
    expect(ValidationError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ provider: 'fake' });
    return (error as ValidationError).issues.map((issue) => `${issue.path}: ${issue.message}`);
  }

  it('names range fields and refuses zone-less times', async () => {
    expect(await issues(calendar.freeBusy({ range: { start: range.end, end: range.start } }))).toEqual([
      'range.end: must be after range.start',
    ]);
    const zoneless = await issues(calendar.freeBusy({ range: { start: '2026-03-01T00:00:00', end: range.end } }));
    expect(zoneless[0]).toMatch(/^range\.start: .*offset/);
    expect(await issues(calendar.freeBusy({ range: { start: '2026-02-30T00:00:00Z', end: range.end } }))).toHaveLength(1);
    expect(await issues(calendar.freeBusy({ range: { start: new Date(Number.NaN), end: range.end } }))).toHaveLength(1);
    expect(await issues(calendar.freeBusy({ calendars: [], range }))).toEqual([
      'calendars: must list at least one calendar (omit it for the primary calendar)',
    ]);
  });

  it('reports every bad field of a createEvent at once', async () => {
    const found = await issues(
      calendar.createEvent({
        calendarId: ' ',
        title: 't',
        start: range.start,
        end: range.end,
        timeZone: 'Europe/Atlantis',
        attendees: [{ email: 'nope' }],
        reminders: [{ minutesBefore: -5 }],
      }),
    );
    expect(found.map((issue) => issue.split(':')[0])).toEqual([
      'calendarId',
      'timeZone',
      'attendees.0.email',
      'reminders.0.minutesBefore',
    ]);
    expect(provider.createEvent).not.toHaveBeenCalled();
  });

  it('names the message after the operation', async () => {
    const error = await failure(calendar.getEvent({ calendarId: 'cal', eventId: '' }));
    expect((error as Error).message).toBe('Invalid input to fake getEvent: eventId: must not be empty');
  });

  it('checks patches, watch requests and channels', async () => {
    expect(await issues(calendar.updateEvent({ calendarId: 'cal', eventId: 'a', patch: {} }))).toEqual([
      'patch: must change at least one field',
    ]);
    expect(
      await issues(
        calendar.updateEvent({ calendarId: 'cal', eventId: 'a', patch: { start: '2026-03-02T10:00:00Z', end: '2026-03-02T09:00:00Z' } }),
      ),
    ).toEqual(['patch.end: must be after patch.start']);
    const watchIssues = await issues(calendar.watch({ calendarId: 'cal', address: 'http://x.example', token: 't', ttlSeconds: -1 }));
    expect(watchIssues[0]).toBe('address: must be an https:// URL');
    // The wording of zod's own messages is core's to choose; the field and the bound are what matter.
    expect(watchIssues[1]).toMatch(/^ttlSeconds: .*>\s?0/);
    expect(watchIssues).toHaveLength(2);
    const channel = { id: '', calendarId: 'cal', address: 'https://x.example', expiresAt: d('2026-03-01T00:00:00Z') };
    expect(await issues(calendar.unwatch(channel))).toEqual(['channel.id: must not be empty']);
    expect(await issues(calendar.sync({ calendarId: 'cal', syncToken: '' }))).toEqual(['syncToken: must not be empty']);
    expect(await issues(calendar.cancelEvent({ calendarId: 'cal', eventId: 'a' } as never))).toEqual(['notify: Required']);
  });

  it('validates its own options', () => {
    expect(() => createCalendar(fakeProvider(), { timeoutMs: 0 })).toThrow(/options\.timeoutMs/);
  });
});

describe('createEvent input', () => {
  it('turns ISO strings into instants and drops absent optional fields', async () => {
    const provider = fakeProvider();
    await createCalendar(provider).createEvent({
      calendarId: 'cal',
      title: 'Standup',
      start: '2026-03-08T01:30:00-05:00',
      end: new Date('2026-03-08T07:30:00Z'),
      timeZone: 'America/New_York',
    });
    const request = provider.createEvent.mock.calls[0]?.[0] as CreateEventRequest;
    expect(request.start).toEqual(d('2026-03-08T06:30:00Z'));
    expect(request.end).toEqual(d('2026-03-08T07:30:00Z'));
    expect(Object.keys(request).sort()).toEqual(['calendarId', 'end', 'signal', 'start', 'timeZone', 'title']);
  });

  it('reads all-day dates as midnight in the event zone', async () => {
    const provider = fakeProvider();
    const calendar = createCalendar(provider);
    await calendar.createEvent({
      calendarId: 'cal',
      title: 'Holiday',
      start: '2026-03-08',
      end: '2026-03-09',
      allDay: true,
      timeZone: 'America/New_York',
    });
    const request = provider.createEvent.mock.calls[0]?.[0] as CreateEventRequest;
    expect(request.start).toEqual(d('2026-03-08T05:00:00Z'));
    expect(request.end).toEqual(d('2026-03-09T04:00:00Z'));
    const error = await failure(
      calendar.createEvent({ calendarId: 'cal', title: 'x', start: '2026-03-08', end: '2026-03-08', allDay: true, timeZone: 'UTC' }),
    );
    expect((error as ValidationError).issues[0]?.path).toBe('end');
  });
});
