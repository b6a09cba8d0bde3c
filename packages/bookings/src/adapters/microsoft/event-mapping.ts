// Graph `event` resources ↔ the spec's `CalendarEvent`. Graph is asked for UTC
// (`Prefer: outlook.timezone="UTC"`) but may answer in another zone, so every zone-less
// `dateTime` is read in the `timeZone` next to it, never with `new Date()`.
import { ProviderError } from '@almanac/core';
import { dateInZone, formatLocalDateTime, instantToLocal, parseIsoInstant, zonedLocalToInstant } from '@almanac/oracle/time';
import type { Attendee, CalendarEvent, EventTime, ResponseStatus } from '../../spec';
import { PROVIDER } from './errors';
import { graphZoneToIana } from './windows-zones';

/** Graph's `dateTimeTimeZone`. */
export interface GraphDateTimeTimeZone {
  /** Zone-less local date-time, e.g. `2026-03-09T09:00:00.0000000`. */
  dateTime: string;
  /** Windows or IANA zone name, e.g. `Pacific Standard Time` or `UTC`. */
  timeZone: string;
}

/** The part of Graph's `event` resource the adapter reads. */
export interface GraphEvent {
  id: string;
  '@odata.etag'?: string | undefined;
  subject?: string | null | undefined;
  body?: { contentType?: string | undefined; content?: string | undefined } | null | undefined;
  bodyPreview?: string | null | undefined;
  start?: GraphDateTimeTimeZone | null | undefined;
  end?: GraphDateTimeTimeZone | null | undefined;
  originalStartTimeZone?: string | null | undefined;
  originalEndTimeZone?: string | null | undefined;
  isAllDay?: boolean | undefined;
  isCancelled?: boolean | undefined;
  isOrganizer?: boolean | undefined;
  showAs?: string | null | undefined;
  seriesMasterId?: string | null | undefined;
  type?: string | null | undefined;
  location?: { displayName?: string | null | undefined } | null | undefined;
  organizer?: { emailAddress?: { address?: string | null | undefined; name?: string | null | undefined } | undefined } | null | undefined;
  attendees?: Array<{
    type?: string | undefined;
    status?: { response?: string | undefined } | undefined;
    emailAddress?: { address?: string | null | undefined; name?: string | null | undefined } | undefined;
  }> | null | undefined;
  onlineMeeting?: { joinUrl?: string | null | undefined } | null | undefined;
  onlineMeetingUrl?: string | null | undefined;
  onlineMeetingProvider?: string | null | undefined;
  isReminderOn?: boolean | undefined;
  reminderMinutesBeforeStart?: number | undefined;
  lastModifiedDateTime?: string | undefined;
  '@removed'?: { reason?: string | undefined } | undefined;
}

const MIDNIGHT = /T00:00(?::00(?:\.0+)?)?$/;

function invalid(what: string, eventId: string): ProviderError {
  return new ProviderError(`${PROVIDER}: event ${eventId} has an unreadable ${what}`, { provider: PROVIDER, operation: 'mapEvent' });
}

/** The instant of a Graph `dateTimeTimeZone`; throws {@link ProviderError} when unreadable. */
export function graphInstant(value: GraphDateTimeTimeZone | null | undefined, what: string): Date {
  const zone = graphZoneToIana(value?.timeZone);
  if (value === null || value === undefined || zone === undefined) {
    throw new ProviderError(`${PROVIDER}: unreadable ${what} time zone ${JSON.stringify(value?.timeZone ?? null)}`, {
      provider: PROVIDER,
      operation: 'mapEvent',
    });
  }
  try {
    return zonedLocalToInstant(value.dateTime, zone);
  } catch (error) {
    throw new ProviderError(`${PROVIDER}: unreadable ${what} date-time`, { provider: PROVIDER, operation: 'mapEvent', cause: error });
  }
}

function eventTime(event: GraphEvent, which: 'start' | 'end'): EventTime {
  const value = event[which];
  if (value === null || value === undefined || typeof value.dateTime !== 'string') throw invalid(which, event.id);
  const returnedZone = graphZoneToIana(value.timeZone);
  if (returnedZone === undefined) throw invalid(`${which} time zone`, event.id);
  const ownZone = graphZoneToIana(which === 'start' ? event.originalStartTimeZone : event.originalEndTimeZone) ?? returnedZone;
  if (event.isAllDay === true) {
    // All-day events are floating dates; when Graph converted them to the preferred zone the
    // date is recovered in the event's own zone, where they start at midnight.
    if (MIDNIGHT.test(value.dateTime)) return { date: value.dateTime.slice(0, 10) };
    return { date: dateInZone(graphInstant(value, which), ownZone) };
  }
  return { dateTime: graphInstant(value, which), timeZone: ownZone };
}

