import { ConflictError, NotFoundError, ProviderError, uuidv4 } from '@almanac/core';
import type {
  CalendarEvent,
  CancelEventRequest,
  CreateEventRequest,
  EventPage,
  GetEventRequest,
  ListEventsRequest,
  UpdateEventRequest,
} from '../../spec';
import { callGoogle, learnZone, zoneOf } from './call';
import type { GoogleContext } from './call';
import { GOOGLE_PROVIDER } from './errors';
import { googleEventIdFor } from './event-id';
import { conferenceStatus, mapGoogleEvent, toGoogleInsertBody, toGooglePatchBody } from './map-event';
import type { GoogleEvent } from './map-event';

/** `events.list` allows at most 2500 results per page. */
const MAX_PAGE_SIZE = 2500;

/** Waits between re-fetches while Google is still creating a Meet link (about 15 s in total). */
export const DEFAULT_CONFERENCE_POLL_DELAYS_MS: readonly number[] = [500, 1000, 2000, 4000, 8000];

function sendUpdates(notify: boolean | undefined): 'all' | 'none' {
  return notify === false ? 'none' : 'all';
}

/** One page of expanded events via `events.list` (`singleEvents`, `orderBy: startTime`). */
export async function googleListEventsPage(context: GoogleContext, request: ListEventsRequest): Promise<EventPage> {
  const { calendarId } = request;
  const params = {
    calendarId,
    singleEvents: true,
    orderBy: 'startTime',
    timeMin: request.range.start.toISOString(),
    timeMax: request.range.end.toISOString(),
    ...(request.pageSize !== undefined ? { maxResults: Math.min(Math.max(1, request.pageSize), MAX_PAGE_SIZE) } : {}),
    ...(request.cursor !== undefined ? { pageToken: request.cursor } : {}),
  };
  const data = (await callGoogle(context, 'events.list', (client, options) => client.events.list(params, options), {
    idempotent: true,
    signal: request.signal,
  })) as { items?: GoogleEvent[] | undefined; nextPageToken?: string | undefined; timeZone?: string | undefined };
  learnZone(context, calendarId, data);
  const zone = zoneOf(context, calendarId);
  return {
    items: (data.items ?? []).map((item) => mapGoogleEvent(item, calendarId, zone)),
    ...(data.nextPageToken ? { nextCursor: data.nextPageToken } : {}),
  };
}

async function fetchEvent(context: GoogleContext, calendarId: string, eventId: string, signal?: AbortSignal): Promise<GoogleEvent> {
  return (await callGoogle(context, 'events.get', (client, options) => client.events.get({ calendarId, eventId }, options), {
    idempotent: true,
    signal,
  })) as GoogleEvent;
}

/**
 * One event via `events.get`. Google keeps deleted events around with `status: cancelled`;
 * those are reported as `NotFoundError`, like an id that never existed.
 */
export async function googleGetEvent(context: GoogleContext, request: GetEventRequest): Promise<CalendarEvent> {
  const event = await fetchEvent(context, request.calendarId, request.eventId, request.signal);
  if (event.status === 'cancelled') {
    throw new NotFoundError(`google: event "${request.eventId}" was deleted`, {
      provider: GOOGLE_PROVIDER,
      operation: 'events.get',
      status: 404,
    });
  }
  return mapGoogleEvent(event, request.calendarId, zoneOf(context, request.calendarId));
}

/**
 * Creates an event via `events.insert`.
 *
 * Idempotency: with `idempotencyKey`, the event id is derived from it
 * ({@link googleEventIdFor}), so the insert is safe to retry; a `409 duplicate` means an
 * earlier attempt (ours or a previous process's) already created it, and that event is
 * fetched and returned. If that earlier event has since been deleted, Google still holds the
 * id, so a `ConflictError` says the key is spent. Without a key the insert is sent once.
 *
 * Meet links (`conference: 'meet'`) are created asynchronously: while
 * `conferenceData.createRequest.status.statusCode` is `pending` the event is re-fetched on the
 * injected clock with bounded backoff; `failure`, or still pending after the last wait, is a
 * `ProviderError` naming the (already created) event.
 */
