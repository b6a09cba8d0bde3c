import { CapabilityError, ConflictError, ValidationError, abortReason, parse, silentLogger, systemClock, uuidv4 } from '@almanac/core';
import { CALENDAR_SPECIFICATION_VERSION } from '../../spec';
import type {
  BusyInterval,
  CalendarCapabilities,
  CalendarEvent,
  CancelEventRequest,
  CreateEventRequest,
  EventPage,
  FreeBusyRequest,
  FreeBusyResult,
  GetEventRequest,
  ListEventsRequest,
  SyncRequest,
  SyncResult,
  SyncedEvent,
  UpdateEventRequest,
  WatchChannel,
  WatchRequest,
} from '../../spec';
import { createMemoryEvents } from './events';
import { createMemoryNotifier } from './notifications';
import { createMemoryOptionsSchema } from './options';
import { createMemoryZones, createSeriesExpander } from './series';
import type { Instance } from './series';
import { MEMORY_PROVIDER, singlesOverlapping } from './store';
import type { StoredEvent } from './store';
import { toCalendarEvent, toInstanceEvent } from './to-event';
import { decodeToken, encodeToken } from './tokens';
import { rebaselineDue, windowAt } from '../../sync/window';
import type { MemoryCalendarOptions, MemoryCalendarProvider } from './types';

const DEFAULT_PAGE_SIZE = 100;
const DEFAULT_WATCH_TTL_SECONDS = 3600;
const MAX_WATCH_TTL_SECONDS = 7 * 24 * 3600;

const checkSignal = (signal: AbortSignal | undefined) => {
  if (signal?.aborted) throw abortReason(signal);
};

/**
 * Creates the memory provider: a complete, deterministic reference implementation of the
 * calendar contract for tests, demos and benchmarks. Wrap it with `createCalendar` (or use
 * `createMemoryCalendar`, which does).
 */
