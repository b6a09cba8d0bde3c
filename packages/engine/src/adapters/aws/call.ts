import { type Clock, type Logger, type RetryPolicy, systemClock } from '@almanac/core';
import { callProvider } from '@almanac/core/kit';
import { AWS_PROVIDER, mapAwsError } from './errors';
import type { AwsService } from './sdk';

/** Settings shared by every call of one adapter instance. */
export interface AwsCallSettings {
  /** Clock of retry backoff. */
  readonly clock?: Clock | undefined;
  /** Told about retries at debug level. */
  readonly logger?: Logger | undefined;
  /** Retry policy of idempotent calls. */
  readonly retry?: RetryPolicy | undefined;
}

/**
 * Sends one command through core's `callProvider`: errors mapped by {@link mapAwsError}, the
 * caller's signal handed to the SDK, and retries only when `idempotent` (the SDK clients are
 * built with `maxAttempts: 1`, so this is the only retry layer).
 */
export type AwsCall = (
  service: AwsService,
  command: string,
  input: Record<string, unknown>,
  options: { readonly idempotent: boolean; readonly signal?: AbortSignal | undefined },
) => Promise<Record<string, unknown>>;

/** Builds the {@link AwsCall} of one adapter instance. */
export function awsCaller(settings: AwsCallSettings): AwsCall {
  const clock = settings.clock ?? systemClock;
  return (service, command, input, options) =>
    callProvider((signal) => service.send(command, input, signal), {
      provider: AWS_PROVIDER,
      operation: command,
      idempotent: options.idempotent,
      signal: options.signal,
      retry: settings.retry,
      clock,
      logger: settings.logger,
      mapError: (error, info) => mapAwsError(error, info.operation),
    });
}
