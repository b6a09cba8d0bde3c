// Acting on Graph lifecycle notifications, so a subscription survives token changes, removal
// and dropped notifications.
// https://learn.microsoft.com/en-us/graph/change-notifications-lifecycle-events
import { CapabilityError, NotFoundError, ValidationError } from '@almanac/core';
import type { CalendarProvider, WatchChannel } from '../../spec';
import { PROVIDER } from './errors';
import { isMicrosoftProvider } from './provider';
import type { GraphChangeNotification } from './webhook';

/** Options of {@link handleGraphLifecycleEvent}. */
export interface GraphLifecycleOptions {
  /** The secret (`clientState`) a re-created subscription carries: the `watch` token. */
  readonly token: string;
  /** Lifecycle URL of a re-created subscription. Default the channel's notification address. */
  readonly lifecycleAddress?: string | undefined;
  /** Lifetime of a renewed or re-created subscription in seconds. Default Graph's maximum. */
  readonly ttlSeconds?: number | undefined;
  /** Aborts the Graph calls. */
  readonly signal?: AbortSignal | undefined;
}

/** What {@link handleGraphLifecycleEvent} did. */
export interface GraphLifecycleOutcome {
  /**
   * `renewed` (reauthorizationRequired: the subscription was renewed, which also reauthorises
   * it), `recreated` (subscriptionRemoved, or a renewal that found it gone), `resync` (missed),
   * `ignored` (a lifecycle event this version does not know).
   */
  readonly action: 'renewed' | 'recreated' | 'resync' | 'ignored';
  /** The channel to keep from now on (a new one after `recreated`). */
  readonly channel: WatchChannel;
  /**
   * Whether notifications may have been lost: run `sync` with your last token. True after
   * `missed` and after `recreated`.
   */
  readonly resync: boolean;
}

/**
 * Responds to one Graph lifecycle notification (from `handleGraphNotification`'s
 * `onLifecycle`) for `channel`: renews on `reauthorizationRequired`, re-creates the
 * subscription (with its lifecycle URL) on `subscriptionRemoved`, and asks for a resync on
 * `missed`. `calendar` is a Calendar from `createMicrosoftCalendar` or its provider.
 */
export async function handleGraphLifecycleEvent(
  calendar: { readonly provider: CalendarProvider } | CalendarProvider,
  channel: WatchChannel,
  notification: GraphChangeNotification,
  options: GraphLifecycleOptions,
): Promise<GraphLifecycleOutcome> {
  const provider = 'provider' in calendar ? calendar.provider : calendar;
  if (!isMicrosoftProvider(provider)) {
    throw new CapabilityError('Graph lifecycle notifications', { provider: provider.name ?? PROVIDER, operation: 'handleGraphLifecycleEvent' });
  }
  if (notification.subscriptionId !== channel.id) {
    throw new ValidationError(undefined, [{ path: 'notification.subscriptionId', message: `is not the channel's subscription (${channel.id})` }], {
      provider: PROVIDER,
      operation: 'handleGraphLifecycleEvent',
    });
  }
  const call = {
    ...(options.ttlSeconds !== undefined ? { ttlSeconds: options.ttlSeconds } : {}),
    ...(options.signal !== undefined ? { signal: options.signal } : {}),
  };
  const recreate = async (): Promise<GraphLifecycleOutcome> => {
    const created = await provider.watch({
      calendarId: channel.calendarId,
      address: channel.address,
      lifecycleAddress: options.lifecycleAddress ?? channel.address,
      token: options.token,
      ...call,
    });
    return { action: 'recreated', channel: created, resync: true };
  };
  switch (notification.lifecycleEvent) {
    case 'reauthorizationRequired':
      try {
        return { action: 'renewed', channel: await provider.renewSubscription(channel, call), resync: false };
      } catch (error) {
        // Removed meanwhile: a new subscription is the only way back.
        if (NotFoundError.isInstance(error)) return recreate();
        throw error;
      }
    case 'subscriptionRemoved':
      return recreate();
    case 'missed':
      return { action: 'resync', channel, resync: true };
    default:
      return { action: 'ignored', channel, resync: false };
  }
}
