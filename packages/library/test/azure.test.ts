import { createHash } from 'node:crypto';
import {
  AbortedError,
  AuthError,
  ConfigError,
  ConflictError,
  IntegrityError,
  NotFoundError,
  PermissionError,
  ProviderError,
  RateLimitError,
  ValidationError,
  createManualClock,
} from '@almanac/core';
import { BlobServiceClient } from '@azure/storage-blob';
import type { ContainerClient } from '@azure/storage-blob';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAzureStorage, createAzureStorageProvider } from '../src/adapters/azure';
import { mapAzureError } from '../src/adapters/azure/errors';
import type { Storage } from '../src/index';
import { patternBytes } from '../src/testing';
import { AZURITE_ACCOUNT, AZURITE_KEY, startAzurite } from './support/azurite';
import type { Azurite } from './support/azurite';
import { moduleNotFound, rejection } from './support/fixtures';
import { signedUrlOf } from './support/signed';

const MiB = 1024 * 1024;
let azurite: Azurite;
let service: BlobServiceClient;
let container: ContainerClient;
let storage: Storage;


const md5 = (bytes: Uint8Array) => createHash('md5').update(bytes).digest('hex');

beforeAll(async () => {
  azurite = await startAzurite();
  service = BlobServiceClient.fromConnectionString(azurite.connectionString, { retryOptions: { maxTries: 1 } });
  container = service.getContainerClient('focused');
  await container.create();
  storage = createAzureStorage({ container: 'focused', connectionString: azurite.connectionString, blockSize: 4 * MiB });
});

afterAll(async () => {
  await azurite?.stop();
});

