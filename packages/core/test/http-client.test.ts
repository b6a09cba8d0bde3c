import type { Attributes, Span, SpanStatus, Tracer } from '@opentelemetry/api';
import { SpanStatusCode } from '@opentelemetry/api';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createManualClock } from '../src/clock';
import type { ManualClock } from '../src/clock';
import type { AlmanacError } from '../src/errors';
import {
  AbortedError,
  AuthError,
  ConfigError,
  ConflictError,
  NotFoundError,
  PermissionError,
  ProviderError,
  RateLimitError,
  TimeoutError,
  ValidationError,
} from '../src/errors';
import { createHttpClient, MAX_EXCERPT_CHARS } from '../src/http';
import type { FetchLike, HttpClientOptions } from '../src/http';
import type { LogFields, Logger } from '../src/logger/types';

const BASE = 'https://api.example.test';
const CANARY = 'sk_live_CANARY_9f8e7d6c5b4a';

beforeAll(() => {
  nock.disableNetConnect();
});
afterEach(() => {
  // Every interceptor a test sets up must have been used: a test whose request never reached
  // the mock (or went elsewhere) fails here. Tests that leave one unused on purpose assert that
  // and remove it themselves.
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
});
afterAll(() => {
  nock.enableNetConnect();
});

/** Lets promise callbacks and I/O callbacks run until `condition` holds (no wall-clock waits). */
async function until(condition: () => boolean, what: string): Promise<void> {
  // Polls on real event-loop turns (nock answers asynchronously); bounded, never asserts on elapsed time.
  for (let i = 0; i < 2000; i++) {
    if (condition()) return;
    await new Promise((resolve) => (i < 100 ? setImmediate(resolve) : setTimeout(resolve, 1)));
  }
  throw new Error(`condition never met: ${what}`);
}

interface Settled<T> {
  done: boolean;
  value?: T;
  error?: unknown;
}

function settle<T>(promise: Promise<T>): Settled<T> {
  const state: Settled<T> = { done: false };
  promise.then(
    (value) => {
      state.done = true;
      state.value = value;
    },
    (error: unknown) => {
      state.done = true;
      state.error = error;
    },
  );
  return state;
}

/** Options with timeouts off, so the only sleeps on a manual clock are backoff and rate-limit waits. */
function quiet(clock: ManualClock, extra: Partial<HttpClientOptions> = {}): HttpClientOptions {
  return { baseUrl: BASE, provider: 'acme', clock, timeoutMs: false, totalTimeoutMs: false, ...extra };
}

/** A fetch that never answers and rejects with the signal's reason when aborted. */
function hangingFetch(counter: { calls: number }): FetchLike {
  return (_input, init) =>
    new Promise<Response>((_resolve, reject) => {
      counter.calls++;
      const signal = init?.signal;
      signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
    });
}

