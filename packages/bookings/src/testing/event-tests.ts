// listEvents and getEvent: the fixture's events with explicit zones, paging, partial ranges.
import { NotFoundError } from '@almanac/core';
import { expect } from 'vitest';
import type { CalendarEvent } from '../spec';
import { eventKey, rejection } from './assertions';
import type { SuiteContext } from './context';

/** Registers the listing and reading tests. */
export function registerEventTests(context: SuiteContext): void {
  const { fixture, fullRange, expectations, listTitles } = context;

  context.group('listEvents and getEvent', () => {
    context.test('lists the fixture events with explicit zones', ['events'], async (calendar) => {
      const expected = expectations(calendar);
      const events = await calendar.listEvents({ calendarId: fixture.calendarId, range: fullRange }).toArray();
      for (const event of events) {
        expect(event.calendarId).toBe(fixture.calendarId);
        expect(event.id.length).toBeGreaterThan(0);
        if (event.status === 'cancelled') expect(expected.cancelledTitles).toContain(event.title);
      }
      expect(new Set(events.map((event) => event.id)).size).toBe(events.length);
      const live = events.filter((event) => event.status !== 'cancelled');
      expect(live.map(eventKey).sort()).toEqual(expected.events.map(eventKey).sort());
      const seriesIds = new Map<string, Set<string | undefined>>();
      for (const event of live) {
        const match = expected.events.find((candidate) => candidate.title === event.title);
        if (match?.recurring !== true) continue;
        expect(event.recurringEventId, `${event.title} instance needs recurringEventId`).toBeTruthy();
        const ids = seriesIds.get(match.uid) ?? new Set();
        ids.add(event.recurringEventId);
        seriesIds.set(match.uid, ids);
      }
      for (const ids of seriesIds.values()) expect(ids.size).toBe(1);
    });

    context.test('pages with a small pageSize without losing or repeating events', ['events'], async (calendar) => {
      const all = await calendar.listEvents({ calendarId: fixture.calendarId, range: fullRange }).toArray();
      const paged: CalendarEvent[] = [];
      for await (const event of calendar.listEvents({ calendarId: fixture.calendarId, range: fullRange, pageSize: 3 })) {
        paged.push(event);
      }
      expect(paged.map((event) => event.id).sort()).toEqual(all.map((event) => event.id).sort());
      const limited = await calendar.listEvents({ calendarId: fixture.calendarId, range: fullRange, pageSize: 3 }).toArray({ limit: 2 });
      expect(limited).toHaveLength(2);
    });

    context.test('returns events overlapping a partial range', ['events'], async (calendar) => {
      const range = { start: new Date('2026-03-08T06:00:00Z'), end: new Date('2026-03-08T07:00:00Z') };
      expect(await listTitles(calendar, range)).toEqual(['Overnight deploy window']);
    });

    context.test('getEvent returns a listed event', ['events'], async (calendar) => {
      const events = await calendar.listEvents({ calendarId: fixture.calendarId, range: fullRange }).toArray();
      const listed = events.find((event) => event.title === 'Overnight deploy window');
      expect(listed).toBeDefined();
      const event = await calendar.getEvent({ calendarId: fixture.calendarId, eventId: (listed as CalendarEvent).id });
      expect(event.id).toBe((listed as CalendarEvent).id);
      expect(eventKey(event)).toBe(eventKey(listed as CalendarEvent));
    });

    context.test('getEvent throws NotFoundError for a missing id', ['events'], async (calendar) => {
      const error = await rejection(calendar.getEvent({ calendarId: fixture.calendarId, eventId: fixture.missingEventId }));
      expect(NotFoundError.isInstance(error), `expected NotFoundError, got ${String(error)}`).toBe(true);
    });
  });
}
