// The memory provider's event store: calendars, events by id, the change log, and the rules of
// changing an event (etags, patches, moved instances).
import { ConflictError, NotFoundError, ValidationError, uuidv7 } from '@almanac/core';
import type { Clock } from '@almanac/core';
import { addDays, allDayToRange, dateInZone } from '@almanac/oracle/time';
import type { EventPatch, UpdateEventRequest } from '../../spec';
import type { MemoryNotifier } from './notifications';
import { parseRule } from './recurrence';
import type { Instance, MemoryZones } from './series';
import { MEMORY_PROVIDER, createCalendarStore, indexEvent, unindexEvent } from './store';
import type { CalendarStore, InstanceOverride, StoredEvent, StoredSeries } from './store';
import { etagOf, joinUrlFor } from './to-event';
import type { MemoryNotification, MemorySeedEvent } from './types';

/** What {@link createMemoryEvents} needs. */
export interface MemoryEventsOptions {
  readonly calendarIds: readonly string[];
  readonly zones: MemoryZones;
  readonly clock: Clock;
  readonly notifier: MemoryNotifier;
  /** Stamped on every event created. */
  readonly organizer: string | undefined;
}

/** The event store of one provider. */
export interface MemoryEvents {
  /** Every event (cancelled ones too; a series counts once), by id. */
  readonly byId: ReadonlyMap<string, StoredEvent>;
  /** Position of the last change in the change log. */
  sequence(): number;
  /** The calendar's store, or `NotFoundError` naming the operation. */
  storeOf(calendarId: string, operation: string): CalendarStore;
  /** Stores a new event; `ConflictError` when its id is taken. */
  insert(seed: MemorySeedEvent): StoredEvent;
  /** The event `eventId` of `calendarId`, or `NotFoundError`. */
  require(calendarId: string, eventId: string, operation: string): StoredEvent;
  /** `ConflictError` (412) unless `etag` is absent or the event's current one. */
  checkEtag(event: StoredEvent, etag: string | undefined, operation: string): void;
  /** Applies a patch to a single event or a whole series (keeping the calendar index right) and logs the change. */
  update(event: StoredEvent, patch: EventPatch): void;
  /** Moves or patches one instance of a series (an override) and logs the change; returns the new instance. */
  updateInstance(instance: Instance, request: UpdateEventRequest): Instance;
  /** Cancels one instance of a series (an exclusion) and logs the change. */
  cancelInstance(instance: Instance): void;
  /** Cancels an event and logs the change. */
  cancel(event: StoredEvent): void;
}

const badEnd = () =>
  new ValidationError(undefined, [{ path: 'patch.end', message: 'must be after the start' }], {
    provider: MEMORY_PROVIDER,
    operation: 'updateEvent',
  });

