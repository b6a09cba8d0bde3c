import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemoryEventBus } from '@almanac/core/events';
import type { EventEnvelope } from '@almanac/core/events';
import { expectAlmanacError } from '@almanac/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import type { CdpMessage, CdpSink } from '../src/index';
import { createCollector, createEventBusSink, createFileOutbox, createMemoryOutbox } from '../src/index';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('createEventBusSink', () => {
  it('publishes each message once per flush: event id = messageId, key = profile key, payload = the message', async () => {
    const bus = createMemoryEventBus();
    const seen: EventEnvelope<CdpMessage>[] = [];
    await bus.subscribe<CdpMessage>('cdp.messages', (event) => void seen.push(event), { group: 'audit' });
    const collector = await createCollector({ outbox: createMemoryOutbox(), sinks: [createEventBusSink(bus)] });
    const a = await collector.identify({ userId: 'u1', traits: { plan: 'pro' } });
    const b = await collector.track({ anonymousId: 'anon-7', event: 'Product Viewed', properties: { sku: 'x' } });
    const report = await collector.flush();
    await bus.idle();
    expect(report.sinks).toEqual([{ sink: 'event-bus:cdp.messages', delivered: 2, quarantined: 0 }]);
    expect(seen.map((e) => [e.id, e.key, e.headers['cdp-type'], e.data.messageId])).toEqual([
      [a.messageId, 'u1', 'identify', a.messageId],
      [b.messageId, 'anon-7', 'track', b.messageId],
    ]);
    expect(seen[1]?.data).toMatchObject({ type: 'track', event: 'Product Viewed', properties: { sku: 'x' } });
    expect((await collector.flush()).sinks[0]?.delivered).toBe(0); // acknowledged: not published again
    await collector.close();
    await bus.close();
  });

  it('a bus that pushes back (RateLimitError) keeps the whole batch in the outbox; the next flush publishes it again with the same ids', async () => {
    // A full group makes the memory bus refuse publishes, as a stalled consumer would.
    const bus = createMemoryEventBus({ maxQueuedPerGroup: 3 });
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const seen: string[] = [];
    await bus.subscribe<CdpMessage>(
      'orders',
      async (event) => {
        await gate;
        seen.push(event.id);
      },
      { group: 'billing', prefetch: 1 },
    );
    const collector = await createCollector({ outbox: createMemoryOutbox(), sinks: [createEventBusSink(bus, { topic: 'orders', maxBatchSize: 3 })] });
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push((await collector.track({ userId: `u${i}`, event: 'Order Completed' })).messageId);

    // Batch 1 fits (one event in flight, two queued); batch 2 gets one event in, then the group is full.
    const first = await collector.flush();
    expect(first.sinks[0]?.delivered).toBe(3);
    await expectAlmanacError(Promise.reject(first.sinks[0]?.error), { code: 'rate_limited' });

    release();
    await bus.idle();
    const second = await collector.flush();
    await bus.idle();
    expect(second.sinks[0]).toEqual({ sink: 'event-bus:orders', delivered: 3, quarantined: 0 });
    // At least once: every message arrived; the one the bus took from the failed batch arrived twice, with the same id.
    expect(new Set(seen)).toEqual(new Set(ids));
    expect(seen).toEqual([...ids.slice(0, 4), ...ids.slice(3)]);
    await collector.close();
    await bus.close();
  });

  it('a message the bus refuses as invalid is quarantined with the reason instead of blocking the others', async () => {
    const bus = createMemoryEventBus();
    const seen: string[] = [];
    await bus.subscribe('cdp.messages', (event) => void seen.push(event.id), { group: 'g' });
    const collector = await createCollector({ outbox: createMemoryOutbox(), sinks: [createEventBusSink(bus)] });
    const longId = 'm'.repeat(300); // valid for Segment (512), too long for an event id (200)
    await collector.track({ userId: 'u1', event: 'A', messageId: longId });
    const ok = await collector.track({ userId: 'u1', event: 'B' });
    const report = await collector.flush();
    await bus.idle();
    expect(report.sinks[0]).toMatchObject({ delivered: 1, quarantined: 1 });
    expect(seen).toEqual([ok.messageId]);
    const [quarantined] = await collector.listQuarantined();
    expect(quarantined?.message.messageId).toBe(longId);
    expect(quarantined?.reason).toMatch(/^event bus refused the message: options\.id:/);
    await collector.close();
  });

  it('after a crash between publishing and acknowledging, a restarted collector publishes the batch again from the file outbox', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cdp-bus-'));
    dirs.push(dir);
    const bus = createMemoryEventBus();
    const seen: string[] = [];
    await bus.subscribe('cdp.messages', (event) => void seen.push(event.id), { group: 'g' });
    const real = createEventBusSink(bus);
    // Publishes, then dies before the outbox records the acknowledgement.
    const crashing: CdpSink = {
      name: real.name,
      async deliver(messages, options) {
        await real.deliver(messages, options);
        throw new Error('process died after publishing');
      },
    };
    const first = await createCollector({ outbox: await createFileOutbox({ dir }), sinks: [crashing] });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await first.track({ userId: 'u1', event: `E${i}` })).messageId);
    expect((await first.flush()).sinks[0]?.error?.message).toBe('process died after publishing');
    await first.close(); // its last flush fails the same way: nothing acknowledged
    await bus.idle();
    expect(seen.length).toBeGreaterThanOrEqual(3);

    const restarted = await createCollector({ outbox: await createFileOutbox({ dir }), sinks: [real] });
    expect((await restarted.flush()).sinks[0]).toEqual({ sink: real.name, delivered: 3, quarantined: 0 });
    await bus.idle();
    expect(new Set(seen)).toEqual(new Set(ids));
    expect(seen.slice(-3)).toEqual(ids); // republished in outbox order, same ids
    expect((await restarted.flush()).sinks[0]?.delivered).toBe(0);
    await restarted.close();
    await bus.close();
  });

  it('validates its options', async () => {
    const bus = createMemoryEventBus();
    await expectAlmanacError(() => createEventBusSink(bus, { topic: 'bad topic!' }), { code: 'validation', field: 'options.topic' });
    await expectAlmanacError(() => createEventBusSink({} as never), { code: 'validation', field: 'bus' });
  });
});