export async function googleCreateEvent(
  context: GoogleContext,
  request: CreateEventRequest,
  pollDelaysMs: readonly number[],
): Promise<CalendarEvent> {
  const { calendarId } = request;
  const id = request.idempotencyKey !== undefined ? googleEventIdFor(calendarId, request.idempotencyKey) : undefined;
  const requestBody = toGoogleInsertBody(request, id, id ?? uuidv4());
  const params = {
    calendarId,
    sendUpdates: sendUpdates(request.notify),
    ...(request.conference === 'meet' ? { conferenceDataVersion: 1 } : {}),
    requestBody,
  };
  let event: GoogleEvent;
  try {
    event = (await callGoogle(context, 'events.insert', (client, options) => client.events.insert(params, options), {
      // The id derived from the key makes a repeat a 409 instead of a second event.
      idempotent: false,
      safeToRetry: { reason: 'idempotency-key', value: id ?? '' },
      signal: request.signal,
    })) as GoogleEvent;
  } catch (error) {
    if (id === undefined || !ConflictError.isInstance(error) || error.status !== 409) throw error;
    event = await fetchEvent(context, calendarId, id, request.signal);
    if (event.status === 'cancelled') {
      throw new ConflictError(
        `google: idempotency key already created event "${id}", which has since been deleted; use a new key`,
        { provider: GOOGLE_PROVIDER, operation: 'events.insert', status: 409, cause: error },
      );
    }
  }
  if (request.conference === 'meet') event = await awaitConference(context, calendarId, event, pollDelaysMs, request.signal);
  return mapGoogleEvent(event, calendarId, request.timeZone);
}

async function awaitConference(
  context: GoogleContext,
  calendarId: string,
  created: GoogleEvent,
  pollDelaysMs: readonly number[],
  signal: AbortSignal | undefined,
): Promise<GoogleEvent> {
  let event = created;
  for (const delayMs of pollDelaysMs) {
    if (conferenceStatus(event) !== 'pending') break;
    await context.clock.sleep(delayMs, signal);
    event = await fetchEvent(context, calendarId, created.id ?? '', signal);
  }
  const status = conferenceStatus(event);
  if (status === 'pending' || status === 'failure') {
    throw new ProviderError(
      `google: event "${created.id}" was created but its Meet link ${status === 'pending' ? 'is still pending' : 'could not be created'}`,
      { provider: GOOGLE_PROVIDER, operation: 'events.insert', retryable: false },
    );
  }
  return event;
}

/**
 * Patches an event via `events.patch`, sending `If-Match` when `etag` is given (`412` →
 * `ConflictError`). Retried like other idempotent calls since the body holds absolute values;
 * note a retry after a lost response carrying an etag may then report our own write as a conflict.
 */
export async function googleUpdateEvent(context: GoogleContext, request: UpdateEventRequest): Promise<CalendarEvent> {
  const { calendarId, eventId } = request;
  const params = { calendarId, eventId, sendUpdates: sendUpdates(request.notify), requestBody: toGooglePatchBody(request.patch) };
  const data = (await callGoogle(
    context,
    'events.patch',
    (client, options) =>
      client.events.patch(params, request.etag !== undefined ? { ...options, headers: { 'If-Match': request.etag } } : options),
    { idempotent: true, signal: request.signal },
  )) as GoogleEvent;
  return mapGoogleEvent(data, calendarId, zoneOf(context, calendarId));
}

/**
 * Deletes an event via `events.delete`. Idempotent: Google answers `410 Gone` (reason
 * `deleted`) for an event already deleted and `404` for an unknown one; both count as done.
 * An `etag` is sent as `If-Match` (`412` → `ConflictError`).
 */
export async function googleCancelEvent(context: GoogleContext, request: CancelEventRequest): Promise<void> {
  const { calendarId, eventId } = request;
  const params = { calendarId, eventId, sendUpdates: sendUpdates(request.notify) };
  try {
    await callGoogle(
      context,
      'events.delete',
      (client, options) =>
        client.events.delete(params, request.etag !== undefined ? { ...options, headers: { 'If-Match': request.etag } } : options),
      { idempotent: true, signal: request.signal },
    );
  } catch (error) {
    if (NotFoundError.isInstance(error)) return;
    throw error;
  }
}
