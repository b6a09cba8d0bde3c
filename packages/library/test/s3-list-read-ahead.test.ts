// The S3 adapter's list read-ahead (src/adapters/s3/list-read-ahead.ts): the next ListObjectsV2
// page is requested as soon as a page's body has arrived, one page ahead of the caller, and
// handed out to the `listPage` that asks for it. nock answers as S3 does
// (https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html: `IsTruncated`, and
// `NextContinuationToken` only when truncated).
import { AbortedError, createManualClock } from '@almanac/core';
import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createS3Storage, createS3StorageProvider } from '../src/adapters/s3';
import type { S3ProviderOptions } from '../src/adapters/s3';
import { READ_AHEAD_LIMIT, READ_AHEAD_MAX_AGE_MS, continuationTokenIn, createListReadAhead } from '../src/adapters/s3/list-read-ahead';
import type { ListPage } from '../src/spec';
import { S3_WIRE_HOST, s3WireSettings } from './support/s3-wire';
import { useStrictNock } from '@almanac/core/testing';

const HOST = S3_WIRE_HOST;
const BUCKET = 'ahead-bucket';
const settings = s3WireSettings(BUCKET);
const XML = { 'content-type': 'application/xml' };

/** A ListObjectsV2 body with `keys`, truncated with `token` when one is given. */
function listBody(keys: readonly string[], token?: string): string {
  const contents = keys.map((key) => `<Contents><Key>${key}</Key><LastModified>2026-01-02T03:04:05.000Z</LastModified><ETag>&quot;e&quot;</ETag><Size>1</Size><StorageClass>STANDARD</StorageClass></Contents>`).join('');
  const truncation = token === undefined ? '<IsTruncated>false</IsTruncated>' : `<IsTruncated>true</IsTruncated><NextContinuationToken>${token}</NextContinuationToken>`;
  return `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult><Name>${BUCKET}</Name><Prefix>p/</Prefix><KeyCount>${keys.length}</KeyCount><MaxKeys>1000</MaxKeys>${truncation}${contents}</ListBucketResult>`;
}

/** Expects a ListObjectsV2 request for the page `token` (absent: the first) of prefix `p/`, with `maxKeys` when given. */
function listRequest(token: string | undefined, maxKeys?: number) {
  return nock(HOST)
    .get(`/${BUCKET}/`)
    .query({
      'list-type': '2',
      prefix: 'p/',
      'encoding-type': 'url',
      ...(maxKeys !== undefined && { 'max-keys': String(maxKeys) }),
      ...(token !== undefined && { 'continuation-token': token }),
    });
}

/** Answers the page `token` (absent: the first) of prefix `p/` with `keys`, pointing on to `next`. */
function page(token: string | undefined, keys: readonly string[], next?: string, maxKeys?: number) {
  return listRequest(token, maxKeys).reply(200, listBody(keys, next), XML);
}

const keysOf = (listed: ListPage) => listed.entries.map((entry) => (entry.type === 'object' ? entry.key : entry.prefix));

useStrictNock();

describe('continuationTokenIn', () => {
  it('finds the token of a truncated listing and nothing in a complete one', () => {
    expect(continuationTokenIn(Buffer.from(listBody(['p/a'], '1/abc+def==')))).toBe('1/abc+def==');
    expect(continuationTokenIn(new TextEncoder().encode(listBody(['p/a'], 'tök')))).toBe('tök');
    expect(continuationTokenIn(Buffer.from(listBody(['p/a'])))).toBeUndefined();
    // Truncated without a token (a malformed answer): nothing to read ahead with.
    expect(continuationTokenIn(Buffer.from('<ListBucketResult><IsTruncated>true</IsTruncated></ListBucketResult>'))).toBeUndefined();
    expect(continuationTokenIn(Buffer.from('<ListBucketResult><IsTruncated>true</IsTruncated><NextContinuationToken></NextContinuationToken></ListBucketResult>'))).toBeUndefined();
  });

  it('leaves a token holding an XML entity to the SDK parser', () => {
    expect(continuationTokenIn(Buffer.from(listBody(['p/a'], 'a&amp;b')))).toBeUndefined();
  });
});

