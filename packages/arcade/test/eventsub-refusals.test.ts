// What the EventSub endpoint tells the operator when it refuses or fails a delivery: the exact
// reason and status given to onReject (what dashboards and alerts key on), the ConfigError that
// names the bad option, the 500 of a failing seen-id store (reported to onError, never echoing
// the secret), and the dispatch deadline and audit of each dispatch. Per
// https://dev.twitch.tv/docs/eventsub/handling-webhook-events/ (HMAC-SHA256 over
// id + timestamp + raw body, `sha256=` prefix; answer the challenge with 200 text/plain).
import { createHmac } from 'node:crypto';
import { ConfigError, createManualClock, createMemorySeenIdStore } from '@almanac/core';
import type { SeenIdStore } from '@almanac/core';
import type { OperationAuditEvent } from '@almanac/core/kit';
import { describe, expect, it, vi } from 'vitest';
import { createEventSubHandler } from '../src/adapters/twitch';
import type { EventSubHandlerOptions } from '../src/adapters/twitch';
import type { WebhookRejection } from '../src/webhooks/types';
import { EVENTSUB_SECRET, NOW, eventSubBody, eventSubDelivery, eventSubRequest } from './support/deliveries';

const TIMESTAMP = new Date(NOW - 1_000).toISOString();

/** A correctly signed delivery of arbitrary bytes (for bodies that are not a notification). */
function rawRequest(id: string, body: Uint8Array | string, options: { type?: string; timestamp?: string } = {}): Request {
  const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
  const timestamp = options.timestamp ?? TIMESTAMP;
  const signature = `sha256=${createHmac('sha256', EVENTSUB_SECRET).update(id + timestamp).update(bytes).digest('hex')}`;
  return new Request('https://example.com/webhooks/callback', {
    method: 'POST',
    headers: {
      'Twitch-Eventsub-Message-Id': id,
      'Twitch-Eventsub-Message-Timestamp': timestamp,
      'Twitch-Eventsub-Message-Signature': signature,
      'Twitch-Eventsub-Message-Type': options.type ?? 'notification',
    },
    body: bytes,
  });
}

const subscription = JSON.parse(eventSubBody('s')).subscription as Record<string, unknown>;

function setup(extra: Partial<EventSubHandlerOptions> = {}) {
  const clock = createManualClock(NOW);
  const rejections: WebhookRejection[] = [];
  const errors: unknown[] = [];
  const notified: string[] = [];
  const handler = createEventSubHandler({
    secret: EVENTSUB_SECRET,
    clock,
    onNotification: (n) => {
      notified.push(n.messageId);
    },
    onReject: (r) => rejections.push(r),
    onError: (e) => errors.push(e),
    ...extra,
  });
  return { clock, handler, rejections, errors, notified };
}

