// The Microsoft 365 `CalendarProvider` over Microsoft Graph v1.0.
import { ConflictError, NotFoundError, ValidationError, systemClock } from '@almanac/core';
import { CALENDAR_SPECIFICATION_VERSION } from '../../spec';
import type { CalendarCapabilities, CalendarProvider, CallOptions, WatchChannel } from '../../spec';
import { addDays, dateInZone } from '@almanac/oracle/time';
import { createAppOnlyTokenProvider } from './app-only';
import { graphDeltaSync } from './delta-sync';
import { PROVIDER } from './errors';
import { fromGraphEvent, toGraphAttendees, toGraphDateTime } from './event-mapping';
import type { GraphEvent } from './event-mapping';
import { MAX_RANGE_DAYS, MAX_SCHEDULES, graphFreeBusy } from './free-busy';
import { validateOptions } from './options-schema';
import { createSdkClient, graphSdkLoader } from './sdk-client';
import { createSubscription, deleteSubscription, renewSubscription } from './subscriptions';
import type { RenewSubscriptionOptions, SubscriptionContext } from './subscriptions';
import { DEFAULT_GRAPH_BASE_URL, asObject, createGraphTransport } from './transport';
import type { GraphClientLike, MicrosoftProviderOptions } from './types';

/** What the Microsoft provider supports. */
export const MICROSOFT_CAPABILITIES: CalendarCapabilities = Object.freeze({
  freeBusy: true,
  events: true,
  write: true,
  conferencing: Object.freeze(['teams'] as const),
  incrementalSync: true,
  push: true,
  recurrence: true,
  maxFreeBusyCalendars: MAX_SCHEDULES,
  maxFreeBusyRangeDays: MAX_RANGE_DAYS,
});

/** The Microsoft provider: the full {@link CalendarProvider} plus subscription renewal. */
export interface MicrosoftCalendarProvider extends CalendarProvider {
  /** Always `microsoft`. */
  readonly name: 'microsoft';
  /** Creates an event; see `createMicrosoftCalendarProvider` for notification and idempotency rules. */
  createEvent: NonNullable<CalendarProvider['createEvent']>;
  /** Patches an event with `If-Match` when an etag is given. */
  updateEvent: NonNullable<CalendarProvider['updateEvent']>;
  /** Cancels (organiser, `notify`) or deletes an event. */
  cancelEvent: NonNullable<CalendarProvider['cancelEvent']>;
  /** Delta sync; the token is Graph's `@odata.deltaLink`. */
  sync: NonNullable<CalendarProvider['sync']>;
  /** Creates a Graph subscription. */
  watch: NonNullable<CalendarProvider['watch']>;
  /** Deletes a Graph subscription. */
  unwatch: NonNullable<CalendarProvider['unwatch']>;
  /** Extends a subscription's lifetime (`PATCH /subscriptions/{id}`). */
  renewSubscription(channel: WatchChannel, options?: RenewSubscriptionOptions): Promise<WatchChannel>;
}

/** Whether `value` is a provider made by {@link createMicrosoftCalendarProvider}. */
export function isMicrosoftProvider(value: unknown): value is MicrosoftCalendarProvider {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { name?: unknown }).name === PROVIDER &&
    typeof (value as { renewSubscription?: unknown }).renewSubscription === 'function'
  );
}

const DEFAULT_PAGE_SIZE = 100;
const EMAIL = /^[^@\s/]+@[^@\s/]+$/;
/** Times in UTC and bodies as plain text, so `description` is not HTML. */
const PREFER_EVENTS = 'outlook.timezone="UTC", outlook.body-content-type="text"';

/**
 * Creates the Microsoft 365 provider.
 *
 * Calendar ids: `primary` is the mailbox's default calendar; an SMTP address is that mailbox's
 * default calendar (and is what `freeBusy` accepts); anything else is a Graph calendar id of
 * the mailbox. Graph emails attendees on every create, update and cancel the organiser makes —
 * it has no switch — so `notify: false` only chooses `DELETE` over `cancel` when cancelling.
 * `idempotencyKey` becomes the event's `transactionId`, Graph's own deduplication key, and
 * only then is a create retried.
 */
