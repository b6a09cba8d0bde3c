// Wire-level tests of the Entra ID adapter against a nock fake of Microsoft Graph v1.0
// (fixtures/entra/fake-graph.ts cites the documented shapes).
import { AlmanacError, createManualClock, systemClock } from '@almanac/core';
import type { Clock, Logger, ManualClock } from '@almanac/core';
import { expectAlmanacError, runWithClock } from '@almanac/core/testing';
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEntraIdentity, createEntraIdentityProvider, odataString } from '../src/adapters/entra';
import type { EntraIdentity, EntraIdentityOptions } from '../src/adapters/entra';
import type { User } from '../src/spec';
import { ROOT, startFakeGraph } from './fixtures/entra/fake-graph';
import type { FakeGraph, FakeGraphOptions, FakeGraphSeed } from './fixtures/entra/fake-graph';

const START = Date.parse('2026-03-01T00:00:00Z');
const APP_ID = '11111111-2222-3333-4444-555555555555';
const METADATA = `extension_${APP_ID.replace(/-/g, '')}_almanacMetadata`;
const LONG = { timeoutMs: 3_600_000, requestTimeoutMs: 3_600_000 };

let clock: Clock;
let fake: FakeGraph;

function useManualClock(): ManualClock {
  const manual = createManualClock(START);
  clock = manual;
  return manual;
}

const run = <T>(work: PromiseLike<T>): Promise<T> => (clock === systemClock ? Promise.resolve(work) : runWithClock(clock as ManualClock, work));

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

function seeds(count: number, prefix = 'user'): FakeGraphSeed[] {
  return Array.from({ length: count }, (_, i) => ({ email: `${prefix}${String(i).padStart(4, '0')}@contoso.example`, name: `${prefix} ${i}` }));
}

function start(options: Omit<FakeGraphOptions, 'now'> = {}): void {
  fake = startFakeGraph({ now: () => clock.now(), metadataProperty: METADATA, ...options });
}

function make(extra: Partial<EntraIdentityOptions> = {}): EntraIdentity {
  return createEntraIdentity({
    credential: fake.credential,
    clock,
    retry: { random: () => 0 },
    metadataExtension: { appId: APP_ID },
    ...(clock === systemClock ? {} : LONG),
    ...extra,
  });
}

const idOf = async (identity: EntraIdentity, email: string): Promise<string> => ((await run(identity.findUserByEmail(email))) as User).id;

beforeEach(() => {
  nock.disableNetConnect();
  clock = systemClock;
});

afterEach(() => {
  fake?.close();
  nock.cleanAll();
});

describe('entra: reading users', () => {
  it('maps a Graph user (mail, displayName, !accountEnabled, lastSuccessfulSignInDateTime, metadata extension) and asks for the Graph .default scope', async () => {
    start({
      users: [
        { email: 'ada@contoso.example', name: 'Ada', blocked: true, lastSuccessfulSignIn: '2026-02-01T10:00:00Z', metadataJson: '{"team":"analytics"}', createdAt: '2024-01-01T00:00:00Z' },
      ],
    });
    const identity = make();
    const user = (await run(identity.findUserByEmail('ADA@contoso.example'))) as User;
    expect(user).toMatchObject({ email: 'ada@contoso.example', name: 'Ada', blocked: true, metadata: { team: 'analytics' } });
    expect(user.lastLoginAt?.toISOString()).toBe('2026-02-01T10:00:00.000Z');
    expect(user.lastLoginIp).toBeUndefined();
    expect(user.createdAt.toISOString()).toBe('2024-01-01T00:00:00.000Z');
    expect(fake.credential.scopes).toEqual(['https://graph.microsoft.com/.default']);
    expect(fake.requests[0]).toBe(
      `GET /v1.0/users?$filter=mail eq 'ADA@contoso.example' or userPrincipalName eq 'ADA@contoso.example'&$select=id,displayName,mail,userPrincipalName,accountEnabled,createdDateTime,signInActivity,${METADATA}&$top=5`,
    );
    await expectAlmanacError(run(identity.getUser('00000000-0000-4000-8000-00000000ffff')), { code: 'not_found', provider: 'entra' });
  });

  it('pages with $top and @odata.nextLink; the cursor is the whole link', async () => {
    start({ users: seeds(250) });
    const identity = make();
    const users = await run(collect(identity.listUsers({ pageSize: 100 })));
    expect(users).toHaveLength(250);
    expect(new Set(users.map((u) => u.id)).size).toBe(250);
    const pages = fake.requests.filter((r) => r.startsWith('GET /v1.0/users?'));
    expect(pages).toHaveLength(3);
    expect(pages[0]).toContain('$top=100');
    expect(pages[1]).toContain('$skiptoken=');
    const first = await run(identity.provider.listUsersPage({ pageSize: 100 }));
    expect(first.cursor?.startsWith(`${ROOT}/users?`)).toBe(true);
  });

  it('refuses a cursor that leaves the Graph root, before any request (it would carry our token)', async () => {
    start();
    const provider = make().provider;
    for (const cursor of ['https://evil.example/v1.0/users?$skiptoken=x', 'https://graph.microsoft.com/beta/users?$skiptoken=x', 'not a url']) {
      await expectAlmanacError(provider.listUsersPage({ cursor }), { code: 'validation', field: 'cursor' });
    }
    expect(fake.requests).toEqual([]);
  });

  it("searches with startswith on mail or displayName, doubling single quotes", async () => {
    start({ users: [{ email: "o'brien@contoso.example", name: "Pat O'Brien" }, { email: 'obi@contoso.example', name: 'Obi' }] });
    const identity = make();
    expect((await run(collect(identity.listUsers({ query: "O'B" })))).map((u) => u.email)).toEqual(["o'brien@contoso.example"]);
    expect(fake.requests.some((r) => r.includes("$filter=startswith(mail,'O''B') or startswith(displayName,'O''B')"))).toBe(true);
    expect(odataString("it's")).toBe("'it''s'");
  });
});

