import { describe, expect, it } from 'vitest';
import { findSlots, intersectIntervals, mergeIntervals, subtractIntervals } from '../src/slots';
import type { SlotParticipant, SlotRequest, WeeklyWindow } from '../src/slots';

const iso = (d: Date) => d.toISOString();
const starts = (req: SlotRequest) =>
  findSlots({ maxResults: 10_000, ...req })
    .map((s) => iso(s.start))
    .sort();
const everyDay = (start: string, end: string, days = [0, 1, 2, 3, 4, 5, 6]): WeeklyWindow[] =>
  days.map((day) => ({ day, start, end }));
const hoursUtc = (date: string, hours: number[]) =>
  hours.map((h) => `${date}T${String(h).padStart(2, '0')}:00:00.000Z`);

describe('findSlots: busy time', () => {
  it('blocks starts whose slot overlaps a busy interval, and only those', () => {
    const got = starts({
      range: { start: '2024-01-15T09:00:00Z', end: '2024-01-15T12:00:00Z' },
      durationMinutes: 60,
      stepMinutes: 60,
      participants: [{ id: 'a', busy: [{ start: '2024-01-15T10:00:00Z', end: '2024-01-15T11:00:00Z' }] }],
    });
    expect(got).toEqual(hoursUtc('2024-01-15', [9, 11]));
  });

  it('widens each busy interval by the buffer once on each side', () => {
    const got = starts({
      range: { start: '2024-01-15T08:00:00Z', end: '2024-01-15T13:00:00Z' },
      durationMinutes: 30,
      stepMinutes: 15,
      bufferMinutes: 15,
      participants: [{ id: 'a', busy: [{ start: '2024-01-15T10:00:00Z', end: '2024-01-15T11:00:00Z' }] }],
    });
    // Buffered busy is 09:45–11:15: the last slot before ends at 09:45, the first after starts at 11:15.
    expect(got).toContain('2024-01-15T09:15:00.000Z');
    expect(got).not.toContain('2024-01-15T09:30:00.000Z');
    expect(got).toContain('2024-01-15T11:15:00.000Z');
    expect(got).not.toContain('2024-01-15T11:00:00.000Z');
    expect(got).toHaveLength(6 + 6);
  });

  it('ignores empty busy intervals, even with a buffer', () => {
    const got = starts({
      range: { start: '2024-01-15T09:00:00Z', end: '2024-01-15T11:00:00Z' },
      durationMinutes: 60,
      stepMinutes: 60,
      bufferMinutes: 30,
      participants: [{ id: 'a', busy: [{ start: '2024-01-15T09:30:00Z', end: '2024-01-15T09:30:00Z' }] }],
    });
    expect(got).toEqual(hoursUtc('2024-01-15', [9, 10]));
  });

  it('lets a slot end exactly where a busy interval starts', () => {
    const got = starts({
      range: { start: '2024-01-15T09:00:00Z', end: '2024-01-15T10:00:00Z' },
      durationMinutes: 30,
      stepMinutes: 30,
      participants: [{ id: 'a', busy: [{ start: new Date('2024-01-15T09:30:00Z'), end: new Date('2024-01-15T10:00:00Z') }] }],
    });
    expect(got).toEqual(['2024-01-15T09:00:00.000Z']);
  });
});

describe('findSlots: step grid and notice', () => {
  it('aligns starts to multiples of the step since the epoch, not to range.start', () => {
    const slots = findSlots({
      range: { start: '2024-01-15T09:07:00Z', end: '2024-01-15T12:00:00Z' },
      durationMinutes: 30,
      stepMinutes: 25,
      maxResults: 1000,
      participants: [{ id: 'a', busy: [] }],
    });
    const step = 25 * 60_000;
    const first = Math.ceil(Date.parse('2024-01-15T09:07:00Z') / step) * step;
    expect(slots.length).toBeGreaterThan(0);
    for (const s of slots) expect(s.start.getTime() % step).toBe(0);
    expect(Math.min(...slots.map((s) => s.start.getTime()))).toBe(first);
    expect(slots.map((s) => s.start.getTime()).sort((a, b) => a - b)).toEqual(
      Array.from({ length: slots.length }, (_, i) => first + i * step),
    );
  });

  it('starts no slot before now + minNoticeMinutes', () => {
    const got = starts({
      range: { start: '2024-01-15T08:00:00Z', end: '2024-01-15T12:00:00Z' },
      durationMinutes: 30,
      stepMinutes: 30,
      now: new Date('2024-01-15T09:10:00Z'),
      minNoticeMinutes: 20,
      participants: [{ id: 'a', busy: [] }],
    });
    expect(got[0]).toBe('2024-01-15T09:30:00.000Z');
    expect(got).toHaveLength(5);
  });

  it('treats now without notice as the earliest start', () => {
    const got = starts({
      range: { start: '2024-01-15T08:00:00Z', end: '2024-01-15T12:00:00Z' },
      durationMinutes: 60,
      stepMinutes: 60,
      now: new Date('2024-01-15T10:00:00Z'),
      participants: [{ id: 'a', busy: [] }],
    });
    expect(got).toEqual(hoursUtc('2024-01-15', [10, 11]));
  });

  it('returns nothing when the range is shorter than the meeting', () => {
    expect(
      findSlots({
        range: { start: '2024-01-15T08:00:00Z', end: '2024-01-15T08:20:00Z' },
        durationMinutes: 30,
        participants: [{ id: 'a', busy: [] }],
      }),
    ).toEqual([]);
  });
});