describe('createListReadAhead', () => {
  const listed: ListPage = { entries: [] };

  it('hands a page out once, and not after READ_AHEAD_MAX_AGE_MS (its request is aborted)', async () => {
    const clock = createManualClock(1_000);
    const ahead = createListReadAhead(clock);
    const signals: AbortSignal[] = [];
    const taken: string[] = [];
    const fetch = (signal: AbortSignal) => {
      signals.push(signal);
      return new Promise<ListPage>(() => {});
    };
    ahead.start('a', async (signal) => {
      signals.push(signal);
      return listed;
    }, () => taken.push('a'));
    expect(await ahead.take('a', undefined)).toBe(listed);
    expect(taken).toEqual(['a']);
    expect(ahead.take('a', undefined)).toBeUndefined();
    ahead.start('b', fetch, () => taken.push('b'));
    await clock.advance(READ_AHEAD_MAX_AGE_MS + 1);
    expect(ahead.take('b', undefined)).toBeUndefined();
    expect(signals[1]?.aborted).toBe(true);
    expect(taken).toEqual(['a']);
  });

  it(`keeps at most ${READ_AHEAD_LIMIT} pages, aborting the oldest request`, () => {
    const ahead = createListReadAhead(createManualClock());
    const signals = new Map<string, AbortSignal>();
    for (const key of ['1', '2', '3', '4', '5']) {
      ahead.start(key, (signal) => {
        signals.set(key, signal);
        return new Promise<ListPage>(() => {});
      }, () => {});
    }
    expect(signals.get('1')?.aborted).toBe(true);
    expect([...signals.values()].filter((signal) => signal.aborted)).toHaveLength(1);
    expect(ahead.take('1', undefined)).toBeUndefined();
    expect(ahead.take('5', undefined)).toBeInstanceOf(Promise);
  });

  it('a caller abort while waiting rejects as aborted and aborts the request', async () => {
    const ahead = createListReadAhead(createManualClock());
    let requestSignal: AbortSignal | undefined;
    ahead.start('a', (signal) => {
      requestSignal = signal;
      return new Promise<ListPage>(() => {});
    }, () => {});
    const caller = new AbortController();
    const waiting = ahead.take('a', caller.signal);
    caller.abort();
    await expect(waiting).rejects.toSatisfy((error) => AbortedError.isInstance(error));
    expect(requestSignal?.aborted).toBe(true);
  });
});

