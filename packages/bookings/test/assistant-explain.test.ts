// The assistant says why: slot reasons instead of a bare score, and why nothing fits.
import { describe, expect, it } from 'vitest';
import { createMemoryCalendar } from '../src/adapters/memory';
import { book, findMeetingTimes } from '../src/assistant';

const weekdays = (start: string, end: string) => [1, 2, 3, 4, 5].map((day) => ({ day, start, end }));
const now = new Date('2026-03-01T00:00:00Z');

describe('findMeetingTimes explains itself', () => {
  it('says the working hours never overlap (San Francisco + London + Bangalore, 08–18) and what would be needed', async () => {
    const calendar = createMemoryCalendar({ calendars: ['sf@example.com', 'ldn@example.com', 'blr@example.com'] });
    const result = await findMeetingTimes({
      attendees: [
        { email: 'sf@example.com', calendar, timeZone: 'America/Los_Angeles', workingHours: weekdays('08:00', '18:00') },
        { email: 'ldn@example.com', calendar, timeZone: 'Europe/London', workingHours: weekdays('08:00', '18:00') },
        { email: 'blr@example.com', calendar, timeZone: 'Asia/Kolkata', workingHours: weekdays('08:00', '18:00') },
      ],
      durationMinutes: 30,
      range: { start: '2026-03-02T00:00:00Z', end: '2026-03-07T00:00:00Z' },
      now,
    });
    expect(result.slots).toEqual([]);
    expect(result.reason?.code).toBe('no_overlap');
    expect(result.reason?.message).toContain('sf@example.com, ldn@example.com, blr@example.com never share 30 minutes');
    // Whatever start is closest, someone is outside their hours, and each such attendee is named with their local time.
    const needed = result.reason?.closest?.needed ?? [];
    expect(needed.length).toBeGreaterThan(0);
    for (const line of needed) expect(line).toMatch(/^(sf|ldn|blr)@example\.com \d\d:\d\d–\d\d:\d\d local \(works 08:00–18:00\)$/);
  });

  it('says busy time, not hours, is the obstacle when the hours do overlap', async () => {
    const calendar = createMemoryCalendar({
      calendars: ['a@example.com'],
      seed: [{ id: 'all', calendarId: 'a@example.com', title: 'Busy', start: new Date('2026-03-02T00:00:00Z'), end: new Date('2026-03-03T00:00:00Z'), timeZone: 'UTC' }],
    });
    const result = await findMeetingTimes({
      attendees: [{ email: 'a@example.com', calendar, timeZone: 'UTC', workingHours: weekdays('09:00', '17:00') }],
      durationMinutes: 30,
      range: { start: '2026-03-02T00:00:00Z', end: '2026-03-03T00:00:00Z' },
      now,
    });
    expect(result.reason?.code).toBe('busy');
  });

  it('explains each slot: preferred hours, hours outside 08–18, fragmentation and distance from now, not the score', async () => {
    const calendar = createMemoryCalendar({
      calendars: ['ana@example.com', 'raj@example.com'],
      seed: [
        { id: 'm', calendarId: 'ana@example.com', title: 'Standup', start: new Date('2026-03-02T16:00:00Z'), end: new Date('2026-03-02T16:30:00Z'), timeZone: 'UTC' },
      ],
    });
    const result = await findMeetingTimes({
      attendees: [
        { email: 'ana@example.com', calendar, timeZone: 'America/New_York', preferredHours: weekdays('09:00', '12:00') },
        { email: 'raj@example.com', calendar, timeZone: 'Asia/Kolkata' },
      ],
      durationMinutes: 30,
      stepMinutes: 30,
      range: { start: '2026-03-02T16:30:00Z', end: '2026-03-02T17:00:00Z' },
      now,
    });
    const [slot] = result.slots;
    expect(slot?.explanation).not.toMatch(/score/);
    expect(slot?.reasons).toEqual([
      'within preferred hours of ana@example.com',
      'outside 08:00–18:00 for raj@example.com at 22:00 local',
      'starts in 41 h',
    ]);
    const later = await findMeetingTimes({
      attendees: [{ email: 'ana@example.com', calendar, timeZone: 'America/New_York', preferredHours: weekdays('09:00', '10:00') }],
      durationMinutes: 30,
      stepMinutes: 30,
      range: { start: '2026-03-02T17:00:00Z', end: '2026-03-02T17:30:00Z' },
      now,
    });
    expect(later.slots[0]?.reasons).toEqual([
      'outside preferred hours of ana@example.com',
      'fragments the day of ana@example.com (30 min gap)',
      'starts in 41 h',
    ]);
  });
});

describe('book', () => {
  it('accepts ISO strings for the slot, as every other input does', async () => {
    const calendar = createMemoryCalendar({ calendars: ['org@example.com'] });
    const booking = await book({
      slot: { start: '2026-03-02T15:00:00Z', end: '2026-03-02T15:30:00+00:00' },
      organizer: { email: 'org@example.com', calendar, timeZone: 'UTC' },
      attendees: [{ email: 'guest@example.com' }],
      title: 'Intro',
      idempotencyKey: 'iso-1',
    });
    expect(booking.event.start).toEqual({ dateTime: new Date('2026-03-02T15:00:00Z'), timeZone: 'UTC' });
    await expect(
      book({
        slot: { start: '2026-03-02T15:00:00', end: '2026-03-02T15:30:00Z' },
        organizer: { email: 'org@example.com', calendar, timeZone: 'UTC' },
        attendees: [],
        title: 'No offset',
        idempotencyKey: 'iso-2',
      }),
    ).rejects.toThrow(/slot\.start/);
  });
});
