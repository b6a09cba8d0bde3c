import { ProviderError, RateLimitError, TimeoutError, createManualClock } from '@almanac/core';
import { expectAlmanacError, runWithClock } from '@almanac/core/testing';
import { describe, expect, it } from 'vitest';
import { createAuditLog, createIdentity, createMemoryAuditStore } from '../src';
import type { AuditEntry } from '../src';
import { createMemoryIdentity, createMemoryIdentityProvider } from '../src/adapters/memory';

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

async function entriesOf(log: ReturnType<typeof createAuditLog>): Promise<AuditEntry[]> {
  return collect(log.entries());
}

const users = Array.from({ length: 25 }, (_, i) => ({ email: `user${String(i).padStart(2, '0')}@example.com`, name: `User ${i}` }));

describe('createUser never creates twice', () => {
  it('a 503 after the server created the user → exactly one user, found by email', async () => {
    const identity = createMemoryIdentity();
    identity.provider.failNext('createUser', { error: new ProviderError('upstream 503', { status: 503 }), when: 'after' });
    const user = await identity.createUser({ email: 'ada@example.com', name: 'Ada' });
    expect(user.email).toBe('ada@example.com');
    expect(identity.provider.size).toBe(1);
    expect(identity.provider.callCount('createUser')).toBe(1);
    expect(identity.provider.callCount('findUserByEmail')).toBe(1);
  });

  it('a dropped connection (no status) after the write → one user', async () => {
    const identity = createMemoryIdentity();
    identity.provider.failNext('createUser', { error: new ProviderError('socket hang up', { cause: new Error('ECONNRESET') }), when: 'after' });
    await identity.createUser({ email: 'ada@example.com', name: 'Ada' });
    expect(identity.provider.size).toBe(1);
  });

  it('a timeout before the write → looks up, finds nothing, tries again, one user', async () => {
    const clock = createManualClock(0);
    const identity = createMemoryIdentity({ clock });
    identity.provider.failNext('createUser', { error: new TimeoutError('timed out'), when: 'before' });
    // The retry waits out a back-off on the injected clock.
    await runWithClock(clock, identity.createUser({ email: 'ada@example.com', name: 'Ada' }));
    expect(identity.provider.size).toBe(1);
    expect(identity.provider.callCount('createUser')).toBe(2);
    expect(identity.provider.callCount('findUserByEmail')).toBe(1);
  });

  it('when the lookup also fails, it gives up instead of risking a duplicate', async () => {
    const identity = createMemoryIdentity();
    identity.provider.failNext('createUser', { error: new ProviderError('503', { status: 503 }), when: 'before' });
    identity.provider.failNext('findUserByEmail', { error: new ProviderError('503', { status: 503 }) });
    await expectAlmanacError(identity.createUser({ email: 'ada@example.com', name: 'Ada' }), { code: 'provider' });
    expect(identity.provider.callCount('createUser')).toBe(1);
    expect(identity.provider.size).toBe(0);
  });

  it('a 4xx-class failure (rate limit) is not retried and not looked up', async () => {
    const identity = createMemoryIdentity();
    identity.provider.failNext('createUser', { error: new RateLimitError('429') });
    await expectAlmanacError(identity.createUser({ email: 'ada@example.com', name: 'Ada' }), { code: 'rate_limited' });
    expect(identity.provider.callCount('createUser')).toBe(1);
    expect(identity.provider.callCount('findUserByEmail')).toBe(0);
  });

  it('records attempts and recovery in the audit log', async () => {
    const audit = createAuditLog({ store: createMemoryAuditStore() });
    const identity = createMemoryIdentity({ audit, actor: 'alice' });
    identity.provider.failNext('createUser', { error: new ProviderError('503', { status: 503 }), when: 'after' });
    const user = await identity.createUser({ email: 'ada@example.com', name: 'Ada', metadata: { plan: 'pro' } });
    const [intent, entry, ...rest] = await entriesOf(audit);
    expect(rest).toEqual([]);
    // The intent names the email: the id does not exist yet.
    expect(intent).toMatchObject({ seq: 1, actor: 'alice', action: 'createUser', target: 'ada@example.com', outcome: 'attempt' });
    expect(entry).toMatchObject({
      actor: 'alice',
      action: 'createUser',
      target: user.id,
      outcome: 'success',
      details: { provider: 'memory', email: 'ada@example.com', attempts: 1, recovered: true, metadataKeys: ['plan'], attemptSeq: 1 },
    });
  });
});

