import { AbortedError, ValidationError } from '@almanac/core';
import { describe, expect, it } from 'vitest';
import { createMemoryCalendar } from '../src/adapters/memory';
import { book, findMeetingTimes } from '../src/assistant';
import type { Calendar } from '../src/facade';

const weekdays = (start: string, end: string) => [1, 2, 3, 4, 5].map((day) => ({ day, start, end }));
const now = new Date('2026-03-01T00:00:00Z');

function busyCalendar(calendars: string[], busy: Array<[calendarId: string, start: string, end: string]>): Calendar {
  return createMemoryCalendar({
    calendars,
    seed: busy.map(([calendarId, start, end], index) => ({
      id: `busy-${index}`,
      calendarId,
      title: 'Busy',
      start: new Date(start),
      end: new Date(end),
      timeZone: 'UTC',
    })),
  });
}

describe('findMeetingTimes', () => {
  it('merges busy time from several providers and respects each zone across the March DST changes', async () => {
    // Monday 9 March 2026: New York is on EDT (UTC-4) since March 8, London still on GMT until March 29.
    const google = busyCalendar(['ana@ny.example'], [['ana@ny.example', '2026-03-09T13:00:00Z', '2026-03-09T14:00:00Z']]);
    const microsoft = busyCalendar(['ben@ldn.example', 'raj@in.example'], [['ben@ldn.example', '2026-03-09T14:00:00Z', '2026-03-09T15:00:00Z']]);
    const result = await findMeetingTimes({
      attendees: [
        { email: 'ana@ny.example', calendar: google, timeZone: 'America/New_York', workingHours: weekdays('09:00', '17:00') },
        { email: 'ben@ldn.example', calendar: microsoft, timeZone: 'Europe/London', workingHours: weekdays('09:00', '17:00') },
        { email: 'raj@in.example', calendar: microsoft, timeZone: 'Asia/Kolkata', workingHours: weekdays('09:00', '23:00'), optional: true },
      ],
      durationMinutes: 30,
      stepMinutes: 30,
      range: { start: '2026-03-09T00:00:00Z', end: '2026-03-10T00:00:00Z' },
      maxResults: 20,
      now,
    });
    const starts = result.slots.map((slot) => slot.start.toISOString()).sort();
    // NY 09:00 = 13:00Z (busy until 14:00Z); London until 17:00 = 17:00Z; Ben busy 14:00–15:00Z.
    expect(starts).toEqual(['2026-03-09T15:00:00.000Z', '2026-03-09T15:30:00.000Z', '2026-03-09T16:00:00.000Z', '2026-03-09T16:30:00.000Z']);
    const first = result.slots.find((slot) => slot.start.toISOString() === '2026-03-09T15:00:00.000Z');
    expect(first?.localTimes).toEqual({
      'ana@ny.example': 'Mon 2026-03-09 11:00 (America/New_York)',
      'ben@ldn.example': 'Mon 2026-03-09 15:00 (Europe/London)',
      'raj@in.example': 'Mon 2026-03-09 20:30 (Asia/Kolkata)',
    });
    expect(first?.explanation).toMatch(/^3 of 3 can attend; /);
    expect(first?.explanation).not.toMatch(/score/);
    expect(result.alternatives).toEqual([]);
  });

  it('follows each zone across the October/November 2026 changes', async () => {
    // London falls back on 25 October, New York on 1 November: for one week they are 4 hours apart.
    const calendar = busyCalendar(['ana@ny.example', 'ben@ldn.example', 'raj@in.example'], []);
    const attendees = [
      { email: 'ana@ny.example', calendar, timeZone: 'America/New_York', workingHours: weekdays('09:00', '17:00') },
      { email: 'ben@ldn.example', calendar, timeZone: 'Europe/London', workingHours: weekdays('09:00', '17:00') },
      { email: 'raj@in.example', calendar, timeZone: 'Asia/Kolkata', workingHours: weekdays('09:00', '23:00'), optional: true },
    ];
    const startsOn = async (day: string) => {
      const result = await findMeetingTimes({
        attendees,
        durationMinutes: 30,
        stepMinutes: 60,
        range: { start: `${day}T00:00:00Z`, end: `${day}T23:59:00Z` },
        maxResults: 24,
        now: new Date('2026-10-01T00:00:00Z'),
      });
      return result.slots.map((slot) => slot.start.toISOString().slice(11, 16)).sort();
    };
    expect(await startsOn('2026-10-23')).toEqual(['13:00', '14:00', '15:00']); // BST and EDT
    expect(await startsOn('2026-10-26')).toEqual(['13:00', '14:00', '15:00', '16:00']); // GMT and EDT
    expect(await startsOn('2026-11-02')).toEqual(['14:00', '15:00', '16:00']); // GMT and EST
  });

  it('asks each calendar facade once, with every calendar it holds', async () => {
    const calls: string[][] = [];
    const shared = busyCalendar(['a@x.example', 'b@x.example'], []);
    const spy: Calendar = {
      ...shared,
      freeBusy: (input) => {
        calls.push([...(input.calendars ?? [])]);
        return shared.freeBusy(input);
      },
    };
    await findMeetingTimes({
      attendees: [
        { email: 'a@x.example', calendar: spy, timeZone: 'UTC' },
        { email: 'b@x.example', calendar: spy, timeZone: 'UTC' },
      ],
      durationMinutes: 30,
      range: { start: '2026-03-02T09:00:00Z', end: '2026-03-02T10:00:00Z' },
      now,
    });
    expect(calls).toEqual([['a@x.example', 'b@x.example']]);
  });

  it('needs a free room that seats everyone and picks the smallest', async () => {
    const people = busyCalendar(['a@x.example', 'b@x.example', 'c@x.example'], []);
    const rooms = busyCalendar(['small', 'medium', 'large'], [['medium', '2026-03-02T09:00:00Z', '2026-03-02T09:30:00Z']]);
    const result = await findMeetingTimes({
      attendees: ['a', 'b', 'c'].map((name) => ({ email: `${name}@x.example`, calendar: people, timeZone: 'UTC' })),
      rooms: [
        { id: 'small', capacity: 2, calendar: rooms },
        { id: 'large', capacity: 10, calendar: rooms },
        { id: 'medium', capacity: 4, calendar: rooms },
      ],
      durationMinutes: 30,
      stepMinutes: 30,
      range: { start: '2026-03-02T09:00:00Z', end: '2026-03-02T10:00:00Z' },
      now,
    });
    const byStart = Object.fromEntries(result.slots.map((slot) => [slot.start.toISOString(), slot.room]));
    expect(byStart).toEqual({ '2026-03-02T09:00:00.000Z': 'large', '2026-03-02T09:30:00.000Z': 'medium' });
  });

  it('proposes labelled alternatives when nothing fits', async () => {
    const calendar = busyCalendar(['a@x.example', 'b@x.example'], [
      ['b@x.example', '2026-03-02T09:00:00Z', '2026-03-02T09:40:00Z'],
      ['a@x.example', '2026-03-02T09:40:00Z', '2026-03-02T10:00:00Z'],
    ]);
    const result = await findMeetingTimes({
      attendees: [
        { email: 'a@x.example', calendar, timeZone: 'UTC' },
        { email: 'b@x.example', calendar, timeZone: 'UTC' },
      ],
      durationMinutes: 60,
      stepMinutes: 20,
      range: { start: '2026-03-02T09:00:00Z', end: '2026-03-02T10:00:00Z' },
      now,
    });
    expect(result.slots).toEqual([]);
    const labels = result.alternatives.map((alternative) => `${alternative.kind}: ${alternative.label}`);
    // Neither attendee alone has an hour free inside the range, and no 30 minutes are common to both.
    expect(labels).toEqual(['extended_range: Until 2026-03-02T11:00:00.000Z (range doubled)']);
    expect(result.alternatives[0]?.slots[0]?.start.toISOString()).toBe('2026-03-02T10:00:00.000Z');
  });

  it('proposes making a required attendee optional', async () => {
    const calendar = busyCalendar(['a@x.example', 'b@x.example'], [['a@x.example', '2026-03-02T08:00:00Z', '2026-03-02T12:00:00Z']]);
    const result = await findMeetingTimes({
      attendees: [
        { email: 'a@x.example', calendar, timeZone: 'UTC' },
        { email: 'b@x.example', calendar, timeZone: 'UTC' },
      ],
      durationMinutes: 60,
      range: { start: '2026-03-02T09:00:00Z', end: '2026-03-02T10:00:00Z' },
      now,
    });
    expect(result.alternatives.map((alternative) => alternative.label)).toEqual(['Without a@x.example']);
    expect(result.alternatives[0]?.slots[0]).toMatchObject({ attendees: ['b@x.example'], missing: ['a@x.example'] });
  });

  it('offers a shorter meeting when only that fits', async () => {
    const calendar = busyCalendar(['a@x.example'], [['a@x.example', '2026-03-02T09:30:00Z', '2026-03-02T12:00:00Z']]);
    const result = await findMeetingTimes({
      attendees: [{ email: 'a@x.example', calendar, timeZone: 'UTC' }],
      durationMinutes: 60,
      range: { start: '2026-03-02T09:00:00Z', end: '2026-03-02T10:00:00Z' },
      now,
    });
    expect(result.alternatives.map((alternative) => alternative.kind)).toEqual(['shorter_duration']);
    expect(result.alternatives[0]?.slots[0]?.start.toISOString()).toBe('2026-03-02T09:00:00.000Z');
  });

  it('rejects bad input naming the field', async () => {
    const calendar = busyCalendar(['a@x.example'], []);
    const base = { attendees: [{ email: 'a@x.example', calendar, timeZone: 'UTC' }], durationMinutes: 30, range: { start: '2026-03-02T09:00:00Z', end: '2026-03-02T10:00:00Z' }, now };
    await expect(findMeetingTimes({ ...base, range: { start: '2026-03-02T10:00:00Z', end: '2026-03-02T09:00:00Z' } })).rejects.toThrow(/range\.end/);
    await expect(findMeetingTimes({ ...base, attendees: [{ ...base.attendees[0]!, timeZone: 'Mars/Olympus' }] })).rejects.toThrow(/attendees\.0\.timeZone/);
    await expect(findMeetingTimes({ ...base, durationMinutes: 0 })).rejects.toThrow(ValidationError);
    await expect(findMeetingTimes({ ...base, attendees: [base.attendees[0]!, base.attendees[0]!] })).rejects.toThrow(/duplicate attendee/);
    await expect(findMeetingTimes({ ...base, range: { start: '2026-03-02 09:00', end: '2026-03-02T10:00:00Z' } })).rejects.toThrow(/range\.start/);
    const aborted = AbortSignal.abort();
    await expect(findMeetingTimes({ ...base, signal: aborted })).rejects.toThrow(AbortedError);
  });
});

