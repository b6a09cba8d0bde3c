import { ConfigError, createReplayGuard, systemClock, verifyHmacSha256 } from '@almanac/core';
import type { Clock, SeenIdStore } from '@almanac/core';
import type { OperationAuditEvent } from '@almanac/core/kit';
import { createArcadeRunner } from '../../kit/operations';
import {
  DEFAULT_MAX_BODY_BYTES,
  concatBytes,
  createDispatchQueue,
  readBodyLimited,
  reportRejection,
  textResponse,
} from '../../webhooks/http';
import type { WebhookHandler, WebhookRejection } from '../../webhooks/types';

/** The `subscription` object EventSub sends with every message. */
export interface EventSubSubscription {
  /** Subscription id. */
  readonly id: string;
  /** Status, e.g. `enabled`, `webhook_callback_verification_pending`, `authorization_revoked`. */
  readonly status: string;
  /** Subscription type, e.g. `stream.online`, `channel.subscribe`. */
  readonly type: string;
  /** Subscription type version, e.g. `1`. */
  readonly version: string;
  /** The condition it was created with. */
  readonly condition: Readonly<Record<string, string>>;
  /** Cost counted against the client's limit. */
  readonly cost?: number | undefined;
  /** Creation time (RFC 3339). */
  readonly created_at?: string | undefined;
  /** Everything else Twitch sent. */
  readonly [key: string]: unknown;
}

/** A verified, fresh, first-seen EventSub notification. */
export interface EventSubNotification<E = Record<string, unknown>> {
  /** `Twitch-Eventsub-Message-Id`: unique per message, the same on Twitch's retries. */
  readonly messageId: string;
  /** `Twitch-Eventsub-Message-Timestamp` (RFC 3339). */
  readonly timestamp: string;
  /** The subscription that fired. */
  readonly subscription: EventSubSubscription;
  /** The event payload, shaped by the subscription type. */
  readonly event: E;
}

/** A verified revocation: Twitch stopped a subscription. */
export interface EventSubRevocation {
  /** Message id. */
  readonly messageId: string;
  /** Message timestamp. */
  readonly timestamp: string;
  /** The revoked subscription; `status` says why (`authorization_revoked`, `user_removed`, `notification_failures_exceeded`, `version_removed`). */
  readonly subscription: EventSubSubscription;
}

/** Options of {@link createEventSubHandler}. */
export interface EventSubHandlerOptions {
  /** The secret given when creating the subscriptions (10-100 ASCII characters, per Twitch). */
  secret: string | Uint8Array;
  /** Receives each notification once, after the 2xx is decided. */
  onNotification(notification: EventSubNotification): Promise<void> | void;
  /** Receives revocations, after the 2xx is decided. */
  onRevocation?: ((revocation: EventSubRevocation) => Promise<void> | void) | undefined;
  /** Where delivered message ids are remembered; pass a shared store (e.g. Redis) when several processes receive. Default: in memory. */
  seen?: SeenIdStore | undefined;
  /** Time source. Default: the system clock. */
  clock?: Clock | undefined;
  /** Oldest accepted message, in ms. Default 10 minutes, as Twitch recommends. */
  maxAgeMs?: number | undefined;
  /** How far in the future a timestamp may be (clock skew), in ms. Default 60 000. */
  maxFutureSkewMs?: number | undefined;
  /** Largest body read, in bytes. Default 1 MiB. */
  maxBodyBytes?: number | undefined;
  /** Receives errors thrown by `onNotification`/`onRevocation` (the response was already sent). */
  onError?: ((error: unknown) => void) | undefined;
  /** Observes refused deliveries: reason and status, never secrets or signatures. */
  onReject?: ((rejection: WebhookRejection) => void) | undefined;
  /**
   * Receives one audit event per dispatch (operation `dispatchNotification` or
   * `dispatchRevocation`, attribute `subscriptionType`, the outcome and error code of your
   * handler), from core's operation runner, which also opens an `arcade.<operation>` span.
   */
  onAudit?: ((event: OperationAuditEvent) => void) | undefined;
  /** Longest a dispatch may run before it is audited as a `TimeoutError`, in ms. Default 15 minutes. */
  dispatchTimeoutMs?: number | undefined;
}

