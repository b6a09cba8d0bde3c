import {
  CapabilityError,
  ConflictError,
  NotFoundError,
  ValidationError,
  abortReason,
  parse,
  silentLogger,
  systemClock,
  uuidv4,
  uuidv7,
} from '@almanac/core';
import type {
  BusyInterval,
  CalendarCapabilities,
  CalendarEvent,
  CancelEventRequest,
  CreateEventRequest,
  EventPage,
  EventPatch,
  FreeBusyRequest,
  FreeBusyResult,
  GetEventRequest,
  ListEventsRequest,
  SyncRequest,
  SyncResult,
  UpdateEventRequest,
  WatchChannel,
  WatchRequest,
} from '../../spec';
import { addDays, allDayToRange, createZoneOffsetReader, dateInZone, DAY_MS, type ZoneOffsetReader } from '@almanac/oracle/time';
import { createMemoryOptionsSchema } from './options';
import { expandRule, instanceStamp, parseRule } from './recurrence';
import {
  createCalendarStore,
  indexEvent,
  singlesOverlapping,
  unindexEvent,
} from './store';
import type { CalendarStore, InstanceOverride, StoredEvent } from './store';
import { decodeToken, encodeToken } from './tokens';
import type { MemoryCalendarOptions, MemoryCalendarProvider, MemoryNotification, MemorySeedEvent } from './types';

const PROVIDER = 'memory';
const DEFAULT_PAGE_SIZE = 100;
const DEFAULT_WATCH_TTL_SECONDS = 3600;
const MAX_WATCH_TTL_SECONDS = 7 * 24 * 3600;
/** Wider than any UTC offset: instants before `t` have wall times before `t + MAX_OFFSET_MS`. */
const MAX_OFFSET_MS = 16 * 3_600_000;

/** One occurrence of a series inside a queried range. */
interface Instance {
  readonly series: StoredEvent;
  readonly originalStartMs: number;
  readonly startMs: number;
  readonly endMs: number;
  readonly startDate?: string;
  readonly endDate?: string;
  readonly override?: InstanceOverride;
}

/** Placeholder join URLs on the reserved `.invalid` domain: they look real and never resolve. */
function joinUrlFor(kind: 'meet' | 'teams', id: string): string {
  return kind === 'meet' ? `https://meet.example.invalid/${id}` : `https://teams.example.invalid/l/meetup-join/${id}`;
}

const etagOf = (event: StoredEvent) => `"${event.version}"`;

/**
 * Creates the memory provider: a complete, deterministic reference implementation of the
 * calendar contract for tests, demos and benchmarks. Wrap it with `createCalendar` (or use
 * `createMemoryCalendar`, which does).
 */
