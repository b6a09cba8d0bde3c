import { createMemoryCalendar } from '../src/adapters/memory';
import type { MemorySeedEvent } from '../src/adapters/memory';
import { CONFORMANCE_FIXTURE, describeCalendarConformance, fixtureInstant } from '../src/testing';
import type { ConformanceFixture } from '../src/testing';
import { afterAll, describe, expect, it } from 'vitest';

function seedOf(fixture: ConformanceFixture): MemorySeedEvent[] {
  return fixture.events.map((event) => {
    const allDay = event.allDay === true;
    // All-day boundaries are dates; any instant on that date in the event's zone will do.
    const at = (value: string) => (allDay ? fixtureInstant(`${value}T12:00:00Z`) : fixtureInstant(value));
    return {
      id: event.uid.replace(/@.*/, '').replaceAll('-', ''),
      calendarId: fixture.calendarId,
      title: event.title,
      ...(event.description === undefined ? {} : { description: event.description }),
      start: at(event.start),
      end: at(event.end),
      timeZone: event.timeZone,
      allDay,
      status: event.status,
      transparency: event.transparency,
      ...(event.rrule === undefined
        ? {}
        : {
            recurrence: {
              rrule: event.rrule,
              exdates: (event.exdates ?? []).map(fixtureInstant),
              overrides: (event.overrides ?? []).map((o) => ({
                recurrenceId: fixtureInstant(o.recurrenceId),
                start: fixtureInstant(o.start),
                end: fixtureInstant(o.end),
              })),
            },
          }),
    };
  });
}

describeCalendarConformance({
  name: 'memory',
  async create(fixture) {
    return {
      calendar: createMemoryCalendar({
        // The fixture lies in March 2026; the sync window is read from the system clock.
        syncWindow: { pastDays: 3650 }, calendars: [fixture.calendarId], timeZone: fixture.timeZone, seed: seedOf(fixture) }),
    };
  },
});

// Slices of 7 days and 1 calendar per call: the same answers through the facade's splitting.
describeCalendarConformance({
  name: 'memory (split freeBusy)',
  async create(fixture) {
    return {
      calendar: createMemoryCalendar({
        // The fixture lies in March 2026; the sync window is read from the system clock.
        syncWindow: { pastDays: 3650 },
        calendars: [fixture.calendarId, 'other'],
        timeZone: fixture.timeZone,
        seed: seedOf(fixture),
        capabilities: { maxFreeBusyCalendars: 1, maxFreeBusyRangeDays: 7 },
      }),
    };
  },
});

// A narrow provider: only the gated tests that apply run, and capability errors are checked.
describeCalendarConformance({
  name: 'memory (read-only, no recurrence)',
  async create(fixture) {
    return {
      calendar: createMemoryCalendar({
        // The fixture lies in March 2026; the sync window is read from the system clock.
        syncWindow: { pastDays: 3650 },
        calendars: [fixture.calendarId],
        timeZone: fixture.timeZone,
        seed: seedOf(fixture).filter((event) => event.recurrence === undefined),
        capabilities: { write: false, recurrence: false, incrementalSync: false, push: false, conferencing: [] },
      }),
    };
  },
});

// Core's option shape: `skip` leaves one test, and a harness `cleanup` (deprecated) still runs
// after it when the options give no `destroy`.
let cleanups = 0;
describeCalendarConformance({
  name: 'memory (skip and deprecated cleanup)',
  skip: (title) => title !== 'declares consistent capabilities',
  async create(fixture) {
    return {
      calendar: createMemoryCalendar({
        // The fixture lies in March 2026; the sync window is read from the system clock.
        syncWindow: { pastDays: 3650 }, calendars: [fixture.calendarId], timeZone: fixture.timeZone, seed: seedOf(fixture) }),
      cleanup: async () => {
        cleanups++;
      },
    };
  },
});
afterAll(() => {
  expect(cleanups).toBe(1);
});

describe('conformance fixture', () => {
  it('writes every timed boundary with the offset its zone has at that moment', () => {
    const check = (value: string, zone: string) => {
      const instant = fixtureInstant(value);
      const offset = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' })
        .format(instant)
        .replace(/^.*GMT/, '');
      expect(value.endsWith(offset === '' ? '+00:00' : offset), `${value} in ${zone}`).toBe(true);
    };
    for (const event of CONFORMANCE_FIXTURE.events) {
      if (event.allDay === true) continue;
      check(event.start, event.timeZone);
      check(event.end, event.timeZone);
      for (const o of event.overrides ?? []) for (const v of [o.recurrenceId, o.start, o.end]) check(v, event.timeZone);
      for (const i of event.instances ?? []) for (const v of [i.start, i.end]) check(v, event.timeZone);
    }
  });
});
