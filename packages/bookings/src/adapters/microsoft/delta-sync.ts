// Incremental sync with `calendarView/delta`. The sync token handed to callers wraps Graph's
// `@odata.deltaLink` whole (it encodes the window and the state) together with the window it
// was opened for: Graph never moves that window, so the adapter re-baselines when it lags
// the clock (see `sync/window.ts`).
import { AlmanacError, ProviderError } from '@almanac/core';
import type { Clock } from '@almanac/core';
import type { SyncRequest, SyncResult, SyncedEvent, TimeRange } from '../../spec';
import { decodeSyncToken, encodeSyncToken, overlapsWindow, rebaselineDue, windowAt } from '../../sync/window';
import type { SyncWindowSettings } from '../../sync/window';
import { PROVIDER, graphErrorCode } from './errors';
import { fromGraphEvent } from './event-mapping';
import type { GraphEvent } from './event-mapping';
import { asObject } from './transport';
import type { GraphTransport } from './transport';

/** Safety stop against a server that keeps returning nextLinks. */
const MAX_PAGES = 10_000;

/** What {@link graphDeltaSync} needs from the provider. */
export interface DeltaSyncContext {
  /** Sends Graph calls. */
  readonly transport: GraphTransport;
  /** Path of a calendar's delta endpoint. */
  readonly deltaPath: (calendarId: string) => string;
  /** Clock anchoring the window of a full sync. */
  readonly clock: Clock;
  /** The window a full sync covers, and when it re-baselines. */
  readonly window: SyncWindowSettings;
  /** `Prefer` header of every page (UTC times, page size). */
  readonly prefer: string;
}

/** Whether a failure means the delta token is dead and a full resync is needed. */
export function isExpiredDeltaToken(error: unknown): boolean {
  if (!AlmanacError.isInstance(error)) return false;
  if (error.status === 410) return true;
  return /syncStateNotFound|resyncRequired|syncStateInvalid/i.test(graphErrorCode(error) ?? '');
}

async function runDelta(context: DeltaSyncContext, request: SyncRequest, window: TimeRange, firstUrl: string, query: Record<string, string> | undefined) {
  const changes = new Map<string, SyncedEvent>();
  const deleted: string[] = [];
  let url = firstUrl;
  let pageQuery = query;
  for (let page = 0; page < MAX_PAGES; page++) {
    const body = asObject(
      await context.transport.send({
        method: 'GET',
        path: url,
        ...(pageQuery ? { query: pageQuery } : {}),
        headers: { Prefer: context.prefer },
        idempotent: true,
        signal: request.signal,
      }),
      'GET calendarView/delta',
    );
    for (const item of Array.isArray(body['value']) ? (body['value'] as GraphEvent[]) : []) {
      if (item['@removed'] !== undefined || item.isCancelled === true) {
        deleted.push(item.id);
        changes.delete(item.id);
        continue;
      }
      // calendarView/delta already expands series into occurrences and exceptions; a master
      // (type seriesMaster) is never an occurrence.
      if (item.type === 'seriesMaster') continue;
      const event = fromGraphEvent(item, request.calendarId);
      const start = 'dateTime' in event.start ? event.start.dateTime : undefined;
      const end = 'dateTime' in event.end ? event.end.dateTime : undefined;
      if (start !== undefined && end !== undefined && !overlapsWindow(start, end, window)) {
        deleted.push(event.id);
        continue;
      }
      changes.set(event.id, { ...event, seriesId: event.recurringEventId ?? event.id });
    }
    const deltaLink = body['@odata.deltaLink'];
    if (typeof deltaLink === 'string') {
      context.transport.assertGraphUrl(deltaLink, '@odata.deltaLink');
      return { changes: [...changes.values()], deleted, window, nextSyncToken: encodeSyncToken(window, deltaLink) };
    }
    const nextLink = body['@odata.nextLink'];
    if (typeof nextLink !== 'string') break;
    context.transport.assertGraphUrl(nextLink, '@odata.nextLink');
    url = nextLink;
    pageQuery = undefined;
  }
  throw new ProviderError(`${PROVIDER}: delta query ended without an @odata.deltaLink`, { provider: PROVIDER, operation: 'sync' });
}

/**
 * Changes since `syncToken` as occurrences within the window, or a full sync of the window
 * around now. A dead token, a token this adapter did not issue, or a window that lags the
 * clock by `rebaselineDays` resyncs in full (`fullResync: true`).
 */
export async function graphDeltaSync(context: DeltaSyncContext, request: SyncRequest): Promise<SyncResult> {
  const full = async (fullResync: boolean): Promise<SyncResult> => {
    const window = windowAt(context.clock.now(), context.window);
    const query = { startDateTime: window.start.toISOString(), endDateTime: window.end.toISOString() };
    return { ...(await runDelta(context, request, window, context.deltaPath(request.calendarId), query)), fullResync };
  };
  if (request.syncToken === undefined) return full(false);
  const decoded = decodeSyncToken(request.syncToken);
  if (decoded === undefined || rebaselineDue(decoded.window, context.clock, context.window)) return full(true);
  try {
    // Not a deltaLink of this Graph root (garbage, or another host): never followed, and
    // treated like an expired token so callers recover the same way.
    context.transport.assertGraphUrl(decoded.inner, 'syncToken');
  } catch {
    return full(true);
  }
  try {
    return { ...(await runDelta(context, request, decoded.window, decoded.inner, undefined)), fullResync: false };
  } catch (error) {
    if (!isExpiredDeltaToken(error)) throw error;
    return full(true);
  }
}