describe('S3 list read-ahead on the wire', () => {
  it('requests the next page before it is asked for, and hands it out without a second request', async () => {
    const first = page(undefined, ['p/a', 'p/b'], 'tok-1');
    const second = page('tok-1', ['p/c']);
    const provider = createS3StorageProvider(settings);
    expect(keysOf(await provider.listPage({ prefix: 'p/' }))).toEqual(['p/a', 'p/b']);
    expect(first.isDone()).toBe(true);
    // Nobody has asked for page two yet, and it is requested anyway.
    await vi.waitFor(() => expect(second.isDone()).toBe(true));
    // Handed out from the read-ahead: nock has nothing left to answer a second request with.
    const next = await provider.listPage({ prefix: 'p/', cursor: 'tok-1' });
    expect(keysOf(next)).toEqual(['p/c']);
    expect(next.nextCursor).toBeUndefined();
  });

  it('reads one page ahead of the caller, never the rest of the listing', async () => {
    page(undefined, ['p/1'], 't1');
    const second = page('t1', ['p/2'], 't2');
    const third = page('t2', ['p/3'], 't3');
    const fourth = page('t3', ['p/4']);
    const provider = createS3StorageProvider(settings);
    await provider.listPage({ prefix: 'p/' });
    await vi.waitFor(() => expect(second.isDone()).toBe(true));
    // Page two's body has arrived, but page two was not asked for: page three waits.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(third.isDone()).toBe(false);
    expect(keysOf(await provider.listPage({ prefix: 'p/', cursor: 't1' }))).toEqual(['p/2']);
    await vi.waitFor(() => expect(third.isDone()).toBe(true));
    expect(fourth.isDone()).toBe(false);
    expect(keysOf(await provider.listPage({ prefix: 'p/', cursor: 't2' }))).toEqual(['p/3']);
    expect(keysOf(await provider.listPage({ prefix: 'p/', cursor: 't3' }))).toEqual(['p/4']);
  });

  it('a whole listing through the facade sends exactly one request per page and yields every key in order', async () => {
    page(undefined, ['p/1', 'p/2'], 't1');
    page('t1', ['p/3', 'p/4'], 't2');
    page('t2', ['p/5']);
    const storage = createS3Storage(settings);
    const keys = (await storage.list({ prefix: 'p/' }).toArray()).map((entry) => (entry.type === 'object' ? entry.key : entry.prefix));
    expect(keys).toEqual(['p/1', 'p/2', 'p/3', 'p/4', 'p/5']);
  });

  it('fetches the page again when the read-ahead failed (with the call’s own errors and retries)', async () => {
    page(undefined, ['p/a'], 'tok-1');
    const failed = listRequest('tok-1').reply(
      403, '<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>', XML);
    const provider = createS3StorageProvider(settings);
    await provider.listPage({ prefix: 'p/' });
    await vi.waitFor(() => expect(failed.isDone()).toBe(true));
    page('tok-1', ['p/b']);
    expect(keysOf(await provider.listPage({ prefix: 'p/', cursor: 'tok-1' }))).toEqual(['p/b']);
  });

  it('does not hand out a page read ahead for another page size, or one older than 30 s', async () => {
    const clock = createManualClock(Date.UTC(2026, 0, 1));
    page(undefined, ['p/a', 'p/b'], 'tok-1', 2);
    const aheadForTwo = page('tok-1', ['p/old'], undefined, 2);
    const provider = createS3StorageProvider({ ...settings, clock });
    await provider.listPage({ prefix: 'p/', limit: 2 });
    await vi.waitFor(() => expect(aheadForTwo.isDone()).toBe(true));
    page('tok-1', ['p/five'], undefined, 5);
    expect(keysOf(await provider.listPage({ prefix: 'p/', limit: 5, cursor: 'tok-1' }))).toEqual(['p/five']);
    await clock.advance(READ_AHEAD_MAX_AGE_MS + 1);
    page('tok-1', ['p/fresh'], undefined, 2);
    expect(keysOf(await provider.listPage({ prefix: 'p/', limit: 2, cursor: 'tok-1' }))).toEqual(['p/fresh']);
  });

  it('sends the next request only when asked with listReadAhead: false, or when the token is not plain text', async () => {
    page(undefined, ['p/a'], 'tok-1');
    const second = page('tok-1', ['p/b']);
    const provider = createS3StorageProvider({ ...settings, listReadAhead: false });
    await provider.listPage({ prefix: 'p/' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(second.isDone()).toBe(false);
    expect(keysOf(await provider.listPage({ prefix: 'p/', cursor: 'tok-1' }))).toEqual(['p/b']);

    page(undefined, ['p/a'], 'a&amp;b');
    const entity = page('a&b', ['p/b']);
    const reading = createS3StorageProvider(settings);
    const listed = await reading.listPage({ prefix: 'p/' });
    expect(listed.nextCursor).toBe('a&b');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(entity.isDone()).toBe(false);
    expect(keysOf(await reading.listPage({ prefix: 'p/', cursor: 'a&b' }))).toEqual(['p/b']);
  });

  it('rejects a bad listReadAhead naming the field', () => {
    expect(() => createS3StorageProvider({ ...settings, listReadAhead: 'yes' } as unknown as S3ProviderOptions)).toThrow(/listReadAhead/);
  });
});
