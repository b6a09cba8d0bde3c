// The RabbitMQ event bus on a real broker (Debian package rabbitmq-server) started as an
// isolated node on free loopback ports. Semantics relied on: publisher confirms
// (https://www.rabbitmq.com/docs/confirms), redelivery of unacknowledged messages when a
// consumer's channel or connection closes (same page, "Delivery Acknowledgement Timeout" and
// "Automatic Requeueing"), and dead-lettering on reject without requeue (https://www.rabbitmq.com/docs/dlx).
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rabbitMqServerStatus, startRabbitMqServer } from '../../../tests/support/rabbitmq-server';
import type { RabbitMqServer } from '../../../tests/support/rabbitmq-server';
import type { EventBus, EventEnvelope } from '../src/events';
import { createRabbitMqEventBus } from '../src/rabbitmq';

const status = rabbitMqServerStatus();
const title = status.available ? 'rabbitmq (real rabbitmq-server)' : `rabbitmq: ${status.reason}`;
const WORKER = join(import.meta.dirname, 'rabbitmq-worker.ts');

let server: RabbitMqServer;
let bus: EventBus;
const children: ChildProcess[] = [];

async function until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Reads every message left in a queue with a raw amqplib channel. */
async function drainQueue(url: string, queue: string) {
  const amqp = await import('amqplib');
  const connection = await amqp.connect(url);
  try {
    const channel = await connection.createChannel();
    const messages = [];
    for (let message = await channel.get(queue, { noAck: true }); message; message = await channel.get(queue, { noAck: true })) messages.push(message);
    return messages;
  } finally {
    await connection.close();
  }
}

