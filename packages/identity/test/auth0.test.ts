// Wire-level tests of the Auth0 adapter against a nock fake of the Management API v2
// (fixtures/auth0/fake-tenant.ts cites the documented shapes), plus focused strict-nock cases.
import { AlmanacError, createManualClock, systemClock } from '@almanac/core';
import type { Clock, Logger, ManualClock } from '@almanac/core';
import { expectAlmanacError, runWithClock, useStrictNock } from '@almanac/core/testing';
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAuth0Identity, createAuth0IdentityProvider, escapeLucene } from '../src/adapters/auth0';
import type { Auth0Identity } from '../src/adapters/auth0';
import type { User } from '../src/spec';
import { CLIENT_ID, CLIENT_SECRET, DOMAIN, ORIGIN, startFakeAuth0 } from './fixtures/auth0/fake-tenant';
import type { FakeAuth0, FakeAuth0Seed } from './fixtures/auth0/fake-tenant';

const START = Date.parse('2026-03-01T00:00:00Z');

// The system clock by default (the fake answers at once); a manual clock where time must jump,
// with timeouts far beyond what runWithClock's steps reach while nock answers.
let clock: Clock;
let fake: FakeAuth0;

function useManualClock(): ManualClock {
  const manual = createManualClock(START);
  clock = manual;
  return manual;
}
const LONG = { timeoutMs: 3_600_000, requestTimeoutMs: 3_600_000 };

function seeds(count: number, prefix = 'user'): FakeAuth0Seed[] {
  return Array.from({ length: count }, (_, i) => ({
    email: `${prefix}${String(i).padStart(5, '0')}@example.com`,
    name: `${prefix} ${i}`,
    createdAt: new Date(START - 86_400_000 + i * 1000).toISOString(),
  }));
}

function make(extra: Partial<Parameters<typeof createAuth0Identity>[0]> = {}): Auth0Identity {
  const slow = clock === systemClock ? {} : LONG;
  return createAuth0Identity({ domain: DOMAIN, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, clock, retry: { random: () => 0 }, exportPollIntervalMs: clock === systemClock ? 1 : 500, ...slow, ...extra });
}

const run = <T>(work: PromiseLike<T>): Promise<T> => (clock === systemClock ? Promise.resolve(work) : runWithClock(clock as ManualClock, work));

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

function start(options: { users?: FakeAuth0Seed[]; roles?: string[]; tokenLifetimeS?: number } = {}): void {
  fake = startFakeAuth0({ now: () => clock.now(), ...options });
}

beforeEach(() => {
  nock.disableNetConnect();
  clock = systemClock;
});

afterEach(() => {
  fake?.close();
  nock.cleanAll();
});

