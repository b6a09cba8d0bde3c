import { ValidationError } from '../errors';
import { createEncryptedTokenStore } from '../secrets/encrypted-token-store';
import type { EncryptedTokenStore } from '../secrets/encrypted-token-store';
import { assertTokenKey, assertTokenValue } from '../secrets/token-store';
import type { TokenStore } from '../secrets/token-store';
import type { TokenVault } from '../secrets/vault';
import type { RedisCommandClient } from './client';
import { assertClient, checkPrefix, redisCommand, scanPrefix } from './command';

/** Options of {@link createRedisTokenStore}. */
export interface RedisTokenStoreOptions {
  /** A connected client, e.g. from `createRedisClient`. */
  client: RedisCommandClient;
  /** Seals values before they leave the process; Redis only ever holds envelopes. */
  vault: TokenVault;
  /** Prefix of every key this store writes. Default `almanac:tokens:`. */
  prefix?: string | undefined;
}

/**
 * Creates a {@link TokenStore} in Redis shared by every instance, holding only vault
 * envelopes: values are encrypted (AES-256-GCM, bound to their key) before they are sent, so
 * neither Redis, its persistence files nor its replicas see a token. `rotate()` re-encrypts
 * envelopes sealed with a retired key.
 *
 * When Redis is unreachable every call rejects with a retryable `ProviderError`.
 */
export function createRedisTokenStore(options: RedisTokenStoreOptions): EncryptedTokenStore {
  assertClient(options?.client);
  if (typeof options.vault?.encrypt !== 'function') throw new ValidationError(undefined, [{ path: 'options.vault', message: 'must be a TokenVault' }]);
  const { client } = options;
  const prefix = checkPrefix(options.prefix, 'almanac:tokens:');
  const inner: TokenStore = {
    async get(key, callOptions) {
      assertTokenKey(key);
      const value = await redisCommand(client, ['GET', prefix + key], 'tokens.get', callOptions?.signal);
      return value === null || value === undefined ? undefined : String(value);
    },
    async set(key, value, callOptions) {
      assertTokenKey(key);
      assertTokenValue(value);
      await redisCommand(client, ['SET', prefix + key, value], 'tokens.set', callOptions?.signal);
    },
    async delete(key, callOptions) {
      assertTokenKey(key);
      return (await redisCommand(client, ['DEL', prefix + key], 'tokens.delete', callOptions?.signal)) === 1;
    },
    async keys(callOptions) {
      const keys = await scanPrefix(client, prefix, 'tokens.keys', callOptions?.signal);
      return keys.map((key) => key.slice(prefix.length)).sort();
    },
  };
  return createEncryptedTokenStore({ store: inner, vault: options.vault });
}
