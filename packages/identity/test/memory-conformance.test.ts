import { createMemoryIdentity } from '../src/adapters/memory';
import { describeIdentityConformance } from '../src/testing';
import { memorySeed } from './seed';

describeIdentityConformance({
  name: 'memory',
  create: (fixture) => ({ identity: createMemoryIdentity(memorySeed(fixture)) }),
});

// The same adapter with capabilities switched off: the gated tests skip, and the capability
// table check proves the facade refuses each missing capability before touching the provider.
describeIdentityConformance({
  name: 'memory (minimal: users only)',
  create: (fixture) => ({
    identity: createMemoryIdentity({
      ...memorySeed(fixture),
      capabilities: {
        createUser: false,
        search: false,
        block: false,
        revokeSessions: false,
        roles: false,
        groups: false,
        mfaStatus: false,
        signInActivity: false,
        bulkExport: false,
      },
    }),
  }),
});
