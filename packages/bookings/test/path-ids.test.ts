// Issue #13 item 5: ids `.` and `..` passed validation and encodeURIComponent keeps dots, so
// `cancelEvent({ eventId: '..' })` sent `DELETE …/calendars/<id>/` to Google and to Graph.
// Strict nock: any request at all fails these tests.
import { ValidationError, createManualClock } from '@almanac/core';
import { useStrictNock } from '@almanac/core/testing';
import { describe, expect, it } from 'vitest';
import { createGoogleCalendarProvider } from '../src/adapters/google';
import { createMemoryCalendar } from '../src/adapters/memory';
import { createMicrosoftCalendarProvider } from '../src/adapters/microsoft';
import type { CalendarProvider } from '../src/spec';

useStrictNock();

const range = { start: new Date('2026-03-01T00:00:00Z'), end: new Date('2026-03-02T00:00:00Z') };
const clock = createManualClock(Date.parse('2026-03-01T00:00:00Z'));
const providers: Array<[string, () => CalendarProvider]> = [
  ['google', () => createGoogleCalendarProvider({ tokens: { getToken: async () => 'test-access-token' }, clock, retry: { maxAttempts: 1 } })],
  [
    'microsoft',
    () =>
      createMicrosoftCalendarProvider({ getAccessToken: async () => 'test-access-token', userId: 'u1', clock, retry: { maxAttempts: 1 } } as Parameters<
        typeof createMicrosoftCalendarProvider
      >[0]),
  ],
];

const calls: Array<[string, (provider: CalendarProvider, id: string) => Promise<unknown>, string]> = [
  ['cancelEvent eventId', (p, id) => p.cancelEvent!({ calendarId: 'cal1', eventId: id, notify: false }), 'eventId'],
  ['getEvent eventId', (p, id) => p.getEvent!({ calendarId: 'cal1', eventId: id }), 'eventId'],
  ['updateEvent eventId', (p, id) => p.updateEvent!({ calendarId: 'cal1', eventId: id, patch: { title: 'x' } }), 'eventId'],
  ['cancelEvent calendarId', (p, id) => p.cancelEvent!({ calendarId: id, eventId: 'e1', notify: false }), 'calendarId'],
  ['listEventsPage calendarId', (p, id) => p.listEventsPage!({ calendarId: id, range }), 'calendarId'],
];

describe.each(providers)('%s provider: dot-segment ids', (_name, make) => {
  it.each(calls.flatMap(([label, call, field]) => ['.', '..'].map((id) => [label, id, call, field] as const)))(
    '%s %j is refused before any request',
    async (_label, id, call, field) => {
      const error = await call(make(), id).catch((caught: unknown) => caught);
      expect(ValidationError.isInstance(error), String(error)).toBe(true);
      // Google names the field; Graph refuses the request path the id produced.
      expect((error as ValidationError).issues[0]?.path).toBe(_name === 'google' ? field : 'path');
    },
  );
});

describe('facade: dot-segment ids', () => {
  it.each(['.', '..'])('cancelEvent refuses eventId %j with a ValidationError naming it', async (id) => {
    const calendar = createMemoryCalendar();
    await expect(calendar.cancelEvent({ calendarId: 'primary', eventId: id, notify: false })).rejects.toMatchObject({
      code: 'validation',
      issues: [expect.objectContaining({ path: 'eventId', message: 'must not be "." or ".."' })],
    });
  });
});
