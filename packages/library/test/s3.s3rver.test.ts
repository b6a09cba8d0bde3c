// The S3 adapter against s3rver (real S3 wire protocol on 127.0.0.1). Features s3rver lacks are
// covered at the wire level in s3.wire.test.ts.
import { AbortedError, IntegrityError, NotFoundError } from '@almanac/core';
import { CreateBucketCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createS3StorageProvider, createS3Storage } from '../src/adapters/s3';
import { type S3rver, startS3rver } from './support/s3rver';

const BUCKET = 'almanac-test';
let server: S3rver;
let raw: S3Client;

beforeAll(async () => {
  server = await startS3rver();
  // The SDK's default retries: this client's kept-alive socket sits idle between its two calls
  // (bucket creation, then one HEAD several tests later), and when the idle time lands on
  // s3rver's 5 s keep-alive timeout the HEAD meets a closed socket ("socket hang up"). A 404 is
  // not retried, so the check it makes is unchanged.
  raw = new S3Client({ ...server.clientConfig });
  await raw.send(new CreateBucketCommand({ Bucket: BUCKET }));
});

afterAll(async () => {
  raw?.destroy();
  await server?.stop();
});

function storage() {
  return createS3Storage({ bucket: BUCKET, ...server.clientConfig, multipartThreshold: 5 * 1024 * 1024 });
}

function bytes(size: number, seed = 7): Uint8Array {
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i++) out[i] = (i * 31 + seed) & 0xff;
  return out;
}