describe('findSlots: working hours and time zones', () => {
  it('follows New York working hours across the March DST change', () => {
    const got = starts({
      range: { start: '2024-03-09T00:00:00Z', end: '2024-03-12T00:00:00Z' },
      durationMinutes: 60,
      stepMinutes: 60,
      participants: [{ id: 'ny', busy: [], timeZone: 'America/New_York', workingHours: everyDay('09:00', '17:00') }],
    });
    expect(got).toEqual([
      ...hoursUtc('2024-03-09', [14, 15, 16, 17, 18, 19, 20, 21]), // EST, UTC−5
      ...hoursUtc('2024-03-10', [13, 14, 15, 16, 17, 18, 19, 20]), // EDT, UTC−4
      ...hoursUtc('2024-03-11', [13, 14, 15, 16, 17, 18, 19, 20]),
    ]);
  });

  it('reads a window across the spring-forward gap as the real instants of its ends', () => {
    // Sunday 2024-03-10: 01:00 EST = 06:00Z; 03:00 EDT = 07:00Z. One real hour.
    const base = {
      range: { start: '2024-03-10T00:00:00Z', end: '2024-03-11T00:00:00Z' },
      durationMinutes: 30,
      stepMinutes: 30,
    };
    expect(
      starts({
        ...base,
        participants: [{ id: 'ny', busy: [], timeZone: 'America/New_York', workingHours: [{ day: 0, start: '01:00', end: '03:00' }] }],
      }),
    ).toEqual(['2024-03-10T06:00:00.000Z', '2024-03-10T06:30:00.000Z']);
    // A window lying wholly inside the gap (02:00–03:00 never happens) is empty.
    expect(
      starts({
        ...base,
        participants: [{ id: 'ny', busy: [], timeZone: 'America/New_York', workingHours: [{ day: 0, start: '02:00', end: '02:45' }] }],
      }),
    ).toEqual([]);
  });

  it('reads a window across the fall-back overlap from the first 01:00 to the only 02:00', () => {
    // Sunday 2024-11-03: 01:00 EDT = 05:00Z, 02:00 EST = 07:00Z. Two real hours.
    const got = starts({
      range: { start: '2024-11-03T00:00:00Z', end: '2024-11-04T00:00:00Z' },
      durationMinutes: 60,
      stepMinutes: 60,
      participants: [{ id: 'ny', busy: [], timeZone: 'America/New_York', workingHours: [{ day: 0, start: '01:00', end: '02:00' }] }],
    });
    expect(got).toEqual(hoursUtc('2024-11-03', [5, 6]));
  });

  it('follows London working hours across the October DST change', () => {
    const got = starts({
      range: { start: '2024-10-25T00:00:00Z', end: '2024-10-29T00:00:00Z' },
      durationMinutes: 60,
      stepMinutes: 60,
      participants: [{ id: 'ldn', busy: [], timeZone: 'Europe/London', workingHours: everyDay('09:00', '17:00', [1, 2, 3, 4, 5]) }],
    });
    expect(got).toEqual([
      ...hoursUtc('2024-10-25', [8, 9, 10, 11, 12, 13, 14, 15]), // Friday, BST
      ...hoursUtc('2024-10-28', [9, 10, 11, 12, 13, 14, 15, 16]), // Monday, GMT
    ]);
  });

  it('handles half-hour offsets (Asia/Kolkata, UTC+5:30)', () => {
    const got = starts({
      range: { start: '2024-01-15T00:00:00Z', end: '2024-01-16T00:00:00Z' },
      durationMinutes: 60,
      stepMinutes: 30,
      participants: [{ id: 'in', busy: [], timeZone: 'Asia/Kolkata', workingHours: everyDay('09:00', '17:00') }],
    });
    // 09:00–17:00 IST = 03:30Z–11:30Z.
    expect(got[0]).toBe('2024-01-15T03:30:00.000Z');
    expect(got.at(-1)).toBe('2024-01-15T10:30:00.000Z');
    expect(got).toHaveLength(15);
  });

  it('joins overnight windows that touch at midnight into one stretch', () => {
    // Berlin in January is UTC+1: Mon 22:00 = 21:00Z, Tue 06:00 = 05:00Z.
    const got = starts({
      range: { start: '2024-01-15T00:00:00Z', end: '2024-01-17T00:00:00Z' },
      durationMinutes: 120,
      stepMinutes: 60,
      participants: [
        {
          id: 'night',
          busy: [],
          timeZone: 'Europe/Berlin',
          workingHours: [
            { day: 1, start: '22:00', end: '24:00' },
            { day: 2, start: '00:00', end: '06:00' },
          ],
        },
      ],
    });
    expect(got).toEqual([...hoursUtc('2024-01-15', [21, 22, 23]), ...hoursUtc('2024-01-16', [0, 1, 2, 3])]);
  });

  it("treats '24:00' as the next local midnight", () => {
    const got = starts({
      range: { start: '2024-01-19T00:00:00Z', end: '2024-01-21T00:00:00Z' },
      durationMinutes: 60,
      stepMinutes: 30,
      participants: [
        {
          id: 'a',
          busy: [],
          workingHours: [
            { day: 5, start: '22:00', end: '24:00' },
            { day: 6, start: '00:00', end: '00:30' },
          ],
        },
      ],
    });
    expect(got).toEqual([
      '2024-01-19T22:00:00.000Z',
      '2024-01-19T22:30:00.000Z',
      '2024-01-19T23:00:00.000Z',
      '2024-01-19T23:30:00.000Z',
    ]);
  });

  it('requires every required participant to be in hours (NY + London overlap)', () => {
    const got = starts({
      range: { start: '2024-01-15T00:00:00Z', end: '2024-01-16T00:00:00Z' },
      durationMinutes: 60,
      stepMinutes: 60,
      participants: [
        { id: 'ny', busy: [], timeZone: 'America/New_York', workingHours: everyDay('09:00', '17:00') },
        { id: 'ldn', busy: [], timeZone: 'Europe/London', workingHours: everyDay('09:00', '17:00') },
      ],
    });
    expect(got).toEqual(hoursUtc('2024-01-15', [14, 15, 16]));
  });
});

