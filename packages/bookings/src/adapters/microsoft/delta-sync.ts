// Incremental sync with `calendarView/delta`. The sync token handed to callers is Graph's
// `@odata.deltaLink` itself: it already encodes the window and the state, and keeping it whole
// means nothing has to be re-derived (or can drift) between syncs.
import { AlmanacError, ProviderError } from '@almanac/core';
import type { Clock } from '@almanac/core';
import type { CalendarEvent, SyncRequest, SyncResult } from '../../spec';
import { PROVIDER, graphErrorCode } from './errors';
import { fromGraphEvent } from './event-mapping';
import type { GraphEvent } from './event-mapping';
import { asObject } from './transport';
import type { GraphTransport } from './transport';

const DAY_MS = 86_400_000;
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
  /** Days before now a full sync covers. */
  readonly pastDays: number;
  /** Days after now a full sync covers. */
  readonly futureDays: number;
  /** `Prefer` header of every page (UTC times, page size). */
  readonly prefer: string;
}

/** Whether a failure means the delta token is dead and a full resync is needed. */
export function isExpiredDeltaToken(error: unknown): boolean {
  if (!AlmanacError.isInstance(error)) return false;
  if (error.status === 410) return true;
  return /syncStateNotFound|resyncRequired|syncStateInvalid/i.test(graphErrorCode(error) ?? '');
}

async function runDelta(context: DeltaSyncContext, request: SyncRequest, firstUrl: string, query: Record<string, string> | undefined) {
  const changes: CalendarEvent[] = [];
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
      if (item['@removed'] !== undefined || item.isCancelled === true) deleted.push(item.id);
      else changes.push(fromGraphEvent(item, request.calendarId));
    }
    const deltaLink = body['@odata.deltaLink'];
    if (typeof deltaLink === 'string') {
      context.transport.assertGraphUrl(deltaLink, '@odata.deltaLink');
      return { changes, deleted, nextSyncToken: deltaLink };
    }
    const nextLink = body['@odata.nextLink'];
    if (typeof nextLink !== 'string') break;
    context.transport.assertGraphUrl(nextLink, '@odata.nextLink');
    url = nextLink;
    pageQuery = undefined;
  }
  throw new ProviderError(`${PROVIDER}: delta query ended without an @odata.deltaLink`, { provider: PROVIDER, operation: 'sync' });
}

/** Changes since `syncToken`, or a full sync of the window; a dead token resyncs transparently. */
export async function graphDeltaSync(context: DeltaSyncContext, request: SyncRequest): Promise<SyncResult> {
  const full = () => {
    const now = context.clock.now();
    const query = {
      startDateTime: new Date(now - context.pastDays * DAY_MS).toISOString(),
      endDateTime: new Date(now + context.futureDays * DAY_MS).toISOString(),
    };
    return runDelta(context, request, context.deltaPath(request.calendarId), query);
  };
  if (request.syncToken === undefined) return { ...(await full()), fullResync: false };
  try {
    context.transport.assertGraphUrl(request.syncToken, 'syncToken');
  } catch {
    // Not a deltaLink of this Graph root (garbage, or another host): never followed, and
    // treated like an expired token so callers recover the same way.
    return { ...(await full()), fullResync: true };
  }
  try {
    return { ...(await runDelta(context, request, request.syncToken, undefined)), fullResync: false };
  } catch (error) {
    if (!isExpiredDeltaToken(error)) throw error;
    return { ...(await full()), fullResync: true };
  }
}
