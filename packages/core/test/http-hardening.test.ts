// Issue #13 items 5 (request paths), 6 (redirects) and 7 (response size), against real
// loopback servers: two ports are two origins, and undici's own redirect and body handling
// is what the old client relied on.
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ProviderError, ValidationError } from '../src/errors';
import { createHttpClient } from '../src/http';
import type { FetchLike } from '../src/http';
import { normalizePath } from '../src/http/url';

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

interface TestServer {
  readonly origin: string;
  readonly seen: Seen[];
  handle(handler: (req: IncomingMessage, res: ServerResponse, body: string) => void): void;
  close(): Promise<void>;
}

async function startServer(): Promise<TestServer> {
  const seen: Seen[] = [];
  let handler: (req: IncomingMessage, res: ServerResponse, body: string) => void = (_req, res) => res.end();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      handler(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    seen,
    handle(next) {
      handler = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

let api: TestServer;
let other: TestServer;
beforeAll(async () => {
  api = await startServer();
  other = await startServer();
});
afterEach(() => {
  api.seen.length = 0;
  other.seen.length = 0;
});
afterAll(async () => {
  await api.close();
  await other.close();
});

const SECRET_HEADERS = { 'x-api-key': 'key-CANARY-123', cookie: 'sid=CANARY', accept: 'application/json' };
const auth = { getToken: async () => 'token-CANARY-456' };

function client(extra: Parameters<typeof createHttpClient>[0] extends infer O ? Partial<O> : never = {}) {
  return createHttpClient({
    baseUrl: `${api.origin}/api`,
    provider: 'acme',
    headers: SECRET_HEADERS,
    auth,
    userAgent: 'almanac-test',
    retry: { maxAttempts: 1 },
    ...extra,
  });
}

const redirectTo = (status: number, location: string) => (_req: IncomingMessage, res: ServerResponse) => {
  res.writeHead(status, { location });
  res.end();
};
const json = (value: unknown) => (_req: IncomingMessage, res: ServerResponse) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify(value));
};

describe('request paths: dot segments (item 5)', () => {
  it.each([
    '/users/%2e%2e/%2E%2E/admin2',
    '/calendars/c1/events/..',
    '..',
    '.',
    '/a/./b',
    '/a/.%2E/b',
    '/a/%2e',
    '/a/..;jsessionid=x/b',
    '/a\\..\\b',
  ])('refuses %s with a ValidationError naming path', (path) => {
    expect(() => normalizePath(path)).toThrow(ValidationError);
    try {
      normalizePath(path);
    } catch (error) {
      expect((error as ValidationError).issues[0]?.path).toBe('path');
    }
  });

  it.each(['/files/report.pdf', '/.well-known/openid-configuration', '/a/.../b', '/v1.0/users', '/a/..b/c', '/a/b.'])('keeps %s', (path) => {
    expect(normalizePath(path)).toBe(path);
  });

  it('never sends a request whose path climbs out of the base path', async () => {
    api.handle(json({ ok: true }));
    const error = await client().delete('/users/%2e%2e/%2E%2E/admin2').catch((e: unknown) => e);
    expect(ValidationError.isInstance(error)).toBe(true);
    expect(api.seen).toEqual([]);
  });
});

describe('redirects (item 6)', () => {
  it('follows a cross-origin GET redirect without the token, API key or cookie', async () => {
    api.handle(redirectTo(302, `${other.origin}/landing?x=1`));
    other.handle(json({ ok: true }));
    const response = await client().get('/start');
    expect(response.data).toEqual({ ok: true });
    expect(api.seen[0]?.headers['x-api-key']).toBe('key-CANARY-123');
    const hop = other.seen[0];
    expect(hop?.url).toBe('/landing?x=1');
    expect(hop?.headers.authorization).toBeUndefined();
    expect(hop?.headers['x-api-key']).toBeUndefined();
    expect(hop?.headers.cookie).toBeUndefined();
    expect(hop?.headers.accept).toBe('application/json');
    expect(hop?.headers['user-agent']).toBe('almanac-test');
  });

  it('keeps every header on a same-origin redirect', async () => {
    api.handle((req, res) => (req.url === '/api/old' ? redirectTo(301, '/api/new')(req, res) : json({ ok: 1 })(req, res)));
    await client().get('/old');
    expect(api.seen.map((s) => s.url)).toEqual(['/api/old', '/api/new']);
    expect(api.seen[1]?.headers.authorization).toBe('Bearer token-CANARY-456');
    expect(api.seen[1]?.headers['x-api-key']).toBe('key-CANARY-123');
  });

  it('refuses to resend a POST body to another origin on 307/308', async () => {
    for (const status of [307, 308]) {
      api.handle(redirectTo(status, `${other.origin}/steal`));
      const error = await client()
        .post('/charges', { json: { card: 'CANARY-4242' } })
        .catch((e: unknown) => e);
      expect(ProviderError.isInstance(error)).toBe(true);
      expect((error as ProviderError).retryable).toBe(false);
      expect((error as ProviderError).message).toContain(`refused`);
    }
    expect(other.seen).toEqual([]);
  });

  it('resends a POST with its body on a same-origin 307', async () => {
    api.handle((req, res) => (req.url === '/api/a' ? redirectTo(307, '/api/b')(req, res) : json({ ok: 1 })(req, res)));
    await client().post('/a', { json: { n: 1 } });
    expect(api.seen.map((s) => [s.method, s.url, s.body])).toEqual([
      ['POST', '/api/a', '{"n":1}'],
      ['POST', '/api/b', '{"n":1}'],
    ]);
  });

  it('continues a 303 as a bodiless GET, also across origins, without secrets', async () => {
    api.handle(redirectTo(303, `${other.origin}/result/1`));
    other.handle(json({ done: true }));
    const response = await client().post('/jobs', { json: { secret: 'CANARY-body' } });
    expect(response.data).toEqual({ done: true });
    expect(other.seen[0]?.method).toBe('GET');
    expect(other.seen[0]?.body).toBe('');
    expect(other.seen[0]?.headers['content-type']).toBeUndefined();
    expect(other.seen[0]?.headers.authorization).toBeUndefined();
  });

  it('does not restore stripped headers when a later hop returns to the origin', async () => {
    api.handle((req, res) => (req.url === '/api/start' ? redirectTo(302, `${other.origin}/bounce`)(req, res) : json({ ok: 1 })(req, res)));
    other.handle(redirectTo(302, `${api.origin}/api/end`));
    await client().get('/start');
    expect(api.seen[1]?.url).toBe('/api/end');
    expect(api.seen[1]?.headers.authorization).toBeUndefined();
    expect(api.seen[1]?.headers['x-api-key']).toBeUndefined();
  });

  it.each([
    ['file:///etc/passwd', 'file:'],
    ['data:text/plain,hi', 'data:'],
  ])('refuses a redirect to %s', async (location, protocol) => {
    api.handle(redirectTo(302, location));
    const error = await client().get('/x').catch((e: unknown) => e);
    expect(ProviderError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain(protocol);
  });

  it('refuses a redirect from https to http', async () => {
    const fetch: FetchLike = async (input) =>
      String(input).startsWith('https:') ? new Response(null, { status: 302, headers: { location: `${other.origin}/plain` } }) : new Response('{}');
    const https = createHttpClient({ baseUrl: 'https://api.example.test', provider: 'acme', fetch, retry: { maxAttempts: 1 } });
    const error = await https.get('/x').catch((e: unknown) => e);
    expect((error as Error).message).toContain('from https to http');
    expect(other.seen).toEqual([]);
  });

  it('stops after maxRedirects hops', async () => {
    let n = 0;
    api.handle((_req, res) => redirectTo(302, `/api/loop${++n}`)(_req, res));
    const error = await client({ maxRedirects: 3 }).get('/loop0').catch((e: unknown) => e);
    expect((error as Error).message).toContain('more than 3 redirects');
    expect(api.seen).toHaveLength(4);
  });

  it("fails on any redirect with redirect: 'error' and returns it with 'manual'", async () => {
    api.handle(redirectTo(302, `${other.origin}/x`));
    const error = await client({ redirect: 'error' }).get('/x').catch((e: unknown) => e);
    expect((error as Error).message).toContain('redirects are disabled');
    const response = await client({ redirect: 'manual', responseType: undefined } as never).get('/x', { responseType: 'text' });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe(`${other.origin}/x`);
    expect(other.seen).toEqual([]);
  });

  it('sends every request with redirect: manual, so a custom fetch never follows on its own', async () => {
    const modes: (RequestInit["redirect"] | undefined)[] = [];
    const fetch: FetchLike = async (_input, init) => {
      modes.push(init?.redirect);
      return new Response('{}');
    };
    await createHttpClient({ baseUrl: 'https://api.example.test', provider: 'acme', fetch }).get('/x');
    expect(modes).toEqual(['manual']);
  });

  it('rejects bad redirect options with a ConfigError', () => {
    expect(() => client({ redirect: 'always' as never })).toThrow(expect.objectContaining({ code: 'config' }));
    expect(() => client({ maxRedirects: -1 })).toThrow(expect.objectContaining({ code: 'config' }));
  });
});

/** A fetch whose body is `total` bytes in 64 KiB chunks, produced on demand; counts what was pulled. */
function streamingFetch(total: number, headers: Record<string, string> = {}) {
  const state = { pulled: 0, cancelled: false };
  const chunk = new Uint8Array(64 * 1024).fill(0x61);
  const fetch: FetchLike = async () => {
    let produced = 0;
    return new Response(
      new ReadableStream<Uint8Array>({
        pull(controller) {
          if (produced >= total) {
            controller.close();
            return;
          }
          produced += chunk.byteLength;
          state.pulled += chunk.byteLength;
          controller.enqueue(chunk);
        },
        cancel() {
          state.cancelled = true;
        },
      }),
      { status: 200, headers },
    );
  };
  return { fetch, state };
}

describe('response size (item 7)', () => {
  const MiB = 1024 * 1024;

  it.each(['json', 'text', 'bytes'] as const)('stops reading a %s body past maxResponseBytes and fails', async (responseType) => {
    const { fetch, state } = streamingFetch(8 * MiB);
    const limited = createHttpClient({ baseUrl: 'https://api.example.test', provider: 'acme', fetch, maxResponseBytes: MiB });
    const error = await limited.get('/big', { responseType } as never).catch((e: unknown) => e);
    expect(ProviderError.isInstance(error)).toBe(true);
    expect((error as ProviderError).retryable).toBe(false);
    expect((error as Error).message).toContain('maxResponseBytes');
    expect(state.pulled).toBeLessThanOrEqual(MiB + 128 * 1024);
    expect(state.cancelled).toBe(true);
  });

  it('fails before reading when Content-Length is over the limit', async () => {
    const { fetch, state } = streamingFetch(8 * MiB, { 'content-length': String(8 * MiB) });
    const limited = createHttpClient({ baseUrl: 'https://api.example.test', provider: 'acme', fetch, maxResponseBytes: MiB });
    await expect(limited.get('/big', { responseType: 'text' })).rejects.toThrow(/maxResponseBytes/);
    expect(state.pulled).toBeLessThanOrEqual(128 * 1024);
  });

  it('applies a 16 MiB default', async () => {
    const { fetch, state } = streamingFetch(40 * MiB);
    const error = await createHttpClient({ baseUrl: 'https://api.example.test', provider: 'acme', fetch })
      .get('/big', { responseType: 'bytes' })
      .catch((e: unknown) => e);
    expect((error as Error).message).toContain('16777216 bytes');
    expect(state.pulled).toBeLessThan(17 * MiB);
  });

  it('counts decompressed bytes, so a small gzip bomb is caught', async () => {
    const bomb = gzipSync(Buffer.alloc(8 * MiB, 0x20));
    expect(bomb.byteLength).toBeLessThan(64 * 1024);
    api.handle((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': bomb.byteLength });
      res.end(bomb);
    });
    const error = await client({ maxResponseBytes: MiB }).get('/bomb').catch((e: unknown) => e);
    expect((error as Error).message).toContain('maxResponseBytes');
  });

  it('lets one call raise or lift the limit, and leaves streamed responses alone', async () => {
    const big = streamingFetch(2 * MiB);
    const limited = createHttpClient({ baseUrl: 'https://api.example.test', provider: 'acme', fetch: big.fetch, maxResponseBytes: MiB });
    const text = await limited.get('/big', { responseType: 'text', maxResponseBytes: false });
    expect(text.data.length).toBe(2 * MiB);
    const streamed = await limited.get('/big', { responseType: 'response' });
    expect((await streamed.data.arrayBuffer()).byteLength).toBe(2 * MiB);
  });

  it('reads bodies under the limit unchanged (multi-byte text split across chunks, one-chunk bytes)', async () => {
    const word = 'zoë—€';
    const bytes = new TextEncoder().encode(word.repeat(50_000));
    const fetch: FetchLike = async () =>
      new Response(
        new ReadableStream<Uint8Array>({
          start(controller) {
            for (let i = 0; i < bytes.byteLength; i += 1001) controller.enqueue(bytes.subarray(i, i + 1001));
            controller.close();
          },
        }),
      );
    const c = createHttpClient({ baseUrl: 'https://api.example.test', provider: 'acme', fetch });
    expect((await c.get('/t', { responseType: 'text' })).data).toBe(word.repeat(50_000));
    expect(Buffer.compare((await c.get('/b', { responseType: 'bytes' })).data, bytes)).toBe(0);
  });

  it('rejects a bad maxResponseBytes with a ConfigError or ValidationError', async () => {
    expect(() => client({ maxResponseBytes: 0 })).toThrow(expect.objectContaining({ code: 'config' }));
    await expect(client().get('/x', { maxResponseBytes: -5 })).rejects.toThrow(ValidationError);
  });
});

describe('credential headers echoed by a server (found by the adversarial canary scan)', () => {
  it.each(['x-api-key', 'ocp-apim-subscription-key', 'x-auth-token', 'x-functions-key'])('masks the %s value in errors', async (name) => {
    const secret = 'echoed-CANARY-7731';
    const fetch: FetchLike = async () => new Response(`{"error":"bad key ${secret}"}`, { status: 403 });
    const c = createHttpClient({ baseUrl: 'https://api.example.test', provider: 'acme', fetch, headers: { [name]: secret } });
    const error = (await c.get('/x').catch((e: unknown) => e)) as Error;
    expect(error.message).toContain('bad key');
    expect(JSON.stringify(error)).not.toContain(secret);
    expect(error.message).not.toContain(secret);
  });

  it('also masks per-call credential headers', async () => {
    const secret = 'echoed-CANARY-9925';
    const fetch: FetchLike = async () => new Response(`not json ${secret}`, { status: 200 });
    const c = createHttpClient({ baseUrl: 'https://api.example.test', provider: 'acme', fetch });
    const error = (await c.get('/x', { headers: { 'x-api-key': secret } }).catch((e: unknown) => e)) as Error;
    expect(error.message).toContain('invalid JSON');
    expect(error.message).not.toContain(secret);
  });

  it('refuses a path over 16 KiB', () => {
    expect(() => normalizePath(`/${'a'.repeat(16_384)}`)).toThrow(/at most 16384 characters/);
  });
});
