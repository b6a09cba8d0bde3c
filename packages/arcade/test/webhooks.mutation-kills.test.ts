// Boundaries of the webhook receivers that the behaviour tests do not pin: body limits at exactly
// the limit, option ranges at their ends, the timestamp windows at their edges, what onReject
// receives, and the dispatch queue's error handling. EventSub per
// https://dev.twitch.tv/docs/eventsub/handling-webhook-events/#verifying-the-event-message
// (HMAC-SHA256 over id + timestamp + body, 10 minutes), Discord per
// https://discord.com/developers/docs/interactions/overview#setting-up-an-endpoint-validating-security-request-headers.
import { ConfigError, createManualClock } from '@almanac/core';
import { describe, expect, it } from 'vitest';
import { createInteractionsHandler } from '../src/adapters/discord';
import { createEventSubHandler } from '../src/adapters/twitch';
import { concatBytes, createDispatchQueue, readBodyLimited, reportRejection } from '../src/webhooks/http';
import type { WebhookRejection } from '../src/webhooks/types';
import { EVENTSUB_SECRET, NOW, discordKeys, discordRequest, eventSubBody, eventSubDelivery, eventSubRequest, interactionBody, signEventSub } from './support/deliveries';

const chunked = (...chunks: number[]) =>
  new Request('https://example.com/', {
    method: 'POST',
    body: new ReadableStream<Uint8Array>({
      start(controller) {
        for (const size of chunks) controller.enqueue(new Uint8Array(size).fill(size));
        controller.close();
      },
    }),
    duplex: 'half',
  } as RequestInit);

describe('readBodyLimited', () => {
  it('reads a body of exactly the limit, in order across chunks, and refuses one byte more', async () => {
    const body = await readBodyLimited(chunked(3, 2, 5), 10);
    expect(Array.from(body ?? [])).toEqual([3, 3, 3, 2, 2, 5, 5, 5, 5, 5]);
    expect(await readBodyLimited(chunked(3, 2, 6), 10)).toBeUndefined();
    expect(await readBodyLimited(chunked(11), 10)).toBeUndefined();
  });

  it('trusts a numeric content-length over the limit without reading, and ignores a bogus one', async () => {
    const declared = (length: string, body: string) => new Request('https://example.com/', { method: 'POST', headers: { 'content-length': length }, body });
    expect(await readBodyLimited(declared('11', 'x'), 10)).toBeUndefined();
    expect(Array.from((await readBodyLimited(declared('10', 'abc'), 10)) ?? [])).toEqual([97, 98, 99]);
    expect(Array.from((await readBodyLimited(declared('1e9', 'abc'), 10)) ?? [])).toEqual([97, 98, 99]);
  });

  it('a request without a body is an empty body', async () => {
    expect(await readBodyLimited(new Request('https://example.com/', { method: 'POST' }), 10)).toEqual(new Uint8Array(0));
  });
});

describe('helpers', () => {
  it('concatBytes keeps every part in order', () => {
    expect(Array.from(concatBytes(Uint8Array.of(1, 2), new Uint8Array(0), Uint8Array.of(3)))).toEqual([1, 2, 3]);
    expect(concatBytes()).toEqual(new Uint8Array(0));
  });

  it('reportRejection passes the id only when known and swallows a throwing hook', () => {
    const seen: WebhookRejection[] = [];
    reportRejection((r) => seen.push(r), 'stale', 403);
    reportRejection((r) => seen.push(r), 'duplicate', 204, 'm-1');
    expect(seen).toEqual([{ reason: 'stale', status: 403 }, { reason: 'duplicate', status: 204, id: 'm-1' }]);
    expect(Object.keys(seen[0] as object)).toEqual(['reason', 'status']);
    expect(() =>
      reportRejection(
        () => {
          throw new Error('metrics down');
        },
        'method',
        405,
      ),
    ).not.toThrow();
  });

  it('the dispatch queue runs tasks after scheduling, reports failures, survives a throwing onError, and idle waits', async () => {
    const errors: unknown[] = [];
    const scheduled: Array<() => void> = [];
    const queue = createDispatchQueue((error) => errors.push(error), (task) => scheduled.push(task));
    const ran: string[] = [];
    queue.dispatch(() => {
      ran.push('a');
    });
    queue.dispatch(async () => {
      throw new Error('boom');
    });
    expect(ran).toEqual([]);
    let idle = false;
    const waiting = queue.idle().then(() => {
      idle = true;
    });
    await Promise.resolve();
    expect(idle).toBe(false);
    for (const task of scheduled) task();
    await waiting;
    expect(ran).toEqual(['a']);
    expect(errors).toEqual([new Error('boom')]);
    const throwing = createDispatchQueue(() => {
      throw new Error('hook');
    });
    throwing.dispatch(() => {
      throw new Error('task');
    });
    await expect(throwing.idle()).resolves.toBeUndefined();
    // A task dispatched while idle() waits is waited for too.
    const chained = createDispatchQueue(undefined);
    const order: number[] = [];
    chained.dispatch(() => {
      order.push(1);
      chained.dispatch(() => {
        order.push(2);
      });
    });
    await chained.idle();
    expect(order).toEqual([1, 2]);
  });
});

