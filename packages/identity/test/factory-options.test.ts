import { describe, expect, it } from 'vitest';
import { createAuth0Identity } from '../src/adapters/auth0/index';
import { createMemoryIdentity } from '../src/adapters/memory/index';

type AnyFactory = (options?: unknown) => unknown;
const call = (factory: unknown, options?: unknown) => () => (factory as AnyFactory)(options);

describe('identity factories check their options', () => {
  it('createAuth0Identity() without options names every required one', () => {
    expect(call(createAuth0Identity)).toThrow(
      expect.objectContaining({ code: 'config', message: 'createAuth0Identity: options: must be an options object with domain, clientId, clientSecret, got nothing' }),
    );
  });

  it('suggests the option a typo meant and never prints the secret', () => {
    const attempt = call(createAuth0Identity, { domain: 'acme.eu.auth0.com', clientId: 'id', clientSecrett: 'top-secret-value' });
    expect(attempt).toThrow('options.clientSecrett: unknown option (did you mean "clientSecret"?)');
    expect(attempt).not.toThrow(/top-secret-value/);
    expect(call(createMemoryIdentity, { role: ['admin'] })).toThrow('did you mean "roles"?');
  });
});
