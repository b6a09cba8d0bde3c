import { createManualClock, isUuid, uuidv7Timestamp } from '@almanac/core';
import { expectAlmanacError } from '@almanac/core/testing';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { CdpMessage, CdpSink, SinkResult } from '../src/index';
import { createCollector, createMemoryOutbox } from '../src/index';

function recordingSink(name = 'rec', behaviour: (batch: readonly CdpMessage[]) => SinkResult | Promise<SinkResult> = () => ({ rejected: [] })) {
  const received: CdpMessage[][] = [];
  const sink: CdpSink = {
    name,
    async deliver(messages) {
      const result = await behaviour(messages);
      received.push([...messages]);
      return result;
    },
  };
  return { sink, received };
}

describe('createCollector', () => {
  it('fills a UUID v7 messageId and the clock time, keeps a supplied messageId, and delivers in order', async () => {
    const clock = createManualClock(Date.UTC(2026, 11, 3, 9, 0, 0));
    const { sink, received } = recordingSink();
    const collector = await createCollector({ outbox: createMemoryOutbox(), sinks: [sink], clock });
    const first = await collector.track({ userId: 'u1', event: 'Signed Up' });
    const second = await collector.identify({ userId: 'u1', traits: { email: 'a@example.com' }, messageId: 'fixed-1' });
    expect(isUuid(first.messageId)).toBe(true);
    expect(first.messageId[14]).toBe('7');
    expect(Math.abs(uuidv7Timestamp(first.messageId) - Date.now())).toBeLessThan(60_000);
    expect(second).toEqual({ messageId: 'fixed-1', status: 'accepted' });
    expect(received).toEqual([]); // nothing is sent before a flush
    const report = await collector.flush();
    expect(report.sinks).toEqual([{ sink: 'rec', delivered: 2, quarantined: 0 }]);
    expect(received.flat().map((m) => [m.type, m.messageId, m.timestamp])).toEqual([
      ['track', first.messageId, '2026-12-03T09:00:00.000Z'],
      ['identify', 'fixed-1', '2026-12-03T09:00:00.000Z'],
    ]);
    expect((await collector.flush()).sinks[0]?.delivered).toBe(0);
  });

  it('validates each call against the Segment spec, naming the field', async () => {
    const collector = await createCollector({ outbox: createMemoryOutbox(), sinks: [] });
    await expectAlmanacError(collector.track({ userId: 'u1', event: '' }), { code: 'validation', field: 'input.event' });
    await expectAlmanacError(collector.track({ event: 'X' } as never), { code: 'validation', field: 'input.userId' });
    await expectAlmanacError(collector.alias({ userId: 'u1' } as never), { code: 'validation', field: 'input.previousId' });
    await expectAlmanacError(collector.group({ userId: 'u1', groupId: 'g', extra: 1 } as never), { code: 'validation' });
    await expectAlmanacError(collector.track({ userId: 'u', event: 'E', properties: { n: Number.NaN } }), { code: 'validation' });
    await expectAlmanacError(collector.page({ userId: 'u', properties: { blob: 'x'.repeat(40_000) } }), { code: 'validation', message: /32 KB/ });
  });

  it('tracking plan, reject policy: a violation throws and nothing is stored', async () => {
    const outbox = createMemoryOutbox();
    const collector = await createCollector({
      outbox,
      sinks: [],
      trackingPlan: { policy: 'reject', events: { 'Order Completed': z.object({ revenue: z.number() }) } },
    });
    await expectAlmanacError(collector.track({ userId: 'u', event: 'Order Completed', properties: { revenue: 'ten' } }), {
      code: 'validation',
      message: /properties\.revenue/,
    });
    await expectAlmanacError(collector.track({ userId: 'u', event: 'Unplanned' }), { code: 'validation', message: /not in the tracking plan/ });
    await collector.track({ userId: 'u', event: 'Order Completed', properties: { revenue: 10 } });
    expect(outbox.stats().lastSeq).toBe(1);
  });

  it('tracking plan, quarantine policy: the violation is kept with its reason and never delivered', async () => {
    const { sink, received } = recordingSink();
    const collector = await createCollector({
      outbox: createMemoryOutbox(),
      sinks: [sink],
      trackingPlan: { policy: 'quarantine', events: { 'Order Completed': z.object({ revenue: z.number() }) } },
    });
    const result = await collector.track({ userId: 'u', event: 'Order Completed', properties: {} });
    expect(result.status).toBe('quarantined');
    await collector.flush();
    expect(received).toEqual([]);
    const [entry] = await collector.listQuarantined();
    expect(entry?.by).toBe('collector');
    expect(entry?.reason).toMatch(/properties\.revenue/);
    expect(entry?.message.messageId).toBe(result.messageId);
  });

  it('a failing sink keeps its messages for the next flush; other sinks are not held back', async () => {
    let fail = true;
    const flaky = recordingSink('flaky', () => {
      if (fail) throw new Error('down');
      return { rejected: [] };
    });
    const steady = recordingSink('steady');
    const collector = await createCollector({ outbox: createMemoryOutbox(), sinks: [flaky.sink, steady.sink] });
    await collector.track({ userId: 'u', event: 'A' });
    const report = await collector.flush();
    expect(report.sinks.map((entry) => [entry.sink, entry.delivered, entry.error?.message])).toEqual([
      ['flaky', 0, 'down'],
      ['steady', 1, undefined],
    ]);
    fail = false;
    const again = await collector.flush();
    expect(again.sinks.map((entry) => entry.delivered)).toEqual([1, 0]);
    expect(flaky.received.flat().map((m) => m.type)).toEqual(['track']);
  });

  it('messages a sink refuses for good are quarantined with the sink reason, the rest acknowledged', async () => {
    const { sink } = recordingSink('picky', (batch) => ({
      rejected: batch.filter((m) => m.type === 'page').map((m) => ({ messageId: m.messageId, reason: 'no pages' })),
    }));
    const collector = await createCollector({ outbox: createMemoryOutbox(), sinks: [sink] });
    await collector.track({ userId: 'u', event: 'A' });
    const page = await collector.page({ userId: 'u', name: 'Home' });
    const report = await collector.flush();
    expect(report.sinks[0]).toEqual({ sink: 'picky', delivered: 1, quarantined: 1 });
    expect((await collector.listQuarantined()).map((q) => [q.message.messageId, q.by, q.reason])).toEqual([[page.messageId, 'picky', 'no pages']]);
  });

  it('refuses duplicate sink names and calls after close', async () => {
    const a = recordingSink('same').sink;
    await expectAlmanacError(createCollector({ outbox: createMemoryOutbox(), sinks: [a, a] }), { code: 'validation', field: 'options.sinks' });
    const collector = await createCollector({ outbox: createMemoryOutbox(), sinks: [] });
    await collector.close();
    await expectAlmanacError(collector.track({ userId: 'u', event: 'A' }), { code: 'config' });
  });

  it('close() delivers what is pending before closing the outbox', async () => {
    const { sink, received } = recordingSink();
    const collector = await createCollector({ outbox: createMemoryOutbox(), sinks: [sink], flushIntervalMs: 60_000 });
    await collector.track({ userId: 'u', event: 'A' });
    const report = await collector.close();
    expect(report.sinks[0]).toEqual({ sink: 'rec', delivered: 1, quarantined: 0 });
    expect(received.flat()).toHaveLength(1);
  });

  it('delivers in the background every flushIntervalMs', async () => {
    const clock = createManualClock(0);
    const { sink, received } = recordingSink();
    const collector = await createCollector({ outbox: createMemoryOutbox(), sinks: [sink], clock, flushIntervalMs: 1000 });
    await collector.track({ userId: 'u', event: 'A' });
    await clock.advance(1000);
    for (let i = 0; i < 20 && received.length === 0; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(received.flat()).toHaveLength(1);
    await collector.close();
  });
});
