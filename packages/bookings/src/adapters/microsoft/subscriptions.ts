// Graph change-notification subscriptions: create, renew, delete.
import { NotFoundError, ProviderError } from '@almanac/core';
import type { Clock } from '@almanac/core';
import type { CallOptions, WatchChannel, WatchRequest } from '../../spec';
import { parseIsoInstant } from '@almanac/oracle/time';
import { PROVIDER } from './errors';
import { asObject } from './transport';
import type { GraphTransport } from './transport';

/**
 * Longest lifetime requested for an event subscription, in minutes. Graph has accepted 4230
 * minutes (just under three days) for Outlook resources everywhere for years; newer tenants
 * allow more, but asking for more than a tenant allows is a 400, so the safe value is used and
 * callers renew (see `renewSubscriptionIfNeeded`).
 */
export const MAX_SUBSCRIPTION_MINUTES = 4230;

/** What the subscription calls need from the provider. */
export interface SubscriptionContext {
  /** Sends Graph calls. */
  readonly transport: GraphTransport;
  /** Clock for expiration times. */
  readonly clock: Clock;
  /** Graph resource of a calendar's events, e.g. `/users/{id}/events`. */
  readonly resourceOf: (calendarId: string) => string;
}

/** Options of a renewal. */
export interface RenewSubscriptionOptions extends CallOptions {
  /** Requested lifetime in seconds; clamped to {@link MAX_SUBSCRIPTION_MINUTES}. Default the maximum. */
  readonly ttlSeconds?: number | undefined;
}

function expiration(clock: Clock, ttlSeconds: number | undefined): string {
  const maxMs = MAX_SUBSCRIPTION_MINUTES * 60_000;
  const requested = ttlSeconds === undefined ? maxMs : Math.max(60_000, Math.floor(ttlSeconds * 1000));
  return new Date(clock.now() + Math.min(requested, maxMs)).toISOString();
}

function channelOf(body: Record<string, unknown>, calendarId: string, address: string, operation: string): WatchChannel {
  const id = body['id'];
  const expiresAt = typeof body['expirationDateTime'] === 'string' ? parseIsoInstant(body['expirationDateTime']) : undefined;
  if (typeof id !== 'string' || expiresAt === undefined) {
    throw new ProviderError(`${PROVIDER}: ${operation} returned no subscription id or expiration`, { provider: PROVIDER, operation });
  }
  return { id, calendarId, expiresAt, address };
}

/** `POST /subscriptions` for created, updated and deleted events of a calendar. */
export async function createSubscription(context: SubscriptionContext, request: WatchRequest): Promise<WatchChannel> {
  const body = asObject(
    await context.transport.send({
      method: 'POST',
      path: '/subscriptions',
      body: {
        changeType: 'created,updated,deleted',
        notificationUrl: request.address,
        // Without it Graph never sends reauthorizationRequired, subscriptionRemoved or missed,
        // and it cannot be added to a subscription later.
        // https://learn.microsoft.com/en-us/graph/change-notifications-lifecycle-events
        lifecycleNotificationUrl: request.lifecycleAddress ?? request.address,
        resource: context.resourceOf(request.calendarId),
        expirationDateTime: expiration(context.clock, request.ttlSeconds),
        clientState: request.token,
        latestSupportedTlsVersion: 'v1_2',
      },
      // A repeat would create a second subscription.
      idempotent: false,
      signal: request.signal,
    }),
    'POST /subscriptions',
  );
  return channelOf(body, request.calendarId, request.address, 'POST /subscriptions');
}

/** `PATCH /subscriptions/{id}` with a new expiration; setting an absolute time is safe to repeat. */
export async function renewSubscription(
  context: SubscriptionContext,
  channel: WatchChannel,
  options: RenewSubscriptionOptions = {},
): Promise<WatchChannel> {
  const body = asObject(
    await context.transport.send({
      method: 'PATCH',
      path: `/subscriptions/${encodeURIComponent(channel.id)}`,
      body: { expirationDateTime: expiration(context.clock, options.ttlSeconds) },
      idempotent: true,
      signal: options.signal,
    }),
    'PATCH /subscriptions',
  );
  const renewed = channelOf({ id: channel.id, ...body }, channel.calendarId, channel.address, 'PATCH /subscriptions');
  return { ...renewed, ...(channel.resourceId !== undefined ? { resourceId: channel.resourceId } : {}) };
}

/** `DELETE /subscriptions/{id}`; an already deleted or expired subscription counts as stopped. */
export async function deleteSubscription(context: SubscriptionContext, channel: WatchChannel, options: CallOptions = {}): Promise<void> {
  try {
    await context.transport.send({
      method: 'DELETE',
      path: `/subscriptions/${encodeURIComponent(channel.id)}`,
      idempotent: true,
      signal: options.signal,
    });
  } catch (error) {
    if (!NotFoundError.isInstance(error)) throw error;
  }
}
