import type { Slot } from '@almanac/oracle/slots';
import type { Calendar } from '../facade';
import type { CalendarEvent, ConferenceKind } from '../spec';

/** A weekly window in an attendee's own zone, `day` 0 = Sunday, times `HH:mm` (`24:00` allowed). */
export interface WeeklyHours {
  /** Day of week, 0 = Sunday. */
  readonly day: number;
  /** Local start, `HH:mm`. */
  readonly start: string;
  /** Local end, `HH:mm`. */
  readonly end: string;
}

/** Someone to meet, and where their busy time lives. */
export interface MeetingAttendee {
  /** Email address; also the attendee's id in results. */
  readonly email: string;
  /** The calendar (facade) holding their busy time. */
  readonly calendar: Calendar;
  /** Calendar id on that provider; default the email address. */
  readonly calendarId?: string | undefined;
  /** The attendee's IANA zone: working hours and local times are read in it. */
  readonly timeZone: string;
  /** When they work; omitted means always available. */
  readonly workingHours?: readonly WeeklyHours[] | undefined;
  /** When they prefer to meet (raises the score only). */
  readonly preferredHours?: readonly WeeklyHours[] | undefined;
  /** Optional attendees never block a slot; more of them present scores higher. */
  readonly optional?: boolean | undefined;
}

/** A bookable room or piece of equipment. */
export interface MeetingRoom {
  /** Room id (also its email address on most providers). */
  readonly id: string;
  /** Seats. */
  readonly capacity: number;
  /** The calendar holding the room's bookings. */
  readonly calendar: Calendar;
  /** Calendar id on that provider; default the room id. */
  readonly calendarId?: string | undefined;
}

/** Input of {@link findMeetingTimes}. */
export interface FindMeetingTimesRequest {
  /** People to meet. */
  readonly attendees: readonly MeetingAttendee[];
  /** Meeting length in minutes. */
  readonly durationMinutes: number;
  /** Where to look (Date or ISO string with an offset). */
  readonly range: {
    /** Earliest start. */
    readonly start: Date | string;
    /** Latest end. */
    readonly end: Date | string;
  };
  /** Slot starts are multiples of this many minutes since the epoch; default 15. */
  readonly stepMinutes?: number | undefined;
  /** Gap kept around every busy block; default 0. */
  readonly bufferMinutes?: number | undefined;
  /** Rooms: a slot then needs one free room seating every attendee. */
  readonly rooms?: readonly MeetingRoom[] | undefined;
  /** Most slots returned; default 10. */
  readonly maxResults?: number | undefined;
  /** The current time: no slot starts before it (plus `minNoticeMinutes`). */
  readonly now: Date | string;
  /** Minimum notice before a slot may start, in minutes; default 0. */
  readonly minNoticeMinutes?: number | undefined;
  /** Aborts the provider calls. */
  readonly signal?: AbortSignal | undefined;
}

/** A proposed time, with why it scored as it did. */
export interface MeetingSlot extends Slot {
  /** Each attendee's local start time, e.g. `Tue 09:00 (America/New_York)`. */
  readonly localTimes: Readonly<Record<string, string>>;
  /** The smallest free room that seats everyone, when rooms were given. */
  readonly room?: string | undefined;
  /**
   * One sentence: who can come, who cannot, and why the slot scores as it does (the
   * {@link MeetingSlot.reasons} joined).
   */
  readonly explanation: string;
  /**
   * The reasons behind the score, one clause each: who is within or outside their preferred
   * hours, who meets outside 08:00–18:00 local, whose day the slot fragments (a gap under an
   * hour beside another meeting), and how far from now it starts.
   */
  readonly reasons: readonly string[];
}

/** Why {@link findMeetingTimes} found no slot. */
export interface NoSlotReason {
  /**
   * `no_overlap`: the required attendees' working hours never share the duration in the range,
   * whatever their calendars say; `busy`: they do, but busy time (or rooms, or notice) leaves
   * nothing free.
   */
  readonly code: 'no_overlap' | 'busy';
  /** The reason in words, naming the attendees and the hours that would be needed. */
  readonly message: string;
  /** For `no_overlap`: the slot closest to everyone's working hours and what it would need of each attendee. */
  readonly closest?: {
    /** Start of the closest slot. */
    readonly start: Date;
    /** End of the closest slot. */
    readonly end: Date;
    /** Per attendee outside their hours, their local time and hours, e.g. `raj@… 21:30–22:00 local (works 08:00–18:00)`. */
    readonly needed: readonly string[];
  } | undefined;
}

/** A fallback when no slot fits, labelled with what was relaxed. */
export interface MeetingAlternative {
  /** What was relaxed. */
  readonly kind: 'extended_range' | 'without_attendee' | 'shorter_duration';
  /** Human-readable label, e.g. `Without bob@example.com`. */
  readonly label: string;
  /** The best slots under the relaxed constraint. */
  readonly slots: readonly MeetingSlot[];
}

/** Result of {@link findMeetingTimes}. */
export interface MeetingTimes {
  /** Ranked slots, best first. */
  readonly slots: readonly MeetingSlot[];
  /** Only when `slots` is empty: labelled alternatives that do fit. */
  readonly alternatives: readonly MeetingAlternative[];
  /** Only when `slots` is empty: why. */
  readonly reason?: NoSlotReason | undefined;
}

/** Input of {@link book}. */
export interface BookingRequest {
  /** The chosen slot (from {@link findMeetingTimes}, or any `{ start, end }`). */
  readonly slot: {
    /** Start instant: a `Date` or an ISO 8601 string with an offset (`Z` or `±HH:MM`). */
    readonly start: Date | string;
    /** End instant (exclusive), as `start`. */
    readonly end: Date | string;
  };
  /** Who owns the event: it is created in their calendar. */
  readonly organizer: {
    /** Organizer's email. */
    readonly email: string;
    /** The calendar the event is created in. */
    readonly calendar: Calendar;
    /** Calendar id; default the organizer's email. */
    readonly calendarId?: string | undefined;
    /** IANA zone the event is scheduled in. */
    readonly timeZone: string;
  };
  /** Invitees (emails). */
  readonly attendees: readonly {
    /** Invitee's email. */
    readonly email: string;
    /** Invited as optional. */
    readonly optional?: boolean | undefined;
  }[];
  /** Event title. */
  readonly title: string;
  /** Event description. */
  readonly description?: string | undefined;
  /** Conference link to create, if any. */
  readonly conference?: ConferenceKind | undefined;
  /** A room to book alongside. */
  readonly room?: MeetingRoom | undefined;
  /** Makes the booking safe to retry: the same key never creates anything twice. */
  readonly idempotencyKey: string;
  /** Aborts the provider calls. */
  readonly signal?: AbortSignal | undefined;
}

/** Result of {@link book}. */
export interface Booking {
  /** The organizer's event. */
  readonly event: CalendarEvent;
  /** The room's event, when a room was booked. */
  readonly roomEvent?: CalendarEvent | undefined;
  /** Conference join URL, when one was created. */
  readonly joinUrl?: string | undefined;
  /** Ids of every event created. */
  readonly eventIds: readonly string[];
}
