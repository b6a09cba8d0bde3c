// The identity conformance suite against the Auth0 adapter, backed by the nock fake tenant
// (fixtures/auth0/fake-tenant.ts), seeded with the canonical fixture.
import nock from 'nock';
import { beforeAll } from 'vitest';
import { createAuth0Identity } from '../src/adapters/auth0';
import type { Auth0Identity } from '../src/adapters/auth0';
import { describeIdentityConformance } from '../src/testing';
import { CLIENT_ID, CLIENT_SECRET, DOMAIN, startFakeAuth0 } from './fixtures/auth0/fake-tenant';
import type { FakeAuth0 } from './fixtures/auth0/fake-tenant';

beforeAll(() => {
  nock.disableNetConnect();
});

interface Auth0Harness {
  readonly identity: Auth0Identity;
  readonly fake: FakeAuth0;
}

for (const revokeSessions of [false, true]) {
  describeIdentityConformance({
    name: revokeSessions ? 'auth0 (Enterprise: revokeSessions)' : 'auth0',
    create: (fixture) => {
      const fake = startFakeAuth0({
        now: () => Date.now(),
        roles: [...fixture.roles],
        users: fixture.users.map((u) => ({
          email: u.email,
          name: u.name,
          blocked: u.blocked,
          createdAt: '2024-01-01T00:00:00.000Z',
          roles: [...u.roles],
          mfa: [...u.mfaMethods],
          appMetadata: { ...u.metadata },
          ...(u.lastLoginAt === undefined ? {} : { lastLogin: u.lastLoginAt }),
          ...(u.lastLoginIp === undefined ? {} : { lastIp: u.lastLoginIp }),
        })),
      });
      const identity = createAuth0Identity({ domain: DOMAIN, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, revokeSessions, exportPollIntervalMs: 1 });
      const harness: Auth0Harness = { identity, fake };
      return harness;
    },
    destroy: (harness) => (harness as Auth0Harness).fake.close(),
  });
}
