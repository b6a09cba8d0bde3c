import { AlmanacError, ProviderError } from '@almanac/core';
import { startOfDayInZone } from '@almanac/oracle/time';
import type { CalendarEvent, SyncRequest, SyncResult, SyncedEvent, TimeRange } from '../../spec';
import { decodeSyncToken, encodeSyncToken, overlapsWindow, rebaselineDue, windowAt } from '../../sync/window';
import type { SyncWindowSettings } from '../../sync/window';
import { callGoogle, learnZone, zoneOf } from './call';
import type { GoogleContext } from './call';
import { GOOGLE_PROVIDER } from './errors';
import { mapGoogleEvent } from './map-event';
import type { GoogleEvent } from './map-event';

interface EventsResponse {
  items?: GoogleEvent[] | undefined;
  nextPageToken?: string | undefined;
  nextSyncToken?: string | undefined;
  timeZone?: string | undefined;
}

/** Page size of sync listings; 250 is Google's default and keeps each response small. */
const SYNC_PAGE_SIZE = 250;
/** Safety stop against a server that keeps returning page tokens. */
const MAX_PAGES = 10_000;

/**
 * Incremental sync via `events.list?syncToken=`, reported as occurrences within the sync
 * window (see `SyncResult`). Google forbids `timeMin` and `singleEvents` alongside a sync
 * token, so the listing returns series masters (with `recurrence`) and changed instances;
 * each changed master is expanded with `events.instances` over the window (its id goes into
 * `deleted`, so occurrences its new rule no longer has are dropped), instances and single
 * events outside the window are dropped (reported as deleted on an incremental sync), and
 * `status: cancelled` items become `deleted`. `nextSyncToken` only comes on the last page, so
 * pages are followed until it appears. An expired token (`410 Gone`, `fullSyncRequired`), a
 * token this adapter did not issue, or a window that lags the clock by the re-baseline period
 * restarts as a full sync with `fullResync: true`.
 */
export async function googleSync(context: GoogleContext, request: SyncRequest, settings: SyncWindowSettings = {}): Promise<SyncResult> {
  const full = (fullResync: boolean) => listAll(context, request, windowAt(context.clock.now(), settings), undefined, fullResync);
  if (request.syncToken === undefined) return full(false);
  const decoded = decodeSyncToken(request.syncToken);
  if (decoded === undefined || rebaselineDue(decoded.window, context.clock, settings)) return full(true);
  try {
    return await listAll(context, request, decoded.window, decoded.inner, false);
  } catch (error) {
    if (AlmanacError.isInstance(error) && error.status === 410) {
      context.logger.info('google: sync token expired, running a full resync', { calendarId: request.calendarId });
      return full(true);
    }
    throw error;
  }
}

function spanOf(event: CalendarEvent, zone: string): { start: Date; end: Date } {
  const instant = (time: CalendarEvent['start']) => ('dateTime' in time ? time.dateTime : startOfDayInZone(time.date, zone));
  return { start: instant(event.start), end: instant(event.end) };
}

async function listAll(
  context: GoogleContext,
  request: SyncRequest,
  window: TimeRange,
  syncToken: string | undefined,
  fullResync: boolean,
): Promise<SyncResult> {
  const { calendarId } = request;
  const changes = new Map<string, SyncedEvent>();
  const deleted: string[] = [];
  const masters: string[] = [];
  const incremental = syncToken !== undefined;
  let pageToken: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const params = {
      calendarId,
      maxResults: SYNC_PAGE_SIZE,
      ...(syncToken !== undefined ? { syncToken } : {}),
      ...(pageToken !== undefined ? { pageToken } : {}),
    };
    const data = (await callGoogle(context, 'events.list', (client, options) => client.events.list(params, options), {
      idempotent: true,
      signal: request.signal,
    })) as EventsResponse;
    learnZone(context, calendarId, data);
    for (const item of data.items ?? []) {
      if (!item.id) continue;
      if (item.status === 'cancelled') {
        deleted.push(item.id);
        continue;
      }
      if (Array.isArray(item.recurrence) && item.recurrence.length > 0) {
        masters.push(item.id);
        continue;
      }
      const zone = zoneOf(context, calendarId);
      const event = mapGoogleEvent(item, calendarId, zone);
      const span = spanOf(event, zone);
      if (overlapsWindow(span.start, span.end, window)) changes.set(event.id, { ...event, seriesId: event.recurringEventId ?? event.id });
      else if (incremental) deleted.push(event.id);
    }
    if (data.nextPageToken) {
      pageToken = data.nextPageToken;
      continue;
    }
    if (!data.nextSyncToken) break;
    for (const masterId of masters) {
      // Every occurrence the series has now: the old ones go with its id in `deleted`.
      if (incremental) deleted.push(masterId);
      for (const occurrence of await instancesOf(context, request, masterId, window)) changes.set(occurrence.id, occurrence);
    }
    return { changes: [...changes.values()], deleted, window, nextSyncToken: encodeSyncToken(window, data.nextSyncToken), fullResync };
  }
  throw new ProviderError('google: events.list ended without nextSyncToken', { provider: GOOGLE_PROVIDER, operation: 'events.list' });
}

/** The occurrences of one series within the window (`events.instances`), cancelled ones left out. */
async function instancesOf(context: GoogleContext, request: SyncRequest, eventId: string, window: TimeRange): Promise<SyncedEvent[]> {
  const { calendarId } = request;
  const out: SyncedEvent[] = [];
  let pageToken: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const params = {
      calendarId,
      eventId,
      timeMin: window.start.toISOString(),
      timeMax: window.end.toISOString(),
      maxResults: SYNC_PAGE_SIZE,
      ...(pageToken !== undefined ? { pageToken } : {}),
    };
    const data = (await callGoogle(
      context,
      'events.instances',
      (client, options) => {
        if (typeof client.events.instances !== 'function') {
          throw new ProviderError('google: the Calendar client has no events.instances, which sync needs to expand recurring events', {
            provider: GOOGLE_PROVIDER,
            operation: 'events.instances',
          });
        }
        return client.events.instances(params, options);
      },
      { idempotent: true, signal: request.signal },
    )) as EventsResponse;
    for (const item of data.items ?? []) {
      if (!item.id || item.status === 'cancelled') continue;
      const event = mapGoogleEvent(item, calendarId, zoneOf(context, calendarId));
      out.push({ ...event, seriesId: eventId });
    }
    if (!data.nextPageToken) return out;
    pageToken = data.nextPageToken;
  }
  return out;
}
