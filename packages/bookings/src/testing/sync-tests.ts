// Incremental sync and push notifications.
import { expect } from 'vitest';
import type { CalendarEvent } from '../spec';
import { WATCH_ADDRESS } from './context';
import type { SuiteContext } from './context';

const BOGUS_SYNC_TOKEN = 'almanac-conformance-unknown-sync-token';

/** Registers the sync and push tests. */
export function registerSyncTests(context: SuiteContext): void {
  const { fixture, base } = context;

  context.group('sync', () => {
    context.test('full sync returns the fixture and an unknown token forces a full resync', ['incrementalSync'], async (calendar) => {
      const first = await calendar.sync({ calendarId: fixture.calendarId });
      expect(first.nextSyncToken.length).toBeGreaterThan(0);
      const titles = first.changes.map((event) => event.title);
      for (const event of fixture.events) {
        if (event.status === 'cancelled' || (event.rrule !== undefined && !calendar.supports('recurrence'))) continue;
        expect(titles).toContain(event.title);
      }
      const resync = await calendar.sync({ calendarId: fixture.calendarId, syncToken: BOGUS_SYNC_TOKEN });
      expect(resync.fullResync).toBe(true);
      expect(resync.nextSyncToken.length).toBeGreaterThan(0);
      expect(resync.changes.map((event) => event.title)).toEqual(expect.arrayContaining(['New York standup']));
    });

    context.test('full sync reports occurrences within its window, each with seriesId, never a series master', ['incrementalSync'], async (calendar) => {
      const result = await calendar.sync({ calendarId: fixture.calendarId });
      expect(result.window.end.getTime()).toBeGreaterThan(result.window.start.getTime());
      expect(new Set(result.changes.map((event) => event.id)).size).toBe(result.changes.length);
      for (const event of result.changes) {
        expect(typeof event.seriesId).toBe('string');
        expect(event.seriesId).toBe(event.recurringEventId ?? event.id);
        if ('dateTime' in event.start && 'dateTime' in event.end) {
          expect(event.end.dateTime.getTime()).toBeGreaterThan(result.window.start.getTime());
          expect(event.start.dateTime.getTime()).toBeLessThan(result.window.end.getTime());
        }
      }
      const series = fixture.events.find((event) => event.rrule !== undefined && event.instances !== undefined);
      if (series !== undefined && calendar.supports('recurrence')) {
        const occurrences = result.changes.filter((event) => event.title === series.title);
        // Expanded like listEvents: one change per live occurrence, all of one series.
        expect(occurrences.length).toBe(series.instances?.length);
        expect(new Set(occurrences.map((event) => event.seriesId)).size).toBe(1);
        expect(occurrences.every((event) => event.id !== event.seriesId)).toBe(true);
      }
    });

    context.test('incremental sync reports changes and deletions since the token', ['incrementalSync', 'write'], async (calendar) => {
      const first = await calendar.sync({ calendarId: fixture.calendarId });
      const standup = first.changes.find((event) => event.title === 'New York standup');
      expect(standup).toBeDefined();
      const created = await calendar.createEvent({ ...base, title: 'Conformance sync probe' });
      await calendar.cancelEvent({ calendarId: fixture.calendarId, eventId: (standup as CalendarEvent).id, notify: false });
      const next = await calendar.sync({ calendarId: fixture.calendarId, syncToken: first.nextSyncToken });
      expect(next.fullResync).toBe(false);
      expect(next.changes.map((event) => event.id)).toContain(created.id);
      expect(next.deleted).toContain((standup as CalendarEvent).id);
      const live = next.changes.filter((event) => event.status !== 'cancelled').map((event) => event.id);
      expect(live).not.toContain((standup as CalendarEvent).id);
      expect(next.nextSyncToken.length).toBeGreaterThan(0);
    });
  });

  context.group('push', () => {
    context.test('watches and unwatches a calendar idempotently', ['push'], async (calendar) => {
      const channel = await calendar.watch({
        calendarId: fixture.calendarId,
        address: WATCH_ADDRESS,
        token: 'conformance-secret',
        ttlSeconds: 3600,
      });
      expect(channel.id.length).toBeGreaterThan(0);
      expect(channel.calendarId).toBe(fixture.calendarId);
      expect(channel.address).toBe(WATCH_ADDRESS);
      expect(Number.isNaN(channel.expiresAt.getTime())).toBe(false);
      await calendar.unwatch(channel);
      await calendar.unwatch(channel);
    });
  });
}
