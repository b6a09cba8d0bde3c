// getSchedule statuses and entity limits, with responses shaped like Graph's own examples.
// https://learn.microsoft.com/en-us/graph/api/calendar-getschedule (the example answers
// `"status": "Busy"`/`"Tentative"`), https://learn.microsoft.com/en-us/graph/api/resources/scheduleitem
// (status: free, tentative, busy, oof, workingElsewhere, unknown), and
// https://learn.microsoft.com/en-us/graph/outlook-get-free-busy-schedule (users, distribution
// lists and resources; at most 20 entities per request).
import { useStrictNock } from '@almanac/core/testing';
import { createManualClock } from '@almanac/core';
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { createMicrosoftCalendarProvider } from '../src/adapters/microsoft';
import { createCalendar } from '../src/facade';
import { GRAPH, USER, USER_ID, scheduleInformation, scheduleResponse } from './fixtures/microsoft/responses';

useStrictNock();

const range = { start: new Date('2026-03-02T00:00:00Z'), end: new Date('2026-03-03T00:00:00Z') };
const item = (status: string | undefined, hour: number) => ({
  isPrivate: false,
  ...(status === undefined ? {} : { status }),
  start: { dateTime: `2026-03-02T${String(hour).padStart(2, '0')}:00:00.0000000`, timeZone: 'UTC' },
  end: { dateTime: `2026-03-02T${String(hour).padStart(2, '0')}:30:00.0000000`, timeZone: 'UTC' },
});

function make(extra: Record<string, unknown> = {}) {
  return createMicrosoftCalendarProvider({
    getAccessToken: async () => 'test-access-token',
    userId: USER_ID,
    clock: createManualClock(Date.parse('2026-03-01T00:00:00Z')),
    retry: { maxAttempts: 1 },
    ...extra,
  } as Parameters<typeof createMicrosoftCalendarProvider>[0]);
}

describe('microsoft getSchedule: statuses', () => {
  it('compares statuses case-insensitively and counts every status it cannot classify as busy', async () => {
    nock(GRAPH)
      .post(`${USER}/calendar/getSchedule`)
      .reply(
        200,
        scheduleResponse([
          scheduleInformation('alexw@contoso.com', [
            item('Busy', 8),
            item('Tentative', 9),
            item('OOF', 10),
            item('Free', 11),
            item('WorkingElsewhere', 12),
            item('free', 13),
            item('unknown', 14),
            item('somethingNew', 15),
            item(undefined, 16),
          ]),
        ]),
      );
    const [result] = await make().freeBusy({ calendars: ['alexw@contoso.com'], range });
    expect(result?.busy.map((block) => block.start.toISOString().slice(11, 16))).toEqual(['08:00', '09:00', '10:00', '14:00', '15:00', '16:00']);
  });
});

describe('microsoft getSchedule: distribution lists', () => {
  it('queries each named distribution list in a call of its own, beside the mailboxes', async () => {
    const calls: string[][] = [];
    nock(GRAPH)
      .post(`${USER}/calendar/getSchedule`)
      .times(3)
      .reply(200, (_uri, body) => {
        const schedules = (body as { schedules: string[] }).schedules;
        calls.push(schedules);
        return scheduleResponse(schedules.map((id) => scheduleInformation(id, [item('busy', 9)])));
      });
    const calendar = createCalendar(make({ distributionLists: ['Sales@contoso.com', 'eng@contoso.com'] }));
    const result = await calendar.freeBusy({ calendars: ['a@contoso.com', 'sales@contoso.com', 'b@contoso.com', 'eng@contoso.com'], range });
    expect(calls).toEqual([['a@contoso.com', 'b@contoso.com'], ['sales@contoso.com'], ['eng@contoso.com']]);
    expect(result.map((entry) => [entry.calendarId, entry.busy.length])).toEqual([
      ['a@contoso.com', 1],
      ['sales@contoso.com', 1],
      ['b@contoso.com', 1],
      ['eng@contoso.com', 1],
    ]);
  });

  it('refuses a distribution list that is not an SMTP address', () => {
    expect(() => make({ distributionLists: ['not an address'] })).toThrow(/distributionLists/);
  });
});
