import { createMemory__Domain__ } from '../src/adapters/memory/index';
import { describe__Domain__Conformance } from '../src/testing/index';

describe__Domain__Conformance({
  name: 'memory',
  create: (fixture) => createMemory__Domain__({ items: fixture.items }),
});

// The same adapter without its optional capability: the gated tests skip, and the capability
// table check proves the facade refuses `search` before touching the provider.
describe__Domain__Conformance({
  name: 'memory (no search)',
  create: (fixture) => createMemory__Domain__({ items: fixture.items, capabilities: { search: false } }),
});