describe('azure adapter against azurite', () => {
  it('sets the access tier on upload and changes it later, for every tier', async () => {
    await storage.write('tiers/a.txt', 'tiered', { storageClass: 'Cool' });
    expect((await storage.stat('tiers/a.txt')).storageClass).toBe('Cool');
    for (const tier of ['Cold', 'Hot', 'Cool']) {
      await storage.setStorageClass('tiers/a.txt', tier);
      expect((await storage.stat('tiers/a.txt')).storageClass).toBe(tier);
    }
    const tiers: (string | undefined)[] = [];
    for await (const entry of storage.list({ prefix: 'tiers/' })) if (entry.type === 'object') tiers.push(entry.storageClass);
    expect(tiers).toEqual(['Cool']);
  });

  it('refuses to read an archived blob with a ConflictError that says how to fix it', async () => {
    await storage.write('tiers/archived.txt', 'frozen', { storageClass: 'Archive' });
    expect((await storage.stat('tiers/archived.txt')).storageClass).toBe('Archive');
    const error = await rejection(storage.readText('tiers/archived.txt'));
    expect(ConflictError.isInstance(error), String(error)).toBe(true);
    expect((error as ConflictError).status).toBe(409);
    expect((error as Error).message).toMatch(/Archive tier.*rehydrated/);
  });

  it('rejects an unknown tier with ValidationError', async () => {
    const provider = createAzureStorageProvider({ container: 'focused', connectionString: azurite.connectionString });
    const error = await rejection(provider.setStorageClass?.({ key: 'tiers/a.txt', storageClass: 'Premium' }) ?? Promise.resolve());
    expect(ValidationError.isInstance(error)).toBe(true);
  });

  it('signs read URLs that plain fetch can use, and expired ones are refused with 403', async () => {
    await storage.write('sas/file.txt', 'shared', { contentType: 'text/plain' });
    const url = await storage.signedUrl('sas/file.txt', { action: 'read', expiresIn: 60 });
    const ok = await fetch(url);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('shared');

    // A clock an hour behind signs a URL that expired long ago: no sleeping needed.
    const clock = createManualClock(Date.now() - 3_600_000);
    const past = createAzureStorageProvider({ container: 'focused', connectionString: azurite.connectionString, clock });
    const expired = await signedUrlOf(past, { key: 'sas/file.txt', action: 'read', expiresIn: 60 });
    const refused = await fetch(expired);
    expect(refused.status).toBe(403);
    await refused.body?.cancel();
  });

  it('a signed write request returns x-ms-blob-type: the PUT fails without it and succeeds with exactly the returned headers', async () => {
    // Put Blob requires x-ms-blob-type (https://learn.microsoft.com/en-us/rest/api/storageservices/put-blob#request-headers-all-blob-types).
    const signed = await storage.signedRequest('sas/typed.csv', { action: 'write', expiresIn: 60, contentType: 'text/csv' });
    expect(signed.method).toBe('PUT');
    expect(signed.headers).toEqual({ 'x-ms-blob-type': 'BlockBlob', 'content-type': 'text/csv' });
    const { 'x-ms-blob-type': _required, ...withoutBlobType } = signed.headers;
    const bare = await fetch(signed.url, { method: 'PUT', body: 'a,b', headers: withoutBlobType });
    expect(bare.status).toBe(400);
    // Azure answers 400 MissingRequiredHeader; azurite a bare 400 (it cannot dispatch the PUT to an operation).
    await bare.body?.cancel();
    expect(await storage.exists('sas/typed.csv')).toBe(false);
    const put = await fetch(signed.url, { method: signed.method, body: 'a,b', headers: signed.headers });
    expect(put.status).toBe(201);
    await put.body?.cancel();
    expect(await storage.readText('sas/typed.csv')).toBe('a,b');
    expect((await storage.stat('sas/typed.csv')).contentType).toBe('text/csv');
    // A read request needs nothing but the URL.
    expect((await storage.signedRequest('sas/typed.csv', { action: 'read', expiresIn: 60 })).headers).toEqual({});
  });

  it('signs write URLs with create+write permission only', async () => {
    const signed = await storage.signedRequest('sas/upload.txt', { action: 'write', expiresIn: 60 });
    expect(signed.headers).toEqual({ 'x-ms-blob-type': 'BlockBlob' });
    const url = await storage.signedUrl('sas/upload.txt', { action: 'write', expiresIn: 60 });
    expect(new URL(url).searchParams.get('sp')).toBe('cw');
    const put = await fetch(url, { method: 'PUT', body: 'via sas', headers: signed.headers });
    expect(put.status).toBe(201);
    expect(await storage.readText('sas/upload.txt')).toBe('via sas');
    // The write URL cannot read.
    const read = await fetch(url);
    expect(read.status).toBe(403);
    await read.body?.cancel();
  });

  it('offers signed URLs only with a shared key', () => {
    const anonymous = createAzureStorageProvider({ container: 'focused', accountUrl: azurite.blobEndpoint });
    expect(anonymous.capabilities.signedRead).toBe(false);
    const keyed = createAzureStorageProvider({
      container: 'focused',
      accountUrl: azurite.blobEndpoint,
      credential: { accountName: AZURITE_ACCOUNT, accountKey: AZURITE_KEY },
    });
    expect(keyed.capabilities.signedWrite).toBe(true);
    const injected = createAzureStorageProvider({ container: 'focused', client: service });
    expect(injected.capabilities.signedRead).toBe(true);
  });

  it('maps a wrong account key to AuthError', async () => {
    const wrong = AZURITE_KEY.replace(/^E/, 'F');
    const bad = createAzureStorage({ container: 'focused', connectionString: azurite.connectionStringWithKey(wrong) });
    const error = await rejection(bad.stat('tiers/a.txt'));
    expect(AuthError.isInstance(error), String(error)).toBe(true);
    expect((error as AuthError).status).toBe(403);
    expect((error as Error).message).not.toContain(wrong);
  });

  it('uploads 20+ MB as staged blocks in parallel, reporting progress, and stores its MD5', async () => {
    const bytes = patternBytes(21 * MiB + 123);
    const progress: { loaded: number; total?: number | undefined }[] = [];
    const info = await storage.write('big/blob.bin', new Blob([bytes]).stream(), {
      onProgress: (p) => progress.push({ ...p }),
    });
    expect(info.size).toBe(bytes.byteLength);
    expect(progress.length).toBeGreaterThanOrEqual(6);
    expect(progress.at(-1)?.loaded).toBe(bytes.byteLength);
    for (let i = 1; i < progress.length; i++) expect(progress[i]?.loaded).toBeGreaterThan(progress[i - 1]?.loaded ?? 0);
    const blocks = await container.getBlockBlobClient('big/blob.bin').getBlockList('committed');
    expect(blocks.committedBlocks?.length).toBe(6);
    const stat = await storage.stat('big/blob.bin');
    expect(stat.checksum).toEqual({ algorithm: 'md5', value: md5(bytes) });
    expect(md5(await storage.readBytes('big/blob.bin'))).toBe(md5(bytes));
  });

  it('leaves no blob behind when a staged upload is aborted midway', async () => {
    const controller = new AbortController();
    let sent = 0;
    const block = patternBytes(MiB);
    const body = new ReadableStream<Uint8Array>({
      async pull(stream) {
        // Slow enough that the abort lands after some blocks were staged.
        await new Promise((resolve) => setTimeout(resolve, 10));
        stream.enqueue(block.slice());
      },
    });
    const write = storage.write('aborted/blob.bin', body, {
      signal: controller.signal,
      onProgress: (p) => {
        sent = p.loaded;
        if (p.loaded >= 8 * MiB) controller.abort();
      },
    });
    const error = await rejection(write);
    expect(AbortedError.isInstance(error), String(error)).toBe(true);
    expect(sent).toBeGreaterThanOrEqual(8 * MiB);
    expect(await storage.exists('aborted/blob.bin')).toBe(false);
    const listed = [];
    for await (const entry of storage.list({ prefix: 'aborted/' })) listed.push(entry);
    expect(listed).toEqual([]);
  });

  it('fails a staged upload whose MD5 does not match with IntegrityError and commits nothing', async () => {
    const bytes = patternBytes(9 * MiB);
    const error = await rejection(
      storage.write('checksum/big.bin', bytes, { checksum: { algorithm: 'md5', value: '0'.repeat(32) } }),
    );
    expect(IntegrityError.isInstance(error), String(error)).toBe(true);
    expect(await storage.exists('checksum/big.bin')).toBe(false);
    await storage.write('checksum/big.bin', bytes, { checksum: { algorithm: 'md5', value: md5(bytes) } });
    expect((await storage.stat('checksum/big.bin')).checksum?.value).toBe(md5(bytes));
  });

  it('applies ifNoneMatch and ifMatch to staged uploads', async () => {
    const bytes = patternBytes(5 * MiB);
    const first = await storage.write('cond/big.bin', bytes, { ifNoneMatch: '*' });
    expect(ConflictError.isInstance(await rejection(storage.write('cond/big.bin', bytes, { ifNoneMatch: '*' })))).toBe(true);
    const second = await storage.write('cond/big.bin', bytes, { ifMatch: first.etag ?? '' });
    const stale = await rejection(storage.write('cond/big.bin', bytes, { ifMatch: first.etag ?? '' }));
    expect(ConflictError.isInstance(stale), String(stale)).toBe(true);
    expect((await storage.stat('cond/big.bin')).etag).toBe(second.etag);
  });

  it('round-trips metadata keys that are not C# identifiers', async () => {
    const metadata = { 'x-trace-id': 'abc', '1st': 'one', plain_key: 'p', alm_6162: 'looks encoded' };
    await storage.write('meta/a.txt', 'm', { metadata });
    expect((await storage.stat('meta/a.txt')).metadata).toEqual(metadata);
  });

  it('reports a publicly readable container as a high posture finding', async () => {
    const privateFindings = await storage.posture();
    expect(privateFindings.find((f) => f.rule === 'azure.public_access')).toMatchObject({ severity: 'high', passed: true });

    await service.getContainerClient('public-data').create({ access: 'container' });
    const open = createAzureStorage({ container: 'public-data', connectionString: azurite.connectionString });
    const finding = (await open.posture()).find((f) => f.rule === 'azure.public_access');
    expect(finding).toMatchObject({ severity: 'high', passed: false });
    expect(finding?.message).toMatch(/anonymously/);
  });

  it('works with an injected ContainerClient and checks its container name', async () => {
    const injected = createAzureStorage({ container: 'focused', client: container });
    expect(await injected.readText('sas/file.txt')).toBe('shared');
    const mismatched = createAzureStorage({ container: 'other', client: container });
    expect(ConfigError.isInstance(await rejection(mismatched.stat('x')))).toBe(true);
  });

  it('reports a missing container as NotFoundError', async () => {
    const missing = createAzureStorage({ container: 'no-such-container', connectionString: azurite.connectionString });
    expect(NotFoundError.isInstance(await rejection(missing.stat('x')))).toBe(true);
  });
});