describe('listUsers', () => {
  it('pages through every user in order and stops at limit', async () => {
    const identity = createMemoryIdentity({ users });
    const all = await collect(identity.listUsers({ pageSize: 7 }));
    expect(all.map((u) => u.email)).toEqual(users.map((u) => u.email));
    expect(identity.provider.callCount('listUsersPage')).toBe(4);
    expect(await collect(identity.listUsers({ pageSize: 7, limit: 9 }))).toHaveLength(9);
  });

  it('switches to the export when paging cannot reach every user, never truncating', async () => {
    const identity = createMemoryIdentity({ users, maxListable: 10 });
    const all = await collect(identity.listUsers({ pageSize: 5 }));
    expect(all).toHaveLength(25);
    expect(identity.provider.callCount('exportUsers')).toBe(1);
    // Wanting no more than the cap pages normally.
    await collect(identity.listUsers({ pageSize: 5, limit: 10 }));
    expect(identity.provider.callCount('exportUsers')).toBe(1);
  });

  it('without bulkExport, a capped listing fails with CapabilityError instead of truncating', async () => {
    const identity = createMemoryIdentity({ users, maxListable: 10, capabilities: { bulkExport: false } });
    await expectAlmanacError(() => collect(identity.listUsers()), { code: 'capability' });
  });

  it('a query without the search capability is refused before the provider is called', async () => {
    const identity = createMemoryIdentity({ users, capabilities: { search: false } });
    await expectAlmanacError(() => identity.listUsers({ query: 'user1' }), { code: 'capability' });
    expect(identity.provider.callCount('listUsersPage')).toBe(0);
  });

  it('an export that stalls longer than exportTimeoutMs fails with TimeoutError', async () => {
    const clock = createManualClock(0);
    const provider = createMemoryIdentityProvider({ users });
    const [first] = await collect(provider.exportUsers({ limit: 1 }));
    const stalled = {
      ...provider,
      exportUsers: () => ({
        async *[Symbol.asyncIterator]() {
          yield first as NonNullable<typeof first>;
          await new Promise<never>(() => {});
        },
      }),
    };
    const identity = createIdentity(stalled, { clock, exportTimeoutMs: 5_000 });
    const seen: string[] = [];
    const listing = (async () => {
      for await (const user of identity.exportUsers()) seen.push(user.id);
    })();
    await expectAlmanacError(runWithClock(clock, listing), { code: 'timeout', operation: 'exportUsers' });
    expect(seen).toEqual([first?.id]);
  });

  it('a provider repeating a cursor is stopped', async () => {
    const provider = createMemoryIdentityProvider({ users });
    const looping = { ...provider, listUsersPage: async () => ({ items: [], cursor: 'same' }) };
    await expectAlmanacError(() => collect(createIdentity(looping).listUsers()), { code: 'provider' });
  });
});

describe('blockUser', () => {
  it('revokes sessions by default and records both in the audit log with the actor', async () => {
    const audit = createAuditLog({ store: createMemoryAuditStore() });
    const identity = createMemoryIdentity({ users, audit });
    const [first] = await collect(identity.listUsers({ limit: 1 }));
    const id = (first as { id: string }).id;
    await identity.blockUser(id, { actor: 'bob' });
    expect(identity.provider.sessionsRevokedAt(id)).toBeInstanceOf(Date);
    const [intent, entry, ...rest] = await entriesOf(audit);
    expect(rest).toEqual([]);
    expect(intent).toMatchObject({ seq: 1, actor: 'bob', action: 'blockUser', target: id, outcome: 'attempt', details: { provider: 'memory' } });
    expect(entry).toMatchObject({ seq: 2, actor: 'bob', action: 'blockUser', target: id, outcome: 'success', details: { sessionsRevoked: true, attemptSeq: 1 } });
    expect(await audit.verify()).toMatchObject({ ok: true, entries: 2 });
  });

  it('skips revocation when asked, and refuses an explicit revocation the provider cannot do', async () => {
    const identity = createMemoryIdentity({ users, capabilities: { revokeSessions: false } });
    const [first] = await collect(identity.listUsers({ limit: 1 }));
    const id = (first as { id: string }).id;
    await expectAlmanacError(identity.blockUser(id, { revokeSessions: true }), { code: 'capability' });
    expect((await identity.getUser(id)).blocked).toBe(false);
    await identity.blockUser(id);
    expect((await identity.getUser(id)).blocked).toBe(true);
  });

  it('audits failures too', async () => {
    const audit = createAuditLog({ store: createMemoryAuditStore() });
    const identity = createMemoryIdentity({ audit });
    await expect(identity.blockUser('usr_missing')).rejects.toMatchObject({ code: 'not_found' });
    const entries = await entriesOf(audit);
    expect(entries.map((e) => e.outcome)).toEqual(['attempt', 'failure']);
    expect(entries[1]).toMatchObject({ action: 'blockUser', target: 'usr_missing', outcome: 'failure', details: { errorCode: 'not_found', attemptSeq: 1 } });
  });
});

describe('facade', () => {
  it('refuses a provider written for another spec version', () => {
    const provider = { ...createMemoryIdentityProvider(), specificationVersion: 'v2' };
    expect(() => createIdentity(provider as never)).toThrow(/specificationVersion/);
  });

  it('maps a deadline to TimeoutError and a provider crash to ProviderError', async () => {
    const clock = createManualClock(0);
    const provider = createMemoryIdentityProvider({ users });
    const hanging = { ...provider, getUser: () => new Promise<never>(() => {}) };
    const identity = createIdentity(hanging, { clock, timeoutMs: 1_000 });
    const pending = identity.getUser('usr_00000001');
    const outcome = expectAlmanacError(pending, { code: 'timeout' });
    await clock.advance(1_000);
    await outcome;
    const crashing = createIdentity({ ...provider, getUser: async () => { throw new TypeError('boom'); } });
    await expectAlmanacError(crashing.getUser('usr_00000001'), { code: 'provider', provider: 'memory', operation: 'getUser' });
  });

  it('emits one operation event per call through onEvent', async () => {
    const events: { operation: string; outcome: string }[] = [];
    const identity = createMemoryIdentity({ users, onEvent: (e) => events.push(e) });
    await identity.getUser('usr_00000001');
    await expect(identity.getUser('nope')).rejects.toThrow();
    expect(events.map((e) => `${e.operation}:${e.outcome}`)).toEqual(['getUser:ok', 'getUser:error']);
  });

  it('validates patches: at least one field, no unknown keys', async () => {
    const identity = createMemoryIdentity({ users });
    await expectAlmanacError(identity.updateUser('usr_00000001', {}), { code: 'validation', field: 'patch' });
    await expectAlmanacError(identity.updateUser('usr_00000001', { nmae: 'x' } as never), { code: 'validation' });
    await expectAlmanacError(identity.assignRoles('usr_00000001', []), { code: 'validation', field: 'roles' });
  });
});