const HEADER_ID = 'twitch-eventsub-message-id';
const HEADER_TIMESTAMP = 'twitch-eventsub-message-timestamp';
const HEADER_SIGNATURE = 'twitch-eventsub-message-signature';
const HEADER_TYPE = 'twitch-eventsub-message-type';
const MESSAGE_TYPES = new Set(['notification', 'webhook_callback_verification', 'revocation']);
const ID_SHAPE = /^[\x21-\x7e]{1,256}$/;
const TIMESTAMP_SHAPE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/;
const encoder = new TextEncoder();

/**
 * Creates the EventSub webhook endpoint (https://dev.twitch.tv/docs/eventsub/handling-webhook-events/).
 * Checks, in order: POST (405), body size (413), the four `Twitch-Eventsub-Message-*`
 * headers (400 when missing or malformed), the `sha256=` HMAC over id + timestamp + raw
 * body compared in constant time (403), the timestamp (403 when older than `maxAgeMs` or
 * ahead by more than `maxFutureSkewMs`), then the message id: one seen before answers 204
 * without dispatching again (Twitch retries deliveries it thinks failed). A verification
 * challenge is answered 200 with the challenge as `text/plain`; notifications and
 * revocations are answered 204 and dispatched afterwards, so a slow handler never makes
 * Twitch time out. Nothing secret is logged or echoed.
 */