describe('auth0: reading users', () => {
  it('maps a Management API user onto the spec (last_login, last_ip, app_metadata; user_metadata stays in raw)', async () => {
    start({
      users: [
        { email: 'ada@example.com', name: 'Ada Lovelace', lastLogin: '2026-02-01T10:00:00.000Z', lastIp: '203.0.113.7', appMetadata: { plan: 'pro' } },
      ],
    });
    const identity = make();
    const found = await run(identity.findUserByEmail('ADA@example.com'));
    expect(found).toMatchObject({ email: 'ada@example.com', name: 'Ada Lovelace', blocked: false, lastLoginIp: '203.0.113.7', metadata: { plan: 'pro' } });
    const user = await run(identity.getUser((found as User).id));
    expect(user.id).toMatch(/^auth0\|/);
    expect(user.lastLoginAt?.toISOString()).toBe('2026-02-01T10:00:00.000Z');
    expect(user.mfaEnabled).toBeUndefined();
    expect((user.raw as { user_metadata?: unknown }).user_metadata).toEqual({});
    // `|` is percent-encoded: the id stays one path segment.
    expect(fake.requests).toContain(`GET /api/v2/users/${encodeURIComponent(user.id)}`);
    // users-by-email is asked in lower case first (Auth0 stores database emails lower-cased).
    expect(fake.requests).toContain('GET /api/v2/users-by-email?email=ada%40example.com');
  });

  it('getUser of a missing id is NotFoundError; "." and ".." are refused before any request', async () => {
    start();
    const identity = make();
    await expectAlmanacError(run(identity.getUser('auth0|missing')), { code: 'not_found', provider: 'auth0' });
    const provider = identity.provider;
    await expectAlmanacError(provider.getUser('..'), { code: 'validation', field: 'id' });
    await expectAlmanacError(provider.getUser('.'), { code: 'validation', field: 'id' });
    expect(fake.requests.filter((r) => r.includes('/users/.'))).toEqual([]);
  });

  it('pages with page/per_page (≤ 100) and include_totals, in created_at order, every user once', async () => {
    start({ users: seeds(250) });
    const identity = make();
    const users = await run(collect(identity.listUsers({ pageSize: 500 })));
    expect(users).toHaveLength(250);
    expect(new Set(users.map((u) => u.id)).size).toBe(250);
    expect(users[0]?.email).toBe('user00000@example.com');
    expect(users[249]?.email).toBe('user00249@example.com');
    const pages = fake.requests.filter((r) => r.startsWith('GET /api/v2/users?'));
    expect(pages).toEqual([0, 1, 2].map((page) => `GET /api/v2/users?page=${page}&per_page=100&include_totals=true&sort=created_at%3A1`));
  });

  it('searches with an escaped Lucene prefix on email OR name', async () => {
    start({ users: [{ email: 'a+b@example.com', name: 'Plus' }, { email: 'ab@example.com', name: 'A (b) c' }] });
    const identity = make();
    expect((await run(collect(identity.listUsers({ query: 'A+B' })))).map((u) => u.email)).toEqual(['a+b@example.com']);
    expect((await run(collect(identity.listUsers({ query: 'a (b' })))).map((u) => u.email)).toEqual(['ab@example.com']);
    const q = fake.requests.map((r) => new URL(r.split(' ')[1] as string, ORIGIN).searchParams.get('q')).filter((v) => v !== null);
    expect(q).toEqual(['email:a\\+b* OR name:a\\+b*', 'email:a\\ \\(b* OR name:a\\ \\(b*']);
  });

  it('escapeLucene escapes every reserved character and whitespace', () => {
    expect(escapeLucene('+-&|!(){}[]^"~*?:\\/ x')).toBe('\\+\\-\\&\\|\\!\\(\\)\\{\\}\\[\\]\\^\\"\\~\\*\\?\\:\\\\\\/\\ x');
    expect(escapeLucene('plain.user@example.com')).toBe('plain.user@example.com');
  });
});

describe('auth0: the 1,000-user cap', () => {
  it('a listing past 1,000 users switches to a users-export job and yields every user once', async () => {
    start({ users: seeds(1_200) });
    const identity = make();
    const users = await run(collect(identity.listUsers()));
    expect(users).toHaveLength(1_200);
    expect(new Set(users.map((u) => u.id)).size).toBe(1_200);
    expect(fake.requests.filter((r) => r.startsWith('GET /api/v2/users?'))).toHaveLength(1);
    expect(fake.requests).toContain('POST /api/v2/jobs/users-exports');
    expect(fake.requests.filter((r) => r.startsWith('GET /api/v2/jobs/'))).toHaveLength(2);
    expect(fake.requests.filter((r) => r.startsWith('GET export '))).toHaveLength(1);
  });

  it('a caller who wants at most 1,000 pages normally; a query past the cap exports and filters while streaming', async () => {
    start({ users: [...seeds(1_100), ...seeds(3, 'zed')] });
    const identity = make();
    expect(await run(collect(identity.listUsers({ limit: 1_000 })))).toHaveLength(1_000);
    expect(fake.jobs.size).toBe(0);
    expect(fake.requests.filter((r) => r.startsWith('GET /api/v2/users?'))).toHaveLength(10);
    // 'user' matches 1,100 users: past the cap, so the export streams and the prefix is applied locally.
    const matching = await run(collect(identity.listUsers({ query: 'user' })));
    expect(matching).toHaveLength(1_100);
    expect(fake.jobs.size).toBe(1);
    expect(matching.every((u) => u.email.startsWith('user'))).toBe(true);
  });

  it('an export stops at the limit (passed to the job when there is no query)', async () => {
    start({ users: seeds(1_500) });
    const identity = make();
    expect(await run(collect(identity.listUsers({ limit: 1_200 })))).toHaveLength(1_200);
    expect([...fake.jobs.values()][0]?.limit).toBe(1_200);
  });
});

