// RECURRENCE-ID;RANGE=THISANDFUTURE and old high-frequency series.
// RFC 5545 §3.8.4.4 (https://www.rfc-editor.org/rfc/rfc5545#section-3.8.4.4): "If the value of
// the RANGE parameter is THISANDFUTURE, then the recurrence-id and all subsequent instances
// are affected … the start and end of each affected instance shifts by the difference between
// the new DTSTART and the RECURRENCE-ID".
import { describe, expect, it } from 'vitest';
import { createIcsCalendar } from '../src/adapters/ics';
import type { EventTime } from '../src/spec';

const iso = (time: EventTime) => ('date' in time ? time.date : time.dateTime.toISOString());
const feed = (...events: string[]) =>
  ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Almanac//Test//EN', ...events, 'END:VCALENDAR', ''].join('\r\n');

const weekly = [
  'BEGIN:VEVENT',
  'UID:weekly@example.com',
  'DTSTAMP:20260101T000000Z',
  'DTSTART:20260303T100000Z',
  'DTEND:20260303T110000Z',
  'RRULE:FREQ=WEEKLY;COUNT=6',
  'SUMMARY:Weekly sync',
  'END:VEVENT',
].join('\r\n');
const thisAndFuture = [
  'BEGIN:VEVENT',
  'UID:weekly@example.com',
  'DTSTAMP:20260301T000000Z',
  'RECURRENCE-ID;RANGE=THISANDFUTURE:20260317T100000Z',
  'DTSTART:20260317T140000Z',
  'DTEND:20260317T143000Z',
  'SUMMARY:Weekly sync (afternoons)',
  'END:VEVENT',
].join('\r\n');

describe('ics: RECURRENCE-ID;RANGE=THISANDFUTURE', () => {
  it('moves and changes that instance and every later one, not only the one', async () => {
    const calendar = createIcsCalendar({ source: { text: feed(weekly, thisAndFuture) } });
    const events = await calendar.listEvents({ calendarId: 'feed', range: { start: '2026-03-01T00:00:00Z', end: '2026-05-01T00:00:00Z' } }).toArray();
    expect(events.map((event) => [iso(event.start), iso(event.end), event.title])).toEqual([
      ['2026-03-03T10:00:00.000Z', '2026-03-03T11:00:00.000Z', 'Weekly sync'],
      ['2026-03-10T10:00:00.000Z', '2026-03-10T11:00:00.000Z', 'Weekly sync'],
      ['2026-03-17T14:00:00.000Z', '2026-03-17T14:30:00.000Z', 'Weekly sync (afternoons)'],
      ['2026-03-24T14:00:00.000Z', '2026-03-24T14:30:00.000Z', 'Weekly sync (afternoons)'],
      ['2026-03-31T14:00:00.000Z', '2026-03-31T14:30:00.000Z', 'Weekly sync (afternoons)'],
      ['2026-04-07T14:00:00.000Z', '2026-04-07T14:30:00.000Z', 'Weekly sync (afternoons)'],
    ]);
    const [busy] = await calendar.freeBusy({ calendars: ['feed'], range: { start: '2026-03-24T00:00:00Z', end: '2026-03-25T00:00:00Z' } });
    expect(busy?.busy.map((block) => [block.start.toISOString(), block.end.toISOString()])).toEqual([['2026-03-24T14:00:00.000Z', '2026-03-24T14:30:00.000Z']]);
  });

  it('finds a later instance by id where the override put it', async () => {
    const calendar = createIcsCalendar({ source: { text: feed(weekly, thisAndFuture) } });
    const event = await calendar.getEvent({ calendarId: 'feed', eventId: 'weekly@example.com_20260331T100000Z' });
    expect([iso(event.start), event.title]).toEqual(['2026-03-31T14:00:00.000Z', 'Weekly sync (afternoons)']);
  });
});

describe('ics: old high-frequency series', () => {
  const every15 = [
    'BEGIN:VEVENT',
    'UID:poll@example.com',
    'DTSTAMP:20160101T000000Z',
    'DTSTART;TZID=Europe/Berlin:20160104T080000',
    'DTEND;TZID=Europe/Berlin:20160104T080500',
    'RRULE:FREQ=MINUTELY;INTERVAL=15;BYDAY=MO,TU,WE,TH,FR;BYHOUR=8,9,10,11,12,13,14,15,16',
    'SUMMARY:Health check',
    'END:VEVENT',
  ].join('\r\n');

  it('shows busy time next week for a 15-minute series started ten years ago, within a small expansion budget', async () => {
    // Ten years of 15-minute occurrences are ~90,000 before the range; a budget of 20,000
    // steps only suffices when expansion starts near the query, not at DTSTART.
    const calendar = createIcsCalendar({ source: { text: feed(every15) }, maxExpansionSteps: 20_000, defaultTimeZone: 'Europe/Berlin' });
    const [result] = await calendar.freeBusy({ calendars: ['feed'], range: { start: '2026-11-30T00:00:00Z', end: '2026-12-05T00:00:00Z' } });
    // Mon–Fri, 08:00–16:45 Berlin (UTC+1): 36 five-minute blocks a day, none cut off.
    expect(result?.busy.length).toBe(5 * 36);
    expect(result?.busy[0]).toMatchObject({ start: new Date('2026-11-30T07:00:00Z'), end: new Date('2026-11-30T07:05:00Z') });
    expect(result?.busy.at(-1)).toMatchObject({ start: new Date('2026-12-04T15:45:00Z'), end: new Date('2026-12-04T15:50:00Z') });
    const events = await calendar.listEvents({ calendarId: 'feed', range: { start: '2026-11-30T07:00:00Z', end: '2026-11-30T08:00:00Z' } }).toArray();
    expect(events.map((event) => event.id)).toEqual([
      'poll@example.com_20261130T070000Z',
      'poll@example.com_20261130T071500Z',
      'poll@example.com_20261130T073000Z',
      'poll@example.com_20261130T074500Z',
    ]);
  });

  it('still honours COUNT, which is anchored at DTSTART (no skipping)', async () => {
    const counted = every15.replace('RRULE:FREQ=MINUTELY;INTERVAL=15;', 'RRULE:FREQ=MINUTELY;INTERVAL=15;COUNT=3;');
    const calendar = createIcsCalendar({ source: { text: feed(counted) }, defaultTimeZone: 'Europe/Berlin' });
    const events = await calendar.listEvents({ calendarId: 'feed', range: { start: '2016-01-04T00:00:00Z', end: '2016-01-05T00:00:00Z' } }).toArray();
    expect(events.map((event) => iso(event.start))).toEqual(['2016-01-04T07:00:00.000Z', '2016-01-04T07:15:00.000Z', '2016-01-04T07:30:00.000Z']);
  });
});
