import { useStrictNock } from '@almanac/core/testing';
import { createGoogleCalendar } from '../src/adapters/google';
import { describeCalendarConformance } from '../src/testing';
import { FakeGoogleCalendarApi } from './fixtures/google/fake-api';

useStrictNock();

// The real adapter and the real `@googleapis/calendar` client, against a nock-backed fake of the API.
describeCalendarConformance({
  name: 'google',
  async create(fixture) {
    const api = new FakeGoogleCalendarApi(fixture.calendarId, fixture.timeZone).seed(fixture).install();
    const calendar = createGoogleCalendar({
      tokens: { getToken: async () => 'conformance-access-token' },
      conferencePollDelaysMs: [5, 10, 20],
      retry: { maxAttempts: 1 },
      // The fixture lies in March 2026; the sync window is read from the system clock.
      syncWindow: { pastDays: 3650 },
    });
    return { calendar, api };
  },
  destroy: ({ api }) => api.uninstall(),
});
