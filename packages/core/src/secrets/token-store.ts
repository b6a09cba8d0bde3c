import { abortReason } from '../clock';
import { ValidationError } from '../errors';

/** Per-call options of a {@link TokenStore}. */
export interface TokenStoreCallOptions {
  /** Aborts the call if it has not started its write yet. */
  signal?: AbortSignal | undefined;
}

/**
 * Async key-value storage for secrets such as OAuth tokens. Values are opaque strings;
 * wrap a store with `createEncryptedTokenStore` so only envelopes are persisted.
 */
export interface TokenStore {
  /** The value under `key`, or `undefined` when there is none. */
  get(key: string, options?: TokenStoreCallOptions): Promise<string | undefined>;
  /** Stores `value` under `key`, replacing any previous value. */
  set(key: string, value: string, options?: TokenStoreCallOptions): Promise<void>;
  /** Removes `key`; resolves `true` if it existed. */
  delete(key: string, options?: TokenStoreCallOptions): Promise<boolean>;
  /** Every key currently stored, sorted. */
  keys(options?: TokenStoreCallOptions): Promise<string[]>;
}

/** Longest accepted key, to keep files and error messages sane. */
export const MAX_TOKEN_KEY_LENGTH = 1024;

/** Throws {@link ValidationError} unless `key` is a non-empty string of sane length. */
export function assertTokenKey(key: unknown): asserts key is string {
  if (typeof key !== 'string' || key.length === 0 || key.length > MAX_TOKEN_KEY_LENGTH) {
    throw new ValidationError(undefined, [
      { path: 'key', message: `must be a non-empty string of at most ${MAX_TOKEN_KEY_LENGTH} characters` },
    ]);
  }
}

/** Throws {@link ValidationError} unless `value` is a string. */
export function assertTokenValue(value: unknown): asserts value is string {
  if (typeof value !== 'string') {
    throw new ValidationError(undefined, [{ path: 'value', message: 'must be a string' }]);
  }
}

/** Throws the abort reason when `signal` has already aborted. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw abortReason(signal);
}
