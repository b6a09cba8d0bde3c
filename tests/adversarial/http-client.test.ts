// The HTTP client every adapter uses, against hostile servers: redirects that try to carry
// credentials or bodies elsewhere, bodies too big to hold, error bodies that echo
// credentials. Every credential is a canary; the client's debug log and every error are
// scanned for them. See docs/security.md.
import { createHttpClient } from '@almanac/core';
import type { HttpClient } from '@almanac/core';
import { gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CANARIES, CanaryCapture } from './harness/canary';
import { startServer } from './harness/servers';
import type { TestServer } from './harness/servers';

let api: TestServer;
let evil: TestServer;
const capture = new CanaryCapture();

beforeAll(async () => {
  [api, evil] = await Promise.all([startServer(), startServer()]);
});
afterEach(() => {
  api.seen.length = 0;
  evil.seen.length = 0;
});
afterAll(async () => {
  await Promise.all([api.close(), evil.close()]);
});

function client(extra: Partial<Parameters<typeof createHttpClient>[0]> = {}): HttpClient {
  return createHttpClient({
    baseUrl: `${api.origin}/v1`,
    provider: 'victim',
    headers: { 'x-api-key': CANARIES.apiKey, cookie: `session=${CANARIES.signingKey}` },
    auth: { getToken: async () => CANARIES.token },
    logger: capture.logger(),
    retry: { maxAttempts: 1 },
    ...extra,
  });
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Error);
  capture.error(error);
  return error as Error;
}

const credentialHeaders = ['authorization', 'x-api-key', 'cookie'];

describe('redirects chosen by a hostile server', () => {
  it('never forwards a credential header across origins (301, 302, 303, 307, 308 on GET)', async () => {
    for (const status of [301, 302, 303, 307, 308]) {
      api.handle((_req, res) => res.writeHead(status, { location: `${evil.origin}/collect` }).end());
      evil.handle((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
      await client().get('/resource');
    }
    expect(evil.seen).toHaveLength(5);
    for (const request of evil.seen) {
      for (const name of credentialHeaders) expect(request.headers[name], `${name} reached the other origin`).toBeUndefined();
    }
  });

  it('never resends a body to another origin (307/308 after POST, PUT, PATCH, DELETE)', async () => {
    for (const [status, method] of [
      [307, 'post'],
      [308, 'put'],
      [307, 'patch'],
      [308, 'delete'],
    ] as const) {
      api.handle((_req, res) => res.writeHead(status, { location: `${evil.origin}/collect` }).end());
      await failure(client()[method]('/payments', { json: { card: CANARIES.password }, idempotencyKey: 'k1' }));
    }
    expect(evil.seen).toEqual([]);
  });

  it.each(['file:///etc/passwd', 'data:text/plain,x', 'ftp://evil.example/x', 'javascript:alert(1)'])('refuses a redirect to %s', async (location) => {
    api.handle((_req, res) => res.writeHead(302, { location }).end());
    const error = await failure(client().get('/x'));
    expect(error).toMatchObject({ code: 'provider', retryable: false });
  });

  it('stops a redirect loop', async () => {
    api.handle((req, res) => res.writeHead(302, { location: `${req.url}x` }).end());
    await failure(client().get('/loop'));
    expect(api.seen.length).toBeLessThanOrEqual(6);
  });
});

describe('bodies chosen by a hostile server', () => {
  it('stops reading an endless body at maxResponseBytes and keeps the process small', async () => {
    let sent = 0;
    api.handle((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      const pump = () => {
        while (sent < 256 * 1024 * 1024) {
          sent += chunk.byteLength;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      res.on('close', () => res.destroy());
      pump();
    });
    const rssBefore = process.memoryUsage().rss;
    const error = await failure(client({ maxResponseBytes: 4 * 1024 * 1024 }).get('/huge'));
    expect(error.message).toContain('maxResponseBytes');
    // 256 MiB were on offer; the client read about 4 MiB and hung up.
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(128 * 1024 * 1024);
  });

  it('counts decompressed bytes: a 32 KiB gzip bomb of 32 MiB fails the default 16 MiB limit', async () => {
    const bomb = gzipSync(Buffer.alloc(32 * 1024 * 1024, 0x20), { level: 9 });
    api.handle((_req, res) => res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' }).end(bomb));
    const error = await failure(client().get('/bomb'));
    expect(error.message).toContain('maxResponseBytes');
  });

  it('masks credentials a server echoes in error bodies and in invalid JSON', async () => {
    const echo = (status: number) => (req: { headers: Record<string, unknown> }, res: { writeHead: (s: number) => { end: (b: string) => void } }) =>
      res.writeHead(status).end(`echo ${JSON.stringify(req.headers)} ${CANARIES.apiKey} Bearer ${CANARIES.token}`);
    for (const status of [200, 400, 401, 403, 404, 409, 422, 429, 500, 503]) {
      api.handle(echo(status) as never);
      await failure(client().get('/echo'));
    }
  });
});

describe('the canary scan of this file', () => {
  it('found no credential in any log line or error', () => {
    expect(capture.size).toBeGreaterThan(20);
    expect(capture.leaks()).toEqual([]);
  });
});
