// Validation: every bad field is named, and every failure is an AlmanacError.
import { AlmanacError } from '@almanac/core';
import { expect } from 'vitest';
import { expectValidation, rejection } from './assertions';
import { WATCH_ADDRESS } from './context';
import type { SuiteContext } from './context';

/** Registers the validation tests. */
export function registerValidationTests(context: SuiteContext): void {
  const { fixture, fullRange } = context;

  context.group('validation', () => {
    context.test('freeBusy names the bad range field', ['freeBusy'], async (calendar) => {
      await expectValidation(calendar.freeBusy({ range: { start: fullRange.end, end: fullRange.start } }), 'range.end');
      await expectValidation(calendar.freeBusy({ range: { start: '2026-03-01T00:00:00', end: fixture.range.end } }), 'range.start');
      await expectValidation(calendar.freeBusy({ calendars: [''], range: fullRange }), 'calendars.0');
    });

    context.test('listEvents and getEvent name the bad field', ['events'], async (calendar) => {
      await expectValidation(calendar.listEvents({ calendarId: '', range: fullRange }).toArray(), 'calendarId');
      await expectValidation(calendar.getEvent({ calendarId: fixture.calendarId, eventId: '' }), 'eventId');
    });

    context.test('createEvent names the bad field', ['write'], async (calendar) => {
      const input = { calendarId: fixture.calendarId, title: 'x', start: '2026-05-04T10:00:00Z', end: '2026-05-04T11:00:00Z' };
      await expectValidation(calendar.createEvent({ ...input, timeZone: 'Mars/Olympus_Mons' }), 'timeZone');
      await expectValidation(calendar.createEvent({ ...input, timeZone: 'UTC', end: input.start }), 'end');
      await expectValidation(calendar.createEvent({ ...input, timeZone: 'UTC', attendees: [{ email: 'not an email' }] }), 'attendees.0.email');
    });

    context.test('watch names the bad field', ['push'], async (calendar) => {
      const input = { calendarId: fixture.calendarId, address: WATCH_ADDRESS, token: 'secret' };
      await expectValidation(calendar.watch({ ...input, address: 'http://insecure.example/hook' }), 'address');
      await expectValidation(calendar.watch({ ...input, ttlSeconds: 0 }), 'ttlSeconds');
    });

    context.test('every failure is an AlmanacError', ['events'], async (calendar) => {
      const error = await rejection(calendar.getEvent({ calendarId: fixture.calendarId, eventId: fixture.missingEventId }));
      expect(AlmanacError.isInstance(error)).toBe(true);
    });
  });
}
