// Writes: create, read back, patch, etags, cancel, all-day dates, idempotency keys, conferences.
import { ConflictError, NotFoundError } from '@almanac/core';
import { expect } from 'vitest';
import { rejection, timeKey } from './assertions';
import { WRITE_RANGE } from './context';
import type { SuiteContext } from './context';

/** Registers the write tests. */
export function registerWriteTests(context: SuiteContext): void {
  const { fixture, base, listTitles } = context;

  context.group('write', () => {
    context.test('creates, reads, patches, rejects a stale etag and cancels idempotently', ['write'], async (calendar) => {
      const created = await calendar.createEvent(base);
      expect(created.id.length).toBeGreaterThan(0);
      expect(created.title).toBe(base.title);
      expect(created.status).not.toBe('cancelled');
      expect(timeKey(created.start)).toBe('2026-05-04T12:00:00.000Z Europe/Berlin');
      expect(timeKey(created.end)).toBe('2026-05-04T13:00:00.000Z Europe/Berlin');

      if (calendar.supports('events')) {
        const read = await calendar.getEvent({ calendarId: fixture.calendarId, eventId: created.id });
        expect(read.title).toBe(base.title);
        expect(timeKey(read.start)).toBe(timeKey(created.start));
      }

      const patched = await calendar.updateEvent({
        calendarId: fixture.calendarId,
        eventId: created.id,
        patch: { title: 'Conformance write (renamed)' },
        notify: false,
        ...(created.etag === undefined ? {} : { etag: created.etag }),
      });
      expect(patched.id).toBe(created.id);
      expect(patched.title).toBe('Conformance write (renamed)');
      expect(patched.description).toBe(base.description);
      expect(patched.location).toBe(base.location);
      expect(timeKey(patched.start)).toBe(timeKey(created.start));

      if (created.etag !== undefined) {
        expect(patched.etag).toBeDefined();
        expect(patched.etag).not.toBe(created.etag);
        const stale = await rejection(
          calendar.updateEvent({
            calendarId: fixture.calendarId,
            eventId: created.id,
            patch: { title: 'lost update' },
            etag: created.etag,
          }),
        );
        expect(ConflictError.isInstance(stale), `expected ConflictError, got ${String(stale)}`).toBe(true);
      }

      await calendar.cancelEvent({ calendarId: fixture.calendarId, eventId: created.id, notify: false });
      await calendar.cancelEvent({ calendarId: fixture.calendarId, eventId: created.id, notify: false });

      if (calendar.supports('events')) {
        try {
          const after = await calendar.getEvent({ calendarId: fixture.calendarId, eventId: created.id });
          expect(after.status).toBe('cancelled');
        } catch (error) {
          expect(NotFoundError.isInstance(error), `expected NotFoundError, got ${String(error)}`).toBe(true);
        }
        expect(await listTitles(calendar, WRITE_RANGE)).not.toContain('Conformance write (renamed)');
      }
    });

    context.test('moves an event with a patch of start and end', ['write'], async (calendar) => {
      const created = await calendar.createEvent(base);
      const moved = await calendar.updateEvent({
        calendarId: fixture.calendarId,
        eventId: created.id,
        patch: { start: new Date('2026-05-05T08:00:00Z'), end: new Date('2026-05-05T09:30:00Z') },
      });
      expect(timeKey(moved.start)).toBe('2026-05-05T08:00:00.000Z Europe/Berlin');
      expect(timeKey(moved.end)).toBe('2026-05-05T09:30:00.000Z Europe/Berlin');
      expect(moved.title).toBe(base.title);
    });

    context.test('creates all-day events as dates', ['write'], async (calendar) => {
      const created = await calendar.createEvent({
        calendarId: fixture.calendarId,
        title: 'Conformance all-day',
        start: '2026-05-06',
        end: '2026-05-07',
        allDay: true,
        timeZone: 'America/New_York',
        notify: false,
      });
      expect(created.start).toEqual({ date: '2026-05-06' });
      expect(created.end).toEqual({ date: '2026-05-07' });
    });

    context.test('creates once per idempotencyKey', ['write'], async (calendar) => {
      const input = { ...base, title: 'Conformance idempotent', idempotencyKey: 'conformance-key-1' };
      const first = await calendar.createEvent(input);
      const second = await calendar.createEvent(input);
      expect(second.id).toBe(first.id);
      if (calendar.supports('events')) {
        const titles = await listTitles(calendar, WRITE_RANGE);
        expect(titles.filter((title) => title === input.title)).toHaveLength(1);
      }
    });

    for (const kind of ['meet', 'teams'] as const) {
      context.test(`creates a ${kind} conference link`, ['write', kind], async (calendar) => {
        const created = await calendar.createEvent({ ...base, title: `Conformance ${kind}`, conference: kind });
        expect(created.conference).toBe(kind);
        expect(created.joinUrl).toMatch(/^https:\/\//);
      });
    }
  });
}
