import type { Clock, Logger, RetryPolicy } from '@almanac/core';
import { callProvider } from '@almanac/core/kit';
import type { SafeToRetry } from '@almanac/core/kit';
import type { GoogleCalendarClient, GoogleRequestOptions, GoogleResponse } from './client';
import { GOOGLE_PROVIDER, googleRetryClassifier, mapGoogleError } from './errors';

/** What every Google operation shares within one adapter instance. */
export interface GoogleContext {
  /** Resolves the (lazily loaded) SDK client. */
  readonly client: () => Promise<GoogleCalendarClient>;
  /** Backoff sleeps, expiry checks, conference polling. */
  readonly clock: Clock;
  /** Retry policy for SDK calls. */
  readonly retry: RetryPolicy | undefined;
  /** Debug lines about retries. */
  readonly logger: Logger;
  /** Calendar zones learned from list responses, for events stored without `start.timeZone`. */
  readonly zones: Map<string, string>;
  /** Zone used when neither the event nor a list response named one. */
  readonly defaultTimeZone: string;
}

/** Options of {@link callGoogle}. */
export interface CallGoogleOptions {
  /** Whether repeating the call is safe by nature (reads, deletes, patches of absolute values). */
  readonly idempotent: boolean;
  /** What makes repeating a non-idempotent call safe, e.g. an event id derived from an idempotency key. */
  readonly safeToRetry?: SafeToRetry | undefined;
  /** The caller's signal. */
  readonly signal?: AbortSignal | undefined;
}

/**
 * Runs one SDK call through core's `callProvider`: retried only when idempotent or proven safe, with
 * {@link googleRetryClassifier}, on the injected clock; an abort ends it at once; every other
 * failure is mapped once by {@link mapGoogleError}. The SDK's own retry is switched off
 * (`retry: false`) so every wait uses the injected clock and honours our classifier.
 */
export async function callGoogle(
  context: GoogleContext,
  operation: string,
  invoke: (client: GoogleCalendarClient, options: GoogleRequestOptions) => Promise<GoogleResponse>,
  options: CallGoogleOptions,
): Promise<unknown> {
  const client = await context.client();
  return callProvider(async (signal) => (await invoke(client, { signal, retry: false })).data, {
    provider: GOOGLE_PROVIDER,
    operation,
    idempotent: options.idempotent,
    safeToRetry: options.safeToRetry,
    signal: options.signal,
    retry: context.retry,
    clock: context.clock,
    logger: context.logger,
    classify: googleRetryClassifier,
    mapError: (error, info) => mapGoogleError(error, info.operation, info.nowMs),
  });
}

/** The zone to read an event of `calendarId` in when it does not name one. */
export function zoneOf(context: GoogleContext, calendarId: string): string {
  return context.zones.get(calendarId) ?? context.defaultTimeZone;
}

/** Remembers a calendar's zone from a list response (`events.list` returns `timeZone`). */
export function learnZone(context: GoogleContext, calendarId: string, data: unknown): void {
  const zone = (data as { timeZone?: unknown } | undefined)?.timeZone;
  if (typeof zone === 'string' && zone) context.zones.set(calendarId, zone);
}