/** Creates the event store of one provider. */
export function createMemoryEvents(options: MemoryEventsOptions): MemoryEvents {
  const { zones, clock, notifier } = options;
  const stores = new Map<string, CalendarStore>(options.calendarIds.map((id) => [id, createCalendarStore()]));
  const byId = new Map<string, StoredEvent>();
  let sequence = 0;

  const storeOf = (calendarId: string, operation: string): CalendarStore => {
    const store = stores.get(calendarId);
    if (store === undefined) {
      throw new NotFoundError(`Calendar "${calendarId}" does not exist`, { provider: MEMORY_PROVIDER, operation });
    }
    return store;
  };

  const touch = (event: StoredEvent, change: MemoryNotification['change']) => {
    event.sequence = ++sequence;
    event.updatedMs = clock.now();
    if (change !== 'created') event.version++;
    notifier.notify(event, change);
  };

  /** Sets an event's instants from its boundaries (all-day dates are busy in the calendar zone). */
  const place = (event: StoredEvent, start: Date, end: Date) => {
    if (event.allDay) {
      const startDate = dateInZone(start, zones.of(event.timeZone));
      let endDate = dateInZone(end, zones.of(event.timeZone));
      if (endDate <= startDate) endDate = addDays(startDate, 1);
      const range = allDayToRange(startDate, endDate, zones.calendar);
      event.startDate = startDate;
      event.endDate = endDate;
      event.startMs = range.start.getTime();
      event.endMs = range.end.getTime();
    } else {
      event.startMs = start.getTime();
      event.endMs = end.getTime();
    }
  };

  const insert = (seed: MemorySeedEvent): StoredEvent => {
    const id = seed.id ?? uuidv7().replaceAll('-', '');
    if (byId.has(id)) throw new ConflictError(`Event "${id}" already exists`, { provider: MEMORY_PROVIDER, operation: 'createEvent' });
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
          provider: MEMORY_PROVIDER,
        });
      }
      event.series = {
        rrule: seed.recurrence.rrule,
        exdates: new Set((seed.recurrence.exdates ?? []).map((d) => d.getTime())),
        overrides: new Map(
          (seed.recurrence.overrides ?? []).map((o) => [o.recurrenceId.getTime(), { startMs: o.start.getTime(), endMs: o.end.getTime() }]),
        ),
      };
    }
    byId.set(id, event);
    if (event.status !== 'cancelled') indexEvent(calendar, event);
    touch(event, 'created');
    return event;
  };

  const require = (calendarId: string, eventId: string, operation: string): StoredEvent => {
    storeOf(calendarId, operation);
    const event = byId.get(eventId);
    if (event === undefined || event.calendarId !== calendarId) {
      throw new NotFoundError(`Event "${eventId}" not found in calendar "${calendarId}"`, { provider: MEMORY_PROVIDER, operation });
    }
    return event;
  };

  const checkEtag = (event: StoredEvent, etag: string | undefined, operation: string) => {
    if (etag !== undefined && etag !== etagOf(event)) {
      throw new ConflictError(`Event "${event.id}" changed: etag ${etag} is stale (now ${etagOf(event)})`, {
        provider: MEMORY_PROVIDER,
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
    if (!event.allDay && end.getTime() <= start.getTime()) throw badEnd();
    place(event, start, end);
  };

  const update = (event: StoredEvent, patch: EventPatch) => {
    const calendar = storeOf(event.calendarId, 'updateEvent');
    unindexEvent(calendar, event);
    try {
      applyPatch(event, patch);
    } finally {
      indexEvent(calendar, event);
    }
    touch(event, 'updated');
  };

  const updateInstance = (instance: Instance, request: UpdateEventRequest): Instance => {
    const series = instance.series;
    const rule = series.series as StoredSeries;
    checkEtag(series, request.etag, 'updateEvent');
    const { patch } = request;
    const startMs = patch.start?.getTime() ?? instance.startMs;
    const endMs = patch.end?.getTime() ?? instance.endMs + (startMs - instance.startMs);
    if (endMs <= startMs) throw badEnd();
    const fields = { ...instance.override?.fields };
    if (patch.title !== undefined) fields.title = patch.title;
    if (patch.description !== undefined) fields.description = patch.description;
    if (patch.location !== undefined) fields.location = patch.location;
    if (patch.attendees !== undefined) fields.attendees = [...patch.attendees];
    if (patch.reminders !== undefined) fields.reminders = [...patch.reminders];
    const override: InstanceOverride = { startMs, endMs, fields };
    rule.overrides.set(instance.originalStartMs, override);
    touch(series, 'updated');
    return { series, originalStartMs: instance.originalStartMs, startMs, endMs, override };
  };

  const cancelInstance = (instance: Instance) => {
    instance.series.series?.exdates.add(instance.originalStartMs);
    touch(instance.series, 'updated');
  };

  const cancel = (event: StoredEvent) => {
    unindexEvent(storeOf(event.calendarId, 'cancelEvent'), event);
    event.status = 'cancelled';
    touch(event, 'cancelled');
  };

  return { byId, sequence: () => sequence, storeOf, insert, require, checkEtag, update, updateInstance, cancelInstance, cancel };
}