describe('EventSub handler boundaries', () => {
  const handler = (extra: Record<string, unknown> = {}) => createEventSubHandler({ secret: EVENTSUB_SECRET, clock: createManualClock(NOW), onNotification: () => undefined, ...extra });

  it('accepts secrets of 10 and 100 bytes and refuses 9 and 101, naming the field', () => {
    expect(() => handler({ secret: 'x'.repeat(10) })).not.toThrow();
    expect(() => handler({ secret: new Uint8Array(100) })).not.toThrow();
    for (const secret of ['x'.repeat(9), 'x'.repeat(101), 42]) {
      let caught: unknown;
      try {
        handler({ secret });
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(ConfigError);
      expect((caught as ConfigError).issues).toEqual([{ path: 'secret', message: 'must be 10-100 bytes' }]);
    }
    expect(() => handler({ onNotification: undefined })).toThrow(ConfigError);
  });

  it('refuses a zero, negative or fractional limit, naming it, and accepts 1', () => {
    for (const path of ['maxAgeMs', 'maxFutureSkewMs', 'maxBodyBytes', 'dispatchTimeoutMs']) {
      expect(() => handler({ [path]: 1 }), path).not.toThrow();
      for (const value of [0, -1, 1.5]) {
        let caught: unknown;
        try {
          handler({ [path]: value });
        } catch (error) {
          caught = error;
        }
        expect(caught, `${path}=${value}`).toBeInstanceOf(ConfigError);
        expect((caught as ConfigError).issues).toEqual([{ path, message: 'must be a positive integer' }]);
      }
    }
  });

  it('the future-skew limit is inclusive and the age limit is 10 minutes', async () => {
    const rejections: WebhookRejection[] = [];
    const h = handler({ maxFutureSkewMs: 5_000, onReject: (r: WebhookRejection) => rejections.push(r) });
    const at = (ms: number) => new Date(NOW + ms).toISOString();
    expect((await h.handle(eventSubRequest(eventSubDelivery('skew-ok', { timestamp: at(5_000) })))).status).toBe(204);
    expect((await h.handle(eventSubRequest(eventSubDelivery('skew-bad', { timestamp: at(5_001) })))).status).toBe(403);
    expect((await h.handle(eventSubRequest(eventSubDelivery('age-ok', { timestamp: at(-600_000 + 1_000) })))).status).toBe(204);
    expect((await h.handle(eventSubRequest(eventSubDelivery('age-bad', { timestamp: at(-600_001 - 1_000) })))).status).toBe(403);
    expect(rejections).toEqual([
      { reason: 'future', status: 403, id: 'skew-bad' },
      { reason: 'stale', status: 403, id: 'age-bad' },
    ]);
  });

  it('a body of exactly maxBodyBytes is read; one more is 413', async () => {
    const body = eventSubBody('size');
    const size = new TextEncoder().encode(body).byteLength;
    const exact = handler({ maxBodyBytes: size });
    expect((await exact.handle(eventSubRequest(eventSubDelivery('size', { body })))).status).toBe(204);
    const smaller = handler({ maxBodyBytes: size - 1 });
    const response = await smaller.handle(eventSubRequest(eventSubDelivery('size2', { body })));
    expect(response.status).toBe(413);
    expect(await response.text()).toBe('Payload Too Large');
  });

  it('answers each refusal with its status text, and passes the right notification to the handler', async () => {
    const received: unknown[] = [];
    const h = handler({ onNotification: (n: unknown) => received.push(n) });
    const get = new Request('https://example.com/', { method: 'GET' });
    const method = await h.handle(get);
    expect([method.status, await method.text()]).toEqual([405, 'Method Not Allowed']);
    const missing = await h.handle(eventSubRequest(eventSubDelivery('m1'), { 'Twitch-Eventsub-Message-Type': null }));
    expect([missing.status, await missing.text()]).toEqual([400, 'Bad Request']);
    const unsigned = await h.handle(eventSubRequest(eventSubDelivery('m2'), { 'Twitch-Eventsub-Message-Signature': null }));
    expect([unsigned.status, await unsigned.text()]).toEqual([403, 'Forbidden']);
    const delivery = eventSubDelivery('m3');
    expect((await h.handle(eventSubRequest(delivery))).status).toBe(204);
    await h.idle();
    expect(received).toEqual([{ messageId: 'm3', timestamp: delivery.timestamp, subscription: JSON.parse(delivery.body).subscription, event: JSON.parse(delivery.body).event }]);
    // The signature covers id + timestamp + body: the same body and signature under another id fails.
    const moved = { ...delivery, id: 'm4' };
    expect((await h.handle(eventSubRequest(moved))).status).toBe(403);
    expect(signEventSub('m4', delivery.timestamp, delivery.body)).not.toBe(delivery.signature);
  });
});

describe('Discord interactions boundaries', () => {
  const keys = discordKeys();
  const handler = (extra: Record<string, unknown> = {}) =>
    createInteractionsHandler({ publicKey: keys.publicKeyHex, clock: createManualClock(NOW), onCommand: () => ({ type: 4, data: { content: 'ok' } }), ...extra });

  it('deferAfterMs 0 and 2900 are accepted; -1, 2901 and 1.5 are refused naming it; maxAgeMs must be positive', () => {
    expect(() => handler({ deferAfterMs: 0 })).not.toThrow();
    expect(() => handler({ deferAfterMs: 2_900 })).not.toThrow();
    for (const deferAfterMs of [-1, 2_901, 1.5]) {
      let caught: unknown;
      try {
        handler({ deferAfterMs });
      } catch (error) {
        caught = error;
      }
      expect(caught, String(deferAfterMs)).toBeInstanceOf(ConfigError);
      expect((caught as ConfigError).issues).toEqual([{ path: 'deferAfterMs', message: 'must be an integer from 0 to 2900 (Discord allows 3 s)' }]);
    }
    expect(() => handler({ maxAgeMs: 1 })).not.toThrow();
    for (const maxAgeMs of [0, -5, 2.5]) expect(() => handler({ maxAgeMs }), String(maxAgeMs)).toThrow(ConfigError);
    expect(() => handler({ onCommand: 'x' })).toThrow(ConfigError);
    expect(() => handler({ publicKey: 'zz' })).toThrow(ConfigError);
  });

  it('a timestamp exactly maxAgeMs old or ahead is checked further; one second more is refused', async () => {
    const rejections: WebhookRejection[] = [];
    const h = handler({ maxAgeMs: 60_000, onReject: (r: WebhookRejection) => rejections.push(r) });
    const second = Math.floor(NOW / 1000);
    const at = (offset: number) => ({ timestamp: String(second + offset) });
    expect((await h.handle(discordRequest(keys, interactionBody('1', 1), at(-60)))).status).toBe(200);
    expect((await h.handle(discordRequest(keys, interactionBody('2', 1), at(60)))).status).toBe(200);
    const stale = await h.handle(discordRequest(keys, interactionBody('3', 1), at(-61)));
    const future = await h.handle(discordRequest(keys, interactionBody('4', 1), at(61)));
    expect([stale.status, await stale.text()]).toEqual([401, 'invalid request signature']);
    expect(future.status).toBe(401);
    expect(rejections).toEqual([
      { reason: 'stale', status: 401 },
      { reason: 'future', status: 401 },
    ]);
  });

  it('the signature covers timestamp + body: a valid signature of another timestamp fails', async () => {
    const rejections: WebhookRejection[] = [];
    const h = handler({ onReject: (r: WebhookRejection) => rejections.push(r) });
    const body = interactionBody('5', 1);
    const second = Math.floor(NOW / 1000);
    const signed = discordRequest(keys, body, { timestamp: String(second - 1) });
    const signature = signed.headers.get('x-signature-ed25519');
    const moved = discordRequest(keys, body, { timestamp: String(second), signature });
    expect((await h.handle(moved)).status).toBe(401);
    expect(rejections).toEqual([{ reason: 'bad-signature', status: 401 }]);
  });

  it('refuses bodies that are not an interaction, and unknown types, with 400', async () => {
    const rejections: WebhookRejection[] = [];
    const h = handler({ onReject: (r: WebhookRejection) => rejections.push(r) });
    const bodies = [
      'not json',
      'null',
      JSON.stringify({ ...JSON.parse(interactionBody('6', 1)), id: 6 }),
      JSON.stringify({ ...JSON.parse(interactionBody('x7', 1)) }),
      JSON.stringify({ ...JSON.parse(interactionBody('8', 1)), type: '1' }),
      JSON.stringify({ ...JSON.parse(interactionBody('9', 1)), application_id: 1 }),
      JSON.stringify({ ...JSON.parse(interactionBody('10', 1)), application_id: 'app' }),
      JSON.stringify({ ...JSON.parse(interactionBody('11', 1)), token: 5 }),
      JSON.stringify({ ...JSON.parse(interactionBody('12', 1)), token: 'a b' }),
    ];
    for (const body of bodies) {
      const response = await h.handle(discordRequest(keys, body));
      expect([response.status, await response.text()], body).toEqual([400, 'Bad Request']);
    }
    const unknown = await h.handle(discordRequest(keys, interactionBody('13', 99)));
    expect(unknown.status).toBe(400);
    expect(rejections.at(-1)).toEqual({ reason: 'malformed-body', status: 400, id: '13' });
    expect(rejections).toHaveLength(bodies.length + 1);
  });

  it('a component without onComponent is acknowledged with type 6; with one, its reply is sent', async () => {
    const plain = await handler().handle(discordRequest(keys, interactionBody('20', 3)));
    expect(await plain.json()).toEqual({ type: 6 });
    const withComponent = handler({ onComponent: () => ({ type: 7, data: { content: 'updated' } }) });
    const answered = await withComponent.handle(discordRequest(keys, interactionBody('21', 5)));
    expect(await answered.json()).toEqual({ type: 7, data: { content: 'updated' } });
    const autocomplete = await handler().handle(discordRequest(keys, interactionBody('22', 4)));
    expect(await autocomplete.json()).toEqual({ type: 4, data: { content: 'ok' } });
  });

  it('a handler that throws, synchronously or not, is a 500 reported to onError', async () => {
    const errors: unknown[] = [];
    const sync = handler({
      onError: (e: unknown) => errors.push(e),
      onCommand: () => {
        throw new Error('sync');
      },
    });
    const a = await sync.handle(discordRequest(keys, interactionBody('30')));
    expect([a.status, await a.json()]).toEqual([500, { error: 'interaction handler failed' }]);
    const async = handler({ onError: (e: unknown) => errors.push(e), onCommand: async () => Promise.reject(new Error('async')) });
    const b = await async.handle(discordRequest(keys, interactionBody('31')));
    expect([b.status, await b.json()]).toEqual([500, { error: 'interaction handler failed' }]);
    expect(errors).toEqual([new Error('sync'), new Error('async')]);
  });
});
