// Fuzzing the EventSub endpoint with 10,000 generated deliveries: tampered, stale, future,
// replayed, wrongly signed and malformed ones must all be refused (a replay of an accepted
// message is acknowledged 2xx, as Twitch expects, but never dispatched again), and every valid
// delivery is dispatched exactly once. The Discord endpoint's run is in webhook-fuzz-discord.test.ts.
import { createManualClock } from '@almanac/core';
import { describe, expect, it } from 'vitest';
import { createEventSubHandler } from '../src/adapters/twitch';
import { EVENTSUB_SECRET, NOW, eventSubDelivery, eventSubRequest, signEventSub } from './support/deliveries';
import { flip, fuzzCases, sendDeliveries } from './support/fuzz';

const EVENTSUB_KINDS = ['valid', 'replay', 'tamper-body', 'tamper-signature', 'wrong-secret', 'stale', 'future', 'drop-header', 'garbage-header', 'signed-garbage-body'] as const;

describe('webhook fuzzing', () => {
  it('EventSub: 10,000 deliveries, only fresh valid ones dispatched, each once', async () => {
    const cases = fuzzCases(EVENTSUB_KINDS, 20261203);
    const clock = createManualClock(NOW);
    const dispatched = new Map<string, number>();
    const handler = createEventSubHandler({
      secret: EVENTSUB_SECRET,
      clock,
      onNotification: (n) => void dispatched.set(n.messageId, (dispatched.get(n.messageId) ?? 0) + 1),
    });
    const { expectedValid, wrongAnswers, counts } = await sendDeliveries(cases, handler, (kind, m, index, accepted) => {
      const id = `msg-${index}`;
      let request: Request;
      let ok: (status: number) => boolean = (s) => s === 400 || s === 403;
      let validId: string | undefined;
      if (kind === 'valid' || (kind === 'replay' && accepted.length === 0)) {
        request = eventSubRequest(eventSubDelivery(id));
        validId = id;
        ok = (s) => s === 204;
      } else if (kind === 'replay') {
        request = eventSubRequest(eventSubDelivery(accepted[m.pick % accepted.length] as string));
        ok = (s) => s === 204;
      } else if (kind === 'tamper-body') {
        const d = eventSubDelivery(id);
        request = eventSubRequest({ ...d, body: flip(d.body, m.position) });
      } else if (kind === 'tamper-signature') {
        const d = eventSubDelivery(id);
        request = eventSubRequest({ ...d, signature: `sha256=${flip(d.signature.slice(7), m.position)}` });
      } else if (kind === 'wrong-secret') {
        const d = eventSubDelivery(id);
        request = eventSubRequest({ ...d, signature: signEventSub(d.id, d.timestamp, d.body, `${EVENTSUB_SECRET}${m.noise}`) });
      } else if (kind === 'stale' || kind === 'future') {
        const at = kind === 'stale' ? NOW - m.skewMs : NOW + 60_001 + (m.skewMs % (400 * 24 * 3_600_000));
        request = eventSubRequest(eventSubDelivery(id, { timestamp: new Date(at).toISOString() }));
      } else if (kind === 'drop-header') {
        request = eventSubRequest(eventSubDelivery(id), { [m.header]: null });
      } else if (kind === 'garbage-header') {
        // A header with noise appended: the signature no longer matches, or the shape is wrong.
        const d = eventSubDelivery(id);
        const value = { 'Twitch-Eventsub-Message-Id': d.id, 'Twitch-Eventsub-Message-Timestamp': d.timestamp, 'Twitch-Eventsub-Message-Signature': d.signature, 'Twitch-Eventsub-Message-Type': d.type }[m.header];
        // Printable, non-blank noise: HTTP trims header whitespace, which would restore the original.
        const noisy = `${value}${m.noise.replace(/[^\x21-\x7e]/g, 'x')}`;
        request = eventSubRequest(d, { [m.header]: noisy });
      } else {
        // Correctly signed but not an EventSub payload: refused as malformed, not dispatched.
        const timestamp = new Date(NOW - 1_000).toISOString();
        const body = m.noise.length % 2 === 0 ? `{"subscription":${JSON.stringify(m.noise)}}` : m.noise;
        request = eventSubRequest({ id, timestamp, type: 'notification', body, signature: signEventSub(id, timestamp, body) });
      }
      return { request, ok, validId };
    });
    expect(wrongAnswers).toBe(0);
    expect([...dispatched.keys()].sort()).toEqual([...expectedValid].sort());
    expect([...dispatched.values()].every((count) => count === 1)).toBe(true);
    // The generator really produced every kind, many times.
    expect(counts.size).toBe(EVENTSUB_KINDS.length);
    expect(Math.min(...counts.values())).toBeGreaterThan(500);
  }, 60_000);
});