export function createEventSubHandler(options: EventSubHandlerOptions): WebhookHandler {
  const secret = typeof options.secret === 'string' ? encoder.encode(options.secret) : options.secret;
  if (!(secret instanceof Uint8Array) || secret.byteLength < 10 || secret.byteLength > 100) {
    throw new ConfigError('EventSub secret must be 10-100 bytes', [{ path: 'secret', message: 'must be 10-100 bytes' }]);
  }
  if (typeof options.onNotification !== 'function') {
    throw new ConfigError('onNotification must be a function', [{ path: 'onNotification', message: 'must be a function' }]);
  }
  const clock = options.clock ?? systemClock;
  const maxAgeMs = options.maxAgeMs ?? 10 * 60_000;
  const maxFutureSkewMs = options.maxFutureSkewMs ?? 60_000;
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  for (const [path, value] of [
    ['maxAgeMs', maxAgeMs],
    ['maxFutureSkewMs', maxFutureSkewMs],
    ['maxBodyBytes', maxBodyBytes],
    ['dispatchTimeoutMs', options.dispatchTimeoutMs ?? 15 * 60_000],
  ] as const) {
    if (!Number.isSafeInteger(value) || value <= 0) throw new ConfigError(`${path} must be a positive integer`, [{ path, message: 'must be a positive integer' }]);
  }
  // The guard's symmetric window is the age limit; the tighter future limit is checked first.
  const guard = createReplayGuard({ windowMs: maxAgeMs, clock, ...(options.seen ? { store: options.seen } : {}) });
  const queue = createDispatchQueue(options.onError);
  // Dispatches run on core's operation runner, for their span and audit event. `onError` still
  // gets what the handler threw, not the runner's mapped error.
  const runner = createArcadeRunner('twitch', { onAudit: options.onAudit, timeoutMs: options.dispatchTimeoutMs ?? 15 * 60_000, clock });
  const dispatch = (operation: string, subscription: EventSubSubscription, task: () => Promise<void> | void) =>
    queue.dispatch(async () => {
      let thrown: { error: unknown } | undefined;
      try {
        await runner.run(
          operation,
          undefined,
          undefined,
          async () => {
            try {
              await task();
            } catch (error) {
              thrown = { error };
              throw error;
            }
          },
          { attributes: { subscriptionType: typeof subscription.type === 'string' ? subscription.type : undefined } },
        );
      } catch (mapped) {
        throw thrown ? thrown.error : mapped;
      }
    });
  const reject = (reason: Parameters<typeof reportRejection>[1], status: number, id?: string) => {
    reportRejection(options.onReject, reason, status, id);
    return textResponse(status, status === 403 ? 'Forbidden' : status === 413 ? 'Payload Too Large' : status === 405 ? 'Method Not Allowed' : 'Bad Request');
  };

  const handle = async (request: Request): Promise<Response> => {
    if (request.method !== 'POST') return reject('method', 405);
    let body: Uint8Array | undefined;
    try {
      body = await readBodyLimited(request, maxBodyBytes);
    } catch {
      return reject('malformed-body', 400);
    }
    if (!body) return reject('too-large', 413);
    const id = request.headers.get(HEADER_ID);
    const timestamp = request.headers.get(HEADER_TIMESTAMP);
    const signature = request.headers.get(HEADER_SIGNATURE);
    const type = request.headers.get(HEADER_TYPE);
    if (id === null || timestamp === null || type === null) return reject('missing-header', 400);
    if (!ID_SHAPE.test(id) || !TIMESTAMP_SHAPE.test(timestamp) || !MESSAGE_TYPES.has(type)) return reject('malformed-header', 400);
    if (signature === null) return reject('bad-signature', 403);
    const signed = verifyHmacSha256({
      secret,
      payload: concatBytes(encoder.encode(id), encoder.encode(timestamp), body),
      signature,
      prefix: 'sha256=',
    });
    if (!signed) return reject('bad-signature', 403, id);
    const sentAt = Date.parse(timestamp);
    if (!Number.isFinite(sentAt)) return reject('malformed-header', 400, id);
    if (sentAt - clock.now() > maxFutureSkewMs) return reject('future', 403, id);
    let payload: { subscription?: EventSubSubscription | undefined; event?: Record<string, unknown> | undefined; challenge?: unknown };
    try {
      payload = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
    } catch /* Stryker disable next-line BlockStatement: equivalent; without this return `payload` stays undefined and the shape check below answers the same 400 malformed-body */ {
      return reject('malformed-body', 400, id);
    }
    if (
      payload === null ||
      // Stryker disable next-line ConditionalExpression: equivalent; a JSON primitive has no `subscription` object, so the next check refuses it too
      typeof payload !== 'object' ||
      typeof payload.subscription !== 'object' ||
      payload.subscription === null
    ) {
      return reject('malformed-body', 400, id);
    }
    if (type === 'webhook_callback_verification' && typeof payload.challenge !== 'string') return reject('malformed-body', 400, id);
    if (type === 'notification' && (typeof payload.event !== 'object' || payload.event === null)) return reject('malformed-body', 400, id);
    const fresh = await guard.check({ id, timestamp });
    if (!fresh.ok) {
      if (fresh.reason === 'duplicate') {
        // Twitch resends a message it believes failed: acknowledge it, but never act twice.
        reportRejection(options.onReject, 'duplicate', 204, id);
        return new Response(null, { status: 204 });
      }
      return reject(fresh.reason === 'invalid' ? 'malformed-header' : fresh.reason, fresh.reason === 'invalid' ? 400 : 403, id);
    }
    const subscription = payload.subscription;
    if (type === 'webhook_callback_verification') return textResponse(200, payload.challenge as string);
    if (type === 'revocation') {
      const onRevocation = options.onRevocation;
      if (onRevocation) dispatch('dispatchRevocation', subscription, () => onRevocation({ messageId: id, timestamp, subscription }));
      return new Response(null, { status: 204 });
    }
    const event = payload.event as Record<string, unknown>;
    dispatch('dispatchNotification', subscription, () => options.onNotification({ messageId: id, timestamp, subscription, event }));
    return new Response(null, { status: 204 });
  };

  return {
    async handle(request) {
      try {
        return await handle(request);
      } catch (error) {
        // A failing seen-id store is our fault, not the sender's: 500 lets Twitch retry later.
        options.onError?.(error);
        return textResponse(500, 'Internal Server Error');
      }
    },
    idle: () => queue.idle(),
  };
}