function capturingLogger(): { logger: Logger; lines: Array<{ level: string; message: string; fields?: LogFields }> } {
  const lines: Array<{ level: string; message: string; fields?: LogFields }> = [];
  const log = (level: string) => (message: string, fields?: LogFields) => {
    lines.push(fields === undefined ? { level, message } : { level, message, fields });
  };
  return { logger: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') }, lines };
}

describe('createHttpClient: requests', () => {
  it('joins base URL and path, repeats array query params and sends JSON bodies', async () => {
    const seen: Array<{ url: string; method: string; headers: Headers; body: string | null }> = [];
    const fetch: FetchLike = async (input, init) => {
      const request = new Request(input, init);
      seen.push({ url: request.url, method: request.method, headers: request.headers, body: await request.text() });
      return Response.json({ id: 7 }, { status: 201 });
    };
    const client = createHttpClient({ baseUrl: `${BASE}/v1/`, provider: 'acme', fetch, headers: { 'X-Team': 'core' } });
    const response = await client.post<{ id: number }>('orders', {
      query: { id: [1, 2], q: 'a b', skip: undefined, flag: false },
      json: { item: 'book' },
    });
    expect(response.status).toBe(201);
    expect(response.data).toEqual({ id: 7 });
    expect(response.attempts).toBe(1);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.url).toBe(`${BASE}/v1/orders?id=1&id=2&q=a+b&flag=false`);
    expect(seen[0]?.method).toBe('POST');
    expect(seen[0]?.body).toBe('{"item":"book"}');
    expect(seen[0]?.headers.get('content-type')).toBe('application/json');
    expect(seen[0]?.headers.get('x-team')).toBe('core');
    expect(seen[0]?.headers.get('user-agent')).toBeNull();
  });

  it('sends the configured user agent', async () => {
    let agent: string | null = null;
    const fetch: FetchLike = async (input, init) => {
      agent = new Request(input, init).headers.get('user-agent');
      return Response.json({});
    };
    const client = createHttpClient({ baseUrl: BASE, provider: 'acme', fetch, userAgent: 'my-app/1.2 (+https://example.com)' });
    await client.get('/');
    expect(agent).toBe('my-app/1.2 (+https://example.com)');
  });

  it('returns text, bytes and raw responses, and undefined for an empty JSON body', async () => {
    nock(BASE).get('/t').reply(200, 'hello').get('/b').reply(200, Buffer.from([1, 2, 3])).get('/e').reply(204).get('/r').reply(200, 'raw');
    const client = createHttpClient({ baseUrl: BASE, provider: 'acme' });
    expect((await client.get('/t', { responseType: 'text' })).data).toBe('hello');
    expect(Array.from((await client.get('/b', { responseType: 'bytes' })).data)).toEqual([1, 2, 3]);
    const empty = await client.get('/e');
    expect(empty.status).toBe(204);
    expect(empty.data).toBeUndefined();
    const raw = await client.request({ method: 'GET', path: '/r', responseType: 'response' });
    expect(await raw.data.text()).toBe('raw');
  });

  it('maps invalid JSON on success to a ProviderError with an excerpt', async () => {
    nock(BASE).get('/bad').reply(200, '<html>oops</html>');
    const client = createHttpClient({ baseUrl: BASE, provider: 'acme' });
    const error = await client.get('/bad').catch((e: unknown) => e);
    expect(ProviderError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('invalid JSON');
    expect((error as Error).message).toContain('<html>oops</html>');
  });

  it('rejects invalid input with errors naming the field', async () => {
    const client = createHttpClient({ baseUrl: BASE, provider: 'acme' });
    const cases: Array<[Promise<unknown>, string]> = [
      [client.get('https://evil.test/steal'), 'path'],
      [client.get('//evil.test/steal'), 'path'],
      [client.get('/a?b=1'), 'path'],
      [client.get('/a', { query: { x: { nested: true } as never } }), 'query.x'],
      [client.request({ method: 'TRACE' as never, path: '/a' }), 'method'],
      [client.post('/a', { json: 1, body: 'x' }), 'json'],
      [client.post('/a', { idempotencyKey: '' }), 'idempotencyKey'],
      [client.get('/a', { headers: { 'bad header': 'x' } }), 'headers.bad header'],
      [client.post('/a', { json: { big: 1n } }), 'json'],
    ];
    for (const [promise, field] of cases) {
      const error = await promise.catch((e: unknown) => e);
      expect(ValidationError.isInstance(error), field).toBe(true);
      expect((error as ValidationError).issues[0]?.path).toBe(field);
    }
  });

  it('rejects invalid options with a ConfigError listing every field', () => {
    try {
      createHttpClient({
        baseUrl: 'ftp://x',
        provider: '',
        timeoutMs: -1,
        retry: { maxAttempts: 0 },
        rateLimit: { capacity: 0, refillPerSecond: 1 },
        auth: {} as never,
      });
      expect.unreachable();
    } catch (error) {
      expect(ConfigError.isInstance(error)).toBe(true);
      expect((error as ConfigError).issues.map((issue) => issue.path)).toEqual([
        'baseUrl',
        'provider',
        'timeoutMs',
        'retry.maxAttempts',
        'rateLimit.capacity',
        'auth.getToken',
      ]);
    }
    expect(() => createHttpClient({ baseUrl: 'https://user:pw@x.test', provider: 'p' })).toThrow(/credentials/);
  });
});

describe('createHttpClient: error mapping', () => {
  const table: Array<[number, (e: unknown) => boolean, boolean]> = [
    [400, (e) => ValidationError.isInstance(e), false],
    [422, (e) => ValidationError.isInstance(e), false],
    [401, (e) => AuthError.isInstance(e), false],
    [403, (e) => PermissionError.isInstance(e), false],
    [404, (e) => NotFoundError.isInstance(e), false],
    [410, (e) => NotFoundError.isInstance(e), false],
    [409, (e) => ConflictError.isInstance(e), false],
    [412, (e) => ConflictError.isInstance(e), false],
    [429, (e) => RateLimitError.isInstance(e), true],
    [408, (e) => TimeoutError.isInstance(e), true],
    [504, (e) => TimeoutError.isInstance(e), true],
    [500, (e) => ProviderError.isInstance(e), true],
    [502, (e) => ProviderError.isInstance(e), true],
    [503, (e) => ProviderError.isInstance(e), true],
    [418, (e) => ProviderError.isInstance(e), false],
  ];

  it.each(table)('maps HTTP %i to the right class and retryability', async (status, isClass, retryable) => {
    nock(BASE).delete('/things/1').query(true).reply(status, { error: 'nope' });
    const client = createHttpClient({ baseUrl: BASE, provider: 'acme', retry: { maxAttempts: 1 } });
    const error = await client.delete('/things/1', { query: { token: 'qsecret' } }).catch((e: unknown) => e);
    expect(isClass(error)).toBe(true);
    const almanac = error as AlmanacError;
    expect(almanac.status).toBe(status);
    expect(almanac.retryable).toBe(retryable);
    expect(almanac.provider).toBe('acme');
    expect(almanac.operation).toBe('DELETE /things/1');
    expect(almanac.message).toContain(`acme: DELETE /things/1 failed with HTTP ${status}`);
    expect(almanac.message).toContain('nope');
    expect(almanac.message).not.toContain('qsecret');
    expect(almanac.message).not.toContain('?');
  });

  it('extracts validation issues from the body', async () => {
    nock(BASE)
      .post('/users')
      .reply(422, { errors: [{ field: 'email', message: 'is invalid' }, { path: ['address', 'zip'], message: 'required' }] });
    const client = createHttpClient({ baseUrl: BASE, provider: 'acme' });
    const error = await client.post('/users', { json: {} }).catch((e: unknown) => e);
    expect(ValidationError.isInstance(error)).toBe(true);
    expect((error as ValidationError).issues).toEqual([
      { path: 'email', message: 'is invalid' },
      { path: 'address.zip', message: 'required' },
    ]);
  });

  it('truncates the body excerpt to the limit', async () => {
    nock(BASE).get('/big').reply(400, 'x'.repeat(10_000));
    const client = createHttpClient({ baseUrl: BASE, provider: 'acme' });
    const error = (await client.get('/big').catch((e: unknown) => e)) as Error;
    const excerpt = error.message.split('failed with HTTP 400: ')[1] ?? '';
    expect(excerpt.length).toBe(MAX_EXCERPT_CHARS);
    expect(excerpt.endsWith('…')).toBe(true);
  });
});

describe('createHttpClient: secrets never leak', () => {
  it('masks the auth token in errors, error JSON and logs', async () => {
    const echo = `{"error":"invalid request","seen_header":"Bearer ${CANARY}","raw":"${CANARY}"}`;
    nock(BASE)
      .get('/leak')
      .reply(500, echo)
      .get('/leak')
      .reply(400, 'a'.repeat(MAX_EXCERPT_CHARS - 5) + CANARY);
    const { logger, lines } = capturingLogger();
    const client = createHttpClient({
      baseUrl: BASE,
      provider: 'acme',
      logger,
      retry: { random: () => 0 },
      auth: { getToken: async () => CANARY },
    });
    const error = await client.get('/leak').catch((e: unknown) => e);
    expect(ValidationError.isInstance(error)).toBe(true);
    const almanac = error as AlmanacError;
    expect(almanac.message).not.toContain('sk_live_CANARY');
    expect(JSON.stringify(almanac)).not.toContain('sk_live_CANARY');
    expect(JSON.stringify(almanac.toJSON())).not.toContain('sk_live_CANARY');
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.some((line) => line.message === 'http retry')).toBe(true);
    expect(JSON.stringify(lines)).not.toContain('sk_live_CANARY');
  });

  it('masks the token in transport errors too', async () => {
    const fetch: FetchLike = async () => {
      throw new TypeError(`Invalid header value: Bearer ${CANARY}`);
    };
    const client = createHttpClient({ baseUrl: BASE, provider: 'acme', fetch, auth: { getToken: async () => CANARY } });
    const error = (await client.get('/x').catch((e: unknown) => e)) as AlmanacError;
    expect(ProviderError.isInstance(error)).toBe(true);
    expect(error.retryable).toBe(false);
    expect(error.message).not.toContain('sk_live_CANARY');
    expect(JSON.stringify(error.toJSON())).not.toContain('sk_live_CANARY');
  });
});

