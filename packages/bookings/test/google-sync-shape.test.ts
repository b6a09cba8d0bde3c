// Google sync in the spec's one shape. With a syncToken, events.list returns series masters
// (with `recurrence`) and changed instances, never expanded occurrences, and refuses
// timeMin/singleEvents: https://developers.google.com/workspace/calendar/api/guides/sync and
// https://developers.google.com/workspace/calendar/api/v3/reference/events/list ("singleEvents …
// cannot be used together with syncToken"); occurrences come from events.instances:
// https://developers.google.com/workspace/calendar/api/v3/reference/events/instances
import { createManualClock } from '@almanac/core';
import { useStrictNock } from '@almanac/core/testing';
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { createGoogleCalendarProvider } from '../src/adapters/google';
import { API, EVENTS_PATH, eventsPage, googleEvent } from './fixtures/google/responses';

useStrictNock();

const START = Date.parse('2026-03-01T00:00:00Z');
const master = googleEvent({
  id: 'weekly1',
  summary: 'Weekly sync',
  start: { dateTime: '2026-03-03T10:00:00Z', timeZone: 'UTC' },
  end: { dateTime: '2026-03-03T11:00:00Z', timeZone: 'UTC' },
  recurrence: ['RRULE:FREQ=WEEKLY;COUNT=3'],
});
const instance = (day: string) =>
  googleEvent({
    id: `weekly1_202603${day}T100000Z`,
    summary: 'Weekly sync',
    recurringEventId: 'weekly1',
    originalStartTime: { dateTime: `2026-03-${day}T10:00:00Z`, timeZone: 'UTC' },
    start: { dateTime: `2026-03-${day}T10:00:00Z`, timeZone: 'UTC' },
    end: { dateTime: `2026-03-${day}T11:00:00Z`, timeZone: 'UTC' },
  });

describe('google sync: occurrences with seriesId', () => {
  it('expands a series master into its occurrences within the window and never reports the master', async () => {
    let instancesQuery: Record<string, string> | undefined;
    nock(API)
      .get(EVENTS_PATH('primary'))
      .query({ maxResults: '250' })
      .reply(200, eventsPage([master, googleEvent({ id: 'single1', summary: 'One-off' })], { nextSyncToken: 'sync-1' }))
      .get(`${EVENTS_PATH('primary')}/weekly1/instances`)
      .query((query) => {
        instancesQuery = query as Record<string, string>;
        return true;
      })
      .reply(200, eventsPage([instance('03'), instance('10'), instance('17')]));
    const provider = createGoogleCalendarProvider({ tokens: { getToken: async () => 'test-access-token' }, clock: createManualClock(START) });
    const result = await provider.sync?.({ calendarId: 'primary' });
    expect(instancesQuery).toMatchObject({ timeMin: '2026-01-30T00:00:00.000Z', timeMax: '2027-03-01T00:00:00.000Z' });
    expect(result?.window).toEqual({ start: new Date('2026-01-30T00:00:00Z'), end: new Date('2027-03-01T00:00:00Z') });
    expect(result?.changes.map((event) => [event.id, event.seriesId])).toEqual([
      ['single1', 'single1'],
      ['weekly1_20260303T100000Z', 'weekly1'],
      ['weekly1_20260310T100000Z', 'weekly1'],
      ['weekly1_20260317T100000Z', 'weekly1'],
    ]);
  });
});