export function createMemoryCalendarProvider(options: MemoryCalendarOptions = {}): MemoryCalendarProvider {
  parse(createMemoryOptionsSchema(), options, { provider: MEMORY_PROVIDER, operation: 'createMemoryCalendar', path: 'options' });
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const calendarIds = options.calendars ?? ['primary'];
  const primary = calendarIds[0] as string;
  const zones = createMemoryZones(options.timeZone ?? 'UTC');

  const capabilities: CalendarCapabilities = {
    freeBusy: true,
    events: true,
    write: true,
    conferencing: ['meet', 'teams'],
    incrementalSync: true,
    push: true,
    recurrence: true,
    maxFreeBusyCalendars: 100,
    maxFreeBusyRangeDays: 366,
    ...options.capabilities,
  };

  const notifier = createMemoryNotifier(clock, logger);
  if (options.onNotification) notifier.subscribe(options.onNotification);
  const events = createMemoryEvents({ calendarIds, zones, clock, notifier, organizer: options.organizer });
  const { byId } = events;
  const series = createSeriesExpander(zones, byId);
  const idempotency = new Map<string, string>();
  let tokenEpoch = uuidv4();

  const instanceEvent = (instance: Instance): CalendarEvent => toInstanceEvent(instance, series.idOf(instance), zones.calendar);
  /** The instance `eventId` names, unless it is a stored event of the calendar (single or a whole series). */
  const instanceNamed = (calendarId: string, eventId: string): Instance | undefined => {
    const event = byId.get(eventId);
    return event !== undefined && event.calendarId === calendarId ? undefined : series.find(calendarId, eventId);
  };

  const provider: MemoryCalendarProvider = {
    name: MEMORY_PROVIDER,
    specificationVersion: CALENDAR_SPECIFICATION_VERSION,
    capabilities,

    async freeBusy(request: FreeBusyRequest): Promise<FreeBusyResult[]> {
      checkSignal(request.signal);
      const fromMs = request.range.start.getTime();
      const toMs = request.range.end.getTime();
      return (request.calendars ?? [primary]).map((calendarId) => {
        const calendar = events.storeOf(calendarId, 'freeBusy');
        const busy: BusyInterval[] = [];
        const add = (startMs: number, endMs: number, title: string) =>
          busy.push({ start: new Date(Math.max(startMs, fromMs)), end: new Date(Math.min(endMs, toMs)), source: `Memory: ${title}` });
        for (const event of singlesOverlapping(calendar, fromMs, toMs)) {
          if (event.transparency === 'opaque') add(event.startMs, event.endMs, event.title);
        }
        for (const instance of series.instancesIn(calendar, fromMs, toMs)) {
          if (instance.series.transparency === 'opaque') {
            add(instance.startMs, instance.endMs, instance.override?.fields?.title ?? instance.series.title);
          }
        }
        busy.sort((a, b) => a.start.getTime() - b.start.getTime() || a.end.getTime() - b.end.getTime());
        return { calendarId, busy };
      });
    },

    async listEventsPage(request: ListEventsRequest): Promise<EventPage> {
      checkSignal(request.signal);
      const calendar = events.storeOf(request.calendarId, 'listEvents');
      const fromMs = request.range.start.getTime();
      const toMs = request.range.end.getTime();
      let after: { s: number; i: string } | undefined;
      if (request.cursor !== undefined) {
        const decoded = decodeToken(request.cursor, { s: 'number', i: 'string' });
        if (decoded === undefined) {
          throw new ValidationError(undefined, [{ path: 'cursor', message: 'is not a cursor this calendar issued' }], {
            provider: MEMORY_PROVIDER,
            operation: 'listEvents',
          });
        }
        after = { s: decoded.s as number, i: decoded.i as string };
      }
      const rows: Array<{ startMs: number; id: string; event: () => CalendarEvent }> = [
        ...singlesOverlapping(calendar, fromMs, toMs).map((event) => ({
          startMs: event.startMs,
          id: event.id,
          event: () => toCalendarEvent(event),
        })),
        ...series.instancesIn(calendar, fromMs, toMs).map((instance) => ({
          startMs: instance.startMs,
          id: series.idOf(instance),
          event: () => instanceEvent(instance),
        })),
      ].sort((a, b) => a.startMs - b.startMs || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      const remaining =
        after === undefined
          ? rows
          : rows.filter((row) => row.startMs > (after as { s: number }).s || (row.startMs === after?.s && row.id > after.i));
      const pageSize = request.pageSize ?? DEFAULT_PAGE_SIZE;
      const page = remaining.slice(0, pageSize);
      const last = page[page.length - 1];
      const items = page.map((row) => row.event());
      return remaining.length > pageSize && last !== undefined
        ? { items, nextCursor: encodeToken({ s: last.startMs, i: last.id }) }
        : { items };
    },

    async getEvent(request: GetEventRequest): Promise<CalendarEvent> {
      checkSignal(request.signal);
      events.storeOf(request.calendarId, 'getEvent');
      const instance = instanceNamed(request.calendarId, request.eventId);
      if (instance !== undefined) return instanceEvent(instance);
      return toCalendarEvent(events.require(request.calendarId, request.eventId, 'getEvent'));
    },

    async createEvent(request: CreateEventRequest): Promise<CalendarEvent> {
      checkSignal(request.signal);
      events.storeOf(request.calendarId, 'createEvent');
      if (request.conference !== undefined && !capabilities.conferencing.includes(request.conference)) {
        throw new CapabilityError(`conference links of kind "${request.conference}"`, {
          provider: MEMORY_PROVIDER,
          operation: 'createEvent',
        });
      }
      const key = request.idempotencyKey === undefined ? undefined : `${request.calendarId}\n${request.idempotencyKey}`;
      const existing = key === undefined ? undefined : idempotency.get(key);
      if (existing !== undefined) return toCalendarEvent(byId.get(existing) as StoredEvent);
      const { signal: _signal, idempotencyKey: _key, notify: _notify, ...fields } = request;
      const event = events.insert(fields);
      if (key !== undefined) idempotency.set(key, event.id);
      return toCalendarEvent(event);
    },

    async updateEvent(request: UpdateEventRequest): Promise<CalendarEvent> {
      checkSignal(request.signal);
      events.storeOf(request.calendarId, 'updateEvent');
      const instance = instanceNamed(request.calendarId, request.eventId);
      if (instance !== undefined) return instanceEvent(events.updateInstance(instance, request));
      const target = events.require(request.calendarId, request.eventId, 'updateEvent');
      events.checkEtag(target, request.etag, 'updateEvent');
      if (target.status === 'cancelled') {
        throw new ConflictError(`Event "${target.id}" is cancelled`, { provider: MEMORY_PROVIDER, operation: 'updateEvent' });
      }
      events.update(target, request.patch);
      return toCalendarEvent(target);
    },

    async cancelEvent(request: CancelEventRequest): Promise<void> {
      checkSignal(request.signal);
      events.storeOf(request.calendarId, 'cancelEvent');
      const instance = instanceNamed(request.calendarId, request.eventId);
      if (instance !== undefined) {
        events.checkEtag(instance.series, request.etag, 'cancelEvent');
        events.cancelInstance(instance);
        return;
      }
      const target = events.require(request.calendarId, request.eventId, 'cancelEvent');
      if (target.status === 'cancelled') return;
      events.checkEtag(target, request.etag, 'cancelEvent');
      events.cancel(target);
    },

    async sync(request: SyncRequest): Promise<SyncResult> {
      checkSignal(request.signal);
      const calendar = events.storeOf(request.calendarId, 'sync');
      const decoded =
        request.syncToken === undefined
          ? undefined
          : decodeToken(request.syncToken, { e: 'string', c: 'string', s: 'number', f: 'number', t: 'number' });
      const valid =
        decoded !== undefined &&
        decoded.e === tokenEpoch &&
        decoded.c === request.calendarId &&
        !rebaselineDue({ start: new Date(decoded.f as number), end: new Date(decoded.t as number) }, clock, options.syncWindow);
      const window = valid ? { start: new Date(decoded.f as number), end: new Date(decoded.t as number) } : windowAt(clock.now(), options.syncWindow);
      const since = valid ? (decoded.s as number) : undefined;
      const fromMs = window.start.getTime();
      const toMs = window.end.getTime();
      const changes: SyncedEvent[] = [];
      const deleted: string[] = [];
      const occurrence = (instance: Instance): SyncedEvent => ({ ...instanceEvent(instance), seriesId: instance.series.id });
      if (since === undefined) {
        for (const event of singlesOverlapping(calendar, fromMs, toMs)) changes.push({ ...toCalendarEvent(event), seriesId: event.id });
        for (const instance of series.instancesIn(calendar, fromMs, toMs)) changes.push(occurrence(instance));
      } else {
        const changedSeries = new Set<string>();
        for (const event of byId.values()) {
          if (event.calendarId !== request.calendarId || event.sequence <= since) continue;
          if (event.status === 'cancelled') deleted.push(event.id);
          else if (event.series !== undefined) {
            // Every current occurrence of a changed series; its id drops the old ones.
            deleted.push(event.id);
            changedSeries.add(event.id);
          } else if (event.endMs > fromMs && event.startMs < toMs) changes.push({ ...toCalendarEvent(event), seriesId: event.id });
          else deleted.push(event.id);
        }
        for (const instance of series.instancesIn(calendar, fromMs, toMs)) if (changedSeries.has(instance.series.id)) changes.push(occurrence(instance));
      }
      changes.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      return {
        changes,
        deleted,
        window,
        nextSyncToken: encodeToken({ e: tokenEpoch, c: request.calendarId, s: events.sequence(), f: fromMs, t: toMs }),
        fullResync: request.syncToken !== undefined && !valid,
      };
    },

    async watch(request: WatchRequest): Promise<WatchChannel> {
      checkSignal(request.signal);
      events.storeOf(request.calendarId, 'watch');
      const ttlSeconds = Math.min(request.ttlSeconds ?? DEFAULT_WATCH_TTL_SECONDS, MAX_WATCH_TTL_SECONDS);
      const channel: WatchChannel = {
        id: uuidv4(),
        resourceId: `memory:${request.calendarId}`,
        calendarId: request.calendarId,
        expiresAt: new Date(clock.now() + ttlSeconds * 1000),
        address: request.address,
      };
      notifier.add(channel, request.token);
      return channel;
    },

    async unwatch(channel: WatchChannel, callOptions?: { signal?: AbortSignal | undefined }): Promise<void> {
      checkSignal(callOptions?.signal);
      notifier.remove(channel.id);
    },

    subscribe: (listener) => notifier.subscribe(listener),
    channels: () => notifier.channels(),
    expireSyncTokens() {
      tokenEpoch = uuidv4();
    },
    size: () => byId.size,
  };

  for (const seed of options.seed ?? []) events.insert(seed);
  return provider;
}

/**
 * The memory provider under its old name.
 *
 * @deprecated Use {@link createMemoryCalendarProvider}; this alias goes in the next minor release.
 */
export function createMemoryProvider(options: MemoryCalendarOptions = {}): MemoryCalendarProvider {
  return createMemoryCalendarProvider(options);
}
