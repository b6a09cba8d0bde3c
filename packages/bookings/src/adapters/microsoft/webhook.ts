// Receiver of Graph change notifications: the validation handshake, `clientState` checks,
// duplicate suppression and one incremental-sync trigger per calendar.
import { createHash, timingSafeEqual } from 'node:crypto';
import { createReplayGuard, systemClock } from '@almanac/core';
import type { Clock, ReplayGuard } from '@almanac/core';

/** The changed event's identity in a change notification. */
export interface GraphResourceData {
  /** Event id. */
  readonly id?: string | undefined;
  /** Event version; a redelivery of the same change carries the same one. */
  readonly '@odata.etag'?: string | undefined;
  /** `#Microsoft.Graph.Event`. */
  readonly '@odata.type'?: string | undefined;
}

/** One change notification as Graph posts it (`value[]` of the request body). */
export interface GraphChangeNotification {
  /** Subscription that fired. */
  readonly subscriptionId: string;
  /** `created`, `updated` or `deleted`. */
  readonly changeType?: string | undefined;
  /** Changed resource, e.g. `Users/{id}/Events/{eventId}`. */
  readonly resource?: string | undefined;
  /** Secret set when subscribing (the `watch` token). */
  readonly clientState?: string | undefined;
  /** Tenant of the mailbox. */
  readonly tenantId?: string | undefined;
  /** Subscription expiry. */
  readonly subscriptionExpirationDateTime?: string | undefined;
  /** Id and etag of the changed event. */
  readonly resourceData?: GraphResourceData | undefined;
  /** Set on lifecycle notifications: `reauthorizationRequired`, `subscriptionRemoved`, `missed`. */
  readonly lifecycleEvent?: string | undefined;
}

/** Settings shared by every request a receiver handles. */
export interface GraphNotificationOptions {
  /** The `clientState` (watch token) every notification must carry, or a lookup per subscription. */
  readonly expectedClientState: string | ((subscriptionId: string) => string | undefined);
  /** Calendar a subscription watches; `undefined` for subscriptions you do not know, which are ignored. */
  readonly calendarFor: (subscriptionId: string) => string | undefined | Promise<string | undefined>;
  /**
   * Runs an incremental sync of a calendar, once per calendar per request. Graph wants an
   * answer within a few seconds, so enqueue the sync rather than run it inline.
   */
  readonly onSync: (calendarId: string, notifications: readonly GraphChangeNotification[]) => void | Promise<void>;
  /** Told about lifecycle notifications (re-authorise, removed); `missed` also triggers `onSync`. */
  readonly onLifecycle?: ((calendarId: string, notification: GraphChangeNotification) => void | Promise<void>) | undefined;
  /**
   * Suppresses redeliveries. Graph notifications are unsigned and carry no send time, so the
   * guard is fed the receive time and only deduplicates (within its window, default 10 min).
   */
  readonly replayGuard?: ReplayGuard | undefined;
  /** Receive time fed to the replay guard; use the guard's clock. Default the system clock. */
  readonly clock?: Clock | undefined;
}

/** One HTTP request to the notification URL. */
export interface GraphNotificationRequest {
  /** Query parameters (decoded), where the handshake's `validationToken` arrives. */
  readonly query?: URLSearchParams | Readonly<Record<string, string | readonly string[] | undefined>> | undefined;
  /** The body: parsed JSON, or the raw text/bytes. */
  readonly body?: unknown;
}

/** What to answer Graph, plus what happened. */
export interface GraphNotificationResponse {
  /** 200 for the handshake, 202 when notifications were taken, 400 malformed, 403 all rejected. */
  readonly status: 200 | 202 | 400 | 403;
  /** Response headers. */
  readonly headers: Readonly<Record<string, string>>;
  /** Response body (the echoed token for the handshake). */
  readonly body: string;
  /** Notifications that triggered work. */
  readonly accepted: number;
  /** Notifications dropped for a wrong `clientState` or a malformed entry. */
  readonly rejected: number;
  /** Notifications of unknown subscriptions, and redeliveries. */
  readonly ignored: number;
}

