// The S3 client the adapter builds itself: without the SDK's loggerMiddleware, whose log record
// (a sensitive-field-filtered copy of every output) only ever reached the SDK's no-op logger;
// an injected client is left as the caller configured it. nock answers ListObjectsV2 as S3 does
// (https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html), and HeadObject
// returns the stored checksum headers only with x-amz-checksum-mode: ENABLED
// (https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadObject.html).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as sdk from '@aws-sdk/client-s3';
import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createS3Storage, createS3StorageProvider } from '../src/adapters/s3';
import { CALL_SIGNAL } from '../src/adapters/s3/client';
import { useStrictNock } from '@almanac/core/testing';

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

useStrictNock();

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

  it('asks HeadObject for the stored checksum by header, not by ChecksumMode (which would turn on the SDK response validation of an empty body)', async () => {
    const inputs: { command: string; input: Record<string, unknown> }[] = [];
    class RecordingS3Client extends sdk.S3Client {
      constructor(config: sdk.S3ClientConfig) {
        super(config);
        const send = this.send.bind(this);
        this.send = ((command: { constructor: { name: string }; input: Record<string, unknown> }, options?: never) => {
          inputs.push({ command: command.constructor.name, input: command.input });
          return send(command as never, options);
        }) as unknown as typeof this.send;
      }
    }
    const storage = createS3Storage({ ...settings, importers: { client: async () => ({ ...sdk, S3Client: RecordingS3Client }) } });
    const headers: Record<string, unknown>[] = [];
    nock(HOST)
      .head(`/${BUCKET}/sum.bin`)
      .reply(function (this: nock.ReplyFnContext) {
        headers.push({ ...this.req.headers });
        return [200, '', { 'Content-Length': '5', 'Last-Modified': 'Wed, 02 Dec 2026 10:00:00 GMT', 'x-amz-checksum-crc32c': 'yZRlqg==' }];
      });
    nock(HOST)
      .get(`/${BUCKET}/sum.bin`)
      .query(true)
      .reply(function (this: nock.ReplyFnContext) {
        headers.push({ ...this.req.headers });
        return [200, 'hello', { 'Content-Length': '5', 'Last-Modified': 'Wed, 02 Dec 2026 10:00:00 GMT' }];
      });
    const info = await storage.stat('sum.bin');
    expect(info.checksum).toEqual({ algorithm: 'crc32c', value: 'yZRlqg==' });
    expect(new TextDecoder().decode(await storage.readBytes('sum.bin'))).toBe('hello');
    expect(headers[0]?.['x-amz-checksum-mode']).toBe('ENABLED');
    // Only HeadObject asks: a GET with the header would turn on S3's checksum work for nothing.
    expect(headers[1]).not.toHaveProperty('x-amz-checksum-mode');
    expect(inputs.map((entry) => entry.command)).toEqual(['HeadObjectCommand', 'GetObjectCommand']);
    expect(inputs[0]?.input).toEqual({ Bucket: BUCKET, Key: 'sum.bin', [CALL_SIGNAL]: expect.any(AbortSignal) });
    expect(inputs[0]?.input).not.toHaveProperty('ChecksumMode');
  });

  it('sets ChecksumMode on the HeadObject input of an injected client, which it leaves without the header middleware', async () => {
    const client = new sdk.S3Client({ ...settings, maxAttempts: 1 });
    const sent: Record<string, unknown>[] = [];
    const send = client.send.bind(client);
    client.send = ((command: { input: Record<string, unknown> }, options?: never) => {
      sent.push(command.input);
      return send(command as never, options);
    }) as unknown as typeof client.send;
    const storage = createS3Storage({ bucket: BUCKET, client });
    nock(HOST)
      .head(`/${BUCKET}/sum.bin`)
      .matchHeader('x-amz-checksum-mode', 'ENABLED')
      .reply(200, '', { 'Content-Length': '5', 'Last-Modified': 'Wed, 02 Dec 2026 10:00:00 GMT', 'x-amz-checksum-sha256': 'LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ=' });
    const info = await storage.stat('sum.bin');
    expect(info.checksum?.algorithm).toBe('sha256');
    expect(sent).toEqual([{ Bucket: BUCKET, Key: 'sum.bin', ChecksumMode: 'ENABLED' }]);
    expect(client.middlewareStack.identify().some((name) => name.startsWith('almanacStoredChecksumMiddleware'))).toBe(false);
    client.destroy();
  });

  it('resolves each command class middleware once (cacheMiddleware), so calls go to send without options', async () => {
    const sends: { command: string; options: unknown }[] = [];
    const built: sdk.S3Client[] = [];
    class RecordingS3Client extends sdk.S3Client {
      constructor(config: sdk.S3ClientConfig) {
        super(config);
        built.push(this);
        const send = this.send.bind(this);
        this.send = ((command: { constructor: { name: string } }, options?: never) => {
          sends.push({ command: command.constructor.name, options });
          return send(command as never, options);
        }) as unknown as typeof this.send;
      }
    }
    const storage = createS3Storage({ ...settings, importers: { client: async () => ({ ...sdk, S3Client: RecordingS3Client }) } });
    answerOneListing();
    answerOneListing();
    expect(await storage.list({ prefix: 'p/' }).toArray()).toHaveLength(2);
    expect(await storage.list({ prefix: 'p/' }).toArray()).toHaveLength(2);
    expect(built[0]?.config.cacheMiddleware).toBe(true);
    // The SDK caches the resolved stack only for a send without options (smithy Client.send).
    expect(sends).toEqual([
      { command: 'ListObjectsV2Command', options: undefined },
      { command: 'ListObjectsV2Command', options: undefined },
    ]);
  });

  describe('cancels the HTTP request of a call (the signal reaches the SDK handler through the command input)', () => {
    /** A server that accepts requests and never answers, counting the ones whose connection the client closed. */
    async function silentServer() {
      const state = { received: 0, closed: 0 };
      const server = createServer((request) => {
        state.received++;
        request.socket.on('close', () => state.closed++);
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as AddressInfo;
      return {
        state,
        storage: (timeoutMs?: number) =>
          createS3Storage({ ...settings, endpoint: `http://127.0.0.1:${port}`, ...(timeoutMs === undefined ? {} : { timeoutMs }) }),
        close: () => new Promise<void>((resolve) => server.close(() => resolve())),
      };
    }
    const until = async (done: () => boolean) => {
      for (let i = 0; i < 400 && !done(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
      expect(done()).toBe(true);
    };

    it('on the caller abort: rejects with AbortedError and closes the connection', async () => {
      nock.enableNetConnect('127.0.0.1');
      const server = await silentServer();
      try {
        const controller = new AbortController();
        const pending = server.storage().stat('slow.bin', { signal: controller.signal });
        await until(() => server.state.received === 1);
        controller.abort();
        await expect(pending).rejects.toMatchObject({ code: 'aborted' });
        await until(() => server.state.closed === 1);
      } finally {
        nock.disableNetConnect();
        await server.close();
      }
    });

    it('at the deadline: rejects with TimeoutError and closes the connection', async () => {
      nock.enableNetConnect('127.0.0.1');
      const server = await silentServer();
      try {
        const pending = server.storage(150).readBytes('slow.bin');
        await until(() => server.state.received === 1);
        await expect(pending).rejects.toMatchObject({ code: 'timeout' });
        await until(() => server.state.closed === 1);
      } finally {
        nock.disableNetConnect();
        await server.close();
      }
    });
  });
});