describe('createHttpClient: retries', () => {
  it('waits exactly Retry-After: 3 (3000 ms on the clock) before the second attempt', async () => {
    const clock = createManualClock();
    const times: number[] = [];
    nock(BASE)
      .get('/limited')
      .reply(() => {
        times.push(clock.now());
        return [429, { error: 'slow down' }, { 'Retry-After': '3' }];
      })
      .get('/limited')
      .reply(() => {
        times.push(clock.now());
        return [200, { ok: true }];
      });
    const client = createHttpClient(quiet(clock, { retry: { random: () => 0.9 } }));
    const run = settle(client.get('/limited'));
    await until(() => clock.pendingSleeps() === 1, 'backoff sleep');
    await clock.advance(2999);
    await until(() => times.length === 1 && !run.done, 'still waiting');
    expect(times).toEqual([0]);
    await clock.advance(1);
    await until(() => run.done, 'finished');
    expect(times).toEqual([0, 3000]);
    expect(run.value?.data).toEqual({ ok: true });
    expect(run.value?.attempts).toBe(2);
  });

  it('honours RateLimit reset headers (epoch seconds) on 429', async () => {
    const clock = createManualClock(1_700_000_000_000);
    const scope = nock(BASE)
      .get('/r')
      .reply(429, {}, { 'X-RateLimit-Reset': String(1_700_000_000 + 5) })
      .get('/r')
      .reply(200, { ok: 1 });
    const client = createHttpClient(quiet(clock));
    const run = settle(client.get('/r'));
    await until(() => clock.pendingSleeps() === 1, 'sleep');
    await clock.advance(4999);
    await until(() => scope.pendingMocks().length === 1, 'one consumed');
    expect(run.done).toBe(false);
    await clock.advance(1);
    await until(() => run.done, 'done');
    expect(run.value?.status).toBe(200);
  });

  it('fails at once, without waiting, when Retry-After exceeds the cap', async () => {
    const clock = createManualClock();
    const scope = nock(BASE).get('/x').reply(429, {}, { 'Retry-After': '3600' }).get('/x').reply(200, {});
    const client = createHttpClient(quiet(clock, { retry: { maxRetryAfterMs: 60_000 } }));
    const error = await client.get('/x').catch((e: unknown) => e);
    expect(RateLimitError.isInstance(error)).toBe(true);
    expect((error as RateLimitError).retryAfterMs).toBe(3_600_000);
    expect(clock.now()).toBe(0);
    expect(scope.pendingMocks()).toHaveLength(1);
    nock.cleanAll(); // the unused reply is the point: it was never requested
  });

  it('does not retry POST without an idempotency key', async () => {
    const scope = nock(BASE).post('/orders').reply(503).post('/orders').reply(201, { id: 1 });
    const client = createHttpClient({ baseUrl: BASE, provider: 'acme', retry: { random: () => 0 } });
    const error = await client.post('/orders', { json: { a: 1 } }).catch((e: unknown) => e);
    expect(ProviderError.isInstance(error)).toBe(true);
    expect((error as ProviderError).status).toBe(503);
    expect(scope.pendingMocks()).toHaveLength(1);
    nock.cleanAll(); // the unused reply is the point: it was never requested
  });

  it('retries POST with an idempotency key and sends the header each time', async () => {
    const scope = nock(BASE)
      .post('/orders')
      .matchHeader('idempotency-key', 'order-42')
      .reply(503)
      .post('/orders')
      .matchHeader('idempotency-key', 'order-42')
      .reply(201, { id: 42 });
    const client = createHttpClient({ baseUrl: BASE, provider: 'acme', retry: { random: () => 0 } });
    const response = await client.post('/orders', { json: { a: 1 }, idempotencyKey: 'order-42' });
    expect(response.data).toEqual({ id: 42 });
    expect(response.attempts).toBe(2);
    expect(scope.isDone()).toBe(true);
  });

  it('retries network errors on idempotent requests', async () => {
    const scope = nock(BASE)
      .get('/flaky')
      .replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))
      .get('/flaky')
      .reply(200, { ok: true });
    const client = createHttpClient({ baseUrl: BASE, provider: 'acme', retry: { random: () => 0 } });
    const response = await client.get('/flaky');
    expect(response.data).toEqual({ ok: true });
    expect(response.attempts).toBe(2);
    expect(scope.isDone()).toBe(true);
  });

  it('maps exhausted network errors to a retryable ProviderError naming the code', async () => {
    nock(BASE).get('/down').times(2).replyWithError(Object.assign(new Error('connect refused'), { code: 'ECONNREFUSED' }));
    const client = createHttpClient({ baseUrl: BASE, provider: 'acme', retry: { maxAttempts: 2, random: () => 0 } });
    const error = (await client.get('/down').catch((e: unknown) => e)) as AlmanacError;
    expect(ProviderError.isInstance(error)).toBe(true);
    expect(error.retryable).toBe(true);
    expect(error.message).toContain('acme: GET /down failed: network error');
  });
});

