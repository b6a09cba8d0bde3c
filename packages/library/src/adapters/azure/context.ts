import { callProvider } from '@almanac/core/kit';
import type { Clock, Logger, RetryPolicy } from '@almanac/core';
import type { ContainerClient } from '@azure/storage-blob';
import type { AzureSdkModule } from './client';
import { AZURE_PROVIDER, mapAzureError } from './errors';

/** Per-call options of {@link AzureContext.call}. */
export interface AzureCallOptions {
  /** The caller's signal. */
  readonly signal?: AbortSignal | undefined;
  /** Whether repeating the request is safe (no precondition, same effect twice). */
  readonly idempotent: boolean;
  /** Blob name, for error messages. */
  readonly key?: string | undefined;
}

/** What every operation of the adapter shares. */
export interface AzureContext {
  /** Resolves the container client and the SDK (loaded on first use). */
  readonly load: () => Promise<{ container: ContainerClient; sdk: AzureSdkModule }>;
  /** Clock for backoff, polling and SAS expiry. */
  readonly clock: Clock;
  /** Debug lines about retries. */
  readonly logger: Logger;
  /** Bytes per staged block, and the largest body sent in one request. */
  readonly blockSize: number;
  /** Blocks in flight at once. */
  readonly concurrency: number;
  /**
   * Runs one SDK request through the kit's `callProvider`: mapped once, retried only when
   * idempotent, an abort always wins. `fn` gets the signal to hand to the SDK as `abortSignal`.
   */
  call<T>(operation: string, fn: (signal: AbortSignal) => Promise<T>, options: AzureCallOptions): Promise<T>;
}

/** Builds an {@link AzureContext}. */
export function createAzureContext(settings: Omit<AzureContext, 'call'> & { readonly retry?: RetryPolicy | undefined }): AzureContext {
  const { clock, logger, retry } = settings;
  return {
    ...settings,
    call: (operation, fn, options) =>
      callProvider(fn, {
        provider: AZURE_PROVIDER,
        operation,
        idempotent: options.idempotent,
        signal: options.signal,
        retry,
        clock,
        logger,
        mapError: (error, { nowMs, signal }) => mapAzureError(error, { operation, key: options.key, signal, nowMs }),
      }),
  };
}
