// The S3 client the adapter builds itself: without the SDK's loggerMiddleware, whose log record
// (a sensitive-field-filtered copy of every output) only ever reached the SDK's no-op logger;
// an injected client is left as the caller configured it. nock answers ListObjectsV2 as S3 does
// (https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html).
import * as sdk from '@aws-sdk/client-s3';
import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createS3Storage, createS3StorageProvider } from '../src/adapters/s3';

const HOST = 'https://s3.us-east-1.amazonaws.com';
const BUCKET = 'build-bucket';
const settings = {
  bucket: BUCKET,
  region: 'us-east-1',
  endpoint: HOST,
  forcePathStyle: true,
  credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
} as const;
const LISTING = `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult><Name>${BUCKET}</Name><Prefix>p/</Prefix><KeyCount>2</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated><Contents><Key>p/a</Key><LastModified>2026-01-02T03:04:05.000Z</LastModified><ETag>&quot;abc&quot;</ETag><Size>3</Size><StorageClass>STANDARD</StorageClass></Contents><Contents><Key>p/b</Key><LastModified>2026-01-02T03:04:06.000Z</LastModified><Size>0</Size></Contents></ListBucketResult>`;

function answerOneListing(): void {
  nock(HOST).get(`/${BUCKET}/`).query(true).reply(200, LISTING, { 'content-type': 'application/xml' });
}

/** An SDK logger whose `info` records what the logger middleware hands it. */
function recordingLogger() {
  return { debug: () => {}, info: vi.fn(), warn: () => {}, error: () => {} };
}

beforeAll(() => {
  nock.disableNetConnect();
});
afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
});

describe('S3 client built by the adapter', () => {
  it('has no loggerMiddleware: a listing builds no SDK log record', async () => {
    const logger = recordingLogger();
    const built: sdk.S3Client[] = [];
    // The real SDK, with a logger slipped into the config the adapter passes, so a remaining
    // loggerMiddleware would show as a call to info.
    class RecordingS3Client extends sdk.S3Client {
      constructor(config: sdk.S3ClientConfig) {
        super({ ...config, logger });
        built.push(this);
      }
    }
    const provider = createS3StorageProvider({ ...settings, importers: { client: async () => ({ ...sdk, S3Client: RecordingS3Client }) } });
    answerOneListing();
    const page = await provider.listPage({ prefix: 'p/' });
    expect(page.entries).toEqual([
      { type: 'object', key: 'p/a', size: 3, lastModified: new Date('2026-01-02T03:04:05.000Z'), metadata: {}, etag: '"abc"', storageClass: 'STANDARD', raw: expect.any(Object) },
      { type: 'object', key: 'p/b', size: 0, lastModified: new Date('2026-01-02T03:04:06.000Z'), metadata: {}, raw: expect.any(Object) },
    ]);
    expect(page.entries[1]).not.toHaveProperty('etag');
    expect(built).toHaveLength(1);
    expect(built[0]?.middlewareStack.identify().some((name) => name.startsWith('loggerMiddleware'))).toBe(false);
    expect(logger.info).not.toHaveBeenCalled();
  });

  it('leaves an injected client as configured: its logger still gets the SDK log record', async () => {
    const logger = recordingLogger();
    const client = new sdk.S3Client({ ...settings, maxAttempts: 1, logger });
    const storage = createS3Storage({ bucket: BUCKET, client });
    answerOneListing();
    expect(await storage.list({ prefix: 'p/' }).toArray()).toHaveLength(2);
    expect(client.middlewareStack.identify().some((name) => name.startsWith('loggerMiddleware'))).toBe(true);
    expect(logger.info).toHaveBeenCalledTimes(1);
    expect(logger.info.mock.calls[0]?.[0]).toMatchObject({ commandName: 'ListObjectsV2Command', output: { KeyCount: 2 } });
    client.destroy();
  });
});