describe.skipIf(!status.available)(title, () => {
  beforeAll(async () => {
    server = await startRabbitMqServer();
    bus = createRabbitMqEventBus({ url: server.url, publishTimeoutMs: 180_000 });
  }, 180_000);

  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL');
    await bus?.close();
    await server?.close();
  }, 60_000);

  it('delivers every event to each group once, split between the members of a group, with key and headers', async () => {
    const seen: Record<string, EventEnvelope<{ n: number }>[]> = { a1: [], a2: [], b: [] };
    const record = (name: string) => async (event: EventEnvelope<{ n: number }>) => void seen[name]?.push(event);
    const subscriptions = [
      await bus.subscribe('orders', record('a1'), { group: 'billing' }),
      await bus.subscribe('orders', record('a2'), { group: 'billing' }),
      await bus.subscribe('orders', record('b'), { group: 'shipping' }),
    ];
    for (let n = 0; n < 20; n++) await bus.publish('orders', { n }, { key: `customer-${n % 3}`, headers: { source: 'test' } });
    await until(() => (seen.a1?.length ?? 0) + (seen.a2?.length ?? 0) >= 20 && (seen.b?.length ?? 0) >= 20, 30_000, 'deliveries');
    const billing = [...(seen.a1 ?? []), ...(seen.a2 ?? [])].map((event) => event.data.n).sort((x, y) => x - y);
    expect(billing).toEqual(Array.from({ length: 20 }, (_, n) => n));
    expect(seen.b?.map((event) => event.data.n)).toEqual(Array.from({ length: 20 }, (_, n) => n));
    expect(seen.a1?.length).toBeGreaterThan(0);
    expect(seen.a2?.length).toBeGreaterThan(0);
    expect(seen.b?.[4]).toMatchObject({ topic: 'orders', key: 'customer-1', headers: { source: 'test' }, attempt: 1 });
    for (const subscription of subscriptions) await subscription.close();
  }, 60_000);

  it('sends a poison event to the dead-letter queue after maxAttempts, and handles the others', async () => {
    const attempts: number[] = [];
    const handled: string[] = [];
    const subscription = await bus.subscribe(
      'payments',
      async (event: EventEnvelope<string>) => {
        if (event.data !== 'poison') return void handled.push(event.data);
        attempts.push(event.attempt);
        throw new Error('cannot handle this one');
      },
      { group: 'ledger', maxAttempts: 3 },
    );
    await bus.publish('payments', 'poison', { id: 'poison-1' });
    await bus.publish('payments', 'fine');
    await until(() => attempts.length >= 3 && handled.length >= 1, 30_000, 'three attempts');
    await subscription.close();
    const dead = await drainQueue(server.url, 'almanac.events.payments.ledger.dlq');
    expect(attempts).toEqual([1, 2, 3]);
    expect(handled).toEqual(['fine']);
    expect(dead).toHaveLength(1);
    expect(dead[0]?.properties.messageId).toBe('poison-1');
    expect(dead[0]?.properties.headers?.['x-almanac-attempt']).toBe(3);
    expect(JSON.parse(dead[0]?.content.toString() ?? '')).toBe('poison');
  }, 60_000);

  it('redelivers every event of a consumer killed mid-batch; deduplicated by id, all are processed', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', WORKER, server.url, 'emails', 'senders'], { stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    const childSaw: string[] = [];
    let ready = false;
    let buffered = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        if (line === 'ready') ready = true;
        else if (line) childSaw.push(line);
      }
    });
    await until(() => ready, 90_000, 'the consumer process');
    const ids: string[] = [];
    for (let n = 0; n < 30; n++) ids.push((await bus.publish('emails', { n })).id);
    // The child holds up to 10 deliveries, each handler taking 2 s: kill it with a batch in flight.
    await until(() => childSaw.length >= 5, 30_000, 'the child to start a batch');
    child.kill('SIGKILL');
    const processed = new Set<string>();
    const deliveries: string[] = [];
    const subscription = await bus.subscribe(
      'emails',
      async (event) => {
        deliveries.push(event.id);
        processed.add(event.id);
      },
      { group: 'senders' },
    );
    await until(() => processed.size === 30, 60_000, 'every event');
    await subscription.close();
    expect([...processed].sort()).toEqual([...ids].sort());
    // What the killed child had started (never acknowledged) came back to the new consumer.
    expect(childSaw.length).toBeGreaterThanOrEqual(5);
    for (const id of childSaw) expect(processed.has(id)).toBe(true);
  }, 150_000);

  it('a broker restart while publishing loses nothing: unconfirmed publishes are retried after reconnecting', async () => {
    const received = new Set<string>();
    const subscription = await bus.subscribe('audit', async (event) => void received.add(event.id), { group: 'archive' });
    const confirmed: string[] = [];
    let restarted = false;
    let afterRestart = 0;
    let downAt = Number.POSITIVE_INFINITY;
    let upAt = Number.POSITIVE_INFINITY;
    const spans: Array<[startedAt: number, confirmedAt: number]> = [];
    // Publish steadily through the outage: the calls made while the broker is down wait for the
    // reconnect and are confirmed afterwards; one whose confirm was lost is published again.
    const publishing = (async () => {
      for (let n = 0; !restarted || afterRestart < 10; n++) {
        const startedAt = Date.now();
        confirmed.push((await bus.publish('audit', { n })).id);
        spans.push([startedAt, Date.now()]);
        if (restarted) afterRestart++;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    await until(() => confirmed.length >= 5, 30_000, 'the first confirms');
    downAt = Date.now();
    await server.stop();
    await server.start();
    upAt = Date.now();
    restarted = true;
    await publishing;
    await until(() => received.size >= confirmed.length, 120_000, 'every event after the restart');
    await subscription.close();
    // At least one publish was waiting while the broker was away and was confirmed after it came back.
    expect(spans.some(([startedAt, confirmedAt]) => startedAt < upAt && confirmedAt > downAt)).toBe(true);
    expect(new Set(received)).toEqual(new Set(confirmed));
  }, 300_000);
});

describe('createRabbitMqEventBus options and inputs (no broker needed)', () => {
  it('names each bad option and refuses bad topics, groups and payloads before connecting', async () => {
    expect(() => createRabbitMqEventBus({ url: 'http://broker' })).toThrow(/options\.url/);
    expect(() => createRabbitMqEventBus({ url: 'amqp://x', exchange: 'bad exchange', publishTimeoutMs: 0 })).toThrow(
      /options\.exchange.*options\.publishTimeoutMs|options\.publishTimeoutMs.*options\.exchange/s,
    );
    const unreachable = createRabbitMqEventBus({ url: 'amqp://127.0.0.1:1' });
    await expect(unreachable.publish('bad topic!', {})).rejects.toThrow(/topic/);
    await expect(unreachable.publish('t', { big: 1n })).rejects.toThrow(/event/);
    await expect(unreachable.publish('t', {}, { headers: { 'x-almanac-attempt': '9' } })).rejects.toThrow(/reserved/);
    await expect(unreachable.subscribe('t', () => undefined, { group: 'g', maxAttempts: 0 })).rejects.toThrow(/options\.maxAttempts/);
    await unreachable.close();
    await expect(unreachable.publish('t', {})).rejects.toMatchObject({ code: 'aborted' });
  });

  it('a publish that cannot reach the broker ends with a TimeoutError after publishTimeoutMs', async () => {
    const bus = createRabbitMqEventBus({ url: 'amqp://127.0.0.1:1', publishTimeoutMs: 300, maxReconnectDelayMs: 50 });
    await expect(bus.publish('t', { n: 1 })).rejects.toMatchObject({ code: 'timeout', provider: 'rabbitmq', operation: 'publish' });
    await bus.close();
  });
});
