import type {
  Attendee,
  CalendarEvent,
  CreateEventRequest,
  EventPatch,
  EventTime,
  Reminder,
  ResponseStatus,
} from '../../spec';
import { dateInZone } from '@almanac/oracle/time';

/** `EventDateTime` of the Calendar API v3: `date` for all-day, `dateTime` (+`timeZone`) otherwise. */
export interface GoogleEventDateTime {
  date?: string | null | undefined;
  dateTime?: string | null | undefined;
  timeZone?: string | null | undefined;
}

/** The fields of a Calendar API v3 `Event` the adapter reads or writes. */
export interface GoogleEvent {
  id?: string | null | undefined;
  etag?: string | null | undefined;
  status?: string | null | undefined;
  summary?: string | null | undefined;
  description?: string | null | undefined;
  location?: string | null | undefined;
  updated?: string | null | undefined;
  start?: GoogleEventDateTime | null | undefined;
  end?: GoogleEventDateTime | null | undefined;
  originalStartTime?: GoogleEventDateTime | null | undefined;
  transparency?: string | null | undefined;
  recurringEventId?: string | null | undefined;
  recurrence?: string[] | null | undefined;
  organizer?: { email?: string | null | undefined } | null | undefined;
  attendees?: Array<{
    email?: string | null | undefined;
    displayName?: string | null | undefined;
    optional?: boolean | null | undefined;
    resource?: boolean | null | undefined;
    responseStatus?: string | null | undefined;
  }> | null | undefined;
  hangoutLink?: string | null | undefined;
  conferenceData?: {
    createRequest?: {
      requestId?: string | null | undefined;
      conferenceSolutionKey?: { type?: string | null | undefined } | null | undefined;
      status?: { statusCode?: string | null | undefined } | null | undefined;
    } | null | undefined;
    entryPoints?: Array<{ entryPointType?: string | null | undefined; uri?: string | null | undefined }> | null | undefined;
    conferenceSolution?: { key?: { type?: string | null | undefined } | null | undefined } | null | undefined;
  } | null | undefined;
  reminders?: { useDefault?: boolean | null | undefined; overrides?: Array<{ method?: string | null | undefined; minutes?: number | null | undefined }> | null | undefined } | null | undefined;
}

const RESPONSES: ReadonlySet<string> = new Set(['accepted', 'declined', 'tentative', 'needsAction']);

function toEventTime(value: GoogleEventDateTime | null | undefined, zone: string): EventTime {
  if (value?.date) return { date: value.date };
  if (value?.dateTime) return { dateTime: new Date(value.dateTime), timeZone: value.timeZone || zone };
  // Cancelled instances in a sync feed carry no times; keep the type total without inventing a zone.
  return { date: '1970-01-01' };
}

function joinUrlOf(event: GoogleEvent): { joinUrl?: string | undefined; conference?: 'meet' | undefined } {
  const video = event.conferenceData?.entryPoints?.find((entry) => entry.entryPointType === 'video' && entry.uri);
  const solution = event.conferenceData?.conferenceSolution?.key?.type;
  if (video?.uri) {
    const meet = solution === 'hangoutsMeet' || /^https:\/\/meet\.google\.com\//.test(video.uri);
    return meet ? { joinUrl: video.uri, conference: 'meet' } : { joinUrl: video.uri };
  }
  // Older events only carry `hangoutLink`, which is always a Meet link.
  if (event.hangoutLink) return { joinUrl: event.hangoutLink, conference: 'meet' };
  return {};
}

/**
 * Maps a Calendar API event. `calendarZone` is the calendar's `timeZone` from the list
 * response: Google omits `start.timeZone` on events created without one, and the zone
 * (not just the offset in `dateTime`) is what recurrence and display need.
 */
