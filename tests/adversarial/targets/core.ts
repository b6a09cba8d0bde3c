// @almanac/core: the redactor and everything that reads text from the network or from a
// caller (bodies, headers, paths, envelopes, signatures), and its public functions' inputs.
import {
  bodyExcerpt,
  createHttpClient,
  createMemoryCache,
  createRedactor,
  createTokenVault,
  mapResponseError,
  parseRetryAfter,
  parseTokenSet,
  uuidv7Timestamp,
  verifyEd25519,
  verifyHmacSha256,
} from '@almanac/core';
import type { FetchLike, HttpClient } from '@almanac/core';
import fc from 'fast-check';
import { CANARIES } from '../harness/canary';
import { hostileNumber, hostileOptions, hostileString, hostileValue } from '../harness/hostile';
import type { AdversarialTargets, FacadeTarget, TargetContext, TraversalTarget } from './types';
import { method } from './types';

const BASE = 'https://api.example.test';

/** A fetch that answers every request with `status` and `body`, echoing the credentials it got (as a hostile server may). */
function echoingFetch(status: number, body: string): FetchLike {
  return async (_input, init) => {
    const headers = new Headers(init?.headers);
    return new Response(`${body} auth=${headers.get('authorization') ?? ''} key=${headers.get('x-api-key') ?? ''}`, {
      status,
      headers: { 'content-type': 'application/json' },
    });
  };
}

/** A client holding every canary the way adapters do: token, API key header, redactor. */
function clientWith(ctx: TargetContext, fetch: FetchLike): HttpClient {
  return createHttpClient({
    baseUrl: BASE,
    provider: 'adversary',
    fetch,
    headers: { 'x-api-key': CANARIES.apiKey },
    auth: { getToken: async () => CANARIES.token },
    logger: ctx.capture.logger(),
    retry: { maxAttempts: 1 },
  });
}

/** Headers with `value` as Retry-After, minus what `Headers` itself refuses (control characters, non-Latin-1). */
const headerOf = (value: string) => new Headers({ 'retry-after': value.replace(/[^ -\u00ff]/g, '') });

const vault = () => createTokenVault({ currentKeyId: 'k1', keys: { k1: CANARIES.vaultKey } });

const httpFacade: FacadeTarget<HttpClient> = {
  name: '@almanac/core createHttpClient',
  create: (ctx) => clientWith(ctx, echoingFetch(200, '{}')),
  operations: {
    request: method('request', fc.tuple(fc.oneof(hostileValue, fc.record({ method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'TRACE', ''), path: hostileString, query: hostileValue, headers: hostileValue, json: hostileValue, body: hostileValue, responseType: hostileValue, maxResponseBytes: hostileValue, idempotencyKey: hostileValue }, { requiredKeys: ['method', 'path'] })))),
    get: method('get', fc.tuple(hostileString, hostileOptions(['headers', 'responseType', 'maxResponseBytes']))),
    delete: method('delete', fc.tuple(hostileString, hostileOptions())),
  },
};

const functionsFacade: FacadeTarget<null> = {
  name: '@almanac/core functions',
  create: () => null,
  operations: {
    createHttpClient: { args: fc.tuple(hostileValue), call: (_s, [options]) => createHttpClient(options as never) },
    createRedactor: { args: fc.tuple(hostileValue), call: (_s, [options]) => createRedactor(options as never) },
    redact: { args: fc.tuple(hostileValue), call: (_s, [value]) => createRedactor({ secrets: [CANARIES.password] }).redact(value) },
    verifyHmacSha256: {
      args: fc.tuple(fc.oneof(hostileValue, fc.record({ secret: hostileValue, payload: hostileValue, signature: hostileValue, encoding: hostileValue, prefix: hostileValue }))),
      call: (_s, [options]) => verifyHmacSha256(options as never),
    },
    verifyEd25519: {
      args: fc.tuple(fc.oneof(hostileValue, fc.record({ publicKey: hostileValue, message: hostileValue, signature: hostileValue }))),
      call: (_s, [options]) => verifyEd25519(options as never),
    },
    createTokenVault: { args: fc.tuple(hostileValue), call: (_s, [keyring]) => createTokenVault(keyring as never) },
    decrypt: { args: fc.tuple(hostileValue, hostileValue), call: (_s, [envelope, options]) => vault().decrypt(envelope as never, options as never) },
    parseTokenSet: { args: fc.tuple(hostileValue), call: (_s, [value]) => parseTokenSet(value) },
    uuidv7Timestamp: { args: fc.tuple(hostileValue), call: (_s, [value]) => uuidv7Timestamp(value as never) },
    createMemoryCache: { args: fc.tuple(hostileValue), call: (_s, [options]) => createMemoryCache(options as never) },
    parseRetryAfter: { args: fc.tuple(hostileString, hostileNumber, fc.boolean()), call: (_s, [value, now, reset]) => parseRetryAfter(headerOf(value as string), now as number, reset as boolean) },
  },
};