describe('entra: signInActivity', () => {
  it('a 403 on a $select with signInActivity is retried without it and turns the capability off for this instance', async () => {
    start({ premium: false, users: [{ email: 'a@contoso.example', name: 'A', lastSuccessfulSignIn: '2026-02-01T10:00:00Z' }] });
    const lines: string[] = [];
    const capture = (level: string) => (message: string) => lines.push(`${level} ${message}`);
    const logger: Logger = { debug: capture('debug'), info: capture('info'), warn: capture('warn'), error: capture('error') };
    const identity = make({ logger });
    expect(identity.capabilities.signInActivity).toBe(true);
    const users = await run(collect(identity.listUsers()));
    expect(users).toHaveLength(1);
    expect(users[0]?.lastLoginAt).toBeUndefined();
    expect(identity.capabilities.signInActivity).toBe(false);
    expect(identity.supports('signInActivity')).toBe(false);
    expect(lines.some((l) => l.startsWith('warn') && l.includes('signInActivity'))).toBe(true);
    const before = fake.requests.length;
    await run(identity.getUser(users[0]?.id as string));
    // Once off, it is not asked for again.
    expect(fake.requests.slice(before).every((r) => !r.includes('signInActivity'))).toBe(true);
    expect(fake.requests.filter((r) => r.includes('signInActivity'))).toHaveLength(1);
    // Another instance detects for itself.
    expect(make().capabilities.signInActivity).toBe(true);
  });

  it('stays on in a premium tenant, and can be switched off by option', async () => {
    start({ users: seeds(2) });
    const identity = make();
    await run(collect(identity.listUsers()));
    expect(identity.capabilities.signInActivity).toBe(true);
    const without = make({ signInActivity: false });
    expect(without.capabilities.signInActivity).toBe(false);
  });
});

