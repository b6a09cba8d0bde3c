// GCS retries as Google documents them (issue 10): delete, copy/rewrite and uploads are
// "conditionally idempotent", safe to retry only with a generation precondition
// (https://cloud.google.com/storage/docs/retry-strategy#idempotency), on the nock fake of the JSON API.
import { ConflictError } from '@almanac/core';
import nock from 'nock';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createGcsStorageProvider } from '../src/adapters/gcs';
import type { GcsClientLike } from '../src/adapters/gcs';
import type { StorageProvider } from '../src/spec';
import { FakeGcs, fakeStorageClient } from './fixtures/gcs/fake-gcs';

const BUCKET = 'almanac-retry';
let client: GcsClientLike;
let fake: FakeGcs;
let provider: StorageProvider;
const bytes = (text: string) => new TextEncoder().encode(text);

beforeAll(async () => {
  nock.disableNetConnect();
  client = (await fakeStorageClient()) as unknown as GcsClientLike;
});
beforeEach(() => {
  fake = new FakeGcs(BUCKET).install();
  provider = createGcsStorageProvider({ bucket: BUCKET, storage: client, retry: { baseDelayMs: 1, maxDelayMs: 1 } });
});
afterEach(() => fake.uninstall());

const matching = (method: string, fragment: string) => fake.urls.filter((url) => url.startsWith(method) && url.includes(fragment));

describe('gcs conditionally idempotent calls', () => {
  it('retries a delete after a 503 only pinned to the generation it found', async () => {
    const { etag } = await provider.write({ key: 'd.txt', body: bytes('x') });
    fake.failNext('DELETE', /\/o\/d\.txt$/, 503, 'backendError');
    await provider.delete({ key: 'd.txt' });
    const deletes = matching('DELETE', '/o/d.txt');
    expect(deletes).toHaveLength(2);
    expect(deletes[0]).not.toContain('ifGenerationMatch');
    expect(deletes[1]).toContain(`ifGenerationMatch=${etag}`);
    expect(fake.keys(BUCKET)).toEqual([]);
  });

  it('retries a copy after a 503 with ifGenerationMatch on the destination (0: must not exist)', async () => {
    await provider.write({ key: 'src.txt', body: bytes('copy me') });
    fake.failNext('POST', /\/(rewriteTo|copyTo)\//, 503, 'backendError');
    const info = await provider.copy?.({ from: 'src.txt', to: 'dst.txt' });
    expect(info?.size).toBe(7);
    const copies = matching('POST', 'src.txt/');
    expect(copies).toHaveLength(2);
    expect(copies[0]).not.toContain('ifGenerationMatch');
    expect(copies[1]).toContain('ifGenerationMatch=0');
  });

  it('retries setStorageClass (a rewrite) after a 503 pinned to the generation', async () => {
    const { etag } = await provider.write({ key: 'c.txt', body: bytes('x') });
    fake.failNext('POST', /\/(rewriteTo|copyTo)\//, 503, 'backendError');
    await provider.setStorageClass?.({ key: 'c.txt', storageClass: 'NEARLINE' });
    const rewrites = matching('POST', 'c.txt/');
    expect(rewrites).toHaveLength(2);
    expect(rewrites[1]).toContain(`ifGenerationMatch=${etag}`);
    expect((await provider.stat({ key: 'c.txt' })).storageClass).toBe('NEARLINE');
  });

  it('retries an unconditional byte upload after a 503 pinned to the generation it found', async () => {
    const { etag } = await provider.write({ key: 'u.txt', body: bytes('v1') });
    fake.failNext('POST', /\/upload\/storage\/v1\/b\/[^/]+\/o$/, 503, 'backendError');
    await provider.write({ key: 'u.txt', body: bytes('v2') });
    const uploads = matching('POST', '/upload/').slice(1);
    expect(uploads).toHaveLength(2);
    expect(uploads[0]).not.toContain('ifGenerationMatch');
    expect(uploads[1]).toContain(`ifGenerationMatch=${etag}`);
    expect(fake.content(BUCKET, 'u.txt')?.toString()).toBe('v2');
  });

  it('a conditional create whose success reply was lost is not reported as a false ConflictError', async () => {
    fake.loseReplyNext('POST', /\/upload\/storage\/v1\/b\/[^/]+\/o$/, 503, 'backendError');
    const info = await provider.write({ key: 'once.txt', body: bytes('created'), ifNoneMatch: '*' });
    expect(info.size).toBe(7);
    expect(fake.content(BUCKET, 'once.txt')?.toString()).toBe('created');
    // Someone else's object under the same key is still a conflict.
    fake.loseReplyNext('POST', /\/upload\/storage\/v1\/b\/[^/]+\/o$/, 503, 'backendError');
    await expect(provider.write({ key: 'other.txt', body: bytes('mine'), ifNoneMatch: '*' })).resolves.toMatchObject({ size: 4 });
    await expect(provider.write({ key: 'other.txt', body: bytes('theirs'), ifNoneMatch: '*' })).rejects.toSatisfy((e) => ConflictError.isInstance(e));
  });
});