/**
 * The pattern every REST adapter follows, on core's client alone: ids go through
 * `encodeURIComponent`, which keeps dots, into a path template. Core must refuse the dot
 * segments that result.
 */
const restPattern: TraversalTarget<HttpClient> = {
  name: '@almanac/core createHttpClient (REST path template)',
  create: ({ fetch }) => createHttpClient({ baseUrl: `${BASE}/api/v1`, provider: 'adversary', fetch, retry: { maxAttempts: 1 } }),
  operations: {
    'DELETE /calendars/c1/events/{id}': (client, id) => client.delete(`/calendars/c1/events/${encodeURIComponent(id)}`),
    'GET /users/{id}/messages': (client, id) => client.get(`/users/${encodeURIComponent(id)}/messages`),
    'GET /files/{raw path}': (client, id) => client.get(`/files/${id}`),
  },
};

export const coreTargets: AdversarialTargets = {
  package: '@almanac/core',
  text: [
    { name: 'core: redactor.redactString', run: (text: string) => createRedactor({ secrets: [CANARIES.token, CANARIES.password] }).redactString(text) },
    { name: 'core: redactor.redact (nested string field)', run: (text: string) => createRedactor().redact({ nested: [{ body: text }] }) },
    { name: 'core: bodyExcerpt', run: (text: string) => bodyExcerpt(text, createRedactor()) },
    {
      name: 'core: mapResponseError (64 KB of a hostile error body)',
      prepare: (text: string) => new Response(text, { status: 400 }),
      run: (response: Response) => mapResponseError(response, { provider: 'adversary', method: 'GET', path: '/x', redactor: createRedactor(), nowMs: 0 }),
    },
    {
      name: 'core: http client, invalid JSON success body',
      prepare: (text: string, ctx: TargetContext) => clientWith(ctx, async () => new Response(text, { status: 200 })),
      run: (client: HttpClient) => client.get('/x'),
      // JSON.parse of 1 MiB of `[` builds a million nested arrays before it fails (~100 ms of
      // CPU, more with GC under load): the runtime's cost, linear all the same.
      budgetMs: { dense: 1000 },
    },
    {
      name: 'core: http client, error body echoing credentials',
      prepare: (text: string, ctx: TargetContext) => clientWith(ctx, echoingFetch(502, text)),
      run: (client: HttpClient) => client.get('/x'),
    },
    {
      name: 'core: http client, request path',
      prepare: (text: string, ctx: TargetContext) => ({ client: clientWith(ctx, echoingFetch(200, '{}')), text }),
      run: ({ client, text }: { client: HttpClient; text: string }) => client.get(`/${text}`),
    },
    {
      name: 'core: parseRetryAfter',
      // Headers themselves refuse line breaks, NUL and non-Latin-1 text; the function never sees them.
      skip: ['crlf', 'nul-bytes', 'lone-surrogates'],
      prepare: (text: string) => new Headers({ 'retry-after': text, 'x-ratelimit-reset': text }),
      run: (headers: Headers) => parseRetryAfter(headers, 0, true),
    },
    { name: 'core: verifyHmacSha256 (signature)', run: (text: string) => verifyHmacSha256({ secret: CANARIES.webhookSecret, payload: 'x', signature: text, prefix: 'sha256=' }) },
    { name: 'core: verifyHmacSha256 (payload)', run: (text: string) => verifyHmacSha256({ secret: CANARIES.webhookSecret, payload: text, signature: 'ab' }) },
    { name: 'core: verifyEd25519 (key and signature)', run: (text: string) => verifyEd25519({ publicKey: text, message: text, signature: text }) },
    { name: 'core: vault.decrypt (envelope)', run: (text: string) => vault().decrypt(text) },
    { name: 'core: parseTokenSet', prepare: (text: string) => ({ accessToken: text, refreshToken: text, expiresAt: text, scope: text }), run: (value: unknown) => parseTokenSet(value) },
    { name: 'core: uuidv7Timestamp', run: (text: string) => uuidv7Timestamp(text) },
  ],
  facades: [httpFacade, functionsFacade],
  traversal: [restPattern],
};