describe('auth0: rate limits', () => {
  it('a 429 waits until x-ratelimit-reset (epoch seconds) on the clock, then succeeds', async () => {
    useManualClock();
    start({ users: seeds(1) });
    const identity = make();
    const id = (await run(identity.findUserByEmail('user00000@example.com')))?.id as string;
    fake.throttle(1, 5);
    const before = clock.now();
    const user = await run(identity.getUser(id));
    expect(user.id).toBe(id);
    expect(clock.now() - before).toBeGreaterThanOrEqual(4_000);
    expect(fake.requests.filter((r) => r === `GET /api/v2/users/${encodeURIComponent(id)}`)).toHaveLength(2);
  });

  it('without retries the 429 surfaces as RateLimitError with retryAfterMs from the reset header', async () => {
    useManualClock();
    start({ users: seeds(1) });
    const identity = make({ retry: { maxAttempts: 1 } });
    const id = (await run(identity.findUserByEmail('user00000@example.com')))?.id as string;
    const resetS = fake.throttle(1, 30);
    // Straight to the provider, without runWithClock: nothing needs to sleep, so the clock stands still.
    const error = await expectAlmanacError(identity.provider.getUser(id), { code: 'rate_limited', provider: 'auth0' });
    // The wait runs to the reset (epoch seconds), measured on the client's clock.
    expect(error.retryAfterMs).toBe(resetS * 1000 - clock.now());
    expect(error.retryAfterMs).toBeGreaterThan(29_000);
  });
});