describe('createHttpClient: timeouts and abort', () => {
  it('turns a per-attempt timeout into TimeoutError and retries idempotent calls', async () => {
    const clock = createManualClock();
    const counter = { calls: 0 };
    const client = createHttpClient({
      baseUrl: BASE,
      provider: 'acme',
      clock,
      fetch: hangingFetch(counter),
      timeoutMs: 1000,
      totalTimeoutMs: false,
      retry: { maxAttempts: 2, random: () => 0 },
    });
    const run = settle(client.get('/slow'));
    await until(() => counter.calls === 1, 'first attempt');
    await clock.advance(999);
    expect(run.done).toBe(false);
    await clock.advance(1);
    await until(() => counter.calls === 2, 'second attempt');
    await clock.advance(1000);
    await until(() => run.done, 'done');
    expect(TimeoutError.isInstance(run.error)).toBe(true);
    expect((run.error as Error).message).toBe('acme: GET /slow timed out after 1000 ms (per attempt)');
    expect(counter.calls).toBe(2);
  });

  it('enforces the total deadline across attempts', async () => {
    const clock = createManualClock();
    const counter = { calls: 0 };
    const client = createHttpClient({
      baseUrl: BASE,
      provider: 'acme',
      clock,
      fetch: hangingFetch(counter),
      timeoutMs: false,
      totalTimeoutMs: 5000,
    });
    const run = settle(client.get('/slow'));
    await until(() => counter.calls === 1, 'attempt');
    await clock.advance(5000);
    await until(() => run.done, 'done');
    expect(TimeoutError.isInstance(run.error)).toBe(true);
    expect((run.error as Error).message).toContain('total timeout of 5000 ms');
    expect(counter.calls).toBe(1);
  });

  it('aborting an in-flight request gives AbortedError and no retry', async () => {
    const counter = { calls: 0 };
    const controller = new AbortController();
    const client = createHttpClient({ baseUrl: BASE, provider: 'acme', fetch: hangingFetch(counter) });
    const run = settle(client.get('/slow', { signal: controller.signal }));
    await until(() => counter.calls === 1, 'attempt');
    controller.abort();
    await until(() => run.done, 'done');
    expect(AbortedError.isInstance(run.error)).toBe(true);
    expect((run.error as AbortedError).provider).toBe('acme');
    expect(counter.calls).toBe(1);
  });

  it('aborting during a backoff sleep stops retries immediately', async () => {
    const clock = createManualClock();
    const controller = new AbortController();
    const scope = nock(BASE).get('/x').reply(503).get('/x').reply(200, {});
    const client = createHttpClient(quiet(clock, { retry: { baseDelayMs: 10_000, random: () => 1 } }));
    const run = settle(client.get('/x', { signal: controller.signal }));
    await until(() => clock.pendingSleeps() === 1, 'backoff sleep');
    controller.abort();
    await until(() => run.done, 'done');
    expect(AbortedError.isInstance(run.error)).toBe(true);
    expect(scope.pendingMocks()).toHaveLength(1);
    nock.cleanAll(); // the unused reply is the point: it was never requested
    expect(clock.pendingSleeps()).toBe(0);
  });

  it('an already-aborted signal sends nothing', async () => {
    const counter = { calls: 0 };
    const client = createHttpClient({ baseUrl: BASE, provider: 'acme', fetch: hangingFetch(counter) });
    const error = await client.get('/x', { signal: AbortSignal.abort() }).catch((e: unknown) => e);
    expect(AbortedError.isInstance(error)).toBe(true);
    expect(counter.calls).toBe(0);
  });
});