describe('book', () => {
  it('creates the event with a Meet link, holds the room, and creates nothing twice on retry', async () => {
    const organizerCalendar = createMemoryCalendar({ calendars: ['ana@x.example'] });
    const roomCalendar = createMemoryCalendar({ calendars: ['room-1@rooms.example'] });
    const request = {
      slot: { start: new Date('2026-03-02T09:00:00Z'), end: new Date('2026-03-02T09:30:00Z') },
      organizer: { email: 'ana@x.example', calendar: organizerCalendar, timeZone: 'Europe/London' },
      attendees: [{ email: 'ben@x.example' }, { email: 'eve@x.example', optional: true }],
      title: 'Kickoff',
      conference: 'meet' as const,
      room: { id: 'room-1@rooms.example', capacity: 4, calendar: roomCalendar },
      idempotencyKey: 'booking-123',
    };
    const first = await book(request);
    const second = await book(request);
    expect(second.eventIds).toEqual(first.eventIds);
    expect(first.joinUrl).toMatch(/^https:\/\/meet\.example\.invalid\//);
    expect(first.event.attendees.map((attendee) => attendee.email)).toEqual(['ben@x.example', 'eve@x.example', 'room-1@rooms.example']);
    const organizerEvents = await organizerCalendar.listEvents({ calendarId: 'ana@x.example', range: { start: '2026-03-02T00:00:00Z', end: '2026-03-03T00:00:00Z' } }).toArray();
    const roomBusy = await roomCalendar.freeBusy({ calendars: ['room-1@rooms.example'], range: { start: '2026-03-02T00:00:00Z', end: '2026-03-03T00:00:00Z' } });
    expect(organizerEvents).toHaveLength(1);
    expect(roomBusy[0]?.busy.map((block) => block.start.toISOString())).toEqual(['2026-03-02T09:00:00.000Z']);
  });

  it('rejects a conference kind the provider cannot create, and bad slots', async () => {
    const calendar = createMemoryCalendar({ calendars: ['ana@x.example'], capabilities: { conferencing: [] } });
    const base = {
      slot: { start: new Date('2026-03-02T09:00:00Z'), end: new Date('2026-03-02T09:30:00Z') },
      organizer: { email: 'ana@x.example', calendar, timeZone: 'UTC' },
      attendees: [],
      title: 'Sync',
      idempotencyKey: 'k',
    };
    await expect(book({ ...base, conference: 'teams' })).rejects.toThrow(/teams/);
    await expect(book({ ...base, slot: { start: base.slot.end, end: base.slot.start } })).rejects.toThrow(/slot\.end/);
    await expect(book({ ...base, title: ' ' })).rejects.toThrow(/title/);
  });
});
