// The identity conformance suite against the Entra ID adapter, backed by the nock fake of
// Microsoft Graph (fixtures/entra/fake-graph.ts), seeded with the canonical fixture; once in a
// tenant with Entra ID P1 (sign-in activity readable) and once without (detected from the 403).
import nock from 'nock';
import { beforeAll } from 'vitest';
import { createEntraIdentity } from '../src/adapters/entra';
import type { EntraIdentity } from '../src/adapters/entra';
import { describeIdentityConformance } from '../src/testing';
import { startFakeGraph } from './fixtures/entra/fake-graph';
import type { FakeGraph } from './fixtures/entra/fake-graph';

const APP_ID = '11111111-2222-3333-4444-555555555555';
const METADATA = `extension_${APP_ID.replace(/-/g, '')}_almanacMetadata`;
/** The fixture's factor names as Graph authentication method kinds. */
const METHODS: Record<string, string> = { otp: 'softwareOath', sms: 'phone' };

beforeAll(() => {
  nock.disableNetConnect();
});

interface EntraHarness {
  readonly identity: EntraIdentity;
  readonly fake: FakeGraph;
}

for (const premium of [true, false]) {
  describeIdentityConformance({
    name: premium ? 'entra (Entra ID P1)' : 'entra (no premium licence: signInActivity detected off)',
    create: async (fixture) => {
      const fake = startFakeGraph({
        now: () => Date.now(),
        premium,
        metadataProperty: METADATA,
        groups: [...fixture.groups],
        roles: [...fixture.roles],
        users: fixture.users.map((u) => ({
          email: u.email,
          name: u.name,
          blocked: u.blocked,
          createdAt: '2024-01-01T00:00:00Z',
          groups: [...u.groups],
          roles: [...u.roles],
          methods: u.mfaMethods.map((m) => METHODS[m] ?? m),
          ...(Object.keys(u.metadata).length === 0 ? {} : { metadataJson: JSON.stringify(u.metadata) }),
          ...(u.lastLoginAt === undefined ? {} : { lastSuccessfulSignIn: u.lastLoginAt }),
        })),
      });
      const identity = createEntraIdentity({ credential: fake.credential, metadataExtension: { appId: APP_ID } });
      // Without the licence, the first read discovers it, as an application's first call would.
      if (!premium) await identity.findUserByEmail(fixture.users[0]?.email ?? 'x@conformance.example');
      const harness: EntraHarness = { identity, fake };
      return harness;
    },
    destroy: (harness) => (harness as EntraHarness).fake.close(),
  });
}
