import type { MemorySeedUser } from '../src/adapters/memory';
import type { IdentityFixture } from '../src/testing';

/** The conformance fixture as memory seeds (role and group ids are their names). */
export function memorySeed(fixture: IdentityFixture): { users: MemorySeedUser[]; roles: string[]; groups: string[] } {
  return {
    roles: [...fixture.roles],
    groups: [...fixture.groups],
    users: fixture.users.map((u) => ({
      email: u.email,
      name: u.name,
      blocked: u.blocked,
      roles: [...u.roles],
      groups: [...u.groups],
      mfaMethods: [...u.mfaMethods],
      metadata: { ...u.metadata },
      createdAt: new Date('2024-01-01T00:00:00Z'),
      ...(u.lastLoginAt === undefined ? {} : { lastLoginAt: new Date(u.lastLoginAt) }),
      ...(u.lastLoginIp === undefined ? {} : { lastLoginIp: u.lastLoginIp }),
    })),
  };
}