export function createMicrosoftCalendarProvider(options: MicrosoftProviderOptions): MicrosoftCalendarProvider {
  validateOptions(options);
  const clock = options.clock ?? systemClock;
  const userPath = options.userId === undefined ? '/me' : `/users/${encodeURIComponent(options.userId)}`;
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  const distributionLists = new Set((options.distributionLists ?? []).map((address) => address.toLowerCase()));

  const accessToken =
    options.client !== undefined
      ? undefined
      : (options.getAccessToken ?? createAppOnlyTokenProvider(options.credentials as NonNullable<typeof options.credentials>, options.modules?.msal));
  const loadGraphSdk = graphSdkLoader(options.modules?.graph);
  let clientPromise: Promise<GraphClientLike> | undefined;
  const client = (): Promise<GraphClientLike> => {
    if (options.client !== undefined) return Promise.resolve(options.client);
    if (clientPromise === undefined) {
      const pending = createSdkClient(loadGraphSdk);
      clientPromise = pending;
      // Not cached on failure, so installing the SDK later works without a restart.
      pending.catch(() => {
        if (clientPromise === pending) clientPromise = undefined;
      });
    }
    return clientPromise;
  };
  const transport = createGraphTransport({
    client,
    accessToken,
    baseUrl: options.baseUrl ?? DEFAULT_GRAPH_BASE_URL,
    retry: options.retry,
    clock,
    logger: options.logger,
  });

  const mailboxPath = (calendarId: string) => (EMAIL.test(calendarId) ? `/users/${encodeURIComponent(calendarId)}` : userPath);
  const calendarPath = (calendarId: string): string => {
    if (calendarId === 'primary') return `${userPath}/calendar`;
    if (EMAIL.test(calendarId)) return `${mailboxPath(calendarId)}/calendar`;
    return `${userPath}/calendars/${encodeURIComponent(calendarId)}`;
  };
  const eventPath = (calendarId: string, eventId: string) => `${calendarPath(calendarId)}/events/${encodeURIComponent(eventId)}`;

  let primaryAddress: Promise<string> | undefined;
  const resolvePrimaryAddress = (signal: AbortSignal | undefined): Promise<string> => {
    if (options.userId !== undefined && EMAIL.test(options.userId)) return Promise.resolve(options.userId);
    if (primaryAddress === undefined) {
      const pending = transport
        .send({ method: 'GET', path: userPath, query: { $select: 'mail,userPrincipalName' }, idempotent: true, signal })
        .then((value) => {
          const user = asObject(value, `GET ${userPath}`);
          const address = user['mail'] ?? user['userPrincipalName'];
          if (typeof address !== 'string' || address === '') throw new NotFoundError(`${PROVIDER}: the mailbox has no SMTP address`, { provider: PROVIDER });
          return address;
        });
      primaryAddress = pending;
      pending.catch(() => {
        if (primaryAddress === pending) primaryAddress = undefined;
      });
    }
    return primaryAddress;
  };

  const getGraphEvent = async (calendarId: string, eventId: string, signal: AbortSignal | undefined): Promise<GraphEvent> =>
    asObject(
      await transport.send({ method: 'GET', path: eventPath(calendarId, eventId), headers: { Prefer: PREFER_EVENTS }, idempotent: true, signal }),
      'GET event',
    ) as unknown as GraphEvent;

  const subscriptions: SubscriptionContext = {
    transport,
    clock,
    resourceOf: (calendarId) => {
      if (calendarId === 'primary' || EMAIL.test(calendarId)) return `${mailboxPath(calendarId)}/events`;
      return `${calendarPath(calendarId)}/events`;
    },
  };

  return {
    name: PROVIDER,
    specificationVersion: CALENDAR_SPECIFICATION_VERSION,
    capabilities: MICROSOFT_CAPABILITIES,

    freeBusy(request) {
      (request.calendars ?? []).forEach((id, index) => {
        if (id !== 'primary' && !EMAIL.test(id)) {
          throw new ValidationError(undefined, [{ path: `calendars.${index}`, message: 'must be "primary" or an SMTP address (Graph getSchedule takes mailboxes)' }], {
            provider: PROVIDER,
            operation: 'freeBusy',
          });
        }
      });
      return graphFreeBusy({ transport, userPath, primaryAddress: resolvePrimaryAddress, distributionLists }, request);
    },

    async listEventsPage(request) {
      if (request.cursor !== undefined) transport.assertGraphUrl(request.cursor, 'cursor');
      const body = asObject(
        await transport.send({
          method: 'GET',
          path: request.cursor ?? `${calendarPath(request.calendarId)}/calendarView`,
          ...(request.cursor === undefined
            ? {
                query: {
                  startDateTime: request.range.start.toISOString(),
                  endDateTime: request.range.end.toISOString(),
                  $top: String(Math.min(request.pageSize ?? pageSize, 1000)),
                  $orderby: 'start/dateTime',
                },
              }
            : {}),
          headers: { Prefer: PREFER_EVENTS },
          idempotent: true,
          signal: request.signal,
        }),
        'GET calendarView',
      );
      const items = (Array.isArray(body['value']) ? (body['value'] as GraphEvent[]) : []).map((event) =>
        fromGraphEvent(event, request.calendarId),
      );
      const nextLink = body['@odata.nextLink'];
      if (typeof nextLink === 'string') {
        transport.assertGraphUrl(nextLink, '@odata.nextLink');
        return { items, nextCursor: nextLink };
      }
      return { items };
    },

    async getEvent(request) {
      return fromGraphEvent(await getGraphEvent(request.calendarId, request.eventId, request.signal), request.calendarId);
    },

    async createEvent(request) {
      const zone = request.timeZone;
      let start: Record<string, unknown>;
      let end: Record<string, unknown>;
      if (request.allDay === true) {
        const startDate = dateInZone(request.start, zone);
        const endDate = dateInZone(request.end, zone);
        start = { dateTime: `${startDate}T00:00:00`, timeZone: zone };
        end = { dateTime: `${endDate > startDate ? endDate : addDays(startDate, 1)}T00:00:00`, timeZone: zone };
      } else {
        start = { ...toGraphDateTime(request.start, zone) };
        end = { ...toGraphDateTime(request.end, zone) };
      }
      const reminder = request.reminders?.length ? Math.min(...request.reminders.map((r) => r.minutesBefore)) : undefined;
      const body: Record<string, unknown> = {
        subject: request.title,
        start,
        end,
        ...(request.allDay === true ? { isAllDay: true } : {}),
        ...(request.description !== undefined ? { body: { contentType: 'text', content: request.description } } : {}),
        ...(request.location !== undefined ? { location: { displayName: request.location } } : {}),
        ...(request.attendees?.length ? { attendees: toGraphAttendees(request.attendees) } : {}),
        // Graph keeps one reminder per event; the earliest-firing one is the safest pick.
        ...(reminder !== undefined ? { isReminderOn: true, reminderMinutesBeforeStart: reminder } : {}),
        ...(request.conference === 'teams' ? { isOnlineMeeting: true, onlineMeetingProvider: 'teamsForBusiness' } : {}),
        ...(request.idempotencyKey !== undefined ? { transactionId: request.idempotencyKey } : {}),
      };
      const created = asObject(
        await transport.send({
          method: 'POST',
          path: `${calendarPath(request.calendarId)}/events`,
          headers: { Prefer: PREFER_EVENTS },
          body,
          // Graph deduplicates on transactionId, so only a create with a key may be repeated.
          idempotent: false,
          safeToRetry: { reason: 'idempotency-key', value: request.idempotencyKey ?? '' },
          signal: request.signal,
        }),
        'POST events',
      );
      return fromGraphEvent(created as unknown as GraphEvent, request.calendarId);
    },

    async updateEvent(request) {
      const { patch } = request;
      let zone = patch.timeZone;
      if (zone === undefined && (patch.start !== undefined || patch.end !== undefined)) {
        // Keep the event in its own zone when only the instants change.
        const current = fromGraphEvent(await getGraphEvent(request.calendarId, request.eventId, request.signal), request.calendarId);
        zone = 'timeZone' in current.start ? current.start.timeZone : 'UTC';
      }
      const body: Record<string, unknown> = {
        ...(patch.title !== undefined ? { subject: patch.title } : {}),
        ...(patch.description !== undefined ? { body: { contentType: 'text', content: patch.description } } : {}),
        ...(patch.start !== undefined ? { start: toGraphDateTime(patch.start, zone ?? 'UTC') } : {}),
        ...(patch.end !== undefined ? { end: toGraphDateTime(patch.end, zone ?? 'UTC') } : {}),
        ...(patch.location !== undefined ? { location: { displayName: patch.location } } : {}),
        ...(patch.attendees !== undefined ? { attendees: toGraphAttendees(patch.attendees) } : {}),
        ...(patch.reminders !== undefined
          ? patch.reminders.length > 0
            ? { isReminderOn: true, reminderMinutesBeforeStart: Math.min(...patch.reminders.map((r) => r.minutesBefore)) }
            : { isReminderOn: false }
          : {}),
      };
      const updated = asObject(
        await transport.send({
          method: 'PATCH',
          path: eventPath(request.calendarId, request.eventId),
          headers: { Prefer: PREFER_EVENTS, ...(request.etag !== undefined ? { 'If-Match': request.etag } : {}) },
          body,
          // Retried only under If-Match, so a repeat can never overwrite someone else's change.
          idempotent: false,
          safeToRetry: { reason: 'precondition', value: request.etag ?? '' },
          signal: request.signal,
        }),
        'PATCH event',
      );
      return fromGraphEvent(updated as unknown as GraphEvent, request.calendarId);
    },

    async cancelEvent(request) {
      const ifMatch = request.etag !== undefined ? { 'If-Match': request.etag } : undefined;
      try {
        if (request.notify) {
          const event = await getGraphEvent(request.calendarId, request.eventId, request.signal);
          if (request.etag !== undefined && event['@odata.etag'] !== undefined && event['@odata.etag'] !== request.etag) {
            throw new ConflictError(`${PROVIDER}: event ${request.eventId} changed since etag ${request.etag}`, {
              provider: PROVIDER,
              operation: 'cancelEvent',
              status: 412,
            });
          }
          // Only an organiser can send cancellations; for anyone else deleting is the cancel.
          if (event.isOrganizer !== false && (event.attendees?.length ?? 0) > 0 && event.isCancelled !== true) {
            await transport.send({
              method: 'POST',
              path: `${eventPath(request.calendarId, request.eventId)}/cancel`,
              body: options.cancelComment ? { Comment: options.cancelComment } : {},
              // Cancelling a cancelled (removed) event is a 404, which counts as done.
              idempotent: true,
              signal: request.signal,
            });
            return;
          }
        }
        await transport.send({
          method: 'DELETE',
          path: eventPath(request.calendarId, request.eventId),
          ...(ifMatch ? { headers: ifMatch } : {}),
          idempotent: true,
          signal: request.signal,
        });
      } catch (error) {
        if (!NotFoundError.isInstance(error)) throw error;
      }
    },

    sync(request) {
      const deltaPath = (calendarId: string) =>
        calendarId === 'primary' || EMAIL.test(calendarId) ? `${mailboxPath(calendarId)}/calendarView/delta` : `${calendarPath(calendarId)}/calendarView/delta`;
      return graphDeltaSync(
        {
          transport,
          deltaPath,
          clock,
          window: options.syncWindow ?? {},
          prefer: `${PREFER_EVENTS}, odata.maxpagesize=${pageSize}`,
        },
        request,
      );
    },

    watch(request) {
      return createSubscription(subscriptions, request);
    },

    unwatch(channel: WatchChannel, callOptions?: CallOptions) {
      return deleteSubscription(subscriptions, channel, callOptions);
    },

    renewSubscription(channel, renewOptions) {
      return renewSubscription(subscriptions, channel, renewOptions);
    },
  };
}

/**
 * The Microsoft 365 provider under its old name.
 *
 * @deprecated Use {@link createMicrosoftCalendarProvider}; this alias goes in the next minor release.
 */
export function createMicrosoftProvider(options: MicrosoftProviderOptions): MicrosoftCalendarProvider {
  return createMicrosoftCalendarProvider(options);
}