describe('findSlots: optional attendees, scoring and order', () => {
  const range = { start: '2024-01-15T09:00:00Z', end: '2024-01-15T13:00:00Z' };

  it('lists unavailable optional participants in missing and ranks fuller slots first', () => {
    const participants: SlotParticipant[] = [
      { id: 'req', busy: [] },
      { id: 'opt1', optional: true, busy: [{ start: '2024-01-15T10:00:00Z', end: '2024-01-15T11:00:00Z' }] },
      { id: 'opt2', optional: true, busy: [], workingHours: everyDay('11:00', '13:00') },
    ];
    const slots = findSlots({ range, durationMinutes: 60, stepMinutes: 60, participants });
    expect(slots.map((s) => [iso(s.start), s.attendees, s.missing])).toEqual([
      ['2024-01-15T11:00:00.000Z', ['req', 'opt1', 'opt2'], []],
      ['2024-01-15T12:00:00.000Z', ['req', 'opt1', 'opt2'], []],
      ['2024-01-15T09:00:00.000Z', ['req', 'opt1'], ['opt2']],
      ['2024-01-15T10:00:00.000Z', ['req'], ['opt1', 'opt2']],
    ]);
  });

  it('never drops a slot because an optional participant is unavailable', () => {
    const got = starts({
      range,
      durationMinutes: 60,
      stepMinutes: 60,
      participants: [
        { id: 'req', busy: [] },
        { id: 'opt', optional: true, busy: [{ start: range.start, end: range.end }] },
      ],
    });
    expect(got).toHaveLength(4);
  });

  it('scores by the documented formula', () => {
    // Single attendee, no preferences, midpoint 09:30 UTC (inside 08–18): comfort (0.5 + 1) / 2.
    const [slot] = findSlots({
      range: { start: '2024-01-15T09:00:00Z', end: '2024-01-15T10:00:00Z' },
      durationMinutes: 60,
      participants: [{ id: 'a', busy: [] }],
    });
    expect(slot?.score).toBeCloseTo(0.375, 12);
    // Midpoint 21:00 local is 3 h late: penalty 0.5, comfort (0.5 + 0.5) / 2; plus one optional present.
    const [late] = findSlots({
      range: { start: '2024-01-15T20:30:00Z', end: '2024-01-15T21:30:00Z' },
      durationMinutes: 60,
      stepMinutes: 30,
      participants: [
        { id: 'a', busy: [] },
        { id: 'b', busy: [], optional: true },
      ],
    });
    expect(late?.score).toBeCloseTo(1 + 0.5 / 2, 12);
  });

  it('raises the score of slots within preferred hours', () => {
    const slots = findSlots({
      range,
      durationMinutes: 60,
      stepMinutes: 60,
      participants: [{ id: 'a', busy: [], preferredHours: everyDay('11:00', '12:00') }],
    });
    expect(iso(slots[0]!.start)).toBe('2024-01-15T11:00:00.000Z');
    expect(slots[0]!.score).toBeGreaterThan(slots[1]!.score);
    expect(slots).toHaveLength(4);
  });

  it('penalises early and late local times', () => {
    const slots = findSlots({
      range: { start: '2024-01-15T00:00:00Z', end: '2024-01-16T00:00:00Z' },
      durationMinutes: 60,
      stepMinutes: 60,
      maxResults: 24,
      participants: [{ id: 'a', busy: [], timeZone: 'Asia/Tokyo' }],
    });
    const byLocalHour = new Map(slots.map((s) => [(s.start.getUTCHours() + 9) % 24, s.score]));
    expect(byLocalHour.get(12)!).toBeGreaterThan(byLocalHour.get(6)!);
    expect(byLocalHour.get(12)!).toBeGreaterThan(byLocalHour.get(20)!);
    expect(byLocalHour.get(20)!).toBeGreaterThan(byLocalHour.get(23)!);
  });

  it('sorts by score descending then start ascending, and maxResults keeps the best', () => {
    const req: SlotRequest = {
      range: { start: '2024-01-15T00:00:00Z', end: '2024-01-17T00:00:00Z' },
      durationMinutes: 30,
      maxResults: 10_000,
      participants: [
        { id: 'a', busy: [], timeZone: 'America/New_York' },
        { id: 'b', busy: [], optional: true, workingHours: everyDay('10:00', '16:00'), timeZone: 'Europe/Paris' },
      ],
    };
    const all = findSlots(req);
    for (let i = 1; i < all.length; i++) {
      const prev = all[i - 1]!;
      const cur = all[i]!;
      expect(prev.score > cur.score || (prev.score === cur.score && prev.start < cur.start)).toBe(true);
    }
    expect(findSlots({ ...req, maxResults: 7 })).toEqual(all.slice(0, 7));
    expect(findSlots({ ...req, maxResults: 7 }).every((s) => s.attendees.includes('b'))).toBe(true);
  });

  it('returns Date objects with end = start + duration', () => {
    const [s] = findSlots({ range, durationMinutes: 45, participants: [{ id: 'a', busy: [] }] });
    expect(s!.end.getTime() - s!.start.getTime()).toBe(45 * 60_000);
  });
});

describe('interval helpers', () => {
  it('mergeIntervals merges overlapping and touching intervals and drops empty ones', () => {
    expect(
      mergeIntervals([
        { start: 5, end: 7 },
        { start: 1, end: 3 },
        { start: 3, end: 4 },
        { start: 9, end: 9 },
        { start: 6, end: 8 },
      ]),
    ).toEqual([
      { start: 1, end: 4 },
      { start: 5, end: 8 },
    ]);
  });

  it('subtractIntervals and intersectIntervals', () => {
    const a = [{ start: 0, end: 10 }];
    const b = [
      { start: 2, end: 3 },
      { start: 8, end: 12 },
    ];
    expect(subtractIntervals(a, b)).toEqual([
      { start: 0, end: 2 },
      { start: 3, end: 8 },
    ]);
    expect(intersectIntervals(a, b)).toEqual([
      { start: 2, end: 3 },
      { start: 8, end: 10 },
    ]);
  });
});
