import { createManualClock } from '@almanac/core';
import { expectAlmanacError, runWithClock, useStrictNock } from '@almanac/core/testing';
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { createSegmentSink, planSegmentBatches, SEGMENT_MAX_BATCH_BYTES } from '../src/adapters/segment/index';
import type { CdpMessage } from '../src/index';

// Wire format and limits from Segment's HTTP Tracking API documentation:
// https://www.twilio.com/docs/segment/connections/sources/catalog/libraries/server/http-api
// - POST https://api.segment.io/v1/batch with {"batch": [...]}, Basic auth with the write key as user name and an empty password;
// - 32 KB per message and 500 KB per batch request, else 400 Bad Request;
// - 200 for every accepted request; Segment deduplicates on messageId.
const HOST = 'https://api.segment.io';
const WRITE_KEY = 'wk_secret_1234567890';
const track = (i: number, extra = ''): CdpMessage => ({
  type: 'track',
  messageId: `m-${i}`,
  timestamp: '2026-12-03T08:00:00.000Z',
  userId: 'u1',
  event: 'Viewed',
  properties: { i, extra },
});
const signal = new AbortController().signal;

describe('createSegmentSink', () => {
  useStrictNock();

  it('posts a batch to /v1/batch with Basic auth (write key as user, empty password)', async () => {
    let body: { batch: CdpMessage[]; sentAt: string } | undefined;
    nock(HOST)
      .post('/v1/batch', (b) => {
        body = b as typeof body;
        return true;
      })
      .matchHeader('authorization', `Basic ${Buffer.from(`${WRITE_KEY}:`).toString('base64')}`)
      .matchHeader('content-type', /application\/json/)
      .reply(200, { success: true });
    const sink = createSegmentSink({ writeKey: WRITE_KEY });
    const result = await sink.deliver([track(1), track(2)], { signal });
    expect(result).toEqual({ rejected: [] });
    expect(body?.batch.map((m) => m.messageId)).toEqual(['m-1', 'm-2']);
    expect(typeof body?.sentAt).toBe('string');
  });

  it('retries 429 after the Retry-After wait and 503 with backoff, then succeeds', async () => {
    const clock = createManualClock(0);
    const scope = nock(HOST)
      .post('/v1/batch')
      .reply(429, 'slow down', { 'retry-after': '7' })
      .post('/v1/batch')
      .reply(503, 'unavailable')
      .post('/v1/batch')
      .reply(200, { success: true });
    const sink = createSegmentSink({ writeKey: WRITE_KEY, clock, retry: { maxAttempts: 5, baseDelayMs: 100, random: () => 0.5 } });
    const started = clock.now();
    await runWithClock(clock, sink.deliver([track(1)], { signal }));
    expect(scope.isDone()).toBe(true);
    expect(clock.now() - started).toBeGreaterThanOrEqual(7000);
  });

  it('a 400 is narrowed to the offending message, quarantined with the reason; the others are delivered', async () => {
    const delivered: string[] = [];
    // Bisection: [1..5] 400, [1,2,3] 400, [1,2] 200, [3] 400, [4,5] 200.
    nock(HOST)
      .post('/v1/batch')
      .times(5)
      .reply((_uri, body) => {
        const batch = (body as { batch: CdpMessage[] }).batch;
        if (batch.some((m) => m.messageId === 'm-3')) return [400, 'Bad Request: invalid event'];
        delivered.push(...batch.map((m) => m.messageId));
        return [200, '{"success":true}'];
      });
    const sink = createSegmentSink({ writeKey: WRITE_KEY });
    const result = await sink.deliver([1, 2, 3, 4, 5].map((i) => track(i)), { signal });
    expect(result.rejected.map((r) => r.messageId)).toEqual(['m-3']);
    expect(result.rejected[0]?.reason).toMatch(/^segment 400/);
    expect(delivered.sort()).toEqual(['m-1', 'm-2', 'm-4', 'm-5']);
  });

  it('never puts the write key in errors', async () => {
    // The client asks for a fresh credential once after a 401, then gives up.
    nock(HOST).post('/v1/batch').times(2).reply(401, `invalid write key ${WRITE_KEY}`);
    const sink = createSegmentSink({ writeKey: WRITE_KEY, retry: { maxAttempts: 1 } });
    const error = await expectAlmanacError(sink.deliver([track(1)], { signal }), { code: 'auth', provider: 'segment' });
    expect(JSON.stringify({ ...error, message: error.message })).not.toContain(WRITE_KEY);
    expect(String(error.stack)).not.toContain(WRITE_KEY);
  });

  it('keeps requests within 500 KB and refuses a message over 32 KB locally', () => {
    const big = Array.from({ length: 40 }, (_, i) => track(i, 'x'.repeat(20_000)));
    const { batches, oversize } = planSegmentBatches([...big, track(99, 'y'.repeat(33_000))], 100);
    expect(oversize.map((r) => r.messageId)).toEqual(['m-99']);
    expect(batches.length).toBeGreaterThan(1);
    for (const batch of batches) {
      expect(Buffer.byteLength(JSON.stringify({ batch, sentAt: '2026-12-03T08:00:00.000Z' }))).toBeLessThanOrEqual(SEGMENT_MAX_BATCH_BYTES);
    }
    expect(batches.flat()).toHaveLength(40);
    expect(planSegmentBatches([track(1), track(2), track(3)], 2).batches.map((b) => b.length)).toEqual([2, 1]);
  });

  it('validates options without quoting the write key', async () => {
    await expectAlmanacError(() => createSegmentSink({ writeKey: '' }), { code: 'validation', field: 'options.writeKey' });
    await expectAlmanacError(() => createSegmentSink({ writeKey: WRITE_KEY, host: 'ftp://x' }), { code: 'validation', field: 'options.host' });
  });
});
