import { createHash } from 'node:crypto';
import { abortReason } from '../clock';
import { AlmanacError, ProviderError, ValidationError } from '../errors';
import type { RedisCommandClient } from './client';

const MAX_DETAIL = 200;

/** Turns any failure of a Redis call into core's hierarchy: aborts stay aborts, the rest is a retryable `ProviderError`. */
export function redisError(error: unknown, operation: string, signal?: AbortSignal): Error {
  if (signal?.aborted) return abortReason(signal);
  if (AlmanacError.isInstance(error)) return error;
  // Redis replies name the problem (ECONNREFUSED, READONLY, NOSCRIPT, "client is closed"),
  // never the values sent, so the first line is safe to show; commands are not quoted.
  const detail = (error instanceof Error ? error.message : String(error)).split('\n')[0]?.slice(0, MAX_DETAIL);
  return new ProviderError(`Redis ${operation} failed: ${detail}`, { provider: 'redis', operation, retryable: true, cause: error });
}

/** Sends one command, mapping failures with {@link redisError}. */
export async function redisCommand(client: RedisCommandClient, args: string[], operation: string, signal?: AbortSignal): Promise<unknown> {
  if (signal?.aborted) throw abortReason(signal);
  try {
    return await (signal ? client.sendCommand(args, { abortSignal: signal }) : client.sendCommand(args));
  } catch (error) {
    throw redisError(error, operation, signal);
  }
}

/** A Lua script run by its SHA1 (`EVALSHA`), loaded with `EVAL` when the server does not have it yet. */
export interface RedisScript {
  run(client: RedisCommandClient, keys: string[], args: string[], operation: string, signal?: AbortSignal): Promise<unknown>;
}

/** Prepares a Lua script; the SHA is computed here so the common path is one `EVALSHA`. */
export function defineScript(source: string): RedisScript {
  const sha = createHash('sha1').update(source).digest('hex');
  return {
    async run(client, keys, args, operation, signal) {
      const tail = [String(keys.length), ...keys, ...args];
      try {
        return await redisCommand(client, ['EVALSHA', sha, ...tail], operation, signal);
      } catch (error) {
        // After a restart or SCRIPT FLUSH the cache is empty: EVAL loads it again.
        if (!/NOSCRIPT/.test(String((error as { cause?: { message?: unknown } | undefined }).cause?.message))) throw error;
        return redisCommand(client, ['EVAL', source, ...tail], operation, signal);
      }
    },
  };
}

/** Validates a structurally typed client. */
export function assertClient(client: unknown, path = 'options.client'): asserts client is RedisCommandClient {
  if (typeof (client as RedisCommandClient | undefined)?.sendCommand !== 'function') {
    throw new ValidationError(undefined, [{ path, message: 'must be a Redis client with sendCommand (e.g. from createRedisClient)' }]);
  }
}

/** Validates a key prefix; it keeps Almanac's keys apart from the application's. */
export function checkPrefix(prefix: unknown, fallback: string, path = 'options.prefix'): string {
  if (prefix === undefined) return fallback;
  if (typeof prefix !== 'string' || prefix.length === 0 || prefix.length > 200) {
    throw new ValidationError(undefined, [{ path, message: 'must be a non-empty string of at most 200 characters' }]);
  }
  return prefix;
}

/** Escapes a literal for a `SCAN MATCH` glob. */
export function globEscape(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}

/** Every key matching `prefix*`, by `SCAN` (never `KEYS`, which blocks the server). */
export async function scanPrefix(client: RedisCommandClient, prefix: string, operation: string, signal?: AbortSignal): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const reply = (await redisCommand(client, ['SCAN', cursor, 'MATCH', `${globEscape(prefix)}*`, 'COUNT', '500'], operation, signal)) as [
      string,
      string[],
    ];
    cursor = String(reply[0]);
    found.push(...reply[1]);
  } while (cursor !== '0');
  return [...new Set(found)];
}
