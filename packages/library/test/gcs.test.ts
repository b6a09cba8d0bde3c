import { ConflictError, ConfigError, NotFoundError } from '@almanac/core';
import nock from 'nock';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createGcsStorageProvider } from '../src/adapters/gcs';
import type { GcsClientLike } from '../src/adapters/gcs';
import type { StorageProvider } from '../src/spec';
import { FakeGcs, fakeStorageClient } from './fixtures/gcs/fake-gcs';
import { moduleNotFound } from './support/fixtures';
import { signedUrlOf } from './support/signed';

const BUCKET = 'almanac-test';
let client: GcsClientLike;
let fake: FakeGcs;
let provider: StorageProvider;

async function text(body: ReadableStream<Uint8Array>): Promise<string> {
  return new Response(body).text();
}

beforeAll(async () => {
  nock.disableNetConnect();
  client = (await fakeStorageClient()) as unknown as GcsClientLike;
});

beforeEach(() => {
  fake = new FakeGcs(BUCKET).install();
  provider = createGcsStorageProvider({ bucket: BUCKET, storage: client, retry: { baseDelayMs: 1 } });
});

afterEach(() => fake.uninstall());

describe('gcs provider over the fake JSON API', () => {
  it('restore is a no-op that only checks the object exists: every GCS class, ARCHIVE included, is online', async () => {
    // https://cloud.google.com/storage/docs/storage-classes#archive: data is available in milliseconds.
    await provider.write({ key: 'cold.bin', body: new TextEncoder().encode('x'), storageClass: 'ARCHIVE' });
    expect(provider.capabilities.restore).toBe(true);
    expect(await provider.restore?.({ key: 'cold.bin', days: 1 })).toEqual({ state: 'restored' });
    await expect(provider.restore?.({ key: 'missing.bin' })).rejects.toBeInstanceOf(NotFoundError);
  });

  it('writes, stats, reads (with ranges), copies and deletes', async () => {
    const info = await provider.write({ key: 'a/b.txt', body: new TextEncoder().encode('hello world'), contentType: 'text/plain', metadata: { Owner: 'me' } });
    expect(info).toMatchObject({ key: 'a/b.txt', size: 11, contentType: 'text/plain', metadata: { owner: 'me' }, storageClass: 'STANDARD' });
    expect(info.checksum).toEqual({ algorithm: 'md5', value: '5eb63bbbe01eeed093cb22bb8f5acdc3' });
    const stat = await provider.stat({ key: 'a/b.txt' });
    expect(stat.etag).toBe(info.etag);
    expect(await text((await provider.read({ key: 'a/b.txt' })).body)).toBe('hello world');
    expect(await text((await provider.read({ key: 'a/b.txt', range: { start: 6, end: 9 } })).body)).toBe('wor');
    expect(await text((await provider.read({ key: 'a/b.txt', range: { start: 6 } })).body)).toBe('world');
    const copied = await provider.copy?.({ from: 'a/b.txt', to: 'c.txt' });
    expect(copied).toMatchObject({ key: 'c.txt', size: 11 });
    await provider.delete({ key: 'a/b.txt' });
    await provider.delete({ key: 'a/b.txt' });
    await expect(provider.stat({ key: 'a/b.txt' })).rejects.toBeInstanceOf(NotFoundError);
    expect(fake.keys(BUCKET)).toEqual(['c.txt']);
  });

  it('lists pages with prefixes from the listing alone: no per-object metadata calls', async () => {
    for (const key of ['d/1', 'd/2', 'd/3', 'd/sub/x', 'd/sub/y', 'e']) await provider.write({ key, body: new Uint8Array([1]) });
    fake.log.length = 0;
    const first = await provider.listPage({ prefix: 'd/', delimiter: '/', limit: 2 });
    expect(first.entries.map((e) => (e.type === 'prefix' ? e.prefix : e.key))).toEqual(['d/1', 'd/2']);
    expect(first.entries[0]).toMatchObject({ type: 'object', size: 1, storageClass: 'STANDARD' });
    const second = await provider.listPage({ prefix: 'd/', delimiter: '/', limit: 2, ...(first.nextCursor ? { cursor: first.nextCursor } : {}) });
    expect(second.entries.map((e) => (e.type === 'prefix' ? e.prefix : e.key))).toEqual(['d/3', 'd/sub/']);
    expect(second.nextCursor).toBeUndefined();
    expect(fake.log).toEqual([`GET /storage/v1/b/${BUCKET}/o`, `GET /storage/v1/b/${BUCKET}/o`]);
  });

  it('retries a 429 and then succeeds', async () => {
    await provider.write({ key: 'k', body: new Uint8Array([1, 2]) });
    fake.failNext('GET', /\/o\/k$/, 429, 'rateLimitExceeded', 1, { 'Retry-After': '0' });
    fake.log.length = 0;
    expect((await provider.stat({ key: 'k' })).size).toBe(2);
    expect(fake.log).toHaveLength(2);
  });

  it('maps 412 conditionNotMet to ConflictError (ifNoneMatch and ifMatch)', async () => {
    const first = await provider.write({ key: 'once', body: new Uint8Array([1]), ifNoneMatch: '*' });
    await expect(provider.write({ key: 'once', body: new Uint8Array([2]), ifNoneMatch: '*' })).rejects.toBeInstanceOf(ConflictError);
    await expect(provider.write({ key: 'once', body: new Uint8Array([2]), ifMatch: '123' })).rejects.toBeInstanceOf(ConflictError);
    const second = await provider.write({ key: 'once', body: new Uint8Array([3]), ...(first.etag ? { ifMatch: first.etag } : {}) });
    expect(second.etag).not.toBe(first.etag);
    expect([...(fake.content(BUCKET, 'once') ?? [])]).toEqual([3]);
  });

  it('fails a write whose expected checksum does not match with IntegrityError, storing nothing', async () => {
    await expect(
      provider.write({ key: 'sum', body: new TextEncoder().encode('abc'), checksum: { algorithm: 'md5', value: '00'.repeat(16) } }),
    ).rejects.toMatchObject({ code: 'integrity' });
    expect(fake.keys(BUCKET)).toEqual([]);
  });

  it('uploads a 21 MB body through a resumable session in chunks, with progress', async () => {
    const size = 21 * 1024 * 1024;
    const body = new Uint8Array(size);
    for (let i = 0; i < size; i += 4096) body[i] = i % 251;
    const progress: number[] = [];
    const info = await provider.write({ key: 'big.bin', body, onProgress: (p) => progress.push(p.loaded) });
    expect(info.size).toBe(size);
    const puts = fake.log.filter((line) => line.startsWith('PUT /upload/'));
    expect(puts).toHaveLength(3);
    expect(fake.log.filter((line) => line.startsWith('POST /upload/'))).toHaveLength(1);
    expect(progress.at(-1)).toBe(size);
    expect(progress.length).toBeGreaterThanOrEqual(3);
    expect(Buffer.compare(fake.content(BUCKET, 'big.bin') ?? Buffer.alloc(0), Buffer.from(body))).toBe(0);
  });

  it('an aborted resumable upload leaves no object', async () => {
    const controller = new AbortController();
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(c) {
        sent += 1;
        if (sent === 3) controller.abort();
        c.enqueue(new Uint8Array(4 * 1024 * 1024));
      },
    });
    await expect(provider.write({ key: 'aborted.bin', body: stream, signal: controller.signal })).rejects.toMatchObject({ code: 'aborted' });
    await new Promise((r) => setTimeout(r, 50));
    expect(fake.keys(BUCKET)).toEqual([]);
  });

  it('posture flags a public IAM member as a high finding', async () => {
    fake.addBinding(BUCKET, 'roles/storage.objectViewer', ['allUsers']);
    fake.patchBucket(BUCKET, { iamConfiguration: { uniformBucketLevelAccess: { enabled: false }, publicAccessPrevention: 'inherited' } });
    const findings = await provider.posture?.();
    expect(findings?.find((f) => f.rule === 'gcs.public_iam')).toMatchObject({ severity: 'high', passed: false });
    expect(findings?.find((f) => f.rule === 'gcs.uniform_access')).toMatchObject({ passed: false });
    expect(findings?.find((f) => f.rule === 'gcs.public_access_prevention')).toMatchObject({ passed: false });
  });

  it('signs V4 URLs locally', async () => {
    const url = new URL(await signedUrlOf(provider, { key: 'a b.txt', action: 'read', expiresIn: 600 }));
    expect(url.origin + url.pathname).toBe(`https://storage.googleapis.com/${BUCKET}/a%20b.txt`);
    expect(url.searchParams.get('X-Goog-Algorithm')).toBe('GOOG4-RSA-SHA256');
    expect(url.searchParams.get('X-Goog-Expires')).toBe('600');
    expect(url.searchParams.get('X-Goog-Signature')).toMatch(/^[0-9a-f]{512}$/);
  });

  it('changes storage class and handles versioning', async () => {
    await provider.write({ key: 'v', body: new Uint8Array([1]) });
    await provider.setStorageClass?.({ key: 'v', storageClass: 'COLDLINE' });
    expect((await provider.stat({ key: 'v' })).storageClass).toBe('COLDLINE');
    expect(await provider.getVersioning?.()).toBe(false);
    await provider.setVersioning?.({ enabled: true });
    expect(await provider.getVersioning?.()).toBe(true);
    await provider.write({ key: 'v', body: new Uint8Array([2]) });
    await provider.delete({ key: 'v' });
    const page = await provider.listVersionsPage?.({ prefix: 'v' });
    expect(page?.versions.map((v) => v.isLatest)).toEqual([false, false]);
  });

  it('reports a missing SDK as a ConfigError naming the install command, and a broken one as failing to load', async () => {
    const lazy = createGcsStorageProvider({ bucket: BUCKET, importer: () => Promise.reject(moduleNotFound('@google-cloud/storage')) });
    await expect(lazy.stat({ key: 'x' })).rejects.toSatisfy(
      (e) => ConfigError.isInstance(e) && e.message.includes('npm install @google-cloud/storage'),
    );
    const broken = createGcsStorageProvider({ bucket: BUCKET, importer: () => Promise.reject(moduleNotFound('gaxios')) });
    await expect(broken.stat({ key: 'x' })).rejects.toSatisfy(
      (e) => ConfigError.isInstance(e) && e.message.includes('could not load') && !e.message.includes('npm install'),
    );
  });
});
