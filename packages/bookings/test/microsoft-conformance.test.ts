import { createManualClock } from '@almanac/core';
import nock from 'nock';
import { beforeAll } from 'vitest';
import { createMicrosoftCalendar } from '../src/adapters/microsoft';
import { describeCalendarConformance } from '../src/testing';
import { startFakeGraph } from './fixtures/microsoft/fake-graph';

beforeAll(() => {
  nock.disableNetConnect();
});

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
