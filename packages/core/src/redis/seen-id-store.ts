import { ValidationError } from '../errors';
import type { SeenIdStore } from '../webhooks/seen-id-store';
import type { RedisCommandClient } from './client';
import { assertClient, checkPrefix, redisCommand } from './command';

/** Options of {@link createRedisSeenIdStore}. */
export interface RedisSeenIdStoreOptions {
  /** A connected client, e.g. from `createRedisClient`. */
  client: RedisCommandClient;
  /** Prefix of every key this store writes. Default `almanac:seen:`. */
  prefix?: string | undefined;
}

/**
 * Creates a {@link SeenIdStore} shared by every instance that uses the same Redis and prefix:
 * `add` is one `SET key 1 NX PX ttl`, atomic on the server, so of any number of instances
 * receiving the same delivery exactly one records it (and dispatches it).
 *
 * Fails closed: when Redis is unreachable `add` and `has` reject with a retryable
 * `ProviderError`, so the replay guard does not accept a delivery it cannot record; the
 * webhook sender sees an error status and redelivers later.
 */
export function createRedisSeenIdStore(options: RedisSeenIdStoreOptions): SeenIdStore {
  assertClient(options?.client);
  const { client } = options;
  const prefix = checkPrefix(options.prefix, 'almanac:seen:');
  return {
    async has(id, callOptions) {
      assertId(id);
      return (await redisCommand(client, ['EXISTS', prefix + id], 'seenIds.has', callOptions?.signal)) === 1;
    },
    async add(id, ttlMs, callOptions) {
      assertId(id);
      if (typeof ttlMs !== 'number' || !Number.isFinite(ttlMs) || ttlMs <= 0) {
        throw new ValidationError(undefined, [{ path: 'ttlMs', message: 'must be a positive number of milliseconds' }]);
      }
      const reply = await redisCommand(client, ['SET', prefix + id, '1', 'NX', 'PX', String(Math.ceil(ttlMs))], 'seenIds.add', callOptions?.signal);
      return reply === 'OK';
    },
  };
}

function assertId(id: unknown): asserts id is string {
  if (typeof id !== 'string' || id.length === 0 || id.length > 1024) {
    throw new ValidationError(undefined, [{ path: 'id', message: 'must be a non-empty string of at most 1024 characters' }]);
  }
}