describe('auth0: writes', () => {
  it('createUser posts to the default connection with app_metadata; a taken email is ConflictError', async () => {
    start();
    const identity = make();
    const user = await run(identity.createUser({ email: 'new@example.com', name: 'New', password: 'S3cret-pass!', metadata: { plan: 'pro' } }));
    expect(user).toMatchObject({ email: 'new@example.com', metadata: { plan: 'pro' } });
    await expectAlmanacError(run(identity.createUser({ email: 'new@example.com', name: 'Again' })), { code: 'conflict' });
    expect(fake.requests.filter((r) => r === 'POST /api/v2/users')).toHaveLength(2);
  });

  for (const kind of ['503', 'drop'] as const) {
    it(`a ${kind === '503' ? '503' : 'dropped connection'} after Auth0 created the user yields exactly one user (the facade finds it by email)`, async () => {
      start();
      const identity = make();
      fake.failNextCreateAfterCommit(kind);
      const user = await run(identity.createUser({ email: 'once@example.com', name: 'Once' }));
      expect(user.email).toBe('once@example.com');
      expect([...fake.users.values()].filter((u) => u.record['email'] === 'once@example.com')).toHaveLength(1);
      // One create (not retried by the client: POST), then the lookup.
      expect(fake.requests.filter((r) => r.startsWith('POST /api/v2/users'))).toHaveLength(1);
      expect(fake.requests).toContain('GET /api/v2/users-by-email?email=once%40example.com');
    });
  }

  it('updateUser merges app_metadata (null removes a key) and sends a password in its own PATCH', async () => {
    start({ users: [{ email: 'u@example.com', name: 'U', appMetadata: { keep: 1, drop: 2 } }] });
    const identity = make();
    const id = (await run(identity.findUserByEmail('u@example.com')))?.id as string;
    const updated = await run(identity.updateUser(id, { email: 'v@example.com', password: 'N3w-pass!', metadata: { drop: null, add: 3 } }));
    expect(updated.email).toBe('v@example.com');
    expect(updated.metadata).toEqual({ keep: 1, add: 3 });
    expect(fake.requests.filter((r) => r.startsWith('PATCH '))).toHaveLength(2);
    await expectAlmanacError(run(identity.updateUser('auth0|missing', { name: 'X' })), { code: 'not_found' });
  });

  it('blockUser PATCHes blocked: true and is retried after a 5xx (setting it twice changes nothing)', async () => {
    start({ users: seeds(1) });
    const identity = make();
    const id = (await run(identity.findUserByEmail('user00000@example.com')))?.id as string;
    const path = `/api/v2/users/${encodeURIComponent(id)}`;
    // Served before the fake: one 503 for the first PATCH.
    nock(ORIGIN).patch(path).reply(503, { statusCode: 503, error: 'Service Unavailable', message: 'try again' });
    await run(identity.blockUser(id));
    expect((await run(identity.getUser(id))).blocked).toBe(true);
    await run(identity.unblockUser(id));
    expect((await run(identity.getUser(id))).blocked).toBe(false);
  });

  it('deleteUser succeeds for a missing user', async () => {
    start();
    await expect(run(make().deleteUser('auth0|missing'))).resolves.toBeUndefined();
  });

  it('roles: list, assign and remove with { roles: [...] }; an unknown role is NotFoundError', async () => {
    start({ users: [{ email: 'r@example.com', name: 'R', roles: ['viewer'] }], roles: ['admin', 'viewer'] });
    const identity = make();
    const id = (await run(identity.findUserByEmail('r@example.com')))?.id as string;
    expect((await run(identity.listRoles())).map((r) => r.name).sort()).toEqual(['admin', 'viewer']);
    await run(identity.assignRoles(id, ['rol_admin']));
    await run(identity.assignRoles(id, ['rol_admin']));
    expect((await run(identity.listUserRoles(id))).map((r) => r.id).sort()).toEqual(['rol_admin', 'rol_viewer']);
    await run(identity.removeRoles(id, ['rol_viewer', 'rol_viewer2']));
    expect((await run(identity.listUserRoles(id))).map((r) => r.id)).toEqual(['rol_admin']);
    await expectAlmanacError(run(identity.assignRoles(id, ['rol_nope'])), { code: 'not_found' });
  });

  it('getMfaStatus lists confirmed second factors (never the password)', async () => {
    start({ users: [{ email: 'm@example.com', name: 'M', mfa: ['totp', 'phone'] }, { email: 'n@example.com', name: 'N' }] });
    const identity = make();
    const m = (await run(identity.findUserByEmail('m@example.com'))) as User;
    const n = (await run(identity.findUserByEmail('n@example.com'))) as User;
    expect(await run(identity.getMfaStatus(m.id))).toEqual({ enabled: true, methods: ['phone', 'totp'] });
    expect(await run(identity.getMfaStatus(n.id))).toEqual({ enabled: false, methods: [] });
  });

  it('revokeSessions is a capability only when enabled (Enterprise plans), then deletes sessions and refresh tokens', async () => {
    start({ users: seeds(1) });
    expect(make().capabilities.revokeSessions).toBe(false);
    const identity = make({ revokeSessions: true });
    const id = (await run(identity.findUserByEmail('user00000@example.com')))?.id as string;
    await run(identity.blockUser(id));
    expect(fake.requests).toContain(`DELETE /api/v2/users/${encodeURIComponent(id)}/sessions`);
    expect(fake.requests).toContain(`DELETE /api/v2/users/${encodeURIComponent(id)}/refresh-tokens`);
  });
});