describe('createHttpClient: auth', () => {
  it('refreshes exactly once for 10 concurrent 401s and retries each request once', async () => {
    let current = 'token-old';
    const calls: boolean[] = [];
    const auth = {
      async getToken({ forceRefresh }: { forceRefresh: boolean }) {
        calls.push(forceRefresh);
        if (forceRefresh) {
          await new Promise((resolve) => setImmediate(resolve));
          current = 'token-new';
        }
        return current;
      },
    };
    const scope = nock(BASE)
      .get('/me')
      .times(10)
      .matchHeader('authorization', 'Bearer token-old')
      .reply(401, { error: 'expired' })
      .get('/me')
      .times(10)
      .matchHeader('authorization', 'Bearer token-new')
      .reply(200, { id: 'u1' });
    const client = createHttpClient({ baseUrl: BASE, provider: 'acme', auth });
    const results = await Promise.all(Array.from({ length: 10 }, () => client.get<{ id: string }>('/me')));
    expect(results.map((result) => result.data.id)).toEqual(Array(10).fill('u1'));
    expect(calls.filter(Boolean)).toHaveLength(1);
    expect(scope.isDone()).toBe(true);
  });

  it('a second 401 after the refresh is an AuthError', async () => {
    let refreshes = 0;
    const scope = nock(BASE).get('/me').times(2).reply(401, { error: 'bad credentials' });
    const client = createHttpClient({
      baseUrl: BASE,
      provider: 'acme',
      auth: {
        async getToken({ forceRefresh }) {
          if (forceRefresh) refreshes++;
          return forceRefresh ? 'fresh-token' : 'stale-token';
        },
      },
    });
    const error = (await client.get('/me').catch((e: unknown) => e)) as AuthError;
    expect(AuthError.isInstance(error)).toBe(true);
    expect(error.status).toBe(401);
    expect(refreshes).toBe(1);
    expect(scope.isDone()).toBe(true);
  });

  it('uses the configured scheme and refuses an empty token', async () => {
    nock(BASE).get('/a').matchHeader('authorization', 'Token abcd1234').reply(200, {});
    const ok = createHttpClient({ baseUrl: BASE, provider: 'acme', auth: { scheme: 'Token', getToken: async () => 'abcd1234' } });
    expect((await ok.get('/a')).status).toBe(200);
    const empty = createHttpClient({ baseUrl: BASE, provider: 'acme', auth: { getToken: async () => '' } });
    await expect(empty.get('/a')).rejects.toSatisfy((e: unknown) => AuthError.isInstance(e) && /non-empty string/.test((e as Error).message));
  });
});