describe('entra: groups and $batch', () => {
  it('adding a member twice succeeds (400 "already exist" is success); removing twice succeeds (404); an unknown group is NotFoundError', async () => {
    start({ users: seeds(1), groups: ['finance'] });
    const identity = make();
    const id = await idOf(identity, 'user0000@contoso.example');
    const finance = fake.idOf('group', 'finance');
    await run(identity.addToGroup(id, finance));
    await run(identity.addToGroup(id, finance));
    expect((await run(identity.listUserGroups(id))).map((g) => g.name)).toEqual(['finance']);
    await run(identity.removeFromGroup(id, finance));
    await run(identity.removeFromGroup(id, finance));
    expect(await run(identity.listUserGroups(id))).toEqual([]);
    await expectAlmanacError(run(identity.addToGroup(id, '00000000-0000-4000-8000-0000000000aa')), { code: 'not_found' });
    const adds = fake.requests.filter((r) => r === `POST /v1.0/groups/${finance}/members/$ref`);
    expect(adds).toHaveLength(2);
  });

  it('bulk membership goes 20 per $batch and reports per-request failures instead of throwing', async () => {
    start({ users: seeds(44), groups: ['engineering'] });
    const identity = make();
    const group = fake.idOf('group', 'engineering');
    const ids = [...fake.users.keys()];
    const missing = '00000000-0000-4000-8000-0000000000bb';
    // One already a member.
    (fake.users.get(ids[3] as string) as { groups: Set<string> }).groups.add(group);
    const report = await run(identity.provider.addGroupMembers(group, [...ids, missing]));
    expect(fake.batches.map((b) => b.requests.length)).toEqual([20, 20, 5]);
    expect(report.succeeded).toHaveLength(44);
    expect(report.failed).toEqual([{ id: missing, status: 404, code: 'Request_ResourceNotFound', message: expect.stringContaining(missing) }]);
    expect([...fake.users.values()].filter((u) => u.groups.has(group))).toHaveLength(44);
    const removed = await run(identity.provider.removeGroupMembers(group, ids.slice(0, 10)));
    expect(removed).toEqual({ succeeded: ids.slice(0, 10), failed: [] });
  });

  it('throttled requests inside a $batch are sent again after their Retry-After, on the clock', async () => {
    const manual = useManualClock();
    start({ users: seeds(5), groups: ['ops'] });
    const identity = make();
    const group = fake.idOf('group', 'ops');
    const ids = [...fake.users.keys()];
    fake.throttleBatch(2, 7);
    const before = manual.now();
    const report = await run(identity.provider.addGroupMembers(group, ids));
    expect(report).toEqual({ succeeded: expect.arrayContaining(ids), failed: [] });
    expect(fake.batches.map((b) => b.requests.length)).toEqual([5, 2]);
    expect(manual.now() - before).toBeGreaterThanOrEqual(7_000);
  });

  it('roles are directory roles: assigned and removed through $batch; an unknown role is NotFoundError', async () => {
    start({ users: [{ email: 'r@contoso.example', name: 'R', roles: ['viewer'] }], roles: ['admin', 'viewer'] });
    const identity = make();
    const id = await idOf(identity, 'r@contoso.example');
    const admin = fake.idOf('role', 'admin');
    const viewer = fake.idOf('role', 'viewer');
    expect((await run(identity.listRoles())).map((r) => r.name).sort()).toEqual(['admin', 'viewer']);
    await run(identity.assignRoles(id, [admin, viewer]));
    expect((await run(identity.listUserRoles(id))).map((r) => r.name).sort()).toEqual(['admin', 'viewer']);
    await run(identity.removeRoles(id, [viewer]));
    await run(identity.removeRoles(id, [viewer]));
    expect((await run(identity.listUserRoles(id))).map((r) => r.name)).toEqual(['admin']);
    const error = await expectAlmanacError(run(identity.assignRoles(id, [admin, '00000000-0000-4000-8000-0000000000cc'])), { code: 'not_found' });
    expect(error.message).toContain('1 of 2 changes failed');
  });
});