describe('auth0: tokens', () => {
  it('caches the token: 20 concurrent calls after it expired make exactly one token request', async () => {
    const manual = useManualClock();
    start({ users: seeds(1), tokenLifetimeS: 3_600 });
    const identity = make();
    const id = (await run(identity.findUserByEmail('user00000@example.com')))?.id as string;
    expect(fake.tokenRequests).toBe(1);
    await run(identity.getUser(id));
    expect(fake.tokenRequests).toBe(1);
    manual.set(START + 3_600_000);
    const users = await run(Promise.all(Array.from({ length: 20 }, () => identity.getUser(id))));
    expect(users).toHaveLength(20);
    expect(fake.tokenRequests).toBe(2);
  });

  it('20 concurrent calls whose token Auth0 rejects (401) share one refresh', async () => {
    start({ users: seeds(1) });
    const identity = make();
    const id = (await run(identity.findUserByEmail('user00000@example.com')))?.id as string;
    fake.revokeIssuedTokens();
    await run(Promise.all(Array.from({ length: 20 }, () => identity.getUser(id))));
    expect(fake.tokenRequests).toBe(2);
  });

  for (const [status, body] of [
    [401, { error: 'access_denied', error_description: `Unauthorized (client_secret=${CLIENT_SECRET})` }],
    [500, { error: 'server_error', error_description: `internal error for ${CLIENT_SECRET}` }],
  ] as const) {
    it(`a token endpoint answering ${status} is an AuthError holding no secret, in its message or the logs`, async () => {
      start({ users: seeds(1) });
      const lines: string[] = [];
      const capture = (level: string) => (message: string, fields?: object) => lines.push(`${level} ${message} ${JSON.stringify(fields ?? {})}`);
      const logger: Logger = { debug: capture('debug'), info: capture('info'), warn: capture('warn'), error: capture('error') };
      const identity = make({ logger, retry: { maxAttempts: 2, random: () => 0 } });
      // A 500 is retried once (maxAttempts 2); both attempts fail.
      fake.failToken(status, body, 2);
      const error = await expectAlmanacError(run(identity.getUser('auth0|x')), { code: 'auth', provider: 'auth0' });
      expect(error.message).toContain(`HTTP ${status}`);
      const seen = [error.message, JSON.stringify(error), String(error.stack), JSON.stringify((error as AlmanacError).toJSON()), ...lines].join('\n');
      expect(seen).not.toContain(CLIENT_SECRET);
      expect(lines.length).toBeGreaterThan(0);
    });
  }
});

describe('auth0: options', () => {
  it('refuses bad options with ConfigError naming each field, never echoing the secret', () => {
    let caught: unknown;
    try {
      createAuth0IdentityProvider({ domain: 'https://evil.example/x', clientId: '', clientSecret: 'hunter2-secret' } as never);
    } catch (error) {
      caught = error;
    }
    expect(AlmanacError.isInstance(caught) && caught.code).toBe('config');
    const issues = (caught as { issues: { path: string }[] }).issues.map((i) => i.path);
    expect(issues).toEqual(expect.arrayContaining(['options.domain', 'options.clientId']));
    expect(JSON.stringify(caught)).not.toContain('hunter2-secret');
  });
});

describe('auth0: rate-limit gate (strict nock)', () => {
  useStrictNock();

  it('after x-ratelimit-remaining: 0 the next request waits for x-ratelimit-reset before it is sent', async () => {
    useManualClock();
    const resetS = Math.ceil(START / 1000) + 3;
    const user = { user_id: 'auth0|1', email: 'g@example.com', name: 'G', created_at: '2026-01-01T00:00:00.000Z' };
    nock(ORIGIN).post('/oauth/token').reply(200, { access_token: 'tok_gate_aaaaaaaaaaaa', expires_in: 86_400, token_type: 'Bearer' });
    nock(ORIGIN)
      .get('/api/v2/users/auth0%7C1')
      .reply(200, user, { 'x-ratelimit-limit': '2', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(resetS) });
    let sentAt = 0;
    nock(ORIGIN)
      .get('/api/v2/users/auth0%7C1')
      .reply(() => {
        sentAt = clock.now();
        return [200, user, { 'x-ratelimit-remaining': '1', 'x-ratelimit-reset': String(resetS + 1) }];
      });
    const provider = createAuth0IdentityProvider({ domain: DOMAIN, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, clock, requestTimeoutMs: LONG.requestTimeoutMs });
    await run(provider.getUser('auth0|1'));
    await run(provider.getUser('auth0|1'));
    expect(sentAt).toBeGreaterThanOrEqual(resetS * 1000);
  });
});
