// The EventSub webhook endpoint, per https://dev.twitch.tv/docs/eventsub/handling-webhook-events/
// (signature = HMAC-SHA256(secret, id + timestamp + raw body) sent as `sha256=<hex>`; reject
// messages older than 10 minutes; a repeated message id must not be processed twice; answer
// the verification challenge with the raw string, 200, text/plain; 2xx for notifications and
// revocations).
import { createManualClock, createMemorySeenIdStore } from '@almanac/core';
import type { OperationAuditEvent } from '@almanac/core/kit';
import { describe, expect, it, vi } from 'vitest';
import { createEventSubHandler } from '../src/adapters/twitch';
import type { EventSubNotification, WebhookRejection } from '../src/adapters/twitch';
import { EVENTSUB_SECRET, NOW, eventSubBody, eventSubDelivery, eventSubRequest, signEventSub } from './support/deliveries';

function setup() {
  const clock = createManualClock(NOW);
  const notifications: EventSubNotification[] = [];
  const revoked: string[] = [];
  const rejections: WebhookRejection[] = [];
  const handler = createEventSubHandler({
    secret: EVENTSUB_SECRET,
    clock,
    onNotification: (n) => {
      notifications.push(n);
    },
    onRevocation: (r) => {
      revoked.push(r.subscription.status);
    },
    onReject: (r) => rejections.push(r),
  });
  return { clock, handler, notifications, revoked, rejections };
}