export function createMemoryProvider(options: MemoryCalendarOptions = {}): MemoryCalendarProvider {
  parse(createMemoryOptionsSchema(), options, { provider: PROVIDER, operation: 'createMemoryCalendar', path: 'options' });
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const calendarIds = options.calendars ?? ['primary'];
  const primary = calendarIds[0] as string;
  const calendarZone = createZoneOffsetReader(options.timeZone ?? 'UTC');
  const zones = new Map<string, ZoneOffsetReader>([[calendarZone.zone, calendarZone]]);
  const zoneOf = (zone: string) => {
    let reader = zones.get(zone);
    if (reader === undefined) {
      reader = createZoneOffsetReader(zone);
      zones.set(zone, reader);
    }
    return reader;
  };

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

  const stores = new Map<string, CalendarStore>(calendarIds.map((id) => [id, createCalendarStore()]));
  const byId = new Map<string, StoredEvent>();
  const idempotency = new Map<string, string>();
  const watches = new Map<string, { channel: WatchChannel; token: string }>();
  const listeners = new Set<(notification: MemoryNotification) => void>();
  if (options.onNotification) listeners.add(options.onNotification);
  let sequence = 0;
  let tokenEpoch = uuidv4();

  const checkSignal = (signal: AbortSignal | undefined) => {
    if (signal?.aborted) throw abortReason(signal);
  };

  const storeOf = (calendarId: string, operation: string): CalendarStore => {
    const store = stores.get(calendarId);
    if (store === undefined) {
      throw new NotFoundError(`Calendar "${calendarId}" does not exist`, { provider: PROVIDER, operation });
    }
    return store;
  };

  const notify = (event: StoredEvent, change: MemoryNotification['change']) => {
    const now = clock.now();
    for (const { channel, token } of watches.values()) {
      if (channel.calendarId !== event.calendarId || channel.expiresAt.getTime() <= now) continue;
      const notification: MemoryNotification = { channel, token, eventId: event.id, change, sequence: event.sequence };
      for (const listener of listeners) {
        try {
          listener(notification);
        } catch (error) {
          logger.warn('memory calendar notification listener threw; ignored', { channelId: channel.id, error });
        }
      }
    }
  };

  const touch = (event: StoredEvent, change: MemoryNotification['change']) => {
    event.sequence = ++sequence;
    event.updatedMs = clock.now();
    if (change !== 'created') event.version++;
    notify(event, change);
  };

  /** Sets an event's instants from its boundaries (all-day dates are busy in the calendar zone). */
  const place = (event: StoredEvent, start: Date, end: Date) => {
    if (event.allDay) {
      const startDate = dateInZone(start, zoneOf(event.timeZone));
      let endDate = dateInZone(end, zoneOf(event.timeZone));
      if (endDate <= startDate) endDate = addDays(startDate, 1);
      const range = allDayToRange(startDate, endDate, calendarZone);
      event.startDate = startDate;
      event.endDate = endDate;
      event.startMs = range.start.getTime();
      event.endMs = range.end.getTime();
    } else {
      event.startMs = start.getTime();
      event.endMs = end.getTime();
    }
  };

  const store = (seed: MemorySeedEvent): StoredEvent => {
    const id = seed.id ?? uuidv7().replaceAll('-', '');
    if (byId.has(id)) throw new ConflictError(`Event "${id}" already exists`, { provider: PROVIDER, operation: 'createEvent' });
    const calendar = storeOf(seed.calendarId, 'createEvent');
    const event: StoredEvent = {
      id,
      calendarId: seed.calendarId,
      title: seed.title,
      attendees: [...(seed.attendees ?? [])],
      timeZone: seed.timeZone,
      allDay: seed.allDay === true,
      startMs: 0,
      endMs: 0,
      status: seed.status ?? 'confirmed',
      transparency: seed.transparency ?? 'opaque',
      version: 1,
      updatedMs: clock.now(),
      sequence: 0,
    };
    place(event, seed.start, seed.end);
    if (seed.description !== undefined) event.description = seed.description;
    if (seed.location !== undefined) event.location = seed.location;
    if (options.organizer !== undefined) event.organizer = options.organizer;
    if (seed.reminders !== undefined) event.reminders = [...seed.reminders];
    if (seed.conference !== undefined) {
      event.conference = seed.conference;
      event.joinUrl = joinUrlFor(seed.conference, id);
    }
    if (seed.recurrence !== undefined) {
      if (parseRule(seed.recurrence.rrule) === undefined) {
        throw new ValidationError(undefined, [{ path: 'recurrence.rrule', message: 'must be a valid RRULE' }], {
          provider: PROVIDER,
        });
      }
      event.series = {
        rrule: seed.recurrence.rrule,
        exdates: new Set((seed.recurrence.exdates ?? []).map((d) => d.getTime())),
        overrides: new Map(
          (seed.recurrence.overrides ?? []).map((o) => [
            o.recurrenceId.getTime(),
            { startMs: o.start.getTime(), endMs: o.end.getTime() },
          ]),
        ),
      };
    }
    byId.set(id, event);
    if (event.status !== 'cancelled') indexEvent(calendar, event);
    touch(event, 'created');
    return event;
  };

  /** An occurrence with its override applied (all-day occurrences span the calendar zone's days). */
  const instanceAt = (series: StoredEvent, originalStartMs: number, wallMs: number): Instance => {
    const rule = series.series as NonNullable<StoredEvent['series']>;
    const override = rule.overrides.get(originalStartMs);
    if (override !== undefined) return { series, originalStartMs, startMs: override.startMs, endMs: override.endMs, override };
    if (series.allDay && series.startDate !== undefined && series.endDate !== undefined) {
      const days = Math.round((Date.parse(series.endDate) - Date.parse(series.startDate)) / DAY_MS);
      const startDate = new Date(wallMs).toISOString().slice(0, 10);
      const endDate = addDays(startDate, days);
      const range = allDayToRange(startDate, endDate, calendarZone);
      return { series, originalStartMs, startMs: range.start.getTime(), endMs: range.end.getTime(), startDate, endDate };
    }
    return { series, originalStartMs, startMs: originalStartMs, endMs: originalStartMs + (series.endMs - series.startMs) };
  };

  const occurrencesUntil = (series: StoredEvent, untilMs: number) =>
    expandRule({
      rrule: (series.series as NonNullable<StoredEvent['series']>).rrule,
      startMs: series.startMs,
      allDay: series.allDay,
      zone: series.allDay ? calendarZone : zoneOf(series.timeZone),
      untilWallMs: untilMs + MAX_OFFSET_MS,
    });

  /** Occurrences of a live series overlapping `[fromMs, toMs)`, exdates removed, overrides applied. */
  const instancesOf = (series: StoredEvent, fromMs: number, toMs: number): Instance[] => {
    const rule = series.series;
    if (rule === undefined) return [];
    const out: Instance[] = [];
    for (const occurrence of occurrencesUntil(series, toMs)) {
      if (rule.exdates.has(occurrence.originalStartMs)) continue;
      const instance = instanceAt(series, occurrence.originalStartMs, occurrence.wallMs);
      if (instance.startMs < toMs && instance.endMs > fromMs) out.push(instance);
    }
    // A moved instance can land in the range from an original after it.
    for (const [originalStartMs, override] of rule.overrides) {
      if (originalStartMs < toMs || rule.exdates.has(originalStartMs)) continue;
      if (out.some((instance) => instance.originalStartMs === originalStartMs)) continue;
      if (override.startMs < toMs && override.endMs > fromMs) {
        const real = [...occurrencesUntil(series, originalStartMs + 1)].some((o) => o.originalStartMs === originalStartMs);
        if (real) out.push({ series, originalStartMs, startMs: override.startMs, endMs: override.endMs, override });
      }
    }
    return out;
  };

  const toEvent = (event: StoredEvent): CalendarEvent => {
    const timed = (ms: number) => ({ dateTime: new Date(ms), timeZone: event.timeZone });
    const raw: Record<string, unknown> = { provider: PROVIDER, sequence: event.sequence };
    if (event.series !== undefined) {
      raw['recurrence'] = {
        rrule: event.series.rrule,
        exdates: [...event.series.exdates].map((ms) => new Date(ms)),
        overrides: [...event.series.overrides].map(([ms, o]) => ({
          recurrenceId: new Date(ms),
          start: new Date(o.startMs),
          end: new Date(o.endMs),
        })),
      };
    }
    return {
      id: event.id,
      calendarId: event.calendarId,
      title: event.title,
      ...(event.description === undefined ? {} : { description: event.description }),
      start: event.allDay ? { date: event.startDate as string } : timed(event.startMs),
      end: event.allDay ? { date: event.endDate as string } : timed(event.endMs),
      ...(event.location === undefined ? {} : { location: event.location }),
      ...(event.organizer === undefined ? {} : { organizer: event.organizer }),
      attendees: event.attendees.map((attendee) => ({ ...attendee })),
      status: event.status,
      transparency: event.transparency,
      ...(event.joinUrl === undefined ? {} : { joinUrl: event.joinUrl }),
      ...(event.conference === undefined ? {} : { conference: event.conference }),
      etag: etagOf(event),
      updated: new Date(event.updatedMs),
      ...(event.reminders === undefined ? {} : { reminders: event.reminders.map((r) => ({ ...r })) }),
      raw,
    };
  };

  const instanceId = (instance: Instance) =>
    `${instance.series.id}_${instanceStamp(instance.originalStartMs, instance.series.allDay, instance.series.allDay ? calendarZone : zoneOf(instance.series.timeZone))}`;

  const toInstanceEvent = (instance: Instance): CalendarEvent => {
    const base = toEvent(instance.series);
    const fields = instance.override?.fields ?? {};
    const series = instance.series;
    const allDayDates =
      instance.startDate !== undefined && instance.endDate !== undefined
        ? { start: { date: instance.startDate }, end: { date: instance.endDate } }
        : undefined;
    const { raw: _raw, ...rest } = base;
    return {
      ...rest,
      id: instanceId(instance),
      ...fields,
      ...(fields.attendees === undefined ? {} : { attendees: fields.attendees.map((a) => ({ ...a })) }),
      ...(fields.reminders === undefined ? {} : { reminders: fields.reminders.map((r) => ({ ...r })) }),
      ...(allDayDates ?? {
        start: series.allDay
          ? { date: dateInZone(instance.startMs, calendarZone) }
          : { dateTime: new Date(instance.startMs), timeZone: series.timeZone },
        end: series.allDay
          ? { date: dateInZone(instance.endMs, calendarZone) }
          : { dateTime: new Date(instance.endMs), timeZone: series.timeZone },
      }),
      recurringEventId: series.id,
      raw: { provider: PROVIDER, originalStart: new Date(instance.originalStartMs) },
    };
  };

  /** Resolves an instance id (`<series>_<stamp>`) to its live occurrence. */
  const findInstance = (calendarId: string, eventId: string): Instance | undefined => {
    const cut = eventId.lastIndexOf('_');
    if (cut <= 0) return undefined;
    const series = byId.get(eventId.slice(0, cut));
    if (series?.series === undefined || series.calendarId !== calendarId || series.status === 'cancelled') return undefined;
    const stamp = eventId.slice(cut + 1);
    const m = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})Z)?$/.exec(stamp);
    if (m === null) return undefined;
    const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const wall = Date.UTC(year, month - 1, day, Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0));
    // Timed stamps are UTC instants; all-day stamps are dates, so the instant is a day away at most.
    const untilMs = series.allDay ? wall + DAY_MS : wall + 1;
    for (const occurrence of occurrencesUntil(series, untilMs)) {
      if (series.series.exdates.has(occurrence.originalStartMs)) continue;
      const instance = instanceAt(series, occurrence.originalStartMs, occurrence.wallMs);
      if (instanceId(instance) === eventId) return instance;
    }
    return undefined;
  };

  const instancesIn = (calendar: CalendarStore, fromMs: number, toMs: number): Instance[] =>
    [...calendar.series.values()].flatMap((series) => instancesOf(series, fromMs, toMs));

  const requireEvent = (calendarId: string, eventId: string, operation: string): StoredEvent => {
    storeOf(calendarId, operation);
    const event = byId.get(eventId);
    if (event === undefined || event.calendarId !== calendarId) {
      throw new NotFoundError(`Event "${eventId}" not found in calendar "${calendarId}"`, { provider: PROVIDER, operation });
    }
    return event;
  };

  const checkEtag = (event: StoredEvent, etag: string | undefined, operation: string) => {
    if (etag !== undefined && etag !== etagOf(event)) {
      throw new ConflictError(`Event "${event.id}" changed: etag ${etag} is stale (now ${etagOf(event)})`, {
        provider: PROVIDER,
        operation,
        status: 412,
      });
    }
  };

  const applyPatch = (event: StoredEvent, patch: EventPatch) => {
    if (patch.title !== undefined) event.title = patch.title;
    if (patch.description !== undefined) event.description = patch.description;
    if (patch.location !== undefined) event.location = patch.location;
    if (patch.attendees !== undefined) event.attendees = [...patch.attendees];
    if (patch.reminders !== undefined) event.reminders = [...patch.reminders];
    if (patch.timeZone !== undefined) event.timeZone = patch.timeZone;
    if (patch.start === undefined && patch.end === undefined) return;
    const start = patch.start ?? new Date(event.startMs);
    // Moving only the start keeps the duration, as dragging an event in a calendar UI does.
    const end = patch.end ?? new Date(event.endMs + (start.getTime() - event.startMs));
    if (!event.allDay && end.getTime() <= start.getTime()) {
      throw new ValidationError(undefined, [{ path: 'patch.end', message: 'must be after the start' }], {
        provider: PROVIDER,
        operation: 'updateEvent',
      });
    }
    place(event, start, end);
  };

  const updateInstance = (instance: Instance, request: UpdateEventRequest): CalendarEvent => {
    const series = instance.series;
    const rule = series.series as NonNullable<StoredEvent['series']>;
    checkEtag(series, request.etag, 'updateEvent');
    const { patch } = request;
    const startMs = patch.start?.getTime() ?? instance.startMs;
    const endMs = patch.end?.getTime() ?? instance.endMs + (startMs - instance.startMs);
    if (endMs <= startMs) {
      throw new ValidationError(undefined, [{ path: 'patch.end', message: 'must be after the start' }], {
        provider: PROVIDER,
        operation: 'updateEvent',
      });
    }
    const fields = { ...instance.override?.fields };
    if (patch.title !== undefined) fields.title = patch.title;
    if (patch.description !== undefined) fields.description = patch.description;
    if (patch.location !== undefined) fields.location = patch.location;
    if (patch.attendees !== undefined) fields.attendees = [...patch.attendees];
    if (patch.reminders !== undefined) fields.reminders = [...patch.reminders];
    const override: InstanceOverride = { startMs, endMs, fields };
    rule.overrides.set(instance.originalStartMs, override);
    touch(series, 'updated');
    return toInstanceEvent({ series, originalStartMs: instance.originalStartMs, startMs, endMs, override });
  };

  const provider: MemoryCalendarProvider = {
    name: PROVIDER,
    capabilities,

    async freeBusy(request: FreeBusyRequest): Promise<FreeBusyResult[]> {
      checkSignal(request.signal);
      const fromMs = request.range.start.getTime();
      const toMs = request.range.end.getTime();
      return (request.calendars ?? [primary]).map((calendarId) => {
        const calendar = storeOf(calendarId, 'freeBusy');
        const busy: BusyInterval[] = [];
        const add = (startMs: number, endMs: number, title: string) =>
          busy.push({ start: new Date(Math.max(startMs, fromMs)), end: new Date(Math.min(endMs, toMs)), source: `Memory: ${title}` });
        for (const event of singlesOverlapping(calendar, fromMs, toMs)) {
          if (event.transparency === 'opaque') add(event.startMs, event.endMs, event.title);
        }
        for (const instance of instancesIn(calendar, fromMs, toMs)) {
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
      const calendar = storeOf(request.calendarId, 'listEvents');
      const fromMs = request.range.start.getTime();
      const toMs = request.range.end.getTime();
      let after: { s: number; i: string } | undefined;
      if (request.cursor !== undefined) {
        const decoded = decodeToken(request.cursor, { s: 'number', i: 'string' });
        if (decoded === undefined) {
          throw new ValidationError(undefined, [{ path: 'cursor', message: 'is not a cursor this calendar issued' }], {
            provider: PROVIDER,
            operation: 'listEvents',
          });
        }
        after = { s: decoded.s as number, i: decoded.i as string };
      }
      const rows: Array<{ startMs: number; id: string; event: () => CalendarEvent }> = [
        ...singlesOverlapping(calendar, fromMs, toMs).map((event) => ({
          startMs: event.startMs,
          id: event.id,
          event: () => toEvent(event),
        })),
        ...instancesIn(calendar, fromMs, toMs).map((instance) => ({
          startMs: instance.startMs,
          id: instanceId(instance),
          event: () => toInstanceEvent(instance),
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
      storeOf(request.calendarId, 'getEvent');
      const event = byId.get(request.eventId);
      if (event !== undefined && event.calendarId === request.calendarId) return toEvent(event);
      const instance = findInstance(request.calendarId, request.eventId);
      if (instance !== undefined) return toInstanceEvent(instance);
      return toEvent(requireEvent(request.calendarId, request.eventId, 'getEvent'));
    },

    async createEvent(request: CreateEventRequest): Promise<CalendarEvent> {
      checkSignal(request.signal);
      storeOf(request.calendarId, 'createEvent');
      if (request.conference !== undefined && !capabilities.conferencing.includes(request.conference)) {
        throw new CapabilityError(`conference links of kind "${request.conference}"`, {
          provider: PROVIDER,
          operation: 'createEvent',
        });
      }
      const key = request.idempotencyKey === undefined ? undefined : `${request.calendarId}\n${request.idempotencyKey}`;
      const existing = key === undefined ? undefined : idempotency.get(key);
      if (existing !== undefined) return toEvent(byId.get(existing) as StoredEvent);
      const { signal: _signal, idempotencyKey: _key, notify: _notify, ...fields } = request;
      const event = store(fields);
      if (key !== undefined) idempotency.set(key, event.id);
      return toEvent(event);
    },

    async updateEvent(request: UpdateEventRequest): Promise<CalendarEvent> {
      checkSignal(request.signal);
      storeOf(request.calendarId, 'updateEvent');
      const event = byId.get(request.eventId);
      if (event === undefined || event.calendarId !== request.calendarId) {
        const instance = findInstance(request.calendarId, request.eventId);
        if (instance !== undefined) return updateInstance(instance, request);
      }
      const target = requireEvent(request.calendarId, request.eventId, 'updateEvent');
      checkEtag(target, request.etag, 'updateEvent');
      if (target.status === 'cancelled') {
        throw new ConflictError(`Event "${target.id}" is cancelled`, { provider: PROVIDER, operation: 'updateEvent' });
      }
      const calendar = storeOf(target.calendarId, 'updateEvent');
      unindexEvent(calendar, target);
      try {
        applyPatch(target, request.patch);
      } finally {
        indexEvent(calendar, target);
      }
      touch(target, 'updated');
      return toEvent(target);
    },

    async cancelEvent(request: CancelEventRequest): Promise<void> {
      checkSignal(request.signal);
      storeOf(request.calendarId, 'cancelEvent');
      const event = byId.get(request.eventId);
      if (event === undefined || event.calendarId !== request.calendarId) {
        const instance = findInstance(request.calendarId, request.eventId);
        if (instance !== undefined) {
          checkEtag(instance.series, request.etag, 'cancelEvent');
          instance.series.series?.exdates.add(instance.originalStartMs);
          touch(instance.series, 'updated');
          return;
        }
      }
      const target = requireEvent(request.calendarId, request.eventId, 'cancelEvent');
      if (target.status === 'cancelled') return;
      checkEtag(target, request.etag, 'cancelEvent');
      unindexEvent(storeOf(target.calendarId, 'cancelEvent'), target);
      target.status = 'cancelled';
      touch(target, 'cancelled');
    },

    async sync(request: SyncRequest): Promise<SyncResult> {
      checkSignal(request.signal);
      storeOf(request.calendarId, 'sync');
      const decoded =
        request.syncToken === undefined ? undefined : decodeToken(request.syncToken, { e: 'string', c: 'string', s: 'number' });
      const valid = decoded !== undefined && decoded.e === tokenEpoch && decoded.c === request.calendarId;
      const since = valid ? (decoded.s as number) : undefined;
      const changes: CalendarEvent[] = [];
      const deleted: string[] = [];
      for (const event of byId.values()) {
        if (event.calendarId !== request.calendarId) continue;
        if (since === undefined) {
          if (event.status !== 'cancelled') changes.push(toEvent(event));
        } else if (event.sequence > since) {
          if (event.status === 'cancelled') deleted.push(event.id);
          else changes.push(toEvent(event));
        }
      }
      changes.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      return {
        changes,
        deleted,
        nextSyncToken: encodeToken({ e: tokenEpoch, c: request.calendarId, s: sequence }),
        fullResync: request.syncToken !== undefined && !valid,
      };
    },

    async watch(request: WatchRequest): Promise<WatchChannel> {
      checkSignal(request.signal);
      storeOf(request.calendarId, 'watch');
      const ttlSeconds = Math.min(request.ttlSeconds ?? DEFAULT_WATCH_TTL_SECONDS, MAX_WATCH_TTL_SECONDS);
      const channel: WatchChannel = {
        id: uuidv4(),
        resourceId: `memory:${request.calendarId}`,
        calendarId: request.calendarId,
        expiresAt: new Date(clock.now() + ttlSeconds * 1000),
        address: request.address,
      };
      watches.set(channel.id, { channel, token: request.token });
      return channel;
    },

    async unwatch(channel: WatchChannel, callOptions?: { signal?: AbortSignal }): Promise<void> {
      checkSignal(callOptions?.signal);
      watches.delete(channel.id);
    },

    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    channels: () => [...watches.values()].map(({ channel }) => channel),
    expireSyncTokens() {
      tokenEpoch = uuidv4();
    },
    size: () => byId.size,
  };

  for (const seed of options.seed ?? []) store(seed);
  return provider;
}
