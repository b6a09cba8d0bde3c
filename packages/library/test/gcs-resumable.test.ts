// Resumable uploads that resume, checked on the wire against the GCS protocol as Google
// documents it (https://cloud.google.com/storage/docs/performing-resumable-uploads): after a
// failed chunk the client asks the session where it stands (`PUT` with `Content-Range:
// bytes */<total>`), and continues from the offset in the 308 reply's `Range` header, or
// takes the 200 reply's object when the session had already finished.
import nock from 'nock';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createGcsStorageProvider } from '../src/adapters/gcs';
import type { GcsClientLike } from '../src/adapters/gcs';
import type { StorageProvider } from '../src/spec';
import { FakeGcs, fakeStorageClient } from './fixtures/gcs/fake-gcs';

const BUCKET = 'almanac-resumable';
const CHUNK = 256 * 1024;
const SIZE = 2 * CHUNK + 1000; // three chunks: 256 KiB, 256 KiB, 1,000 bytes
const CHUNK_PATH = /^\/upload\/storage\/v1\/b\/[^/]+\/o$/;
let client: GcsClientLike;
let fake: FakeGcs;
let provider: StorageProvider;

const body = () => {
  const bytes = new Uint8Array(SIZE);
  for (let i = 0; i < SIZE; i++) bytes[i] = (i * 7) % 251;
  return bytes;
};
const streamOf = (bytes: Uint8Array, piece = 100_000) =>
  new ReadableStream<Uint8Array>({
    start(controller) {
      for (let i = 0; i < bytes.byteLength; i += piece) controller.enqueue(bytes.slice(i, i + piece));
      controller.close();
    },
  });

beforeAll(async () => {
  nock.disableNetConnect();
  client = (await fakeStorageClient()) as unknown as GcsClientLike;
});

beforeEach(() => {
  fake = new FakeGcs(BUCKET).install();
  provider = createGcsStorageProvider({ bucket: BUCKET, storage: client, resumableThreshold: 0, chunkSize: CHUNK, retry: { baseDelayMs: 1 } });
});

afterEach(() => fake.uninstall());

const stored = () => fake.content(BUCKET, 'big.bin') ?? Buffer.alloc(0);

describe('gcs resumable uploads resume from the persisted offset', () => {
  it('a chunk whose reply is lost is not sent again: the status query says it was persisted', async () => {
    const bytes = body();
    // The second chunk reaches the session, but its reply is a 503.
    let puts = 0;
    fake.loseReplyNext('PUT', { test: (path: string) => CHUNK_PATH.test(path) && ++puts === 2 } as RegExp, 503, 'backendError');
    const info = await provider.write({ key: 'big.bin', body: bytes });
    expect(info.size).toBe(SIZE);
    expect(Buffer.compare(stored(), Buffer.from(bytes))).toBe(0);
    expect(fake.contentRanges).toEqual([
      `bytes 0-${CHUNK - 1}/${SIZE}`,
      `bytes ${CHUNK}-${2 * CHUNK - 1}/${SIZE}`,
      `bytes */${SIZE}`,
      `bytes ${2 * CHUNK}-${SIZE - 1}/${SIZE}`,
    ]);
  });

  it('a chunk that failed before it landed is resent from the offset the session reports', async () => {
    const bytes = body();
    let puts = 0;
    fake.failNext('PUT', { test: (path: string) => CHUNK_PATH.test(path) && ++puts === 2 } as RegExp, 503, 'backendError');
    await provider.write({ key: 'big.bin', body: streamOf(bytes) });
    expect(Buffer.compare(stored(), Buffer.from(bytes))).toBe(0);
    // A streamed body of unknown size says `*` until its last chunk. (The failed PUT is answered
    // before the session sees it, so it is not in the session's log.)
    expect(fake.contentRanges).toEqual([
      `bytes 0-${CHUNK - 1}/*`,
      'bytes */*',
      `bytes ${CHUNK}-${2 * CHUNK - 1}/*`,
      `bytes ${2 * CHUNK}-${SIZE - 1}/${SIZE}`,
    ]);
  });

  it('a lost reply to the final chunk is answered by the status query with the object: no conflict, no second object', async () => {
    const bytes = body();
    let puts = 0;
    fake.loseReplyNext('PUT', { test: (path: string) => CHUNK_PATH.test(path) && ++puts === 3 } as RegExp, 502, 'backendError');
    const info = await provider.write({ key: 'big.bin', body: bytes, ifNoneMatch: '*' });
    expect(info).toMatchObject({ key: 'big.bin', size: SIZE });
    expect(fake.contentRanges.slice(-2)).toEqual([`bytes ${2 * CHUNK}-${SIZE - 1}/${SIZE}`, `bytes */${SIZE}`]);
    expect(Buffer.compare(stored(), Buffer.from(bytes))).toBe(0);
  });

  it('gives up after the retry policy’s attempts, and does not retry a 4xx that is not 408/429', async () => {
    // Streams (which the provider cannot replay as a whole) show the session's own retries alone.
    let puts = 0;
    fake.failNext('PUT', { test: (path: string) => CHUNK_PATH.test(path) && ++puts > 0 } as RegExp, 503, 'backendError', 10);
    await expect(provider.write({ key: 'big.bin', body: streamOf(body()) })).rejects.toMatchObject({ code: 'provider', status: 503 });
    // One chunk, then the status query and its two retries (three attempts, the default policy).
    expect(puts).toBe(4);
    puts = 0;
    fake.uninstall();
    fake = new FakeGcs(BUCKET).install();
    fake.failNext('PUT', { test: (path: string) => CHUNK_PATH.test(path) && ++puts > 0 } as RegExp, 400, 'invalid', 1);
    await expect(provider.write({ key: 'big.bin', body: streamOf(body()) })).rejects.toMatchObject({ code: 'validation' });
    expect(puts).toBe(1);
    expect(fake.keys(BUCKET)).toEqual([]);
  });
});

describe('gcs resumable uploads stream', () => {
  it('reads a streamed body of unknown size only about a chunk ahead of the wire, never whole', async () => {
    const total = 8 * CHUNK + 10;
    const piece = 16 * 1024;
    let pulled = 0;
    const source = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          if (pulled >= total) return controller.close();
          const size = Math.min(piece, total - pulled);
          controller.enqueue(new Uint8Array(size).fill(pulled % 251));
          pulled += size;
        },
      },
      { highWaterMark: 0 },
    );
    // A probe, not a failure: it records how much had been read when each chunk reached the session.
    const pulledAtChunk: number[] = [];
    fake.failNext('PUT', { test: (path: string) => (CHUNK_PATH.test(path) && pulledAtChunk.push(pulled), false) } as unknown as RegExp, 500, 'probe', 1_000);
    const info = await provider.write({ key: 'big.bin', body: source });
    expect(info.size).toBe(total);
    expect(stored().byteLength).toBe(total);
    expect(pulledAtChunk.length).toBeGreaterThanOrEqual(8);
    // Chunk i (from 0) is on the wire: at most it, the chunk being filled and a piece were read.
    for (const [i, seen] of pulledAtChunk.entries()) {
      expect(seen, `chunk ${i}`).toBeLessThanOrEqual(Math.min(total, (i + 2) * CHUNK + piece));
    }
  });
});
