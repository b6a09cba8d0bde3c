import { AlmanacError, ProviderError } from '@almanac/core';
import type { CalendarEvent, SyncRequest, SyncResult } from '../../spec';
import { callGoogle, learnZone, zoneOf } from './call';
import type { GoogleContext } from './call';
import { mapGoogleEvent } from './map-event';
import type { GoogleEvent } from './map-event';

interface EventsResponse {
  items?: GoogleEvent[];
  nextPageToken?: string;
  nextSyncToken?: string;
  timeZone?: string;
}

/** Page size of sync listings; 250 is Google's default and keeps each response small. */
const SYNC_PAGE_SIZE = 250;

/**
 * Incremental sync via `events.list?syncToken=`. Google forbids `timeMin`, `orderBy` and
 * friends alongside a sync token, so both the full and the incremental listing use none, and
 * recurring series arrive as masters (`raw.recurrence`) plus changed instances rather than
 * expanded occurrences. `status: cancelled` items become `deleted`. `nextSyncToken` only
 * comes on the last page, so pages are followed until it appears. An expired token
 * (`410 Gone`, reason `fullSyncRequired`) restarts as a full sync with `fullResync: true`.
 */
export async function googleSync(context: GoogleContext, request: SyncRequest): Promise<SyncResult> {
  if (request.syncToken === undefined) return listAll(context, request, undefined, false);
  try {
    return await listAll(context, request, request.syncToken, false);
  } catch (error) {
    if (AlmanacError.isInstance(error) && error.status === 410) {
      context.logger.info('google: sync token expired, running a full resync', { calendarId: request.calendarId });
      return listAll(context, request, undefined, true);
    }
    throw error;
  }
}

async function listAll(
  context: GoogleContext,
  request: SyncRequest,
  syncToken: string | undefined,
  fullResync: boolean,
): Promise<SyncResult> {
  const { calendarId } = request;
  const changes: CalendarEvent[] = [];
  const deleted: string[] = [];
  let pageToken: string | undefined;
  for (;;) {
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
      if (item.status === 'cancelled') deleted.push(item.id);
      else changes.push(mapGoogleEvent(item, calendarId, zoneOf(context, calendarId)));
    }
    if (data.nextPageToken) {
      pageToken = data.nextPageToken;
      continue;
    }
    if (!data.nextSyncToken) {
      throw new ProviderError('google: events.list ended without nextSyncToken', {
        provider: 'google',
        operation: 'events.list',
      });
    }
    return { changes, deleted, nextSyncToken: data.nextSyncToken, fullResync };
  }
}
