// Fuzzing both inbound endpoints with 10,000 generated deliveries each: tampered, stale, future,
// replayed, wrongly signed and malformed ones must all be refused (a replay of an accepted
// EventSub message is acknowledged 2xx, as Twitch expects, but never dispatched again), and
// every valid delivery is dispatched exactly once.
import { createManualClock } from '@almanac/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createInteractionsHandler } from '../src/adapters/discord';
import { createEventSubHandler } from '../src/adapters/twitch';
import {
  EVENTSUB_SECRET,
  NOW,
  discordKeys,
  discordRequest,
  discordSignature,
  eventSubDelivery,
  eventSubRequest,
  interactionBody,
  signEventSub,
} from './support/deliveries';

const RUNS = 10_000;
const TIMESTAMP = String(Math.floor(NOW / 1000));
const EVENTSUB_KINDS = ['valid', 'replay', 'tamper-body', 'tamper-signature', 'wrong-secret', 'stale', 'future', 'drop-header', 'garbage-header', 'signed-garbage-body'] as const;
const DISCORD_KINDS = ['valid', 'replay', 'tamper-body', 'tamper-signature', 'other-key', 'stale', 'future', 'no-signature', 'garbage-timestamp', 'signed-garbage-body'] as const;

// Explicit lengths everywhere: fast-check's default size would keep strings tiny.
const mutation = fc.record({
  position: fc.nat({ max: 10_000 }),
  noise: fc.string({ minLength: 1, maxLength: 24 }),
  header: fc.constantFrom('Twitch-Eventsub-Message-Id', 'Twitch-Eventsub-Message-Timestamp', 'Twitch-Eventsub-Message-Signature', 'Twitch-Eventsub-Message-Type'),
  skewMs: fc.integer({ min: 10 * 60_000 + 1, max: 400 * 24 * 3_600_000 }),
  pick: fc.nat({ max: 1_000_000 }),
});

function flip(text: string, position: number): string {
  const i = position % text.length;
  const c = text.charCodeAt(i);
  return text.slice(0, i) + String.fromCharCode(c === 0x61 ? 0x62 : 0x61) + text.slice(i + 1);
}

describe('webhook fuzzing', () => {
  it('EventSub: 10,000 deliveries, only fresh valid ones dispatched, each once', async () => {
    const cases = fc.sample(fc.tuple(fc.constantFrom(...EVENTSUB_KINDS), mutation), { numRuns: RUNS, seed: 20261203 });
    const clock = createManualClock(NOW);
    const dispatched = new Map<string, number>();
    const handler = createEventSubHandler({
      secret: EVENTSUB_SECRET,
      clock,
      onNotification: (n) => void dispatched.set(n.messageId, (dispatched.get(n.messageId) ?? 0) + 1),
    });
    const accepted: string[] = [];
    const expectedValid = new Set<string>();
    let wrongAnswers = 0;
    for (const [index, [kind, m]] of cases.entries()) {
      const id = `msg-${index}`;
      let request: Request;
      let ok: (status: number) => boolean = (s) => s === 400 || s === 403;
      if (kind === 'valid' || (kind === 'replay' && accepted.length === 0)) {
        request = eventSubRequest(eventSubDelivery(id));
        expectedValid.add(id);
        accepted.push(id);
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
      const response = await handler.handle(request);
      if (!ok(response.status)) wrongAnswers++;
    }
    await handler.idle();
    expect(wrongAnswers).toBe(0);
    expect([...dispatched.keys()].sort()).toEqual([...expectedValid].sort());
    expect([...dispatched.values()].every((count) => count === 1)).toBe(true);
    // The generator really produced every kind, many times.
    const counts = new Map<string, number>();
    for (const [kind] of cases) counts.set(kind, (counts.get(kind) ?? 0) + 1);
    expect(counts.size).toBe(EVENTSUB_KINDS.length);
    expect(Math.min(...counts.values())).toBeGreaterThan(500);
  }, 60_000);

  it('Discord: 10,000 interactions, only fresh valid ones dispatched, each once', async () => {
    const keys = discordKeys();
    const other = discordKeys();
    const cases = fc.sample(fc.tuple(fc.constantFrom(...DISCORD_KINDS), mutation), { numRuns: RUNS, seed: 3122026 });
    const clock = createManualClock(NOW);
    const dispatched = new Map<string, number>();
    const handler = createInteractionsHandler({
      publicKey: keys.publicKeyHex,
      clock,
      onCommand: (interaction) => {
        dispatched.set(interaction.id, (dispatched.get(interaction.id) ?? 0) + 1);
        return { type: 4, data: { content: 'ok' } };
      },
    });
    const accepted: string[] = [];
    const expectedValid = new Set<string>();
    let wrongAnswers = 0;
    for (const [index, [kind, m]] of cases.entries()) {
      const id = String(10_000_000 + index);
      let request: Request;
      let expected = 401;
      if (kind === 'valid' || (kind === 'replay' && accepted.length === 0)) {
        request = discordRequest(keys, interactionBody(id));
        expectedValid.add(id);
        accepted.push(id);
        expected = 200;
      } else if (kind === 'replay') {
        request = discordRequest(keys, interactionBody(accepted[m.pick % accepted.length] as string));
      } else if (kind === 'tamper-body') {
        const body = interactionBody(id);
        request = discordRequest(keys, flip(body, m.position), { signature: discordSignature(keys, TIMESTAMP, body) });
      } else if (kind === 'tamper-signature') {
        request = discordRequest(keys, interactionBody(id), { signature: flip(discordSignature(keys, TIMESTAMP, interactionBody(id)), m.position) });
      } else if (kind === 'other-key') {
        request = discordRequest(other, interactionBody(id));
      } else if (kind === 'stale' || kind === 'future') {
        const at = kind === 'stale' ? NOW - m.skewMs : NOW + m.skewMs;
        request = discordRequest(keys, interactionBody(id), { timestamp: String(Math.floor(at / 1000)) });
      } else if (kind === 'no-signature') {
        request = discordRequest(keys, interactionBody(id), { signature: null });
      } else if (kind === 'garbage-timestamp') {
        request = discordRequest(keys, interactionBody(id), { timestamp: `${Math.floor(NOW / 1000)}${m.noise.replace(/[^\x21-\x7e]/g, 'x')}` });
      } else {
        request = discordRequest(keys, m.noise.length % 2 === 0 ? JSON.stringify({ id: m.noise, type: 2 }) : m.noise);
        expected = 400;
      }
      const response = await handler.handle(request);
      // A garbage timestamp that still parses as digits fails the signature instead: both are 401.
      if (response.status !== expected) wrongAnswers++;
    }
    await handler.idle();
    expect(wrongAnswers).toBe(0);
    expect([...dispatched.keys()].sort()).toEqual([...expectedValid].sort());
    expect([...dispatched.values()].every((count) => count === 1)).toBe(true);
  }, 60_000);
});