const MAX_VALIDATION_TOKEN = 4096;
// The handshake echoes a caller-chosen token: `nosniff` keeps a browser from reading it as
// HTML or script if someone points one at the endpoint (issue 13).
const TEXT = Object.freeze({ 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' });

function queryParam(query: GraphNotificationRequest['query'], name: string): string | undefined {
  if (query === undefined) return undefined;
  if (query instanceof URLSearchParams) return query.get(name) ?? undefined;
  const value = query[name];
  return typeof value === 'string' ? value : Array.isArray(value) && typeof value[0] === 'string' ? value[0] : undefined;
}

/** Constant-time string equality; hashing first hides the length of the expected secret too. */
function safeEqual(a: string, b: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(a), digest(b));
}

function parseBody(body: unknown): GraphChangeNotification[] | undefined {
  let value = body;
  try {
    if (typeof value === 'string') value = JSON.parse(value);
    else if (value instanceof Uint8Array) value = JSON.parse(new TextDecoder().decode(value));
  } catch {
    return undefined;
  }
  const list = (value as { value?: unknown } | null)?.value;
  return Array.isArray(list) ? (list as GraphChangeNotification[]) : undefined;
}

/** The identity of a delivery: the same change of the same event seen again is a redelivery. */
function deliveryKey(n: GraphChangeNotification): string {
  const parts =
    n.lifecycleEvent !== undefined
      ? [n.subscriptionId, 'lifecycle', n.lifecycleEvent, n.subscriptionExpirationDateTime ?? '']
      : [n.subscriptionId, n.resource ?? '', n.changeType ?? '', n.resourceData?.['@odata.etag'] ?? ''];
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}

const response = (status: GraphNotificationResponse['status'], counts: { accepted: number; rejected: number; ignored: number }, body = '') => ({
  status,
  headers: TEXT,
  body,
  ...counts,
});

/**
 * Handles one request to a Graph notification URL. Answers the subscription handshake
 * (`?validationToken=…` → 200 `text/plain` echo), checks every notification's `clientState` in
 * constant time, ignores unknown subscriptions and redeliveries, and calls `onSync` once per
 * calendar. Answers 202 so Graph does not redeliver; 403 when every notification was forged.
 */
export async function handleGraphNotification(
  request: GraphNotificationRequest & GraphNotificationOptions,
): Promise<GraphNotificationResponse> {
  const zero = { accepted: 0, rejected: 0, ignored: 0 };
  const validationToken = queryParam(request.query, 'validationToken');
  if (validationToken !== undefined) {
    if (validationToken.length === 0 || validationToken.length > MAX_VALIDATION_TOKEN) return response(400, zero);
    return response(200, zero, validationToken);
  }
  const notifications = parseBody(request.body);
  if (notifications === undefined) return response(400, zero);
  let rejected = 0;
  let ignored = 0;
  const perCalendar = new Map<string, GraphChangeNotification[]>();
  const lifecycle: Array<[string, GraphChangeNotification]> = [];
  for (const notification of notifications) {
    const subscriptionId = notification?.subscriptionId;
    if (typeof subscriptionId !== 'string' || subscriptionId === '') {
      rejected++;
      continue;
    }
    const calendarId = await request.calendarFor(subscriptionId);
    if (calendarId === undefined) {
      ignored++;
      continue;
    }
    const expected = typeof request.expectedClientState === 'function' ? request.expectedClientState(subscriptionId) : request.expectedClientState;
    if (typeof expected !== 'string' || expected === '' || typeof notification.clientState !== 'string' || !safeEqual(notification.clientState, expected)) {
      rejected++;
      continue;
    }
    if (request.replayGuard !== undefined) {
      const fresh = await request.replayGuard.check({ id: deliveryKey(notification), timestamp: new Date((request.clock ?? systemClock).now()) });
      if (!fresh.ok) {
        ignored++;
        continue;
      }
    }
    if (notification.lifecycleEvent !== undefined) {
      lifecycle.push([calendarId, notification]);
      if (notification.lifecycleEvent !== 'missed') continue;
    }
    const list = perCalendar.get(calendarId) ?? [];
    list.push(notification);
    perCalendar.set(calendarId, list);
  }
  for (const [calendarId, notification] of lifecycle) await request.onLifecycle?.(calendarId, notification);
  for (const [calendarId, list] of perCalendar) await request.onSync(calendarId, list);
  const accepted = notifications.length - rejected - ignored;
  const counts = { accepted, rejected, ignored };
  return response(rejected > 0 && accepted === 0 && ignored === 0 ? 403 : 202, counts);
}

/**
 * A reusable receiver: {@link handleGraphNotification} with a replay guard that lives as long
 * as the handler, so redeliveries across requests are recognised.
 */
export function createGraphNotificationHandler(
  options: GraphNotificationOptions,
): (request: GraphNotificationRequest) => Promise<GraphNotificationResponse> {
  // Without a shared guard a handler still remembers deliveries for its own lifetime.
  const replayGuard = options.replayGuard ?? createReplayGuard({ clock: options.clock ?? systemClock, timestampUnit: 'milliseconds' });
  return (request) => handleGraphNotification({ ...options, ...request, replayGuard });
}
