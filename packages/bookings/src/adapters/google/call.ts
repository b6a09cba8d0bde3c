import { abortReason, withRetry } from '@almanac/core';
import type { Clock, Logger, RetryPolicy } from '@almanac/core';
import type { GoogleCalendarClient, GoogleRequestOptions, GoogleResponse } from './client';
import { googleRetryClassifier, mapGoogleError } from './errors';

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
  /** Whether repeating the call is safe (see `withRetry`). */
  readonly idempotent: boolean;
  /** The caller's signal. */
  readonly signal?: AbortSignal | undefined;
}

/**
 * Runs one SDK call under core's `withRetry`. The SDK's own retry is switched off
 * (`retry: false`) so every wait uses the injected clock and honours our classifier;
 * failures are mapped to core errors before classification.
 */
export async function callGoogle(
  context: GoogleContext,
  operation: string,
  invoke: (client: GoogleCalendarClient, options: GoogleRequestOptions) => Promise<GoogleResponse>,
  options: CallGoogleOptions,
): Promise<unknown> {
  const client = await context.client();
  return withRetry(
    async (_attempt, signal) => {
      try {
        return (await invoke(client, { signal, retry: false })).data;
      } catch (error) {
        if (signal.aborted) throw abortReason(signal);
        throw mapGoogleError(error, operation, context.clock.now());
      }
    },
    context.retry,
    {
      idempotent: options.idempotent,
      signal: options.signal,
      clock: context.clock,
      classify: googleRetryClassifier,
      onRetry: (event) =>
        context.logger.debug('google: retrying', { operation, attempt: event.attempt, delayMs: event.delayMs }),
    },
  );
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