describe('entra: writes', () => {
  it('blockUser sets accountEnabled: false, then revokes sign-in sessions (the facade default)', async () => {
    start({ users: seeds(1) });
    const identity = make();
    const id = await idOf(identity, 'user0000@contoso.example');
    await run(identity.blockUser(id));
    const writes = fake.requests.filter((r) => !r.startsWith('GET'));
    expect(writes).toEqual([`PATCH /v1.0/users/${id}`, `POST /v1.0/users/${id}/revokeSignInSessions`]);
    expect((await run(identity.getUser(id))).blocked).toBe(true);
    await run(identity.unblockUser(id));
    expect((await run(identity.getUser(id))).blocked).toBe(false);
  });

  it('createUser sets the email as sign-in name and mail, metadata in the extension; a taken one is ConflictError', async () => {
    start();
    const identity = make();
    const user = await run(identity.createUser({ email: 'new.person@contoso.example', name: 'New Person', password: 'Pa55-word!', metadata: { plan: 'pro' } }));
    expect(user).toMatchObject({ email: 'new.person@contoso.example', name: 'New Person', blocked: false, metadata: { plan: 'pro' } });
    const stored = [...fake.users.values()][0]?.record as Record<string, unknown>;
    expect(stored).toMatchObject({ userPrincipalName: 'new.person@contoso.example', mail: 'new.person@contoso.example', [METADATA]: '{"plan":"pro"}' });
    await expectAlmanacError(run(identity.createUser({ email: 'new.person@contoso.example', name: 'Again' })), { code: 'conflict' });
  });

  for (const kind of ['503', 'drop'] as const) {
    it(`a ${kind === '503' ? '503' : 'dropped connection'} after Graph created the user yields exactly one user`, async () => {
      start();
      const identity = make();
      fake.failNextCreateAfterCommit(kind);
      const user = await run(identity.createUser({ email: 'once@contoso.example', name: 'Once', password: 'Pa55-word!' }));
      expect(user.email).toBe('once@contoso.example');
      expect(fake.users.size).toBe(1);
      expect(fake.requests.filter((r) => r.startsWith('POST /v1.0/users'))).toHaveLength(1);
    });
  }

  it('updateUser merges metadata into the extension JSON (null removes); too long or without the extension is ValidationError', async () => {
    start({ users: [{ email: 'm@contoso.example', name: 'M', metadataJson: '{"keep":1,"drop":2}' }] });
    const identity = make();
    const id = await idOf(identity, 'm@contoso.example');
    const updated = await run(identity.updateUser(id, { name: 'M2', metadata: { drop: null, add: 'x' } }));
    expect(updated).toMatchObject({ name: 'M2', metadata: { keep: 1, add: 'x' } });
    await expectAlmanacError(run(identity.updateUser(id, { metadata: { big: 'x'.repeat(300) } })), { code: 'validation', field: 'metadata' });
    const plain = createEntraIdentity({ credential: fake.credential });
    await expectAlmanacError(run(plain.updateUser(id, { metadata: { a: 1 } })), { code: 'validation', field: 'metadata' });
    expect((await run(plain.getUser(id))).metadata).toEqual({});
  });

  it('deleteUser succeeds when the user is already gone', async () => {
    start({ users: seeds(1) });
    const identity = make();
    const id = await idOf(identity, 'user0000@contoso.example');
    await run(identity.deleteUser(id));
    await run(identity.deleteUser(id));
    expect(fake.users.size).toBe(0);
  });

  it('getMfaStatus lists second factors from authentication methods (not the password or email)', async () => {
    start({ users: [{ email: 'mfa@contoso.example', name: 'Mfa', methods: ['microsoftAuthenticator', 'email', 'fido2'] }, { email: 'no@contoso.example', name: 'No' }] });
    const identity = make();
    expect(await run(identity.getMfaStatus(await idOf(identity, 'mfa@contoso.example')))).toEqual({ enabled: true, methods: ['fido2', 'microsoftAuthenticator'] });
    expect(await run(identity.getMfaStatus(await idOf(identity, 'no@contoso.example')))).toEqual({ enabled: false, methods: [] });
  });
});

describe('entra: throttling and tokens', () => {
  for (const status of [429, 503]) {
    it(`a ${status} with Retry-After is waited out on the clock, then the read succeeds`, async () => {
      const manual = useManualClock();
      start({ users: seeds(1) });
      const identity = make();
      const id = await idOf(identity, 'user0000@contoso.example');
      fake.throttle(1, 9, status);
      const before = manual.now();
      expect((await run(identity.getUser(id))).id).toBe(id);
      expect(manual.now() - before).toBeGreaterThanOrEqual(9_000);
    });
  }

  it('one getToken for 20 concurrent calls; the token is reused until shortly before it expires', async () => {
    const manual = useManualClock();
    start({ users: seeds(1) });
    const identity = make();
    const id = fake.users.keys().next().value as string;
    await run(Promise.all(Array.from({ length: 20 }, () => identity.getUser(id))));
    expect(fake.credential.calls).toBe(1);
    manual.set(START + 3_600_000);
    await run(Promise.all(Array.from({ length: 20 }, () => identity.getUser(id))));
    expect(fake.credential.calls).toBe(2);
  });

  it('a credential that throws becomes an AuthError that does not repeat its message', async () => {
    start();
    const secret = 'AADSTS7000215-client-secret-qwerty';
    const identity = createEntraIdentity({
      credential: { getToken: async () => Promise.reject(new Error(`Invalid client secret provided: ${secret}`)) },
    });
    const error = await expectAlmanacError(identity.getUser('x'), { code: 'auth', provider: 'entra' });
    expect(`${error.message} ${JSON.stringify(error)} ${String(error.stack)}`).not.toContain(secret);
  });

  it('refuses bad options with ConfigError naming the field', () => {
    let caught: unknown;
    try {
      createEntraIdentityProvider({ credential: {} as never, baseUrl: 'ftp://x', metadataExtension: { appId: 'nope' } });
    } catch (error) {
      caught = error;
    }
    expect(AlmanacError.isInstance(caught) && caught.code).toBe('config');
    expect((caught as { issues: { path: string }[] }).issues.map((i) => i.path)).toEqual(
      expect.arrayContaining(['options.credential', 'options.baseUrl', 'options.metadataExtension.appId']),
    );
  });
});
