import { timingSafeEqual } from 'node:crypto';
import { ValidationError } from '@almanac/core';
import type { WatchChannel } from '../../spec';
import { GOOGLE_PROVIDER } from './errors';

/** Header bag as Node (`IncomingMessage.headers`) or fetch (`Headers`) hands it over. */
export type GoogleNotificationHeaders = Headers | Readonly<Record<string, string | readonly string[] | undefined>>;

/**
 * Remembers the highest `X-Goog-Message-Number` per channel. Google numbers messages of a
 * channel increasingly, so anything not above the last accepted one is a replay.
 */
export interface GoogleMessageNumberGuard {
  /** Accepts `messageNumber` for `channelId` if it is above the last one; returns whether it did. */
  accept(channelId: string, messageNumber: bigint): boolean;
  /** Undoes an acceptance (when handling failed), so Google's redelivery is not taken for a replay. */
  release(channelId: string, messageNumber: bigint): void;
}

/** An in-memory {@link GoogleMessageNumberGuard}; use one per process (or back it by shared storage). */
export function createGoogleMessageNumberGuard(): GoogleMessageNumberGuard {
  const last = new Map<string, { current: bigint; previous: bigint | undefined }>();
  return {
    accept(channelId, messageNumber) {
      const entry = last.get(channelId);
      if (entry && messageNumber <= entry.current) return false;
      last.set(channelId, { current: messageNumber, previous: entry?.current });
      return true;
    },
    release(channelId, messageNumber) {
      const entry = last.get(channelId);
      if (entry?.current !== messageNumber) return;
      if (entry.previous === undefined) last.delete(channelId);
      else last.set(channelId, { current: entry.previous, previous: undefined });
    },
  };
}

/** Options of {@link handleGoogleNotification}. */
export interface HandleGoogleNotificationOptions {
  /** Request headers. Google sends no body for Calendar notifications. */
  headers: GoogleNotificationHeaders;
  /** The `token` the channel was created with; must not be empty (an empty one would match an empty header). */
  expectedToken: string;
  /** Channels you started; when given, notifications for any other channel or resource get 404. */
  channels?: readonly WatchChannel[] | undefined;
  /** Rejects replayed message numbers. */
  replayGuard: GoogleMessageNumberGuard;
  /** Runs the incremental sync of the changed calendar. */
  onSync: (calendarId: string | undefined, channelId: string) => Promise<void> | void;
}

/** Why a notification was answered the way it was. */
export type GoogleNotificationOutcome = 'synced' | 'handshake' | 'bad_token' | 'unknown_channel' | 'replay' | 'malformed';

/** What to answer Google. */
export interface GoogleNotificationResult {
  /** HTTP status to respond with. */
  readonly status: 200 | 400 | 401 | 404;
  /** What happened. */
  readonly outcome: GoogleNotificationOutcome;
}

function header(headers: GoogleNotificationHeaders, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const lower = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== lower) continue;
    return typeof value === 'string' ? value : value?.[0];
  }
  return undefined;
}

function tokensEqual(given: string, expected: string): boolean {
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  // timingSafeEqual throws on different lengths; compare against itself to keep timing flat.
  if (a.length !== b.length) {
    timingSafeEqual(b, b);
    return false;
  }
  return timingSafeEqual(a, b);
}

/**
 * Handles a Calendar push notification. Checks `X-Goog-Channel-Token` in constant time
 * (401 on mismatch), that channel and resource ids belong to a known channel (404, which
 * tells you to stop it), acknowledges the `sync` handshake without syncing, drops replayed
 * `X-Goog-Message-Number`s (answered 200 so Google does not redeliver them), and otherwise
 * calls `onSync`. If `onSync` throws, the message number is released and the error
 * propagates: answer 500 and Google redelivers.
 */
export async function handleGoogleNotification(options: HandleGoogleNotificationOptions): Promise<GoogleNotificationResult> {
  const { headers } = options;
  // An empty expected token would match an empty (or absent-but-empty) header: anyone could send it.
  if (typeof options.expectedToken !== 'string' || options.expectedToken.length === 0) {
    throw new ValidationError('google handleGoogleNotification: expectedToken must be a non-empty string', [{ path: 'expectedToken', message: 'must be a non-empty string' }], {
      provider: GOOGLE_PROVIDER,
      operation: 'handleGoogleNotification',
    });
  }
  const token = header(headers, 'x-goog-channel-token');
  if (token === undefined || token.length === 0 || !tokensEqual(token, options.expectedToken)) return { status: 401, outcome: 'bad_token' };
  const channelId = header(headers, 'x-goog-channel-id');
  const resourceId = header(headers, 'x-goog-resource-id');
  const state = header(headers, 'x-goog-resource-state');
  const numberText = header(headers, 'x-goog-message-number');
  if (!channelId || !state || !numberText || !/^\d{1,20}$/.test(numberText)) return { status: 400, outcome: 'malformed' };
  let calendarId: string | undefined;
  if (options.channels) {
    const channel = options.channels.find(
      (candidate) => candidate.id === channelId && (candidate.resourceId === undefined || candidate.resourceId === resourceId),
    );
    if (!channel) return { status: 404, outcome: 'unknown_channel' };
    calendarId = channel.calendarId;
  }
  const messageNumber = BigInt(numberText);
  if (!options.replayGuard.accept(channelId, messageNumber)) return { status: 200, outcome: 'replay' };
  if (state === 'sync') return { status: 200, outcome: 'handshake' };
  try {
    await options.onSync(calendarId, channelId);
  } catch (error) {
    options.replayGuard.release(channelId, messageNumber);
    throw error;
  }
  return { status: 200, outcome: 'synced' };
}
