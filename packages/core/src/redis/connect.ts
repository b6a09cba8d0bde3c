import { abortReason } from '../clock';
import { ValidationError } from '../errors';
import type { ValidationIssue } from '../errors';
import { createPeerLoader } from '../kit/peer';
import { silentLogger } from '../logger/types';
import type { Logger } from '../logger/types';
import { cryptoRandom } from '../retry/policy';
import type { RedisCommandClient } from './client';
import { redisError } from './command';

/** Options of {@link createRedisClient}. */
export interface RedisClientOptions {
  /** `redis://[[user]:password@]host:port[/db]` or `rediss://` for TLS. The password never appears in errors or logs. */
  url: string;
  /** Gives up connecting (rejects) after this long, in milliseconds. Default 10 000. */
  connectTimeoutMs?: number | undefined;
  /** Longest wait between reconnect attempts after a lost connection, in milliseconds; waits grow from 50 ms with full jitter. Default 5 000. */
  maxReconnectDelayMs?: number | undefined;
  /** Told (at warn level) when the connection drops and when a reconnect fails; the URL is never logged. */
  logger?: Logger | undefined;
  /** Aborts connecting. */
  signal?: AbortSignal | undefined;
  /** Extra node-redis `createClient` options (e.g. `socket.tls`), merged under the ones above. */
  clientOptions?: Readonly<Record<string, unknown>> | undefined;
}

/** A connected client from {@link createRedisClient}. */
export interface RedisConnection extends RedisCommandClient {
  /** Whether the connection is up now; commands fail fast with a `ProviderError` while it is not. */
  readonly isReady: boolean;
  /** Closes the connection once the commands already sent have their replies. */
  close(): Promise<void>;
}

/** The node-redis surface used here, typed structurally. */
interface NodeRedisClient {
  connect(): Promise<unknown>;
  sendCommand(args: ReadonlyArray<string>, options?: { abortSignal?: AbortSignal | undefined }): Promise<unknown>;
  on(event: 'error' | 'reconnecting' | 'ready', listener: (error?: unknown) => void): unknown;
  readonly isReady: boolean;
  close?(): Promise<void>;
  quit?(): Promise<unknown>;
  destroy?(): void;
}

interface NodeRedisModule {
  createClient(options: Record<string, unknown>): NodeRedisClient;
}

const BASE_RECONNECT_DELAY_MS = 50;

function checkOptions(options: RedisClientOptions): void {
  const issues: ValidationIssue[] = [];
  if (typeof options !== 'object' || options === null) throw new ValidationError(undefined, [{ path: 'options', message: 'must be an object' }]);
  if (typeof options.url !== 'string' || !/^rediss?:\/\//.test(options.url)) {
    issues.push({ path: 'options.url', message: 'must be a redis:// or rediss:// URL' });
  }
  for (const field of ['connectTimeoutMs', 'maxReconnectDelayMs'] as const) {
    const value = options[field];
    if (value !== undefined && (!Number.isSafeInteger(value) || value < 1)) issues.push({ path: `options.${field}`, message: 'must be a positive integer' });
  }
  if (issues.length > 0) throw new ValidationError(undefined, issues);
}

/**
 * Connects a node-redis client set up for shared state: the offline queue is disabled, so
 * while Redis is unreachable every command fails at once with a `ProviderError` (each store
 * then applies its documented policy) instead of piling up in memory; lost connections are
 * retried forever with capped, jittered exponential backoff. Loads the optional peer `redis`
 * on first call.
 *
 * @throws `ConfigError` naming `npm install redis` when the package is missing; `ProviderError`
 * when the first connection fails within `connectTimeoutMs`.
 */
export async function createRedisClient(options: RedisClientOptions): Promise<RedisConnection> {
  checkOptions(options);
  const logger = options.logger ?? silentLogger;
  const connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
  const maxDelay = options.maxReconnectDelayMs ?? 5_000;
  const { signal } = options;
  if (signal?.aborted) throw abortReason(signal);
  const redis = await loadRedis();
  let connected = false;
  const client = redis.createClient({
    ...options.clientOptions,
    url: options.url,
    disableOfflineQueue: true,
    socket: {
      ...(options.clientOptions?.socket as Record<string, unknown> | undefined),
      connectTimeout: connectTimeoutMs,
      // Before the first connection succeeds, give up so the caller hears about it; after
      // that, keep trying with backoff (commands fail fast meanwhile).
      reconnectStrategy: (retries: number, cause: unknown) => {
        if (!connected) return cause instanceof Error ? cause : new Error(String(cause));
        return Math.floor(cryptoRandom() * Math.min(maxDelay, BASE_RECONNECT_DELAY_MS * 2 ** Math.min(retries, 20)));
      },
    },
  });
  // node-redis emits 'error' on every failed reconnect; without a listener it would crash the process.
  client.on('error', (error) => {
    if (connected) logger.warn('redis connection error', { provider: 'redis', error: redisError(error, 'connection').message });
  });
  client.on('reconnecting', () => logger.warn('redis reconnecting', { provider: 'redis' }));
  const onAbort = () => client.destroy?.();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    await client.connect();
    connected = true;
  } catch (error) {
    client.destroy?.();
    throw redisError(error, 'connect', signal);
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
  return {
    sendCommand: (args, commandOptions) => client.sendCommand(args, commandOptions),
    get isReady() {
      return client.isReady;
    },
    async close() {
      try {
        if (typeof client.close === 'function') await client.close();
        else await client.quit?.();
      } catch {
        client.destroy?.();
      }
    },
  };
}

// One loader per call site would re-import; the module cache makes that cheap, and no state
// is shared between clients (the house rule against global singletons is about state).
async function loadRedis(): Promise<NodeRedisModule> {
  return createPeerLoader<NodeRedisModule>({
    pkg: 'redis',
    provider: 'redis',
    importer: () => import('redis'),
    exportName: 'createClient',
    minVersion: '5.0',
    requiredBy: '@almanac/core/redis',
    purpose: 'connect to Redis',
  })();
}