describe('azure adapter without a server', () => {
  it('names @azure/storage-blob in a ConfigError when the SDK is missing', async () => {
    const provider = createAzureStorageProvider({ container: 'c1c', connectionString: 'UseDevelopmentStorage=true' }, () =>
      Promise.reject(moduleNotFound('@azure/storage-blob')),
    );
    const error = await rejection(provider.stat({ key: 'a' }));
    expect(ConfigError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('npm install @azure/storage-blob');
  });

  it('validates options, naming every bad field', () => {
    let error: unknown;
    try {
      createAzureStorageProvider({ container: 'Bad_Name', blockSize: 0 });
    } catch (caught) {
      error = caught;
    }
    expect(ValidationError.isInstance(error)).toBe(true);
    const paths = (error as ValidationError).issues.map((issue) => issue.path);
    expect(paths).toEqual(expect.arrayContaining(['options.container', 'options.blockSize', 'options.client']));
  });

  it('maps service error codes to the Almanac hierarchy', () => {
    const rest = (statusCode: number, code: string, headers: Record<string, string> = {}) =>
      Object.assign(new Error(`${code} message\nRequestId:1`), {
        statusCode,
        code,
        response: { headers: new Headers(headers) },
      });
    const map = (error: unknown) => mapAzureError(error, { operation: 'read', key: 'k', nowMs: 0 });
    const busy = map(rest(503, 'ServerBusy', { 'retry-after': '2' }));
    expect(RateLimitError.isInstance(busy) && busy.retryable && busy.retryAfterMs === 2000).toBe(true);
    expect(IntegrityError.isInstance(map(rest(400, 'Md5Mismatch')))).toBe(true);
    expect(ConflictError.isInstance(map(rest(412, 'ConditionNotMet')))).toBe(true);
    expect(ConflictError.isInstance(map(rest(409, 'BlobAlreadyExists')))).toBe(true);
    expect(NotFoundError.isInstance(map(rest(404, 'ContainerNotFound')))).toBe(true);
    expect(AuthError.isInstance(map(rest(403, 'AuthenticationFailed')))).toBe(true);
    expect(PermissionError.isInstance(map(rest(403, 'AuthorizationPermissionMismatch')))).toBe(true);
    const internal = map(rest(500, 'InternalError'));
    expect(ProviderError.isInstance(internal) && internal.retryable).toBe(true);
    expect(map(rest(501, 'NotImplemented')).retryable).toBe(false);
    const network = map(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
    expect(ProviderError.isInstance(network) && network.retryable).toBe(true);
    expect(map(rest(404, 'BlobNotFound')).message).not.toContain('RequestId');
  });
});

describe('azure adapter retries and polling', () => {
  it('retries throttled idempotent calls itself, with one SDK try per attempt', async () => {
    const { createServer } = await import('node:http');
    let requests = 0;
    const server = createServer((request, response) => {
      requests++;
      request.resume();
      response.writeHead(503, { 'x-ms-error-code': 'ServerBusy', 'retry-after': '0' }).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    try {
      const provider = createAzureStorageProvider({
        container: 'busy',
        accountUrl: `http://127.0.0.1:${port}/${AZURITE_ACCOUNT}`,
        credential: { accountName: AZURITE_ACCOUNT, accountKey: AZURITE_KEY },
        retry: { maxAttempts: 3, baseDelayMs: 0 },
      });
      const error = await rejection(provider.stat({ key: 'k' }));
      expect(RateLimitError.isInstance(error), String(error)).toBe(true);
      expect(requests).toBe(3);
      // Writes with a precondition are not idempotent: exactly one request.
      requests = 0;
      await rejection(provider.write({ key: 'k', body: new Uint8Array(1), ifNoneMatch: '*' }));
      expect(requests).toBe(1);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('polls a pending copy until it completes, sleeping on the injected clock', async () => {
    const sleeps: number[] = [];
    const clock = { now: () => 0, sleep: async (ms: number) => void sleeps.push(ms) };
    let polls = 0;
    const poller = {
      isDone: () => polls >= 2,
      poll: async () => void polls++,
      getResult: () => ({ copyStatus: polls >= 2 ? 'success' : 'pending' }),
      cancelOperation: async () => {},
    };
    const blob = (name: string) => ({
      url: `http://127.0.0.1/devstoreaccount1/fake/${name}`,
      beginCopyFromURL: async () => poller,
      getProperties: async () => ({ contentLength: 3, lastModified: new Date(0), etag: '"e"', metadata: {} }),
    });
    const client = { containerName: 'fake', getBlockBlobClient: blob, getBlobClient: blob };
    const provider = createAzureStorageProvider({ container: 'fake', client, clock });
    const info = await provider.copy?.({ from: 'a', to: 'b' });
    expect(info).toMatchObject({ key: 'b', size: 3 });
    expect(polls).toBe(2);
    expect(sleeps).toHaveLength(2);
  });
});
