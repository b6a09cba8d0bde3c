// toNodeListener over a real node:http server on loopback.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createMemorySeenIdStore, systemClock } from '@almanac/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createEventSubHandler, toNodeListener } from '../src/adapters/twitch';
import type { EventSubNotification } from '../src/adapters/twitch';
import { EVENTSUB_SECRET, eventSubBody, signEventSub } from './support/deliveries';

const servers: Array<{ close(): void }> = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

async function serve(maxBodyBytes?: number) {
  const got: EventSubNotification[] = [];
  const handler = createEventSubHandler({ secret: EVENTSUB_SECRET, seen: createMemorySeenIdStore(), clock: systemClock, onNotification: (n) => void got.push(n), ...(maxBodyBytes ? { maxBodyBytes } : {}) });
  const server = createServer(toNodeListener(handler));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/twitch`, got, handler };
}

describe('toNodeListener', () => {
  it('passes the raw body and headers through and writes the response', async () => {
    const { url, got, handler } = await serve();
    const timestamp = new Date().toISOString();
    const body = eventSubBody('n1');
    const headers = {
      'Twitch-Eventsub-Message-Id': 'n1',
      'Twitch-Eventsub-Message-Timestamp': timestamp,
      'Twitch-Eventsub-Message-Signature': signEventSub('n1', timestamp, body),
      'Twitch-Eventsub-Message-Type': 'notification',
    };
    const ok = await fetch(url, { method: 'POST', headers, body });
    expect(ok.status).toBe(204);
    const tampered = await fetch(url, { method: 'POST', headers: { ...headers, 'Twitch-Eventsub-Message-Id': 'n2' }, body });
    expect(tampered.status).toBe(403);
    expect(await tampered.text()).toBe('Forbidden');
    await handler.idle();
    expect(got.map((n) => n.messageId)).toEqual(['n1']);
  });

  it('stops reading a body over the limit with 413', async () => {
    const { url } = await serve(1_000);
    const response = await fetch(url, { method: 'POST', body: 'x'.repeat(50_000) });
    expect(response.status).toBe(413);
  });
});
