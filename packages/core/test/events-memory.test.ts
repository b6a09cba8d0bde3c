import { describe, expect, it } from 'vitest';
import { RateLimitError, ValidationError } from '../src/errors';
import { createMemoryEventBus } from '../src/events';
import type { EventEnvelope } from '../src/events';

describe('createMemoryEventBus', () => {
  it('delivers each event once to every group, split between the members of a group', async () => {
    const bus = createMemoryEventBus();
    const seen: Record<string, string[]> = { a1: [], a2: [], b: [] };
    const record = (name: string) => (event: EventEnvelope<{ n: number }>) => {
      seen[name]?.push(`${event.data.n}`);
    };
    await bus.subscribe('orders', record('a1'), { group: 'a' });
    await bus.subscribe('orders', record('a2'), { group: 'a' });
    await bus.subscribe('orders', record('b'), { group: 'b' });
    for (let n = 0; n < 10; n++) await bus.publish('orders', { n }, { key: `k${n % 2}` });
    await bus.idle();
    expect([...(seen.a1 ?? []), ...(seen.a2 ?? [])].sort()).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'].sort());
    expect(seen.a1?.length).toBeGreaterThan(0);
    expect(seen.a2?.length).toBeGreaterThan(0);
    expect(seen.b).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  });

  it('redelivers a failed event with the attempt counted, then dead-letters it after maxAttempts', async () => {
    const bus = createMemoryEventBus();
    const attempts: number[] = [];
    await bus.subscribe(
      'jobs',
      (event) => {
        attempts.push(event.attempt);
        if (event.data === 'poison') throw new Error('cannot handle');
      },
      { group: 'workers', maxAttempts: 3 },
    );
    const { id } = await bus.publish('jobs', 'poison', { id: 'evt-1', headers: { source: 'test' } });
    await bus.publish('jobs', 'fine');
    await bus.idle();
    expect(id).toBe('evt-1');
    expect(attempts.sort()).toEqual([1, 1, 2, 3]);
    const dead = bus.deadLetters('jobs', 'workers');
    expect(dead.map((event) => [event.id, event.attempt, event.headers.source])).toEqual([['evt-1', 3, 'test']]);
  });

  it('gives an event back when its subscriber closes mid-delivery, without counting an attempt', async () => {
    const bus = createMemoryEventBus();
    const handled: Array<[string, number]> = [];
    const first = await bus.subscribe(
      't',
      (_event, { signal }) =>
        new Promise<void>((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true })),
      { group: 'g' },
    );
    await bus.publish('t', 1, { id: 'e1' });
    await new Promise((resolve) => setTimeout(resolve, 1));
    await first.close();
    await bus.subscribe('t', (event) => void handled.push([event.id, event.attempt]), { group: 'g' });
    await bus.idle();
    expect(handled).toEqual([['e1', 1]]);
  });

  it('bounds each group queue and validates names and payloads', async () => {
    const bus = createMemoryEventBus({ maxQueuedPerGroup: 2 });
    await bus.subscribe('t', () => new Promise(() => undefined), { group: 'g', prefetch: 1 });
    await bus.publish('t', 1);
    await new Promise((resolve) => setTimeout(resolve, 1));
    await bus.publish('t', 2);
    await bus.publish('t', 3);
    await expect(bus.publish('t', 4)).rejects.toBeInstanceOf(RateLimitError);
    await expect(bus.publish('bad topic', 1)).rejects.toThrow(/topic/);
    await expect(bus.publish('t', 1n)).rejects.toBeInstanceOf(ValidationError);
    await expect(bus.subscribe('t', () => undefined, { group: '' })).rejects.toThrow(/options\.group/);
  });
});
