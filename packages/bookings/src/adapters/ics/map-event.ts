import ICAL from 'ical.js';
import type { Attendee, CalendarEvent, ConferenceKind, Reminder, ResponseStatus } from '../../spec';
import type { Instance } from './expand';

type Component = ICAL.Component;
type Property = ICAL.Property;

const MEET_URL = /https:\/\/meet\.google\.com\/[a-z]{3,4}-[a-z]{4}-[a-z]{3,4}/i;
const TEAMS_URL = /https:\/\/teams\.microsoft\.com\/l\/meetup-join\/[^\s"<>]+/i;

const RESPONSES: Readonly<Record<string, ResponseStatus>> = {
  ACCEPTED: 'accepted',
  DECLINED: 'declined',
  TENTATIVE: 'tentative',
  'NEEDS-ACTION': 'needsAction',
};

function text(component: Component, name: string): string | undefined {
  const value = component.getFirstPropertyValue(name);
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

function param(property: Property, name: string): string | undefined {
  const value = property.getParameter(name);
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' && first !== '' ? first : undefined;
}

function email(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const address = value.replace(/^mailto:/i, '').trim();
  return address.includes('@') ? address : undefined;
}

function attendeeOf(property: Property): Attendee | undefined {
  const address = email(property.getFirstValue());
  if (address === undefined) return undefined;
  const name = param(property, 'cn');
  const response = RESPONSES[(param(property, 'partstat') ?? '').toUpperCase()];
  const cutype = (param(property, 'cutype') ?? '').toUpperCase();
  const attendee: { -readonly [K in keyof Attendee]: Attendee[K] } = { email: address };
  if (name !== undefined && name !== address) attendee.name = name;
  if ((param(property, 'role') ?? '').toUpperCase() === 'OPT-PARTICIPANT') attendee.optional = true;
  if (response !== undefined) attendee.response = response;
  if (cutype === 'RESOURCE' || cutype === 'ROOM') attendee.resource = true;
  return attendee;
}

/** Reminders from `VALARM`s triggered at or before the start; absolute or end-relative triggers are skipped. */
function remindersOf(component: Component): Reminder[] {
  const reminders: Reminder[] = [];
  for (const alarm of component.getAllSubcomponents('valarm')) {
    const trigger = alarm.getFirstProperty('trigger');
    const value = trigger?.getFirstValue();
    if (!trigger || !(value instanceof ICAL.Duration) || (param(trigger, 'related') ?? 'START').toUpperCase() !== 'START') continue;
    const seconds = value.toSeconds();
    if (seconds > 0) continue;
    const action = String(alarm.getFirstPropertyValue('action') ?? '').toUpperCase();
    reminders.push({ minutesBefore: Math.round(-seconds / 60), method: action === 'EMAIL' ? 'email' : 'popup' });
  }
  return reminders;
}

function conferenceOf(component: Component): { joinUrl: string; conference: ConferenceKind } | undefined {
  const google = text(component, 'x-google-conference');
  if (google !== undefined) return { joinUrl: google, conference: 'meet' };
  const teams = text(component, 'x-microsoft-skypeteamsmeetingurl');
  if (teams !== undefined) return { joinUrl: teams, conference: 'teams' };
  const haystack = [text(component, 'location'), text(component, 'url'), text(component, 'description')].join('\n');
  const meet = MEET_URL.exec(haystack);
  if (meet) return { joinUrl: meet[0], conference: 'meet' };
  const join = TEAMS_URL.exec(haystack);
  if (join) return { joinUrl: join[0], conference: 'teams' };
  return undefined;
}

/** `STATUS`, defaulting to confirmed as RFC 5545 implies for an event without one. */
export function statusOf(component: Component): CalendarEvent['status'] {
  const status = (text(component, 'status') ?? '').toUpperCase();
  if (status === 'CANCELLED') return 'cancelled';
  if (status === 'TENTATIVE') return 'tentative';
  return 'confirmed';
}

/** `TRANSP`, plus Outlook's free busy-status, which it sometimes writes without `TRANSP`. */
export function transparencyOf(component: Component): CalendarEvent['transparency'] {
  if ((text(component, 'transp') ?? '').toUpperCase() === 'TRANSPARENT') return 'transparent';
  if ((text(component, 'x-microsoft-cdo-busystatus') ?? '').toUpperCase() === 'FREE') return 'transparent';
  return 'opaque';
}

/** Maps an expanded instance to the common event shape; `raw` is the (frozen, shared) VEVENT jCal. */
export function toCalendarEvent(instance: Instance, calendarId: string): CalendarEvent {
  const component = instance.event.component;
  const event: { -readonly [K in keyof CalendarEvent]: CalendarEvent[K] } = {
    id: instance.id,
    calendarId,
    title: text(component, 'summary') ?? '',
    start: instance.start,
    end: instance.end,
    attendees: component
      .getAllProperties('attendee')
      .map(attendeeOf)
      .filter((attendee): attendee is Attendee => attendee !== undefined),
    status: statusOf(component),
    transparency: transparencyOf(component),
    raw: component.jCal,
  };
  const description = text(component, 'description');
  if (description !== undefined) event.description = description;
  const location = text(component, 'location');
  if (location !== undefined) event.location = location;
  const organizer = email(component.getFirstPropertyValue('organizer'));
  if (organizer !== undefined) event.organizer = organizer;
  if (instance.recurring) event.recurringEventId = instance.uid;
  const conference = conferenceOf(component);
  if (conference) {
    event.joinUrl = conference.joinUrl;
    event.conference = conference.conference;
  }
  const modified = component.getFirstPropertyValue('last-modified');
  if (modified instanceof ICAL.Time) event.updated = new Date(Math.round(modified.toUnixTime() * 1000));
  const reminders = remindersOf(component);
  if (reminders.length > 0) event.reminders = reminders;
  return event;
}
