import { CapabilityError, NotFoundError, ProviderError, uuidv4 } from '@almanac/core';
import type { CallOptions, WatchChannel, WatchRequest } from '../../spec';
import { callGoogle } from './call';
import type { GoogleContext } from './call';
import { GOOGLE_PROVIDER } from './errors';

interface ChannelResponse {
  id?: string | undefined;
  resourceId?: string | undefined;
  expiration?: string | undefined;
}

/**
 * Starts a push channel via `events.watch` (`type: web_hook`). Google reports `expiration`
 * as a string of epoch milliseconds and may grant less than the requested `ttl` (its
 * maximum for events is about a week), so always schedule renewal from `expiresAt`.
 * Not retried: a repeated watch with the same channel id fails as not unique.
 */
export async function googleWatch(context: GoogleContext, request: WatchRequest): Promise<WatchChannel> {
  const requestBody = {
    id: uuidv4(),
    type: 'web_hook',
    address: request.address,
    token: request.token,
    ...(request.ttlSeconds !== undefined ? { params: { ttl: String(request.ttlSeconds) } } : {}),
  };
  const data = (await callGoogle(
    context,
    'events.watch',
    (client, options) => client.events.watch({ calendarId: request.calendarId, requestBody }, options),
    { idempotent: false, signal: request.signal },
  )) as ChannelResponse;
  const expiresAt = Number(data.expiration);
  if (!data.id || !Number.isFinite(expiresAt)) {
    throw new ProviderError('google: events.watch returned no channel id or expiration', {
      provider: GOOGLE_PROVIDER,
      operation: 'events.watch',
    });
  }
  return {
    id: data.id,
    ...(data.resourceId ? { resourceId: data.resourceId } : {}),
    calendarId: request.calendarId,
    expiresAt: new Date(expiresAt),
    address: request.address,
  };
}

/** Stops a channel via `channels.stop`; a channel Google no longer knows (404) counts as stopped. */
export async function googleUnwatch(context: GoogleContext, channel: WatchChannel, options?: CallOptions): Promise<void> {
  const requestBody = { id: channel.id, ...(channel.resourceId ? { resourceId: channel.resourceId } : {}) };
  try {
    await callGoogle(context, 'channels.stop', (client, callOptions) => client.channels.stop({ requestBody }, callOptions), {
      idempotent: true,
      signal: options?.signal,
    });
  } catch (error) {
    if (NotFoundError.isInstance(error)) return;
    throw error;
  }
}

/** Anything that can start and stop channels: the provider or a `Calendar` facade over it. */
export interface ChannelRenewer {
  /** Starts a channel. */
  watch?(request: WatchRequest): Promise<WatchChannel>;
  /** Stops a channel. */
  unwatch?(channel: WatchChannel, options?: CallOptions): Promise<void>;
}

/** Options of {@link renewChannelIfNeeded}. */
export interface RenewChannelOptions {
  /** Current time, epoch ms (from your clock). */
  readonly now: number;
  /** Renew when the channel expires within this many ms. Default one hour. */
  readonly renewBeforeMs?: number | undefined;
  /** Channel token for the new channel (not stored on `WatchChannel`, since it is a secret). */
  readonly token: string;
  /** Requested lifetime of the new channel, in seconds. */
  readonly ttlSeconds?: number | undefined;
  /** Aborts the calls. */
  readonly signal?: AbortSignal | undefined;
}

/** Result of {@link renewChannelIfNeeded}. */
export interface RenewChannelResult {
  /** The channel to keep: the new one when renewed, else the old one. */
  readonly channel: WatchChannel;
  /** Whether a new channel was started. */
  readonly renewed: boolean;
}

/**
 * Google channels cannot be extended, only replaced. Starts the new channel first so no
 * notification is lost, then stops the old one; a failure to stop it is swallowed because
 * the old channel expires on its own and both deliver to the same address.
 */
export async function renewChannelIfNeeded(
  calendar: ChannelRenewer,
  channel: WatchChannel,
  options: RenewChannelOptions,
): Promise<RenewChannelResult> {
  const renewBeforeMs = options.renewBeforeMs ?? 3_600_000;
  if (channel.expiresAt.getTime() - options.now > renewBeforeMs) return { channel, renewed: false };
  if (!calendar.watch) {
    throw new CapabilityError('watch', { provider: GOOGLE_PROVIDER, operation: 'renewChannelIfNeeded' });
  }
  const fresh = await calendar.watch({
    calendarId: channel.calendarId,
    address: channel.address,
    token: options.token,
    ...(options.ttlSeconds !== undefined ? { ttlSeconds: options.ttlSeconds } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  try {
    await calendar.unwatch?.(channel, options.signal ? { signal: options.signal } : undefined);
  } catch {
    // The old channel lapses at its expiry anyway; the new one is already live.
  }
  return { channel: fresh, renewed: true };
}
