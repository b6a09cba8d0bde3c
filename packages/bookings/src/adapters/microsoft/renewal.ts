// Keeping Graph subscriptions alive: they expire within days and must be renewed in time.
import { CapabilityError } from '@almanac/core';
import type { CalendarProvider, WatchChannel } from '../../spec';
import { PROVIDER } from './errors';
import { isMicrosoftProvider } from './provider';

/** Options of {@link renewSubscriptionIfNeeded}. */
export interface RenewIfNeededOptions {
  /** The current time (epoch ms or `Date`), from your clock. */
  readonly now: number | Date;
  /** Renew when the subscription expires within this many ms. Default one hour. */
  readonly renewBeforeMs?: number | undefined;
  /** New lifetime in seconds; clamped to Graph's maximum. Default the maximum. */
  readonly ttlSeconds?: number | undefined;
  /** Aborts the renewal call. */
  readonly signal?: AbortSignal | undefined;
}

const DEFAULT_RENEW_BEFORE_MS = 60 * 60_000;

/**
 * Renews a Graph subscription (`PATCH /subscriptions/{id}`) if it expires within
 * `renewBeforeMs`, and returns the channel to keep (the same one when no renewal was due).
 * `calendar` is a Calendar from `createMicrosoftCalendar` or the provider itself.
 */
export async function renewSubscriptionIfNeeded(
  calendar: { readonly provider: CalendarProvider } | CalendarProvider,
  channel: WatchChannel,
  options: RenewIfNeededOptions,
): Promise<WatchChannel> {
  const provider = 'provider' in calendar ? calendar.provider : calendar;
  if (!isMicrosoftProvider(provider)) {
    throw new CapabilityError('Graph subscription renewal', { provider: provider.name ?? PROVIDER, operation: 'renewSubscriptionIfNeeded' });
  }
  const now = typeof options.now === 'number' ? options.now : options.now.getTime();
  if (channel.expiresAt.getTime() - now > (options.renewBeforeMs ?? DEFAULT_RENEW_BEFORE_MS)) return channel;
  return provider.renewSubscription(channel, {
    ...(options.ttlSeconds !== undefined ? { ttlSeconds: options.ttlSeconds } : {}),
    ...(options.signal !== undefined ? { signal: options.signal } : {}),
  });
}