describe('createHttpClient: client-side rate limit', () => {
  it('delays the (capacity + 1)th call until the bucket refills', async () => {
    const clock = createManualClock();
    let calls = 0;
    const fetch: FetchLike = async () => {
      calls++;
      return Response.json({ n: calls });
    };
    const client = createHttpClient(quiet(clock, { fetch, rateLimit: { capacity: 2, refillPerSecond: 1 } }));
    const runs = [settle(client.get('/a')), settle(client.get('/a')), settle(client.get('/a'))];
    await until(() => runs[0]?.done === true && runs[1]?.done === true, 'first two');
    expect(calls).toBe(2);
    expect(clock.pendingSleeps()).toBe(1);
    await clock.advance(999);
    expect(calls).toBe(2);
    expect(runs[2]?.done).toBe(false);
    await clock.advance(1);
    await until(() => runs[2]?.done === true, 'third');
    expect(calls).toBe(3);
  });

  it('keeps separate buckets per route key', async () => {
    const clock = createManualClock();
    let calls = 0;
    const fetch: FetchLike = async () => {
      calls++;
      return Response.json({});
    };
    const client = createHttpClient(
      quiet(clock, { fetch, rateLimit: { capacity: 1, refillPerSecond: 1, key: (request) => request.routeKey ?? 'default' } }),
    );
    const a = settle(client.get('/a', { routeKey: 'users' }));
    const b = settle(client.get('/b', { routeKey: 'orders' }));
    const c = settle(client.get('/c', { routeKey: 'users' }));
    await until(() => a.done && b.done, 'different routes');
    expect(c.done).toBe(false);
    expect(calls).toBe(2);
    await clock.advance(1000);
    await until(() => c.done, 'same route after refill');
    expect(calls).toBe(3);
  });

  it('aborting a rate-limit wait rejects with AbortedError', async () => {
    const clock = createManualClock();
    const fetch: FetchLike = async () => Response.json({});
    const client = createHttpClient(quiet(clock, { fetch, rateLimit: { capacity: 1, refillPerSecond: 0.001 } }));
    await client.get('/a');
    const controller = new AbortController();
    const run = settle(client.get('/a', { signal: controller.signal }));
    await until(() => clock.pendingSleeps() === 1, 'waiting for a token');
    controller.abort();
    await until(() => run.done, 'aborted');
    expect(AbortedError.isInstance(run.error)).toBe(true);
  });
});