describe('S3 adapter on s3rver', () => {
  it('writes, stats, reads ranges, lists with delimiter, copies and deletes', async () => {
    const store = storage();
    await store.write('docs/a.txt', 'hello world', { contentType: 'text/plain', metadata: { owner: 'ada' } });
    await store.write('docs/sub/b.txt', 'b');
    await store.write('top.txt', 't');
    const info = await store.stat('docs/a.txt');
    expect(info).toMatchObject({ key: 'docs/a.txt', size: 11, contentType: 'text/plain', metadata: { owner: 'ada' } });
    expect(await store.readText('docs/a.txt', { range: { start: 6, end: 11 } })).toBe('world');
    const entries = await store.list({ prefix: 'docs/', delimiter: '/' }).toArray();
    expect(entries.map((entry) => (entry.type === 'prefix' ? entry.prefix : entry.key))).toEqual(['docs/a.txt', 'docs/sub/']);
    const copied = await store.copy('docs/a.txt', 'copy/a b+c.txt');
    expect(copied.size).toBe(11);
    await store.delete('copy/a b+c.txt');
    await expect(store.stat('copy/a b+c.txt')).rejects.toSatisfy((error) => NotFoundError.isInstance(error));
    await store.delete('never-existed');
  });

  it('pages listings with continuation tokens', async () => {
    const store = storage();
    for (let i = 0; i < 12; i++) await store.write(`page/${String(i).padStart(2, '0')}`, 'x');
    const pages = [];
    for await (const page of store.list({ prefix: 'page/', pageSize: 5 }).pages()) pages.push(page.entries.length);
    expect(pages).toEqual([5, 5, 2]);
  });

  it('lists the same pages with the read-ahead as without it, also when keys change midway', async () => {
    const store = storage();
    const plain = createS3Storage({ bucket: BUCKET, ...server.clientConfig, listReadAhead: false });
    const written = Array.from({ length: 23 }, (_, i) => `ahead/${String(i).padStart(2, '0')}`);
    for (const key of written) await store.write(key, 'x');
    const pagesOf = async (listing: ReturnType<typeof store.list>) => {
      const pages: { keys: string[]; nextCursor: string | undefined }[] = [];
      for await (const page of listing.pages()) pages.push({ keys: page.entries.map((entry) => (entry.type === 'object' ? entry.key : entry.prefix)), nextCursor: page.nextCursor });
      return pages;
    };
    const ahead = await pagesOf(store.list({ prefix: 'ahead/', pageSize: 4 }));
    expect(ahead.flatMap((page) => page.keys)).toEqual(written);
    expect(ahead.map((page) => page.keys.length)).toEqual([4, 4, 4, 4, 4, 3]);
    // s3rver's tokens differ per listing (random), so pages are compared by their keys.
    expect(ahead.map((page) => page.keys)).toEqual((await pagesOf(plain.list({ prefix: 'ahead/', pageSize: 4 }))).map((page) => page.keys));
    expect(ahead.map((page) => page.nextCursor === undefined)).toEqual([false, false, false, false, false, true]);
    // A key written after the first page is read still shows up later in the listing.
    const seen: string[] = [];
    for await (const page of store.list({ prefix: 'ahead/', pageSize: 4 }).pages()) {
      if (seen.length === 0) await store.write('ahead/99', 'late');
      seen.push(...page.entries.map((entry) => (entry.type === 'object' ? entry.key : entry.prefix)));
    }
    expect(seen).toEqual([...written, 'ahead/99']);
  });

  it('verifies checksums locally before anything is stored', async () => {
    const store = storage();
    await expect(
      store.write('sum/bad', 'abc', { checksum: { algorithm: 'sha256', value: '00'.repeat(32) } }),
    ).rejects.toSatisfy((error) => IntegrityError.isInstance(error));
    await expect(store.stat('sum/bad')).rejects.toSatisfy((error) => NotFoundError.isInstance(error));
    const md5 = '900150983cd24fb0d6963f7d28e17f72';
    await expect(store.write('sum/good', 'abc', { checksum: { algorithm: 'md5', value: md5 } })).resolves.toMatchObject({ size: 3 });
  });

  it('uploads 21 MB multipart with progress events', async () => {
    const store = storage();
    const body = bytes(21 * 1024 * 1024);
    const progress: number[] = [];
    const info = await store.write('big/21mb.bin', body, { onProgress: (event) => progress.push(event.loaded) });
    expect(info.size).toBe(body.byteLength);
    expect(progress.length).toBeGreaterThanOrEqual(2);
    expect(progress.at(-1)).toBe(body.byteLength);
    const back = await store.readBytes('big/21mb.bin');
    expect(Buffer.compare(Buffer.from(back), Buffer.from(body))).toBe(0);
  });

  it('uploads a 21 MB stream of unknown size multipart', async () => {
    const store = storage();
    const body = bytes(21 * 1024 * 1024, 3);
    const stream = new Blob([body as Uint8Array<ArrayBuffer>]).stream();
    const info = await store.write('big/stream.bin', stream);
    expect(info.size).toBe(body.byteLength);
    expect((await store.stat('big/stream.bin')).size).toBe(body.byteLength);
  });

  it('aborting mid-upload leaves no object and no multipart upload behind', async () => {
    const store = storage();
    const controller = new AbortController();
    const body = bytes(21 * 1024 * 1024, 5);
    let parts = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(streamController) {
        const offset = parts * 1024 * 1024;
        if (offset >= body.byteLength) return streamController.close();
        parts++;
        // Abort once 16 MiB (three 5 MiB parts) have been handed over.
        if (parts === 16) controller.abort();
        streamController.enqueue(body.subarray(offset, offset + 1024 * 1024));
      },
    });
    await expect(store.write('big/aborted.bin', stream, { signal: controller.signal })).rejects.toSatisfy((error) =>
      AbortedError.isInstance(error),
    );
    await expect(raw.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'big/aborted.bin' }))).rejects.toMatchObject({ name: 'NotFound' });
    // s3rver implements neither ListMultipartUploads nor AbortMultipartUpload: the wire test
    // checks that the abort is sent and nothing lingers.
  });

  it('signs read and write URLs usable with plain fetch', async () => {
    const store = storage();
    const put = await store.signedUrl('signed/x.txt', { action: 'write', expiresIn: 60, contentType: 'text/plain' });
    const response = await fetch(put, { method: 'PUT', body: 'signed body', headers: { 'content-type': 'text/plain' } });
    expect(response.status).toBe(200);
    const get = await store.signedUrl('signed/x.txt', { action: 'read', expiresIn: 60 });
    expect(await (await fetch(get)).text()).toBe('signed body');
  });

  it('reads and writes tags, deletes in bulk', async () => {
    const store = storage();
    await store.write('tags/a', 'a');
    await store.setTags('tags/a', { team: 'data', tier: 'hot' });
    expect(await store.getTags('tags/a')).toEqual({ team: 'data', tier: 'hot' });
    await store.write('tags/b', 'b');
    const result = await store.deleteMany(['tags/a', 'tags/b', 'tags/missing']);
    expect(result.failed).toEqual([]);
    expect(await store.list({ prefix: 'tags/' }).toArray()).toEqual([]);
  });

  it('reports the bucket region from GetBucketLocation', async () => {
    const provider = createS3StorageProvider({ bucket: BUCKET, ...server.clientConfig });
    expect(await provider.bucketRegion()).toBe('us-east-1');
  });
});