const RESPONSES: Readonly<Record<string, ResponseStatus>> = {
  accepted: 'accepted',
  organizer: 'accepted',
  declined: 'declined',
  tentativelyAccepted: 'tentative',
  none: 'needsAction',
  notResponded: 'needsAction',
};

function attendees(event: GraphEvent): Attendee[] {
  const out: Attendee[] = [];
  for (const entry of event.attendees ?? []) {
    const email = entry.emailAddress?.address;
    if (typeof email !== 'string' || email === '') continue;
    const name = entry.emailAddress?.name;
    const response = RESPONSES[entry.status?.response ?? ''];
    out.push({
      email,
      ...(typeof name === 'string' && name !== '' && name !== email ? { name } : {}),
      ...(entry.type === 'optional' ? { optional: true } : {}),
      ...(entry.type === 'resource' ? { resource: true } : {}),
      ...(response !== undefined ? { response } : {}),
    });
  }
  return out;
}

function isTeamsUrl(url: string): boolean {
  try {
    const host = new URL(url).hostname;
    return host === 'teams.microsoft.com' || host.endsWith('.teams.microsoft.com') || host === 'teams.live.com';
  } catch {
    return false;
  }
}

/**
 * `showAs` values that leave the time bookable. `workingElsewhere` means the person is working,
 * just not at the office, so it does not block meetings (the same rule `freeBusy` applies).
 *
 * @internal
 */
export const FREE_SHOW_AS: ReadonlySet<string> = new Set(['free', 'workingElsewhere']);

/** Maps a Graph event of `calendarId`. Throws {@link ProviderError} for unreadable times. */
export function fromGraphEvent(event: GraphEvent, calendarId: string): CalendarEvent {
  const joinUrl = event.onlineMeeting?.joinUrl ?? event.onlineMeetingUrl ?? undefined;
  const teams = joinUrl !== undefined && (event.onlineMeetingProvider === 'teamsForBusiness' || isTeamsUrl(joinUrl));
  const description = event.body?.content ?? event.bodyPreview ?? undefined;
  const location = event.location?.displayName ?? undefined;
  const organizer = event.organizer?.emailAddress?.address ?? undefined;
  const updated = typeof event.lastModifiedDateTime === 'string' ? parseIsoInstant(event.lastModifiedDateTime) : undefined;
  const recurringEventId = event.seriesMasterId ?? undefined;
  const minutes = event.reminderMinutesBeforeStart;
  return {
    id: event.id,
    calendarId,
    title: event.subject ?? '',
    ...(description ? { description } : {}),
    start: eventTime(event, 'start'),
    end: eventTime(event, 'end'),
    ...(location ? { location } : {}),
    ...(organizer ? { organizer } : {}),
    attendees: attendees(event),
    status: event.isCancelled === true ? 'cancelled' : event.showAs === 'tentative' ? 'tentative' : 'confirmed',
    transparency: FREE_SHOW_AS.has(event.showAs ?? '') ? 'transparent' : 'opaque',
    ...(recurringEventId ? { recurringEventId } : {}),
    ...(joinUrl ? { joinUrl } : {}),
    ...(teams ? { conference: 'teams' as const } : {}),
    ...(event['@odata.etag'] ? { etag: event['@odata.etag'] } : {}),
    ...(updated ? { updated } : {}),
    ...(event.isReminderOn === true && typeof minutes === 'number' ? { reminders: [{ minutesBefore: minutes, method: 'popup' as const }] } : {}),
    raw: event,
  };
}

/** Graph's `dateTimeTimeZone` for an instant: the wall time in `zone`, plus the IANA zone. */
export function toGraphDateTime(instant: Date, zone: string): GraphDateTimeTimeZone {
  return { dateTime: formatLocalDateTime(instantToLocal(instant, zone)), timeZone: zone };
}

/** Graph's attendee list for spec attendees. */
export function toGraphAttendees(list: readonly Attendee[]): Array<Record<string, unknown>> {
  return list.map((attendee) => ({
    emailAddress: { address: attendee.email, ...(attendee.name ? { name: attendee.name } : {}) },
    type: attendee.resource ? 'resource' : attendee.optional ? 'optional' : 'required',
  }));
}
