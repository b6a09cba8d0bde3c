// How the memory provider reports what it stores: events, and instances of recurring series.
import { compact } from '@almanac/core';
import { dateInZone } from '@almanac/oracle/time';
import type { ZoneOffsetReader } from '@almanac/oracle/time';
import type { CalendarEvent } from '../../spec';
import type { Instance } from './series';
import { MEMORY_PROVIDER } from './store';
import type { StoredEvent } from './store';

/** Placeholder join URLs on the reserved `.invalid` domain: they look real and never resolve. */
export function joinUrlFor(kind: 'meet' | 'teams', id: string): string {
  return kind === 'meet' ? `https://meet.example.invalid/${id}` : `https://teams.example.invalid/l/meetup-join/${id}`;
}

/** The etag of an event's current version. */
export const etagOf = (event: StoredEvent): string => `"${event.version}"`;

/** A stored event (a single event, or a series as a whole) as the spec's event. */
export function toCalendarEvent(event: StoredEvent): CalendarEvent {
  const timed = (ms: number) => ({ dateTime: new Date(ms), timeZone: event.timeZone });
  const raw: Record<string, unknown> = { provider: MEMORY_PROVIDER, sequence: event.sequence };
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
}

/** One instance of a series as an event with its own id; all-day dates are read in `calendarZone`. */
export function toInstanceEvent(instance: Instance, id: string, calendarZone: ZoneOffsetReader): CalendarEvent {
  const base = toCalendarEvent(instance.series);
  const fields = instance.override?.fields ?? {};
  const series = instance.series;
  const allDayDates =
    instance.startDate !== undefined && instance.endDate !== undefined
      ? { start: { date: instance.startDate }, end: { date: instance.endDate } }
      : undefined;
  const { raw: _raw, ...rest } = base;
  return {
    ...rest,
    id,
    // Overrides replace only what they set: an explicit undefined keeps the series' value.
    ...compact(fields),
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
    raw: { provider: MEMORY_PROVIDER, originalStart: new Date(instance.originalStartMs) },
  };
}
