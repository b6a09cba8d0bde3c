import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Logger } from '@almanac/core';
import { describe, expect, it } from 'vitest';
import { createIcsCalendar, createIcsCalendarProvider } from '../src/adapters/ics';
import type { CalendarEvent, EventTime } from '../src/spec';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/ics/${name}`, import.meta.url));
const read = (name: string) => readFileSync(fixture(name), 'utf8');

const range = (start: string, end: string) => ({ start: new Date(start), end: new Date(end) });
const iso = (time: EventTime) => ('date' in time ? time.date : time.dateTime.toISOString());

function recordingLogger() {
  const warnings: Array<{ message: string; fields: Record<string, unknown> | undefined }> = [];
  const logger: Logger = {
    debug() {},
    info() {},
    warn(message, fields) {
      warnings.push({ message, fields });
    },
    error() {},
  };
  return { logger, warnings };
}

async function list(calendar: ReturnType<typeof createIcsCalendar>, start: string, end: string, calendarId = 'feed') {
  return calendar.listEvents({ calendarId, range: { start, end } }).toArray();
}

describe('ics adapter: Google export (VTIMEZONE blocks)', () => {
  const calendar = createIcsCalendar({ source: { text: read('google.ics') } });

  it('keeps a 09:00 New York weekly meeting at 09:00 local across the March 8 DST change', async () => {
    const events = (await list(calendar, '2026-02-23T00:00:00Z', '2026-03-15T00:00:00Z')).filter(
      (event) => event.recurringEventId === 'team-sync-001@google.com',
    );
    expect(events.map((event) => [iso(event.start), iso(event.end)])).toEqual([
      ['2026-02-23T14:00:00.000Z', '2026-02-23T15:00:00.000Z'],
      ['2026-03-02T14:00:00.000Z', '2026-03-02T15:00:00.000Z'],
      ['2026-03-09T13:00:00.000Z', '2026-03-09T14:00:00.000Z'],
    ]);
    for (const event of events) expect(event.start).toMatchObject({ timeZone: 'America/New_York' });
  });

  it('applies EXDATE, a moved override and a cancelled override (RECURRENCE-ID in UTC)', async () => {
    const events = (await list(calendar, '2026-03-14T00:00:00Z', '2026-05-01T00:00:00Z')).filter(
      (event) => event.recurringEventId === 'team-sync-001@google.com',
    );
    expect(events.map((event) => [event.id, iso(event.start), event.title, event.status])).toEqual([
      // 2026-03-16 is excluded by EXDATE; the 23rd moved to Tuesday the 24th at 11:00.
      ['team-sync-001@google.com_20260323T130000Z', '2026-03-24T15:00:00.000Z', 'Team Sync (moved to Tuesday)', 'confirmed'],
      ['team-sync-001@google.com_20260330T130000Z', '2026-03-30T13:00:00.000Z', 'Team Sync', 'cancelled'],
      ['team-sync-001@google.com_20260406T130000Z', '2026-04-06T13:00:00.000Z', 'Team Sync', 'confirmed'],
      ['team-sync-001@google.com_20260413T130000Z', '2026-04-13T13:00:00.000Z', 'Team Sync', 'confirmed'],
      ['team-sync-001@google.com_20260420T130000Z', '2026-04-20T13:00:00.000Z', 'Team Sync', 'confirmed'],
      // UNTIL=20260427T135959Z includes the 27th and stops there.
      ['team-sync-001@google.com_20260427T130000Z', '2026-04-27T13:00:00.000Z', 'Team Sync', 'confirmed'],
    ]);
  });

  it('finds a moved instance by a range covering only its new time', async () => {
    const events = await list(calendar, '2026-03-24T14:00:00Z', '2026-03-24T16:00:00Z');
    expect(events.map((event) => event.title)).toEqual(['Team Sync (moved to Tuesday)']);
    const original = await list(calendar, '2026-03-23T12:00:00Z', '2026-03-23T15:00:00Z');
    expect(original).toEqual([]);
  });

  it('maps attendees, organizer, conference, reminders, updated and raw jCal', async () => {
    const event = await calendar.getEvent({ calendarId: 'feed', eventId: 'team-sync-001@google.com_20260302T140000Z' });
    expect(event).toMatchObject({
      id: 'team-sync-001@google.com_20260302T140000Z',
      calendarId: 'feed',
      title: 'Team Sync',
      location: 'Room 4',
      organizer: 'ada@example.com',
      recurringEventId: 'team-sync-001@google.com',
      status: 'confirmed',
      transparency: 'opaque',
      joinUrl: 'https://meet.google.com/abc-defg-hij',
      conference: 'meet',
      updated: new Date('2026-03-01T12:00:00Z'),
      reminders: [
        { minutesBefore: 10, method: 'popup' },
        { minutesBefore: 1440, method: 'email' },
      ],
    });
    expect(event.attendees).toEqual([
      { email: 'ada@example.com', name: 'Ada Lovelace', response: 'accepted' },
      { email: 'charles@example.com', name: 'Charles Babbage', optional: true, response: 'tentative' },
      { email: 'room4@resource.example.com', name: 'Room 4', response: 'accepted', resource: true },
    ]);
    expect(event.description).toContain('https://meet.google.com/abc-defg-hij');
    expect(Array.isArray(event.raw)).toBe(true);
    expect((event.raw as unknown[])[0]).toBe('vevent');
  });

  it('reports London and Kolkata times in their zones, DURATION included', async () => {
    const london = (await list(calendar, '2026-03-18T00:00:00Z', '2026-04-10T00:00:00Z')).filter(
      (event) => event.recurringEventId === 'london-1on1@google.com',
    );
    // Europe/London moves to BST on March 29, 2026: 10:00 GMT, then 10:00 BST = 09:00Z. COUNT=3.
    expect(london.map((event) => iso(event.start))).toEqual([
      '2026-03-19T10:00:00.000Z',
      '2026-03-26T10:00:00.000Z',
      '2026-04-02T09:00:00.000Z',
    ]);
    expect(london[0]?.start).toMatchObject({ timeZone: 'Europe/London' });
    const kolkata = await calendar.getEvent({ calendarId: 'feed', eventId: 'kolkata-review@google.com' });
    expect(kolkata.start).toEqual({ dateTime: new Date('2026-03-05T09:30:00Z'), timeZone: 'Asia/Kolkata' });
    expect(kolkata.end).toEqual({ dateTime: new Date('2026-03-05T10:15:00Z'), timeZone: 'Asia/Kolkata' });
    expect(kolkata.recurringEventId).toBeUndefined();
  });

  it('keeps all-day events as dates, end exclusive, busy in the calendar zone (X-WR-TIMEZONE)', async () => {
    const offsite = await calendar.getEvent({ calendarId: 'feed', eventId: 'offsite@google.com' });
    expect(offsite.start).toEqual({ date: '2026-03-10' });
    expect(offsite.end).toEqual({ date: '2026-03-13' });
    const [result] = await calendar.freeBusy({ range: { start: '2026-03-10T00:00:00Z', end: '2026-03-14T00:00:00Z' } });
    expect(result?.busy).toContainEqual({
      start: new Date('2026-03-10T04:00:00Z'),
      end: new Date('2026-03-13T04:00:00Z'),
      source: 'ICS: Offsite',
    });
  });

  it('excludes transparent and cancelled events from busy time but lists them with their status', async () => {
    const [result] = await calendar.freeBusy({ range: { start: '2026-03-04T00:00:00Z', end: '2026-03-05T00:00:00Z' } });
    expect(result).toEqual({
      calendarId: 'feed',
      busy: [{ start: new Date('2026-03-04T13:00:00Z'), end: new Date('2026-03-04T13:15:00Z'), source: 'ICS: Standup' }],
    });
    const events = await list(calendar, '2026-03-04T00:00:00Z', '2026-03-05T00:00:00Z');
    expect(events.map((event) => [event.title, event.status, event.transparency])).toEqual([
      ['Standup', 'tentative', 'opaque'],
      ['Focus time (free)', 'confirmed', 'transparent'],
      ['Vendor call', 'cancelled', 'opaque'],
    ]);
    const holiday = await list(calendar, '2026-03-17T12:00:00Z', '2026-03-17T13:00:00Z');
    expect(holiday.map((event) => [event.title, event.transparency])).toEqual([["St Patrick's Day", 'transparent']]);
    const [holidayBusy] = await calendar.freeBusy({ range: { start: '2026-03-17T00:00:00Z', end: '2026-03-18T00:00:00Z' } });
    expect(holidayBusy?.busy).toEqual([]);
  });

  it('expands COUNT-limited daily series within the range only', async () => {
    const events = (await list(calendar, '2026-03-01T00:00:00Z', '2026-04-01T00:00:00Z')).filter(
      (event) => event.recurringEventId === 'standup@google.com',
    );
    expect(events.map((event) => iso(event.start))).toEqual([
      '2026-03-02T13:00:00.000Z',
      '2026-03-03T13:00:00.000Z',
      '2026-03-04T13:00:00.000Z',
      '2026-03-05T13:00:00.000Z',
      '2026-03-06T13:00:00.000Z',
    ]);
    const narrow = (await list(calendar, '2026-03-03T12:00:00Z', '2026-03-04T12:00:00Z')).filter(
      (event) => event.recurringEventId === 'standup@google.com',
    );
    expect(narrow.map((event) => event.id)).toEqual(['standup@google.com_20260303T130000Z']);
  });

  it('getEvent: series master, instance ids, EXDATE and unknown ids', async () => {
    const master = await calendar.getEvent({ calendarId: 'feed', eventId: 'team-sync-001@google.com' });
    expect(iso(master.start)).toBe('2026-02-23T14:00:00.000Z');
    expect(master.recurringEventId).toBeUndefined();
    const moved = await calendar.getEvent({ calendarId: 'feed', eventId: 'team-sync-001@google.com_20260323T130000Z' });
    expect(iso(moved.start)).toBe('2026-03-24T15:00:00.000Z');
    for (const eventId of [
      'team-sync-001@google.com_20260316T130000Z', // EXDATE
      'team-sync-001@google.com_20260302T150000Z', // not an occurrence time
      'team-sync-001@google.com_20270301T140000Z', // after UNTIL
      'nope@google.com',
      'nope_20260302T140000Z',
    ]) {
      await expect(calendar.getEvent({ calendarId: 'feed', eventId })).rejects.toMatchObject({ code: 'not_found' });
    }
  });

  it('pages listEvents with an opaque cursor', async () => {
    const provider = createIcsCalendarProvider({ source: { text: read('google.ics') } });
    const all = await list(calendar, '2026-03-01T00:00:00Z', '2026-04-01T00:00:00Z');
    const seen: CalendarEvent[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await provider.listEventsPage({
        calendarId: 'feed',
        range: range('2026-03-01T00:00:00Z', '2026-04-01T00:00:00Z'),
        pageSize: 4,
        ...(cursor === undefined ? {} : { cursor }),
      });
      seen.push(...page.items);
      cursor = page.nextCursor;
      pages++;
    } while (cursor !== undefined);
    expect(pages).toBe(Math.ceil(all.length / 4));
    expect(seen.map((event) => event.id)).toEqual(all.map((event) => event.id));
    await expect(
      provider.listEventsPage({ calendarId: 'feed', range: range('2026-03-01T00:00:00Z', '2026-04-01T00:00:00Z'), cursor: 'bogus' }),
    ).rejects.toMatchObject({ code: 'validation' });
  });

  it('accepts its calendar id, the primary alias and a custom id; other ids are NotFoundError', async () => {
    const custom = createIcsCalendar({ source: { text: read('google.ics') }, calendarId: 'ada' });
    const [asked] = await custom.freeBusy({ calendars: ['ada'], range: { start: '2026-03-02T00:00:00Z', end: '2026-03-03T00:00:00Z' } });
    expect(asked?.calendarId).toBe('ada');
    expect(asked?.busy.length).toBeGreaterThan(0);
    const [primary] = await custom.freeBusy({ calendars: ['primary'], range: { start: '2026-03-02T00:00:00Z', end: '2026-03-03T00:00:00Z' } });
    expect(primary?.busy).toEqual(asked?.busy);
    await expect(
      custom.freeBusy({ calendars: ['someone-else'], range: { start: '2026-03-02T00:00:00Z', end: '2026-03-03T00:00:00Z' } }),
    ).rejects.toMatchObject({ code: 'not_found' });
    await expect(list(custom, '2026-03-02T00:00:00Z', '2026-03-03T00:00:00Z', 'feed')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('is read-only: writes, sync and push throw CapabilityError through the facade', async () => {
    expect(calendar.capabilities).toMatchObject({
      freeBusy: true,
      events: true,
      recurrence: true,
      write: false,
      incrementalSync: false,
      push: false,
      conferencing: [],
    });
    await expect(
      calendar.createEvent({
        calendarId: 'feed',
        title: 'x',
        start: '2026-03-02T10:00:00Z',
        end: '2026-03-02T11:00:00Z',
        timeZone: 'UTC',
      }),
    ).rejects.toMatchObject({ code: 'capability' });
    await expect(calendar.updateEvent({ calendarId: 'feed', eventId: 'offsite@google.com', patch: { title: 'y' } })).rejects.toMatchObject({
      code: 'capability',
    });
    await expect(calendar.cancelEvent({ calendarId: 'feed', eventId: 'offsite@google.com', notify: false })).rejects.toMatchObject({
      code: 'capability',
    });
    await expect(calendar.sync({ calendarId: 'feed' })).rejects.toMatchObject({ code: 'capability' });
  });
});

describe('ics adapter: Outlook export (Windows TZIDs with VTIMEZONE)', () => {
  const calendar = createIcsCalendar({ source: { text: read('outlook.ics') } });

  it('uses the VTIMEZONE rules and labels Windows zones with their IANA name', async () => {
    const events = (await list(calendar, '2026-03-01T00:00:00Z', '2026-04-10T00:00:00Z')).filter((event) => event.title === 'Planning');
    expect(events.map((event) => iso(event.start))).toEqual([
      '2026-03-02T14:00:00.000Z',
      '2026-03-09T13:00:00.000Z',
      '2026-03-16T13:00:00.000Z',
      '2026-03-23T13:00:00.000Z',
      '2026-03-30T13:00:00.000Z',
      '2026-04-06T13:00:00.000Z',
    ]);
    expect(events[0]?.start).toMatchObject({ timeZone: 'America/New_York' });
    expect(events[0]).toMatchObject({ conference: 'teams' });
    expect(events[0]?.joinUrl).toMatch(/^https:\/\/teams\.microsoft\.com\/l\/meetup-join\//);
    const [lunch] = (await list(calendar, '2026-04-01T00:00:00Z', '2026-04-02T00:00:00Z')).filter((event) => event.title === 'London lunch');
    expect(lunch?.start).toEqual({ dateTime: new Date('2026-04-01T11:00:00Z'), timeZone: 'Europe/London' });
  });

  it('treats X-MICROSOFT-CDO-BUSYSTATUS:FREE as transparent', async () => {
    const [result] = await calendar.freeBusy({ range: { start: '2026-03-03T00:00:00Z', end: '2026-03-04T00:00:00Z' } });
    expect(result?.busy).toEqual([]);
    const events = await list(calendar, '2026-03-03T00:00:00Z', '2026-03-04T00:00:00Z');
    expect(events.map((event) => [event.title, event.transparency])).toEqual([['Out of office (shown free)', 'transparent']]);
  });
});

describe('ics adapter: Apple export (floating times, all-day without DTEND, DURATION)', () => {
  it('reads floating times in defaultTimeZone when the feed has no X-WR-TIMEZONE', async () => {
    const calendar = createIcsCalendar({ source: { text: read('apple.ics') }, defaultTimeZone: 'Europe/London' });
    const [yoga] = (await list(calendar, '2026-03-26T00:00:00Z', '2026-03-27T00:00:00Z')).filter((event) => event.title === 'Yoga (floating)');
    expect(yoga?.start).toEqual({ dateTime: new Date('2026-03-26T18:00:00Z'), timeZone: 'Europe/London' });
    const shifted = createIcsCalendar({ source: { text: read('apple.ics') }, defaultTimeZone: 'America/New_York' });
    const [yogaNy] = (await list(shifted, '2026-03-26T00:00:00Z', '2026-03-27T04:00:00Z')).filter((event) => event.title === 'Yoga (floating)');
    expect(yogaNy?.start).toEqual({ dateTime: new Date('2026-03-26T22:00:00Z'), timeZone: 'America/New_York' });
  });

  it('falls back to UTC for floating times without X-WR-TIMEZONE or defaultTimeZone', async () => {
    const calendar = createIcsCalendar({ source: { text: read('apple.ics') } });
    const yoga = await calendar.getEvent({ calendarId: 'feed', eventId: '5D4C3B2A-0000-4000-8000-000000000003' });
    expect(yoga.start).toEqual({ dateTime: new Date('2026-03-26T18:00:00Z'), timeZone: 'UTC' });
  });

  it('gives an all-day event without DTEND one day, and DURATION:P3D three days', async () => {
    const calendar = createIcsCalendar({ source: { text: read('apple.ics') }, defaultTimeZone: 'Europe/London' });
    const dentist = await calendar.getEvent({ calendarId: 'feed', eventId: '5D4C3B2A-0000-4000-8000-000000000002' });
    expect([dentist.start, dentist.end]).toEqual([{ date: '2026-03-25' }, { date: '2026-03-26' }]);
    const garden = await calendar.getEvent({ calendarId: 'feed', eventId: '5D4C3B2A-0000-4000-8000-000000000005' });
    expect([garden.start, garden.end]).toEqual([{ date: '2026-04-06' }, { date: '2026-04-09' }]);
    // All-day busy follows the calendar zone's midnights, BST included.
    const [result] = await calendar.freeBusy({ range: { start: '2026-04-05T00:00:00Z', end: '2026-04-10T00:00:00Z' } });
    expect(result?.busy).toContainEqual({
      start: new Date('2026-04-05T23:00:00Z'),
      end: new Date('2026-04-08T23:00:00Z'),
      source: 'ICS: Garden week',
    });
  });

  it('bounds an endless weekly RRULE by the range', async () => {
    const calendar = createIcsCalendar({ source: { text: read('apple.ics') }, defaultTimeZone: 'Europe/London' });
    const events = (await list(calendar, '2030-01-01T00:00:00Z', '2030-02-01T00:00:00Z')).filter((event) => event.title === 'Book club');
    expect(events.map((event) => [iso(event.start), iso(event.end)])).toEqual([
      ['2030-01-03T19:00:00.000Z', '2030-01-03T20:30:00.000Z'],
      ['2030-01-10T19:00:00.000Z', '2030-01-10T20:30:00.000Z'],
      ['2030-01-17T19:00:00.000Z', '2030-01-17T20:30:00.000Z'],
      ['2030-01-24T19:00:00.000Z', '2030-01-24T20:30:00.000Z'],
      ['2030-01-31T19:00:00.000Z', '2030-01-31T20:30:00.000Z'],
    ]);
    // Summer: 19:00 BST is 18:00Z.
    const summer = (await list(calendar, '2030-07-01T00:00:00Z', '2030-07-08T00:00:00Z')).filter((event) => event.title === 'Book club');
    expect(summer.map((event) => iso(event.start))).toEqual(['2030-07-04T18:00:00.000Z']);
  });
});

describe('ics adapter: TZIDs without VTIMEZONE', () => {
  it('resolves IANA, Windows and vendor-prefixed TZIDs through Intl, not the server zone', async () => {
    const { logger, warnings } = recordingLogger();
    // Without the FREQ=MINUTELY series: listings fail when a series cannot be expanded (below).
    const text = read('bare-tzid.ics').replace(/BEGIN:VEVENT\r?\nUID:every-minute@example\.com[\s\S]*?END:VEVENT\r?\n/, '');
    expect(text).not.toContain('every-minute');
    const calendar = createIcsCalendar({
      source: { text },
      defaultTimeZone: 'Asia/Kolkata',
      maxOccurrencesPerSeries: 2000,
      logger,
    });
    const weekly = (await list(calendar, '2026-03-01T00:00:00Z', '2026-03-24T00:00:00Z')).filter(
      (event) => event.recurringEventId === 'bare-ny@example.com',
    );
    // DST-correct without a VTIMEZONE; EXDATE (same TZID) removes March 16.
    expect(weekly.map((event) => iso(event.start))).toEqual([
      '2026-03-02T14:00:00.000Z',
      '2026-03-09T13:00:00.000Z',
      '2026-03-23T13:00:00.000Z',
    ]);
    const get = (eventId: string) => calendar.getEvent({ calendarId: 'feed', eventId });
    expect((await get('bare-kolkata@example.com')).start).toEqual({ dateTime: new Date('2026-03-10T12:30:00Z'), timeZone: 'Asia/Kolkata' });
    expect((await get('bare-windows@example.com')).start).toEqual({ dateTime: new Date('2026-03-11T13:00:00Z'), timeZone: 'America/New_York' });
    expect((await get('bare-mozilla@example.com')).start).toEqual({ dateTime: new Date('2026-03-30T08:00:00Z'), timeZone: 'Europe/London' });
    // Floating, and an unresolvable TZID, are read in the calendar zone (defaultTimeZone here).
    expect((await get('bare-floating@example.com')).start).toEqual({ dateTime: new Date('2026-03-12T06:30:00Z'), timeZone: 'Asia/Kolkata' });
    expect((await get('bare-unknown@example.com')).start).toEqual({ dateTime: new Date('2026-03-13T06:30:00Z'), timeZone: 'Asia/Kolkata' });
    expect(warnings.some((warning) => warning.fields?.['tzid'] === 'Mars/Olympus_Mons')).toBe(true);
    // The VEVENT without DTSTART is skipped with a warning, not fatal.
    expect(warnings.some((warning) => warning.fields?.['uid'] === 'broken@example.com')).toBe(true);
    await expect(get('broken@example.com')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('cuts off a runaway series at maxOccurrencesPerSeries with a warning, once, and shows the rest as busy', async () => {
    const { logger, warnings } = recordingLogger();
    const provider = createIcsCalendarProvider({ source: { text: read('bare-tzid.ics') }, maxOccurrencesPerSeries: 500, logger });
    const farAway = range('2026-03-01T00:00:00Z', '2026-03-02T00:00:00Z');
    const [first] = await provider.freeBusy({ range: farAway });
    await provider.freeBusy({ range: farAway });
    // FREQ=MINUTELY from 2020 never reaches 2026 within 500 occurrences. Issue #13: its
    // unknown occurrences used to count as free time; now the whole range is busy.
    expect(first?.busy).toContainEqual({
      start: new Date('2026-03-01T00:00:00Z'),
      end: new Date('2026-03-02T00:00:00Z'),
      source: 'ICS: Pathological (recurrence too expensive to expand; busy from here)',
    });
    await expect(provider.listEventsPage({ calendarId: 'feed', range: farAway })).rejects.toMatchObject({
      code: 'provider',
      message: expect.stringContaining('"every-minute@example.com" could not be expanded'),
    });
    const cut = warnings.filter((warning) => warning.fields?.['uid'] === 'every-minute@example.com');
    expect(cut).toHaveLength(1);
    // Near its start the same series expands normally, bounded by the range.
    const [early] = await provider.freeBusy({ range: range('2020-01-01T00:00:00Z', '2020-01-01T00:05:00Z') });
    expect(early?.busy.filter((block) => block.source === 'ICS: Pathological')).toHaveLength(5);
  });
});

describe('ics adapter: recurrence edge cases', () => {
  const ics = (...lines: string[]) =>
    ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN', ...lines, 'END:VCALENDAR', ''].join('\r\n');

  it('adds RDATEs and matches an EXDATE written in UTC against a TZID series', async () => {
    const calendar = createIcsCalendar({
      source: {
        text: ics(
          'BEGIN:VEVENT',
          'UID:rdate@example.com',
          'SUMMARY:Clinic',
          'DTSTART;TZID=America/New_York:20260302T090000',
          'DTEND;TZID=America/New_York:20260302T093000',
          'RRULE:FREQ=WEEKLY;COUNT=3',
          'RDATE;TZID=America/New_York:20260305T160000',
          'RDATE;VALUE=PERIOD:20260320T150000Z/PT2H',
          'EXDATE:20260309T130000Z',
          'END:VEVENT',
        ),
      },
    });
    const events = await list(calendar, '2026-03-01T00:00:00Z', '2026-04-01T00:00:00Z');
    expect(events.map((event) => [iso(event.start), iso(event.end)])).toEqual([
      ['2026-03-02T14:00:00.000Z', '2026-03-02T14:30:00.000Z'],
      ['2026-03-05T21:00:00.000Z', '2026-03-05T21:30:00.000Z'],
      ['2026-03-16T13:00:00.000Z', '2026-03-16T13:30:00.000Z'],
      // A PERIOD RDATE contributes its start; the series' 30 minutes apply.
      ['2026-03-20T15:00:00.000Z', '2026-03-20T15:30:00.000Z'],
    ]);
  });

  it('keeps a DURATION with days nominal across DST, and a DTEND-based duration exact', async () => {
    const calendar = createIcsCalendar({
      source: {
        text: ics(
          'BEGIN:VEVENT',
          'UID:nominal@example.com',
          'SUMMARY:Two-day workshop',
          'DTSTART;TZID=America/New_York:20260307T100000',
          'DURATION:P1DT2H',
          'END:VEVENT',
        ),
      },
    });
    const event = await calendar.getEvent({ calendarId: 'feed', eventId: 'nominal@example.com' });
    // 10:00 EST on the 7th + 1 day (to 10:00 EDT on the 8th) + 2 hours = 12:00 EDT = 16:00Z.
    expect([iso(event.start), iso(event.end)]).toEqual(['2026-03-07T15:00:00.000Z', '2026-03-08T16:00:00.000Z']);
  });

  it('lists an override whose master is missing from the feed as a standalone instance', async () => {
    const calendar = createIcsCalendar({
      source: {
        text: ics(
          'BEGIN:VEVENT',
          'UID:orphan@example.com',
          'RECURRENCE-ID:20260310T150000Z',
          'SUMMARY:Invited to one instance',
          'DTSTART:20260310T150000Z',
          'DTEND:20260310T160000Z',
          'END:VEVENT',
        ),
      },
    });
    const [event] = await list(calendar, '2026-03-10T00:00:00Z', '2026-03-11T00:00:00Z');
    expect(event).toMatchObject({ id: 'orphan@example.com_20260310T150000Z', recurringEventId: 'orphan@example.com' });
    const again = await calendar.getEvent({ calendarId: 'feed', eventId: 'orphan@example.com_20260310T150000Z' });
    expect(again.title).toBe('Invited to one instance');
  });

  it('gives all-day recurring instances date stamps and skips all-day EXDATEs', async () => {
    const calendar = createIcsCalendar({
      source: {
        text: ics(
          'X-WR-TIMEZONE:Europe/London',
          'BEGIN:VEVENT',
          'UID:gym@example.com',
          'SUMMARY:Gym day',
          'DTSTART;VALUE=DATE:20260327',
          'RRULE:FREQ=DAILY;COUNT=4',
          'EXDATE;VALUE=DATE:20260328',
          'END:VEVENT',
        ),
      },
    });
    const events = await list(calendar, '2026-03-20T00:00:00Z', '2026-04-05T00:00:00Z');
    expect(events.map((event) => [event.id, event.start, event.end])).toEqual([
      ['gym@example.com_20260327', { date: '2026-03-27' }, { date: '2026-03-28' }],
      ['gym@example.com_20260329', { date: '2026-03-29' }, { date: '2026-03-30' }],
      ['gym@example.com_20260330', { date: '2026-03-30' }, { date: '2026-03-31' }],
    ]);
    // London changes to BST on the 29th: that day starts at 00:00Z and is 23 hours long.
    const [result] = await (calendar.provider as ReturnType<typeof createIcsCalendarProvider>).freeBusy({
      range: range('2026-03-29T00:00:00Z', '2026-03-29T12:00:00Z'),
    });
    expect(result?.busy).toEqual([{ start: new Date('2026-03-29T00:00:00Z'), end: new Date('2026-03-29T23:00:00Z'), source: 'ICS: Gym day' }]);
  });
});
