import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMemoryIdentity, createMemoryIdentityProvider } from '../src/adapters/memory';

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

describe('memory identity provider', () => {
  it('hashes passwords with scrypt: checkable, never returned or exposed as a hash', async () => {
    const identity = createMemoryIdentity();
    const a = await identity.createUser({ email: 'a@example.com', name: 'A', password: 'correct horse battery staple' });
    const b = await identity.createUser({ email: 'b@example.com', name: 'B', password: 'correct horse battery staple' });
    expect(await identity.provider.checkPassword(a.id, 'correct horse battery staple')).toBe(true);
    expect(await identity.provider.checkPassword(a.id, 'Correct horse battery staple')).toBe(false);
    const shown = JSON.stringify([a, b, await identity.getUser(a.id), await collect(identity.listUsers()), await collect(identity.exportUsers())]);
    expect(shown).not.toContain('correct horse');
    expect(shown).not.toContain('scrypt$');
    expect((a.raw as { hasPassword: boolean }).hasPassword).toBe(true);
    await identity.updateUser(a.id, { password: 'new one' });
    expect(await identity.provider.checkPassword(a.id, 'new one')).toBe(true);
    expect(await identity.provider.checkPassword(a.id, 'correct horse battery staple')).toBe(false);
  });

  it('seeds with explicit and generated ids and refuses duplicates or unknown roles, naming the field', () => {
    const provider = createMemoryIdentityProvider({ roles: ['admin'], users: [{ email: 'x@example.com' }, { id: 'usr_00000001', email: 'y@example.com' }] });
    expect(provider.size).toBe(2);
    expect(() => createMemoryIdentityProvider({ users: [{ email: 'x@example.com' }, { email: 'X@example.com' }] })).toThrow(
      expect.objectContaining({ issues: [expect.objectContaining({ path: 'options.users.1.email' })] }),
    );
    expect(() => createMemoryIdentityProvider({ users: [{ email: 'x@example.com', roles: ['root'] }] })).toThrow(
      expect.objectContaining({ issues: [expect.objectContaining({ path: 'options.users.0.roles.0' })] }),
    );
    expect(() => createMemoryIdentityProvider({ users: [{ email: 'not an email' }] })).toThrow(
      expect.objectContaining({ code: 'validation', issues: [expect.objectContaining({ path: 'options.users.0.email' })] }),
    );
  });

  it('an idempotency key returns the first user instead of a conflict', async () => {
    const identity = createMemoryIdentity();
    const first = await identity.createUser({ email: 'a@example.com', name: 'A', idempotencyKey: 'k1' });
    const again = await identity.createUser({ email: 'a@example.com', name: 'A', idempotencyKey: 'k1' });
    expect(again.id).toBe(first.id);
    expect(identity.provider.size).toBe(1);
  });

  it('concurrent creates of one email make one user and one ConflictError', async () => {
    const identity = createMemoryIdentity();
    const results = await Promise.allSettled([
      identity.createUser({ email: 'a@example.com', name: 'A', password: 'pw-1' }),
      identity.createUser({ email: 'A@example.com', name: 'A', password: 'pw-2' }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(identity.provider.size).toBe(1);
  });

  it('property: paging never skips or repeats a user that exists throughout, whatever is created or deleted between pages', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 1, max: 9 }),
        fc.array(fc.oneof(fc.record({ op: fc.constant('create' as const), n: fc.nat() }), fc.record({ op: fc.constant('delete' as const), n: fc.nat() })), {
          maxLength: 20,
        }),
        async (count, pageSize, changes) => {
          const provider = createMemoryIdentityProvider({
            users: Array.from({ length: count }, (_, i) => ({ id: `u${String(i * 2).padStart(3, '0')}`, email: `u${i}@example.com` })),
          });
          const stable = new Set(Array.from({ length: count }, (_, i) => `u${String(i * 2).padStart(3, '0')}`));
          const seen: string[] = [];
          let cursor: string | undefined;
          let step = 0;
          let created = 0;
          do {
            const page = await provider.listUsersPage({ pageSize, ...(cursor === undefined ? {} : { cursor }) });
            seen.push(...page.items.map((u) => u.id));
            cursor = page.cursor;
            const change = changes[step++];
            if (change?.op === 'create') await provider.createUser({ email: `new${created++}@example.com`, name: 'New' });
            if (change?.op === 'delete' && count > 0) {
              const victim = `u${String((change.n % count) * 2).padStart(3, '0')}`;
              await provider.deleteUser(victim);
              stable.delete(victim);
            }
          } while (cursor !== undefined);
          expect(new Set(seen).size).toBe(seen.length);
          for (const id of stable) expect(seen).toContain(id);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('switched-off sign-in activity and MFA leave the user fields absent, never guessed', async () => {
    const identity = createMemoryIdentity({
      users: [{ email: 'a@example.com', lastLoginAt: new Date('2026-01-01T00:00:00Z'), mfaMethods: ['otp'] }],
      capabilities: { signInActivity: false, mfaStatus: false },
    });
    const [user] = await collect(identity.listUsers());
    expect(user).toBeDefined();
    expect('lastLoginAt' in (user as object)).toBe(false);
    expect('mfaEnabled' in (user as object)).toBe(false);
  });
});
