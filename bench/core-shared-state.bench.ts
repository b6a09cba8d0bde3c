/**
 * Throughput of core's shared-state and event adapters on real local servers, in one run:
 * Redis seen-id `add` and rate-limit `take` operations per second (sequential and with 50
 * calls in flight, which node-redis pipelines on one connection), and event-bus throughput
 * (publish to handled, one group) for the in-process bus and for RabbitMQ with publisher
 * confirms and persistent messages.
 *
 * The servers are throwaway redis-server and rabbitmq-server processes on free loopback ports
 * (tests/support); a missing Debian package is reported and that part skipped. Numbers are for
 * information (no target): they depend on the machine and its load. Always exits 0.
 *
 * Run: npx tsx bench/core-shared-state.bench.ts
 */
import { performance } from 'node:perf_hooks';
import { createMemoryEventBus } from '@almanac/core/events';
import type { EventBus } from '@almanac/core/events';
import { createRabbitMqEventBus } from '@almanac/core/rabbitmq';
import { createRedisClient, createRedisRateLimiter, createRedisSeenIdStore } from '@almanac/core/redis';
import { rabbitMqServerStatus, startRabbitMqServer } from '../tests/support/rabbitmq-server';
import { redisServerStatus, startRedisServer } from '../tests/support/redis-server';

const REDIS_OPS = 20_000;
const IN_FLIGHT = 50;
const MEMORY_EVENTS = 50_000;
const RABBIT_EVENTS = 5_000;

const rate = (count: number, ms: number) => `${Math.round((count * 1000) / ms).toLocaleString('en-US')}/s`;

/** Runs `count` calls of `op` with at most `inFlight` outstanding; resolves the elapsed ms. */
async function timed(count: number, inFlight: number, op: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < count) await op(next++);
    }),
  );
  return performance.now() - started;
}

async function benchRedis(): Promise<void> {
  const status = redisServerStatus();
  if (!status.available) {
    process.stdout.write(`redis: skipped (${status.reason})\n`);
    return;
  }
  const server = await startRedisServer();
  const client = await createRedisClient({ url: server.url });
  try {
    const seen = createRedisSeenIdStore({ client, prefix: 'bench:seen:' });
    const limiter = createRedisRateLimiter({ client, capacity: 1_000_000, refillPerSecond: 1_000_000, prefix: 'bench:rl:' });
    await timed(2_000, IN_FLIGHT, (i) => seen.add(`warm-${i}`, 60_000));
    await timed(2_000, IN_FLIGHT, (i) => limiter.take(`warm-${i % 100}`));
    for (const inFlight of [1, IN_FLIGHT]) {
      const count = inFlight === 1 ? REDIS_OPS / 4 : REDIS_OPS;
      const seenMs = await timed(count, inFlight, (i) => seen.add(`id-${inFlight}-${i}`, 60_000));
      const takeMs = await timed(count, inFlight, (i) => limiter.take(`key-${i % 100}`));
      process.stdout.write(
        `redis seen-id add      ${String(inFlight).padStart(2)} in flight: ${rate(count, seenMs).padStart(10)}  (${count} ops)\n` +
          `redis rate-limit take  ${String(inFlight).padStart(2)} in flight: ${rate(count, takeMs).padStart(10)}  (${count} ops, 100 keys)\n`,
      );
    }
  } finally {
    await client.close();
    await server.close();
  }
}

/** Publishes `count` events with `inFlight` publishes outstanding; resolves [publish ms, publish-to-all-handled ms]. */
async function busThroughput(bus: EventBus, topic: string, count: number, inFlight: number, prefetch: number): Promise<[number, number]> {
  let handled = 0;
  let done: () => void = () => undefined;
  const all = new Promise<void>((resolve) => {
    done = resolve;
  });
  const subscription = await bus.subscribe(
    topic,
    () => {
      handled++;
      if (handled === count) done();
    },
    { group: 'bench', prefetch },
  );
  const started = performance.now();
  const publishMs = await timed(count, inFlight, (i) => bus.publish(topic, { i, at: 'bench' }));
  await all;
  const totalMs = performance.now() - started;
  await subscription.close();
  return [publishMs, totalMs];
}

async function benchEventBuses(): Promise<void> {
  const memory = createMemoryEventBus({ maxQueuedPerGroup: MEMORY_EVENTS });
  const [memoryPublishMs, memoryTotalMs] = await busThroughput(memory, 'bench-memory', MEMORY_EVENTS, 1, 100);
  await memory.close();
  process.stdout.write(
    `event bus memory       publish: ${rate(MEMORY_EVENTS, memoryPublishMs).padStart(10)}  end to end: ${rate(MEMORY_EVENTS, memoryTotalMs).padStart(10)}  (${MEMORY_EVENTS} events)\n`,
  );

  const status = rabbitMqServerStatus();
  if (!status.available) {
    process.stdout.write(`event bus rabbitmq: skipped (${status.reason})\n`);
    return;
  }
  const server = await startRabbitMqServer();
  const bus = createRabbitMqEventBus({ url: server.url });
  try {
    await busThroughput(bus, 'bench-warm', 500, IN_FLIGHT, 100);
    const [publishMs, totalMs] = await busThroughput(bus, 'bench-rabbitmq', RABBIT_EVENTS, IN_FLIGHT, 100);
    process.stdout.write(
      `event bus rabbitmq     publish: ${rate(RABBIT_EVENTS, publishMs).padStart(10)}  end to end: ${rate(RABBIT_EVENTS, totalMs).padStart(10)}  (${RABBIT_EVENTS} events, ${IN_FLIGHT} confirms outstanding, prefetch 100, persistent)\n`,
    );
  } finally {
    await bus.close();
    await server.close();
  }
}

async function main(): Promise<void> {
  await benchRedis();
  await benchEventBuses();
}

main().catch((error: unknown) => {
  process.stdout.write(`core-shared-state bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 0;
});