export function mapGoogleEvent(event: GoogleEvent, calendarId: string, calendarZone: string): CalendarEvent {
  const zone = event.start?.timeZone || calendarZone;
  const attendees: Attendee[] = (event.attendees ?? [])
    .filter((attendee) => typeof attendee.email === 'string')
    .map((attendee) => ({
      email: attendee.email as string,
      ...(attendee.displayName ? { name: attendee.displayName } : {}),
      ...(attendee.optional ? { optional: true } : {}),
      ...(attendee.responseStatus && RESPONSES.has(attendee.responseStatus)
        ? { response: attendee.responseStatus as ResponseStatus }
        : {}),
      ...(attendee.resource ? { resource: true } : {}),
    }));
  const reminders: Reminder[] | undefined = event.reminders?.overrides?.map((override) => ({
    minutesBefore: override.minutes ?? 0,
    method: override.method === 'email' ? 'email' : 'popup',
  }));
  const status = event.status === 'cancelled' || event.status === 'tentative' ? event.status : 'confirmed';
  return {
    id: event.id ?? '',
    calendarId,
    title: event.summary ?? '',
    ...(event.description ? { description: event.description } : {}),
    start: toEventTime(event.start, zone),
    end: toEventTime(event.end, event.end?.timeZone || zone),
    ...(event.location ? { location: event.location } : {}),
    ...(event.organizer?.email ? { organizer: event.organizer.email } : {}),
    attendees,
    status,
    transparency: event.transparency === 'transparent' ? 'transparent' : 'opaque',
    ...(event.recurringEventId ? { recurringEventId: event.recurringEventId } : {}),
    ...joinUrlOf(event),
    ...(event.etag ? { etag: event.etag } : {}),
    ...(event.updated ? { updated: new Date(event.updated) } : {}),
    ...(reminders && reminders.length > 0 ? { reminders } : {}),
    raw: event,
  };
}

function zonedTime(instant: Date, timeZone: string): GoogleEventDateTime {
  return { dateTime: instant.toISOString(), timeZone };
}

function attendeesBody(attendees: readonly Attendee[]): NonNullable<GoogleEvent['attendees']> {
  return attendees.map((attendee) => ({
    email: attendee.email,
    ...(attendee.name ? { displayName: attendee.name } : {}),
    ...(attendee.optional ? { optional: true } : {}),
    ...(attendee.resource ? { resource: true } : {}),
  }));
}

function remindersBody(reminders: readonly Reminder[]): NonNullable<GoogleEvent['reminders']> {
  return {
    useDefault: false,
    overrides: reminders.map((reminder) => ({ method: reminder.method ?? 'popup', minutes: reminder.minutesBefore })),
  };
}

/** Builds the `events.insert` body; `id` and `requestId` come from the idempotency key when there is one. */
export function toGoogleInsertBody(request: CreateEventRequest, id: string | undefined, requestId: string): GoogleEvent {
  const { timeZone } = request;
  return {
    ...(id ? { id } : {}),
    summary: request.title,
    ...(request.description !== undefined ? { description: request.description } : {}),
    ...(request.location !== undefined ? { location: request.location } : {}),
    start: request.allDay ? { date: dateInZone(request.start, timeZone) } : zonedTime(request.start, timeZone),
    end: request.allDay ? { date: dateInZone(request.end, timeZone) } : zonedTime(request.end, timeZone),
    ...(request.attendees ? { attendees: attendeesBody(request.attendees) } : {}),
    ...(request.reminders ? { reminders: remindersBody(request.reminders) } : {}),
    ...(request.conference === 'meet'
      ? { conferenceData: { createRequest: { requestId, conferenceSolutionKey: { type: 'hangoutsMeet' } } } }
      : {}),
  };
}

/** Builds the `events.patch` body: absent fields stay untouched on Google's side. */
export function toGooglePatchBody(patch: EventPatch): GoogleEvent {
  const body: GoogleEvent = {};
  if (patch.title !== undefined) body.summary = patch.title;
  if (patch.description !== undefined) body.description = patch.description;
  if (patch.location !== undefined) body.location = patch.location;
  if (patch.attendees !== undefined) body.attendees = attendeesBody(patch.attendees);
  if (patch.reminders !== undefined) body.reminders = remindersBody(patch.reminders);
  const zone = patch.timeZone !== undefined ? { timeZone: patch.timeZone } : {};
  // Patch merges nested objects, so a zone-only change keeps the stored instants.
  if (patch.start !== undefined || patch.timeZone !== undefined) {
    body.start = { ...(patch.start ? { dateTime: patch.start.toISOString() } : {}), ...zone };
  }
  if (patch.end !== undefined || patch.timeZone !== undefined) {
    body.end = { ...(patch.end ? { dateTime: patch.end.toISOString() } : {}), ...zone };
  }
  return body;
}

/** The Meet creation state of an inserted event: `pending` until Google has made the link. */
export function conferenceStatus(event: GoogleEvent): string | undefined {
  return event.conferenceData?.createRequest?.status?.statusCode ?? undefined;
}
