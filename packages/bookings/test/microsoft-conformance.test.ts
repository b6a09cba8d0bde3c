import { createManualClock } from '@almanac/core';
import { useStrictNock } from '@almanac/core/testing';
import { createMicrosoftCalendar } from '../src/adapters/microsoft';
import { describeCalendarConformance } from '../src/testing';
import { startFakeGraph } from './fixtures/microsoft/fake-graph';

useStrictNock();

describeCalendarConformance({
  name: 'microsoft',
  async create(fixture) {
    const graph = startFakeGraph(fixture);
    const calendar = createMicrosoftCalendar({
      getAccessToken: async () => 'fake-graph-token',
      userId: fixture.calendarId,
      retry: { maxAttempts: 1 },
      // "Today" for the sync window (30 days back, a year ahead) is just before the fixture.
      clock: createManualClock(Date.parse('2026-02-25T00:00:00Z')),
    });
    return { calendar, graph };
  },
  destroy: ({ graph }) => graph.close(),
});
