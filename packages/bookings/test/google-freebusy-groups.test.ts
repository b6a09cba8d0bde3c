// Free/busy of Google Group addresses, shaped like `freebusy.query` answers for groups:
// the group is listed under `groups` with its members' calendar ids, the members' busy time
// under `calendars`, and there is no `calendars[groupId]`.
// https://developers.google.com/workspace/calendar/api/v3/reference/freebusy/query
// (`groupExpansionMax`: "An error is returned for a group with more members than this value.
// Maximum value is 100."; error reasons `groupTooBig`, `tooManyCalendarsRequested`, `notFound`).
import { createManualClock } from '@almanac/core';
import { useStrictNock } from '@almanac/core/testing';
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { createGoogleCalendarProvider } from '../src/adapters/google';
import { findMeetingTimes } from '../src/assistant';
import { createCalendar } from '../src/facade';
import { API } from './fixtures/google/responses';

useStrictNock();

const range = { start: new Date('2026-03-02T00:00:00Z'), end: new Date('2026-03-03T00:00:00Z') };

function make() {
  return createGoogleCalendarProvider({
    tokens: { getToken: async () => 'test-access-token' },
    clock: createManualClock(Date.parse('2026-03-01T00:00:00Z')),
    retry: { maxAttempts: 3, random: () => 0 },
  });
}

describe('google freeBusy: Google Groups', () => {
  it('asks Google to expand groups (groupExpansionMax 100) and reports the union of the members with their ids', async () => {
    let sent: Record<string, unknown> | undefined;
    nock(API)
      .post('/calendar/v3/freeBusy', (body) => {
        sent = body;
        return true;
      })
      .once()
      .reply(200, {
        kind: 'calendar#freeBusy',
        timeMin: '2026-03-02T00:00:00.000Z',
        timeMax: '2026-03-03T00:00:00.000Z',
        groups: { 'eng@example.com': { calendars: ['ada@example.com', 'bob@example.com'] } },
        calendars: {
          'ada@example.com': { busy: [{ start: '2026-03-02T09:00:00Z', end: '2026-03-02T10:00:00Z' }] },
          'bob@example.com': { busy: [{ start: '2026-03-02T09:30:00Z', end: '2026-03-02T11:00:00Z' }] },
          'carol@example.com': { busy: [] },
        },
      });
    const result = await createCalendar(make()).freeBusy({ calendars: ['eng@example.com', 'carol@example.com'], range });
    expect(sent).toMatchObject({ groupExpansionMax: 100, items: [{ id: 'eng@example.com' }, { id: 'carol@example.com' }] });
    expect(result).toEqual([
      {
        calendarId: 'eng@example.com',
        members: ['ada@example.com', 'bob@example.com'],
        busy: [{ start: new Date('2026-03-02T09:00:00Z'), end: new Date('2026-03-02T11:00:00Z'), source: 'Google Calendar' }],
      },
      { calendarId: 'carol@example.com', busy: [] },
    ]);
  });

  it('marks a group too big to expand as unavailable without failing or retrying the query', async () => {
    // `.once()`: a retry would find no mock and fail the test.
    nock(API)
      .post('/calendar/v3/freeBusy')
      .once()
      .reply(200, {
        kind: 'calendar#freeBusy',
        timeMin: '2026-03-02T00:00:00.000Z',
        timeMax: '2026-03-03T00:00:00.000Z',
        groups: { 'all@example.com': { errors: [{ domain: 'calendar', reason: 'groupTooBig' }] } },
        calendars: { 'carol@example.com': { busy: [{ start: '2026-03-02T12:00:00Z', end: '2026-03-02T13:00:00Z' }] } },
      });
    const [group, carol] = await make().freeBusy({ calendars: ['all@example.com', 'carol@example.com'], range });
    expect(group?.busy).toEqual([]);
    expect(group?.unavailable?.reason).toBe('groupTooBig');
    expect(group?.unavailable?.message).toMatch(/all@example\.com.*more than 100 members/);
    expect(carol?.busy).toHaveLength(1);
  });

  it('never offers the time of a group it could not expand as free', async () => {
    nock(API)
      .post('/calendar/v3/freeBusy')
      .reply(200, {
        kind: 'calendar#freeBusy',
        groups: { 'all@example.com': { errors: [{ domain: 'calendar', reason: 'groupTooBig' }] } },
        calendars: {},
      });
    const calendar = createCalendar(make());
    const result = await findMeetingTimes({
      attendees: [{ email: 'all@example.com', calendar, timeZone: 'UTC' }],
      durationMinutes: 30,
      range,
      now: new Date('2026-03-01T00:00:00Z'),
    });
    expect(result.slots).toEqual([]);
  });
});
