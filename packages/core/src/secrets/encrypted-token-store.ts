import { ValidationError, type ValidationIssue } from '../errors';
import { createSerialQueue } from './serial-queue';
import { type TokenStore, type TokenStoreCallOptions, assertTokenKey, assertTokenValue } from './token-store';
import type { TokenVault } from './vault';

/** Options of {@link createEncryptedTokenStore}. */
export interface EncryptedTokenStoreOptions {
  /** Where envelopes are kept. It only ever sees ciphertext. */
  store: TokenStore;
  /** Seals and opens the values. */
  vault: TokenVault;
}

/** A {@link TokenStore} that encrypts values before they reach the inner store. */
export interface EncryptedTokenStore extends TokenStore {
  /**
   * Re-encrypts every value sealed with a retired key under the current key, so the
   * retired key can then be removed from the keyring. Resolves the number rewritten.
   */
  rotate(options?: TokenStoreCallOptions): Promise<number>;
}

/**
 * Wraps a store so it holds only vault envelopes. Each envelope is bound to its key
 * (as associated data), so an envelope moved to another key — say, another user's
 * entry — fails with `IntegrityError` instead of yielding someone else's token.
 * Writes through this wrapper are serialised so `rotate` cannot overwrite a newer `set`.
 */
export function createEncryptedTokenStore(options: EncryptedTokenStoreOptions): EncryptedTokenStore {
  const issues: ValidationIssue[] = [];
  if (!isTokenStore(options?.store)) issues.push({ path: 'store', message: 'must implement TokenStore' });
  if (typeof options?.vault?.encrypt !== 'function' || typeof options.vault.decrypt !== 'function') {
    issues.push({ path: 'vault', message: 'must be a TokenVault' });
  }
  if (issues.length > 0) throw new ValidationError(undefined, issues);
  const { store, vault } = options;
  const writes = createSerialQueue();
  const bindingFor = (key: string) => ({ associatedData: `almanac.token-store:${key}` });

  return {
    async get(key, callOptions) {
      assertTokenKey(key);
      const envelope = await store.get(key, callOptions);
      return envelope === undefined ? undefined : vault.decrypt(envelope, bindingFor(key));
    },
    async set(key, value, callOptions) {
      assertTokenKey(key);
      assertTokenValue(value);
      const envelope = vault.encrypt(value, bindingFor(key));
      return writes.run(() => store.set(key, envelope, callOptions), callOptions?.signal);
    },
    async delete(key, callOptions) {
      assertTokenKey(key);
      return writes.run(() => store.delete(key, callOptions), callOptions?.signal);
    },
    async keys(callOptions) {
      return store.keys(callOptions);
    },
    async rotate(callOptions) {
      return writes.run(async () => {
        let rewritten = 0;
        for (const key of await store.keys(callOptions)) {
          const envelope = await store.get(key, callOptions);
          if (envelope === undefined || !vault.needsRotation(envelope)) continue;
          await store.set(key, vault.reencrypt(envelope, bindingFor(key)), callOptions);
          rewritten++;
        }
        return rewritten;
      }, callOptions?.signal);
    },
  };
}

function isTokenStore(value: unknown): value is TokenStore {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return ['get', 'set', 'delete', 'keys'].every((method) => typeof candidate[method] === 'function');
}