describe('createHttpClient: tracing', () => {
  interface RecordedSpan {
    name: string;
    attributes: Attributes;
    status: SpanStatus | undefined;
    ended: boolean;
  }

  function stubTracer(): { tracer: Tracer; spans: RecordedSpan[] } {
    const spans: RecordedSpan[] = [];
    const tracer = {
      startSpan(name: string) {
        const record: RecordedSpan = { name, attributes: {}, status: undefined, ended: false };
        spans.push(record);
        const span = {
          spanContext: () => ({ traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: 1 }),
          isRecording: () => true,
          setAttribute(key: string, value: unknown) {
            record.attributes[key] = value as never;
            return span;
          },
          setAttributes(values: Attributes) {
            Object.assign(record.attributes, values);
            return span;
          },
          setStatus(status: SpanStatus) {
            record.status = status;
            return span;
          },
          end() {
            record.ended = true;
          },
          addEvent: () => span,
          addLink: () => span,
          addLinks: () => span,
          recordException: () => {},
          updateName: () => span,
        };
        return span as unknown as Span;
      },
      startActiveSpan() {
        throw new Error('not used');
      },
    };
    return { tracer: tracer as unknown as Tracer, spans };
  }

  it('records one span per request with semantic attributes and resend count', async () => {
    nock(BASE).get('/items').query(true).reply(503).get('/items').query(true).reply(200, []);
    const { tracer, spans } = stubTracer();
    const client = createHttpClient({ baseUrl: BASE, provider: 'acme', tracer, retry: { random: () => 0 } });
    await client.get('/items', { query: { apiKey: 'abc123' } });
    expect(spans).toHaveLength(1);
    expect(spans[0]).toMatchObject({
      name: 'HTTP GET',
      ended: true,
      attributes: {
        'http.request.method': 'GET',
        'url.full': `${BASE}/items`,
        'http.response.status_code': 200,
        'http.request.resend_count': 1,
      },
    });
    expect(spans[0]?.status).toBeUndefined();
  });

  it('marks the span as an error on failure', async () => {
    nock(BASE).get('/missing').reply(404, {});
    const { tracer, spans } = stubTracer();
    const client = createHttpClient({ baseUrl: BASE, provider: 'acme', tracer });
    await expect(client.get('/missing')).rejects.toSatisfy((e: unknown) => NotFoundError.isInstance(e));
    expect(spans[0]?.status?.code).toBe(SpanStatusCode.ERROR);
    expect(spans[0]?.attributes['error.type']).toBe('404');
    expect(spans[0]?.attributes['http.response.status_code']).toBe(404);
    expect(spans[0]?.ended).toBe(true);
  });
});
