import { type TokenStore, assertTokenKey, assertTokenValue, throwIfAborted } from './token-store';

/**
 * Creates an in-process {@link TokenStore}. Contents vanish with the process; meant for
 * tests, short-lived workers, or as the inner store of an encrypted store.
 */
export function createMemoryTokenStore(): TokenStore {
  const entries = new Map<string, string>();
  return {
    async get(key, options) {
      assertTokenKey(key);
      throwIfAborted(options?.signal);
      return entries.get(key);
    },
    async set(key, value, options) {
      assertTokenKey(key);
      assertTokenValue(value);
      throwIfAborted(options?.signal);
      entries.set(key, value);
    },
    async delete(key, options) {
      assertTokenKey(key);
      throwIfAborted(options?.signal);
      return entries.delete(key);
    },
    async keys(options) {
      throwIfAborted(options?.signal);
      return [...entries.keys()].sort();
    },
  };
}
