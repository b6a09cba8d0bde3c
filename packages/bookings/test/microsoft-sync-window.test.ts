// The rolling sync window on Graph. calendarView/delta takes startDateTime/endDateTime only on
// the first call and bakes them into the @odata.deltaLink, so a token keeps tracking the window
// it was opened for: https://learn.microsoft.com/en-us/graph/api/event-delta ("the
// startDateTime and endDateTime … are encoded in the deltaLink"). The adapter re-baselines;
// this fake Graph behaves like the real one (changes only inside the token's own window) over
// 13 months on a manual clock.
import { createManualClock } from '@almanac/core';
import { useStrictNock } from '@almanac/core/testing';
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { createMicrosoftCalendarProvider } from '../src/adapters/microsoft';
import type { SyncedEvent } from '../src/spec';
import { GRAPH, USER, USER_ID, graphEvent } from './fixtures/microsoft/responses';

useStrictNock();

const DAY = 86_400_000;
const START = Date.parse('2026-03-01T00:00:00Z');
const deltaPath = `${USER}/calendarView/delta`;
const iso7 = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}.0000000`;

interface FakeEvent {
  id: string;
  start: number;
  end: number;
  version: number;
  deleted: boolean;
}

describe('microsoft sync: a rolling window', () => {
  it('re-baselines so events past the first window appear, with nothing lost or duplicated over 13 months', async () => {
    // One hour-long event every 5 days, from 60 days before the start to 800 days after it.
    const events: FakeEvent[] = [];
    for (let day = -60; day <= 800; day += 5) events.push({ id: `ev${day}`, start: START + day * DAY + 9 * 3_600_000, end: START + day * DAY + 10 * 3_600_000, version: 0, deleted: false });
    let version = 0;
    const overlaps = (event: FakeEvent, from: number, to: number) => event.end > from && event.start < to;
    const body = (items: FakeEvent[], from: number, to: number) => ({
      '@odata.context': `${GRAPH}/v1.0/$metadata#Collection(event)`,
      '@odata.deltaLink': `${GRAPH}${deltaPath}?$deltatoken=${from}_${to}_${version}`,
      value: items.map((event) =>
        event.deleted
          ? { '@odata.type': '#microsoft.graph.event', id: event.id, '@removed': { reason: 'deleted' } }
          : graphEvent({ id: event.id, start: { dateTime: iso7(event.start), timeZone: 'UTC' }, end: { dateTime: iso7(event.end), timeZone: 'UTC' } }),
      ),
    });
    let fullCalls = 0;
    nock(GRAPH)
      .persist()
      .get(deltaPath)
      .query(true)
      .reply((uri) => {
        const query = new URL(GRAPH + uri).searchParams;
        const token = query.get('$deltatoken');
        if (token === null) {
          fullCalls++;
          const from = Date.parse(query.get('startDateTime') ?? '');
          const to = Date.parse(query.get('endDateTime') ?? '');
          return [200, body(events.filter((event) => !event.deleted && overlaps(event, from, to)), from, to)];
        }
        const [from, to, since] = token.split('_').map(Number) as [number, number, number];
        // Like Graph: only changes inside the window the token was opened for.
        return [200, body(events.filter((event) => event.version > since && overlaps(event, from, to)), from, to)];
      });

    const clock = createManualClock(START);
    const provider = createMicrosoftCalendarProvider({ getAccessToken: async () => 'test-access-token', userId: USER_ID, clock, retry: { maxAttempts: 1 } });
    const copy = new Map<string, SyncedEvent>();
    let token: string | undefined;
    let resyncs = 0;
    for (let day = 0; day <= 396; day += 3) {
      clock.set(START + day * DAY);
      if (day === 99) {
        // Deleted inside the window, and one changed event moved within it.
        const gone = events.find((event) => event.id === 'ev120') as FakeEvent;
        gone.deleted = true;
        gone.version = ++version;
      }
      const result = await provider.sync({ calendarId: 'primary', ...(token ? { syncToken: token } : {}) });
      token = result.nextSyncToken;
      expect(new Set(result.changes.map((event) => event.id)).size).toBe(result.changes.length);
      if (result.fullResync) {
        resyncs++;
        copy.clear();
      }
      for (const id of result.deleted) {
        copy.delete(id);
        for (const [key, event] of copy) if (event.seriesId === id) copy.delete(key);
      }
      for (const event of result.changes) copy.set(event.id, event);
      const from = result.window.start.getTime();
      const to = result.window.end.getTime();
      const expected = events.filter((event) => !event.deleted && overlaps(event, from, to)).map((event) => event.id).sort();
      expect([...copy.keys()].sort()).toEqual(expected);
      // The window never lags the clock by more than the re-baseline period.
      expect(clock.now() + 365 * DAY - to).toBeLessThanOrEqual(30 * DAY);
    }
    // 13 months on, events beyond the first window's end (day 365) are in the copy.
    expect(copy.has('ev390')).toBe(true);
    expect(copy.has('ev120')).toBe(false);
    expect(resyncs).toBeGreaterThanOrEqual(12);
    expect(fullCalls).toBe(resyncs + 1);
  });
});