describe('createEventSubHandler', () => {
  it('audits each dispatch through core\'s operation runner; onError still gets the handler\'s own error', async () => {
    const events: OperationAuditEvent[] = [];
    const errors: unknown[] = [];
    const boom = new Error('handler failed');
    let calls = 0;
    const handler = createEventSubHandler({
      secret: EVENTSUB_SECRET,
      clock: createManualClock(NOW),
      onNotification: () => {
        calls += 1;
        if (calls === 2) throw boom;
      },
      onError: (error) => errors.push(error),
      onAudit: (event) => events.push(event),
    });
    expect((await handler.handle(eventSubRequest(eventSubDelivery('a1')))).status).toBe(204);
    expect((await handler.handle(eventSubRequest(eventSubDelivery('a2')))).status).toBe(204);
    // A replay is acknowledged but neither dispatched nor audited.
    expect((await handler.handle(eventSubRequest(eventSubDelivery('a1')))).status).toBe(204);
    await handler.idle();
    expect(events.map((e) => [e.provider, e.operation, e.outcome, e.attributes.subscriptionType])).toEqual([
      ['twitch', 'dispatchNotification', 'ok', 'stream.online'],
      ['twitch', 'dispatchNotification', 'error', 'stream.online'],
    ]);
    expect(errors).toEqual([boom]);
    expect(() => createEventSubHandler({ secret: EVENTSUB_SECRET, onNotification: () => undefined, dispatchTimeoutMs: 0 })).toThrow(/dispatchTimeoutMs/);
  });

  it('dispatches a valid notification once, after answering 204', async () => {
    const { handler, notifications } = setup();
    const response = await handler.handle(eventSubRequest(eventSubDelivery('m1')));
    expect(response.status).toBe(204);
    // Dispatch happens after the response is decided, never before.
    expect(notifications).toHaveLength(0);
    await handler.idle();
    expect(notifications).toHaveLength(1);
    expect(notifications[0]?.subscription.type).toBe('stream.online');
    expect(notifications[0]?.event).toMatchObject({ broadcaster_user_login: 'cool_user' });
  });

  it('acknowledges a replayed message id with 2xx without dispatching again', async () => {
    const { handler, notifications, rejections } = setup();
    const delivery = eventSubDelivery('m1');
    expect((await handler.handle(eventSubRequest(delivery))).status).toBe(204);
    expect((await handler.handle(eventSubRequest(delivery))).status).toBe(204);
    await handler.idle();
    expect(notifications).toHaveLength(1);
    expect(rejections).toEqual([{ reason: 'duplicate', status: 204, id: 'm1' }]);
  });

  it('answers the verification challenge as text/plain', async () => {
    const { handler, notifications } = setup();
    const body = JSON.stringify({ challenge: 'pogchamp-kappa-360noscope-vohiyo', subscription: { id: 's', status: 'webhook_callback_verification_pending', type: 'channel.follow', version: '2', condition: {} } });
    const response = await handler.handle(eventSubRequest(eventSubDelivery('v1', { type: 'webhook_callback_verification', body })));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await response.text()).toBe('pogchamp-kappa-360noscope-vohiyo');
    await handler.idle();
    expect(notifications).toHaveLength(0);
  });

  it('passes revocations to onRevocation', async () => {
    const { handler, revoked, notifications } = setup();
    const body = JSON.stringify({ subscription: { id: 's', status: 'authorization_revoked', type: 'channel.follow', version: '2', condition: {} } });
    expect((await handler.handle(eventSubRequest(eventSubDelivery('r1', { type: 'revocation', body })))).status).toBe(204);
    await handler.idle();
    expect(revoked).toEqual(['authorization_revoked']);
    expect(notifications).toHaveLength(0);
  });

  it('refuses a bad signature with 403 and never echoes it', async () => {
    const { handler, notifications } = setup();
    const delivery = eventSubDelivery('m1');
    const wrong = { ...delivery, signature: signEventSub(delivery.id, delivery.timestamp, delivery.body, 'another-secret-0123456') };
    const response = await handler.handle(eventSubRequest(wrong));
    expect(response.status).toBe(403);
    const text = await response.text();
    expect(text).not.toContain(wrong.signature.slice(7, 20));
    expect(text).toBe('Forbidden');
    await handler.idle();
    expect(notifications).toHaveLength(0);
  });

  it('refuses a message older than 10 minutes and one from the future with 403', async () => {
    const { handler } = setup();
    const stale = eventSubDelivery('old', { timestamp: new Date(NOW - 10 * 60_000 - 1).toISOString() });
    const future = eventSubDelivery('new', { timestamp: new Date(NOW + 61_000).toISOString() });
    expect((await handler.handle(eventSubRequest(stale))).status).toBe(403);
    expect((await handler.handle(eventSubRequest(future))).status).toBe(403);
    const justInside = eventSubDelivery('ok', { timestamp: new Date(NOW - 9 * 60_000).toISOString() });
    expect((await handler.handle(eventSubRequest(justInside))).status).toBe(204);
  });

  it('accepts Twitch nanosecond timestamps', async () => {
    const { handler, notifications } = setup();
    const delivery = eventSubDelivery('ns', { timestamp: '2026-12-03T08:59:59.123456789Z' });
    expect((await handler.handle(eventSubRequest(delivery))).status).toBe(204);
    await handler.idle();
    expect(notifications).toHaveLength(1);
  });

  it('refuses missing or malformed headers with 400 and a missing signature with 403', async () => {
    const { handler, rejections } = setup();
    const d = eventSubDelivery('m1');
    expect((await handler.handle(eventSubRequest(d, { 'Twitch-Eventsub-Message-Id': null }))).status).toBe(400);
    expect((await handler.handle(eventSubRequest(d, { 'Twitch-Eventsub-Message-Timestamp': 'yesterday' }))).status).toBe(400);
    expect((await handler.handle(eventSubRequest(d, { 'Twitch-Eventsub-Message-Type': 'bogus' }))).status).toBe(400);
    expect((await handler.handle(eventSubRequest(d, { 'Twitch-Eventsub-Message-Signature': null }))).status).toBe(403);
    expect((await handler.handle(eventSubRequest(d, { 'Twitch-Eventsub-Message-Signature': d.signature.replace('sha256=', 'sha1=') }))).status).toBe(403);
    expect(rejections.map((r) => r.reason)).toEqual(['missing-header', 'malformed-header', 'malformed-header', 'bad-signature', 'bad-signature']);
  });

  it('refuses non-POST with 405 and oversized bodies with 413', async () => {
    const clock = createManualClock(NOW);
    const handler = createEventSubHandler({ secret: EVENTSUB_SECRET, clock, onNotification: () => undefined, maxBodyBytes: 100 });
    expect((await handler.handle(new Request('https://x/cb', { method: 'GET' }))).status).toBe(405);
    expect((await handler.handle(eventSubRequest(eventSubDelivery('big', { body: eventSubBody('x'.repeat(200) ) })))).status).toBe(413);
  });

  it('keeps answering 2xx quickly while a slow handler runs, and reports its errors to onError', async () => {
    const clock = createManualClock(NOW);
    const onError = vi.fn();
    const handler = createEventSubHandler({
      secret: EVENTSUB_SECRET,
      clock,
      onNotification: async () => {
        throw new Error('downstream failed');
      },
      onError,
    });
    expect((await handler.handle(eventSubRequest(eventSubDelivery('e1')))).status).toBe(204);
    await handler.idle();
    expect(onError).toHaveBeenCalledTimes(1);
  });

  it('shares the seen-id store across handler instances (two processes, one store)', async () => {
    const clock = createManualClock(NOW);
    const seen = createMemorySeenIdStore({ clock });
    const got: string[] = [];
    const make = () => createEventSubHandler({ secret: EVENTSUB_SECRET, clock, seen, onNotification: (n) => void got.push(n.messageId) });
    const [a, b] = [make(), make()];
    const delivery = eventSubDelivery('shared');
    await Promise.all([a.handle(eventSubRequest(delivery)), b.handle(eventSubRequest(delivery))]);
    await Promise.all([a.idle(), b.idle()]);
    expect(got).toEqual(['shared']);
  });

  it('rejects a configuration with a short secret, naming the field', () => {
    expect(() => createEventSubHandler({ secret: 'short', onNotification: () => undefined })).toThrow(/secret/);
  });
});
