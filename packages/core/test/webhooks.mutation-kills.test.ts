// Behaviour of the webhook helpers that the mutation run (`npm run mutation -- core-webhooks`)
// found unpinned: the messages and fields of every rejection, the exact edges of the id and
// timestamp rules, and values that only look like timestamps once turned into strings.
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createManualClock } from '../src/clock';
import { RateLimitError, ValidationError } from '../src/errors';
import { ReplayError, createEd25519PublicKey, createMemorySeenIdStore, createReplayGuard, verifyEd25519, verifyHmacSha256 } from '../src/webhooks';

const START = Date.UTC(2024, 0, 1);
const MINUTE = 60_000;

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.fail('expected a rejection'),
    (error: unknown) => error,
  );
}

describe('replay guard rejections', () => {
  it('names each reason, its message, the window and the operation on ReplayError', async () => {
    const clock = createManualClock(START);
    const guard = createReplayGuard({ clock, windowMs: 5 * MINUTE, timestampUnit: 'milliseconds' });
    const cases: Array<[unknown, string, string]> = [
      [{ id: 'old', timestamp: START - 5 * MINUTE - 1 }, 'stale', 'Webhook timestamp is more than 300000 ms in the past'],
      [{ id: 'new', timestamp: START + 5 * MINUTE + 1 }, 'future', 'Webhook timestamp is more than 300000 ms in the future'],
      [{ id: 'bad', timestamp: 'soon' }, 'invalid', 'Webhook delivery id or timestamp is missing or malformed'],
    ];
    for (const [input, reason, message] of cases) {
      const error = await rejection(guard.assertFresh(input as never));
      expect(error, reason).toBeInstanceOf(ReplayError);
      expect(error, reason).toMatchObject({ reason, message, operation: 'webhook.replay' });
    }
    await guard.assertFresh({ id: 'twice', timestamp: START });
    expect(await rejection(guard.assertFresh({ id: 'twice', timestamp: START }))).toMatchObject({
      reason: 'duplicate',
      message: 'Webhook delivery id was already accepted',
      operation: 'webhook.replay',
    });
  });

  it('accepts an id of exactly 512 characters and refuses 513', async () => {
    const guard = createReplayGuard({ clock: createManualClock(START), timestampUnit: 'milliseconds' });
    expect(await guard.check({ id: 'i'.repeat(512), timestamp: START })).toEqual({ ok: true });
    expect(await guard.check({ id: 'j'.repeat(513), timestamp: START })).toEqual({ ok: false, reason: 'invalid' });
  });

  it('accepts the epoch itself (timestamp 0) when the clock is there', async () => {
    const guard = createReplayGuard({ clock: createManualClock(0), timestampUnit: 'milliseconds' });
    expect(await guard.check({ id: 'epoch', timestamp: 0 })).toEqual({ ok: true });
    expect(await guard.check({ id: 'epoch-string', timestamp: '0' })).toEqual({ ok: true });
  });

  it('reads digit strings in the configured unit and RFC 3339 strings as instants', async () => {
    const clock = createManualClock(START);
    const millis = createReplayGuard({ clock, timestampUnit: 'milliseconds' });
    expect(await millis.check({ id: 'ms', timestamp: String(START) })).toEqual({ ok: true });
    const seconds = createReplayGuard({ clock });
    expect(await seconds.check({ id: 's', timestamp: String(START / 1000) })).toEqual({ ok: true });
    expect(await seconds.check({ id: 'iso', timestamp: '2024-01-01T00:00:00Z' })).toEqual({ ok: true });
    expect(await seconds.check({ id: 'iso-offset', timestamp: '2024-01-01T01:00:00+01:00' })).toEqual({ ok: true });
    // A day after the clock: an RFC 3339 string is parsed, not waved through.
    expect(await seconds.check({ id: 'iso-late', timestamp: '2024-01-02T00:00:00Z' })).toEqual({ ok: false, reason: 'future' });
  });

  it('does not read arrays or other objects whose string form looks like a timestamp', async () => {
    const guard = createReplayGuard({ clock: createManualClock(START) });
    expect(await guard.check({ id: 'a', timestamp: [String(START / 1000)] } as never)).toEqual({ ok: false, reason: 'invalid' });
    expect(await guard.check({ id: 'b', timestamp: ['2024-01-01T00:00:00Z'] } as never)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('refuses a non-object input with a ValidationError rather than a verdict', async () => {
    const guard = createReplayGuard({ clock: createManualClock(START) });
    expect(await rejection(guard.check('evt-1' as never))).toBeInstanceOf(ValidationError);
    expect(await rejection(guard.check(null as never))).toBeInstanceOf(ValidationError);
  });

  it('says what a bad window is', () => {
    expect(() => createReplayGuard({ windowMs: 0 })).toThrow(expect.objectContaining({ issues: [{ path: 'windowMs', message: 'must be a positive integer of milliseconds' }] }));
  });
});

describe('memory seen-id store limits', () => {
  it('allows a store of one entry, and says what a bad size is', async () => {
    const clock = createManualClock(START);
    const store = createMemorySeenIdStore({ clock, maxEntries: 1 });
    expect(await store.add('only', 1000)).toBe(true);
    expect(() => createMemorySeenIdStore({ maxEntries: 0 })).toThrow(expect.objectContaining({ issues: [{ path: 'maxEntries', message: 'must be a positive integer' }] }));
  });

  it('refuses a full store with RateLimitError naming the limit and the operation', async () => {
    const store = createMemorySeenIdStore({ clock: createManualClock(START), maxEntries: 2 });
    await store.add('a', 1000);
    await store.add('b', 1000);
    const error = await rejection(store.add('c', 1000));
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).toMatchObject({
      message: 'Seen-id store is full (2 unexpired ids); raise maxEntries or use a shared store',
      operation: 'seenIds.add',
    });
  });

  it('frees the room of expired ids when full', async () => {
    const clock = createManualClock(START);
    const store = createMemorySeenIdStore({ clock, maxEntries: 2 });
    await store.add('a', 1000);
    await store.add('b', 1000);
    await clock.advance(1000);
    expect(await store.add('c', 1000)).toBe(true);
    expect(await store.add('d', 1000)).toBe(true);
  });

  it('refuses TTLs that are not finite numbers, and ids that are not strings, naming the field', async () => {
    const store = createMemorySeenIdStore({ clock: createManualClock(START) });
    const ttlIssue = { issues: [{ path: 'ttlMs', message: 'must be a positive number of milliseconds' }] };
    for (const ttl of ['1000', Number.NaN, Number.POSITIVE_INFINITY]) {
      const error = await rejection(store.add('x', ttl as never));
      expect(error, String(ttl)).toBeInstanceOf(ValidationError);
      expect(error, String(ttl)).toMatchObject(ttlIssue);
    }
    const idIssue = { issues: [{ path: 'id', message: 'must be a non-empty string' }] };
    for (const id of [42, '']) {
      expect(await rejection(store.add(id as never, 1000)), String(id)).toMatchObject(idIssue);
      expect(await rejection(store.has(id as never)), String(id)).toMatchObject(idIssue);
    }
  });
});

describe('signature helpers: caller mistakes', () => {
  it('verifyEd25519 refuses a missing options object with a ValidationError', () => {
    for (const options of [null, undefined, 'options']) {
      expect(() => verifyEd25519(options as never)).toThrow(expect.objectContaining({ issues: [{ path: '', message: 'must be an options object' }] }));
    }
  });

  it('createEd25519PublicKey refuses a key that is not Ed25519 (X25519 has the same 32-byte size)', () => {
    const { publicKey } = generateKeyPairSync('x25519');
    expect(() => createEd25519PublicKey(publicKey)).toThrow(ValidationError);
    expect(() => createEd25519PublicKey('zz')).toThrow(
      expect.objectContaining({
        issues: [{ path: 'publicKey', message: 'must be 64 hex characters, 32 bytes or an Ed25519 public KeyObject, and not a point of small order' }],
      }),
    );
    const ed = generateKeyPairSync('ed25519').publicKey;
    expect(createEd25519PublicKey(ed)).toBe(ed);
  });

  it('verifyHmacSha256 lists the supported encodings when given another', () => {
    expect(() => verifyHmacSha256({ secret: 's', payload: 'p', signature: 'x', encoding: 'base32' as never })).toThrow(
      expect.objectContaining({ issues: [{ path: 'encoding', message: 'must be one of hex, base64, base64url' }] }),
    );
  });
});