function configError(make: () => unknown): ConfigError {
  try {
    make();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('EventSub refusals as onReject sees them', () => {
  it('reports method, size and header refusals with their own reason, and no id before the signature is checked', async () => {
    const { handler, rejections } = setup({ maxBodyBytes: 64 });
    const d = eventSubDelivery('h1', { body: '{}' });
    await handler.handle(new Request('https://example.com/webhooks/callback', { method: 'PUT', body: 'x' }));
    await handler.handle(eventSubRequest(eventSubDelivery('big')));
    await handler.handle(eventSubRequest(d, { 'Twitch-Eventsub-Message-Timestamp': null }));
    await handler.handle(eventSubRequest(d, { 'Twitch-Eventsub-Message-Type': null }));
    await handler.handle(eventSubRequest(d, { 'Twitch-Eventsub-Message-Signature': null }));
    expect(rejections).toEqual([
      { reason: 'method', status: 405 },
      { reason: 'too-large', status: 413 },
      { reason: 'missing-header', status: 400 },
      { reason: 'missing-header', status: 400 },
      // Unsigned: the id is not trusted yet, so it is not reported.
      { reason: 'bad-signature', status: 403 },
    ]);
  });

  it('a body stream that fails while being read is a 400 malformed-body', async () => {
    const { handler, rejections, errors } = setup();
    const failing = new Request('https://example.com/webhooks/callback', {
      method: 'POST',
      body: new ReadableStream<Uint8Array>({
        pull(controller) {
          controller.error(new Error('connection reset'));
        },
      }),
      duplex: 'half',
    } as RequestInit);
    const response = await handler.handle(failing);
    expect([response.status, await response.text()]).toEqual([400, 'Bad Request']);
    expect(rejections).toEqual([{ reason: 'malformed-body', status: 400 }]);
    expect(errors).toEqual([]);
  });

  it('a signed timestamp of the right shape but no real date is a malformed header, checked before the body', async () => {
    const { handler, rejections } = setup();
    const response = await handler.handle(rawRequest('bad-date', 'not json', { timestamp: '2026-13-45T25:61:00Z' }));
    expect(response.status).toBe(400);
    expect(rejections).toEqual([{ reason: 'malformed-header', status: 400, id: 'bad-date' }]);
  });

  it('a timestamp before 1970 (which the replay guard cannot place) is a 400 malformed header', async () => {
    const { handler, rejections, notified } = setup();
    const response = await handler.handle(rawRequest('epoch', eventSubBody('epoch'), { timestamp: '1969-12-31T23:59:59Z' }));
    expect([response.status, await response.text()]).toEqual([400, 'Bad Request']);
    expect(rejections).toEqual([{ reason: 'malformed-header', status: 400, id: 'epoch' }]);
    await handler.idle();
    expect(notified).toEqual([]);
  });

  it('refuses bodies that are not JSON, not UTF-8, or not an EventSub message, naming the id', async () => {
    const { handler, rejections, notified } = setup();
    const event = { id: 'e' };
    const invalidUtf8 = new TextEncoder().encode(JSON.stringify({ subscription, event: { name: 'AB' } }));
    // "AB" becomes 0xff 0xfe: not UTF-8 (a lenient decoder would turn it into U+FFFD and accept it).
    const at = invalidUtf8.indexOf(0x41);
    invalidUtf8[at] = 0xff;
    invalidUtf8[at + 1] = 0xfe;
    const cases: Array<[string, Uint8Array | string, string?]> = [
      ['b-json', '{"subscription":'],
      ['b-utf8', invalidUtf8],
      ['b-null', 'null'],
      ['b-number', '42'],
      ['b-nosub', JSON.stringify({ event })],
      ['b-subnull', JSON.stringify({ subscription: null, event })],
      ['b-substr', JSON.stringify({ subscription: 'stream.online', event })],
      ['b-noevent', JSON.stringify({ subscription })],
      ['b-eventnull', JSON.stringify({ subscription, event: null })],
      ['b-eventstr', JSON.stringify({ subscription, event: 'live' })],
      ['b-nochallenge', JSON.stringify({ subscription }), 'webhook_callback_verification'],
      ['b-numchallenge', JSON.stringify({ subscription, challenge: 42 }), 'webhook_callback_verification'],
    ];
    for (const [id, body, type] of cases) {
      const response = await handler.handle(rawRequest(id, body, type === undefined ? {} : { type }));
      expect([response.status, await response.text()], id).toEqual([400, 'Bad Request']);
    }
    expect(rejections).toEqual(cases.map(([id]) => ({ reason: 'malformed-body', status: 400, id })));
    await handler.idle();
    expect(notified).toEqual([]);
  });

  it('a revocation needs no event, and a challenge is answered as text/plain', async () => {
    const { handler, rejections } = setup();
    const revocation = await handler.handle(rawRequest('r-1', JSON.stringify({ subscription }), { type: 'revocation' }));
    expect(revocation.status).toBe(204);
    const challenge = await handler.handle(rawRequest('c-1', JSON.stringify({ subscription, challenge: 'pogchamp-kappa' }), { type: 'webhook_callback_verification' }));
    expect([challenge.status, challenge.headers.get('content-type'), await challenge.text()]).toEqual([200, 'text/plain; charset=utf-8', 'pogchamp-kappa']);
    expect(rejections).toEqual([]);
  });

  it('a replayed message id is acknowledged with 204 and reported as a duplicate', async () => {
    const { handler, rejections, notified } = setup();
    const delivery = eventSubDelivery('dup');
    expect((await handler.handle(eventSubRequest(delivery))).status).toBe(204);
    expect((await handler.handle(eventSubRequest(delivery))).status).toBe(204);
    await handler.idle();
    expect(notified).toEqual(['dup']);
    expect(rejections).toEqual([{ reason: 'duplicate', status: 204, id: 'dup' }]);
  });

  it('refusals are answered as text/plain', async () => {
    const { handler } = setup();
    const response = await handler.handle(new Request('https://example.com/webhooks/callback', { method: 'GET' }));
    expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
  });
});

describe('EventSub failures of our own', () => {
  const failingStore = (): SeenIdStore => ({
    has: async () => false,
    add: async () => {
      throw new Error('redis: connection refused');
    },
  });

  it('a failing seen-id store is a 500 (so Twitch retries), reported to onError, echoing nothing secret', async () => {
    const { handler, rejections, errors, notified } = setup({ seen: failingStore() });
    const delivery = eventSubDelivery('store-down');
    const response = await handler.handle(eventSubRequest(delivery));
    const text = await response.text();
    expect([response.status, text]).toEqual([500, 'Internal Server Error']);
    expect(text).not.toContain(EVENTSUB_SECRET);
    expect(text).not.toContain(delivery.signature);
    expect(errors).toEqual([new Error('redis: connection refused')]);
    expect(rejections).toEqual([]);
    await handler.idle();
    expect(notified).toEqual([]);
  });

  it('without onError the 500 is still answered (handle never rejects)', async () => {
    const handler = createEventSubHandler({ secret: EVENTSUB_SECRET, clock: createManualClock(NOW), seen: failingStore(), onNotification: () => undefined });
    const response = await handler.handle(eventSubRequest(eventSubDelivery('store-down-2')));
    expect(response.status).toBe(500);
  });

  it('a revocation without onRevocation is acknowledged and nothing fails', async () => {
    const { handler, errors } = setup();
    const response = await handler.handle(rawRequest('rv', JSON.stringify({ subscription: { ...subscription, status: 'authorization_revoked' } }), { type: 'revocation' }));
    expect(response.status).toBe(204);
    await handler.idle();
    expect(errors).toEqual([]);
  });
});

describe('EventSub dispatch audit and deadline', () => {
  it('audits revocations as dispatchRevocation, and a non-string subscription type as no attribute', async () => {
    const events: OperationAuditEvent[] = [];
    const { handler } = setup({ onAudit: (e) => events.push(e), onRevocation: () => undefined });
    await handler.handle(rawRequest('rv-1', JSON.stringify({ subscription }), { type: 'revocation' }));
    await handler.handle(rawRequest('n-1', JSON.stringify({ subscription: { ...subscription, type: 42 }, event: {} })));
    await handler.idle();
    expect(events.map((e) => [e.operation, e.outcome, e.attributes.subscriptionType])).toEqual([
      ['dispatchRevocation', 'ok', 'stream.online'],
      ['dispatchNotification', 'ok', undefined],
    ]);
  });

  it('a dispatch is cut off after 15 minutes by default, or after dispatchTimeoutMs', async () => {
    const run = async (extra: Partial<EventSubHandlerOptions>, advanceMs: number) => {
      const events: OperationAuditEvent[] = [];
      let started = false;
      let release!: () => void;
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      const { handler, clock } = setup({
        onAudit: (e) => events.push(e),
        onNotification: async () => {
          started = true;
          await gate;
        },
        ...extra,
      });
      expect((await handler.handle(eventSubRequest(eventSubDelivery('slow')))).status).toBe(204);
      await vi.waitFor(() => expect(started).toBe(true));
      await clock.advance(advanceMs);
      release();
      await handler.idle();
      return events.map((e) => [e.outcome, e.errorCode]);
    };
    expect(await run({}, 15 * 60_000 - 1)).toEqual([['ok', undefined]]);
    expect(await run({}, 15 * 60_000 + 1)).toEqual([['error', 'timeout']]);
    expect(await run({ dispatchTimeoutMs: 1_000 }, 999)).toEqual([['ok', undefined]]);
    expect(await run({ dispatchTimeoutMs: 1_000 }, 1_001)).toEqual([['error', 'timeout']]);
  });
});

describe('EventSub configuration errors name the field', () => {
  it('onNotification must be a function', () => {
    const error = configError(() => createEventSubHandler({ secret: EVENTSUB_SECRET, onNotification: 'handler' as never }));
    expect(error.message).toContain('onNotification must be a function');
    expect(error.issues).toEqual([{ path: 'onNotification', message: 'must be a function' }]);
  });

  it('the seen store given is the one used (shared across instances)', async () => {
    const clock = createManualClock(NOW);
    const seen = createMemorySeenIdStore({ clock });
    const rejections: WebhookRejection[] = [];
    const make = () => createEventSubHandler({ secret: EVENTSUB_SECRET, clock, seen, onNotification: () => undefined, onReject: (r) => rejections.push(r) });
    const delivery = eventSubDelivery('one-store');
    await make().handle(eventSubRequest(delivery));
    await make().handle(eventSubRequest(delivery));
    expect(rejections).toEqual([{ reason: 'duplicate', status: 204, id: 'one-store' }]);
  });
});
