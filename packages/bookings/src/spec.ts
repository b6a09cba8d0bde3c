/**
 * The calendar provider contract. Adapters implement {@link CalendarProvider}; users call
 * the `Calendar` facade that wraps one (see `createCalendar`).
 *
 * Times are instants (`Date`) paired with an explicit IANA time zone; all-day events stay
 * dates. Nothing is ever read in the server's local zone.
 */
import { SPECIFICATION_VERSION, defineCapabilityMethods } from '@almanac/core/kit';
import type { ProviderContract } from '@almanac/core/kit';

/**
 * The version of this contract (core's `SPECIFICATION_VERSION`). Every provider declares it as
 * `specificationVersion`; `createCalendar` refuses a provider written for another version.
 */
export const CALENDAR_SPECIFICATION_VERSION: typeof SPECIFICATION_VERSION = SPECIFICATION_VERSION;

/** Conferencing systems a provider can attach to an event. */
export type ConferenceKind = 'meet' | 'teams';

/** What a provider supports. The facade rejects calls outside these with `CapabilityError`. */
export interface CalendarCapabilities {
  /** `freeBusy` is available. */
  readonly freeBusy: boolean;
  /** `listEvents` and `getEvent` are available. */
  readonly events: boolean;
  /** `createEvent`, `updateEvent` and `cancelEvent` are available. */
  readonly write: boolean;
  /** Conference links the provider can create. Empty when none. */
  readonly conferencing: readonly ConferenceKind[];
  /** `sync` with a sync token is available. */
  readonly incrementalSync: boolean;
  /** `watch`/`unwatch` push notifications are available. */
  readonly push: boolean;
  /** Recurring events are expanded into instances by `listEvents` and `freeBusy`. */
  readonly recurrence: boolean;
  /** Most calendars one provider call can query; the facade splits larger requests. */
  readonly maxFreeBusyCalendars: number;
  /** Longest range one provider call can query, in days; the facade splits longer ranges. */
  readonly maxFreeBusyRangeDays: number;
}

/** A half-open time range `[start, end)`. */
export interface TimeRange {
  /** Inclusive start. */
  readonly start: Date;
  /** Exclusive end. */
  readonly end: Date;
}

/** One busy block. */
export interface BusyInterval {
  /** Start instant. */
  readonly start: Date;
  /** End instant. */
  readonly end: Date;
  /** Where it comes from, when the provider reveals it (e.g. `Google Calendar: Team Sync`). */
  readonly source?: string | undefined;
}

/**
 * Why the busy time of a calendar or group is unknown or incomplete (see
 * {@link FreeBusyResult.unavailable}). Never read such a result as free time.
 */
export interface FreeBusyUnavailable {
  /** The provider's reason, e.g. Google's `groupTooBig`, or `memberErrors` when some members could not be read. */
  readonly reason: string;
  /** What happened, for people. */
  readonly message: string;
  /** The member calendars whose busy time is missing, when only some are. */
  readonly members?: readonly string[] | undefined;
}

/** Busy time of one calendar, or of a group the provider expanded into its members. */
export interface FreeBusyResult {
  /** Calendar (or group) the busy time belongs to. */
  readonly calendarId: string;
  /** Busy blocks, sorted by start (for a group: the union of its members' blocks). */
  readonly busy: readonly BusyInterval[];
  /**
   * When `calendarId` is a group the provider expanded (a Google Group address), the member
   * calendars whose busy time `busy` combines.
   */
  readonly members?: readonly string[] | undefined;
  /**
   * Set when the provider could not report all of this entry's busy time, e.g. a Google
   * Group too large to expand (`groupTooBig`). `busy` then holds only what is known: a
   * scheduler must not offer the missing time as free.
   */
  readonly unavailable?: FreeBusyUnavailable | undefined;
}

/** A timed event boundary: an instant and the zone it was scheduled in. */
export interface ZonedTime {
  /** The instant. */
  readonly dateTime: Date;
  /** IANA zone the event was scheduled in (for display and recurrence). */
  readonly timeZone: string;
}

/** An all-day boundary: a calendar date, `YYYY-MM-DD`, with no time and no zone. */
export interface AllDayDate {
  /** Calendar date `YYYY-MM-DD`. The end date of an all-day event is exclusive. */
  readonly date: string;
}

/** Start or end of an event. */
export type EventTime = ZonedTime | AllDayDate;

/** A participant's answer to an invitation. */
export type ResponseStatus = 'accepted' | 'declined' | 'tentative' | 'needsAction';

/** Someone invited to an event. */
export interface Attendee {
  /** Email address. */
  readonly email: string;
  /** Display name. */
  readonly name?: string | undefined;
  /** Optional attendee. */
  readonly optional?: boolean | undefined;
  /** Their answer, when known. */
  readonly response?: ResponseStatus | undefined;
  /** A room or resource rather than a person. */
  readonly resource?: boolean | undefined;
}

/** A reminder before an event. */
export interface Reminder {
  /** Minutes before the start. */
  readonly minutesBefore: number;
  /** How to remind. Default `popup`. */
  readonly method?: 'popup' | 'email' | undefined;
}

/** An event as every provider reports it. */
export interface CalendarEvent {
  /** Provider event id (for an instance of a recurring event, the instance id). */
  readonly id: string;
  /** Calendar holding it. */
  readonly calendarId: string;
  /** Title (summary/subject). */
  readonly title: string;
  /** Description or body text. */
  readonly description?: string | undefined;
  /** Start. */
  readonly start: EventTime;
  /** End (exclusive). */
  readonly end: EventTime;
  /** Location text. */
  readonly location?: string | undefined;
  /** Organizer email, when known. */
  readonly organizer?: string | undefined;
  /** Attendees. */
  readonly attendees: readonly Attendee[];
  /** Status; cancelled events never count as busy. */
  readonly status: 'confirmed' | 'tentative' | 'cancelled';
  /** `transparent` events (shown as free) never count as busy. */
  readonly transparency: 'opaque' | 'transparent';
  /** Id of the series, for an instance of a recurring event. */
  readonly recurringEventId?: string | undefined;
  /** Conference join URL, when the event has one. */
  readonly joinUrl?: string | undefined;
  /** Conferencing system of `joinUrl`. */
  readonly conference?: ConferenceKind | undefined;
  /** Version tag for optimistic concurrency (`If-Match`). */
  readonly etag?: string | undefined;
  /** Last modification time. */
  readonly updated?: Date | undefined;
  /** Reminders. */
  readonly reminders?: readonly Reminder[] | undefined;
  /** The provider's own representation, kept because mappings are lossy. */
  readonly raw?: unknown;
}

/** Cancellation and options common to every call. */
export interface CallOptions {
  /** Aborts the call. */
  readonly signal?: AbortSignal | undefined;
}

/** Input of {@link CalendarProvider.freeBusy}. */
export interface FreeBusyRequest extends CallOptions {
  /** Calendars to query (at most `maxFreeBusyCalendars`); omitted means the provider's primary calendar. */
  readonly calendars?: readonly string[] | undefined;
  /** Range (at most `maxFreeBusyRangeDays` long when it reaches the provider). */
  readonly range: TimeRange;
}

/** Input of {@link CalendarProvider.listEventsPage}. */
export interface ListEventsRequest extends CallOptions {
  /** Calendar to list. */
  readonly calendarId: string;
  /** Events overlapping this range; recurring events are expanded into instances. */
  readonly range: TimeRange;
  /** Cursor from the previous page. */
  readonly cursor?: string | undefined;
  /** Page size hint. */
  readonly pageSize?: number | undefined;
}

/** One page of events. */
export interface EventPage {
  /** Events on this page. */
  readonly items: readonly CalendarEvent[];
  /** Cursor of the next page; absent on the last page. */
  readonly nextCursor?: string | undefined;
}

/** Input of {@link CalendarProvider.getEvent}. */
export interface GetEventRequest extends CallOptions {
  /** Calendar holding the event. */
  readonly calendarId: string;
  /** Event id. */
  readonly eventId: string;
}

/** Input of {@link CalendarProvider.createEvent}. */
export interface CreateEventRequest extends CallOptions {
  /** Calendar to create the event in. */
  readonly calendarId: string;
  /** Title. */
  readonly title: string;
  /** Description. */
  readonly description?: string | undefined;
  /** Start instant (timed events) or date (`allDay`). */
  readonly start: Date;
  /** End instant (exclusive). */
  readonly end: Date;
  /** IANA zone the event is scheduled in. */
  readonly timeZone: string;
  /** An all-day event: `start`/`end` are read as dates in `timeZone`. */
  readonly allDay?: boolean | undefined;
  /** Attendees to invite. */
  readonly attendees?: readonly Attendee[] | undefined;
  /** Location text. */
  readonly location?: string | undefined;
  /** Create a conference link of this kind (must be in `capabilities.conferencing`). */
  readonly conference?: ConferenceKind | undefined;
  /** Reminders. */
  readonly reminders?: readonly Reminder[] | undefined;
  /** Retrying with the same key never creates a second event. */
  readonly idempotencyKey?: string | undefined;
  /** Whether attendees are emailed. Default `true`. */
  readonly notify?: boolean | undefined;
}

/** Fields {@link CalendarProvider.updateEvent} may change (patch semantics: absent = unchanged). */
export interface EventPatch {
  /** New title. */
  readonly title?: string | undefined;
  /** New description. */
  readonly description?: string | undefined;
  /** New start instant. */
  readonly start?: Date | undefined;
  /** New end instant. */
  readonly end?: Date | undefined;
  /** New zone. */
  readonly timeZone?: string | undefined;
  /** New location. */
  readonly location?: string | undefined;
  /** New attendee list (replaces the old one). */
  readonly attendees?: readonly Attendee[] | undefined;
  /** New reminders. */
  readonly reminders?: readonly Reminder[] | undefined;
}

/** Input of {@link CalendarProvider.updateEvent}. */
export interface UpdateEventRequest extends CallOptions {
  /** Calendar holding the event. */
  readonly calendarId: string;
  /** Event id. */
  readonly eventId: string;
  /** What to change. */
  readonly patch: EventPatch;
  /** Only update if the event still has this etag; otherwise `ConflictError`. */
  readonly etag?: string | undefined;
  /** Whether attendees are emailed. Default `true`. */
  readonly notify?: boolean | undefined;
}

/** Input of {@link CalendarProvider.cancelEvent}. */
export interface CancelEventRequest extends CallOptions {
  /** Calendar holding the event. */
  readonly calendarId: string;
  /** Event id. */
  readonly eventId: string;
  /**
   * Whether attendees are emailed. On Microsoft 365 an organizer deleting a meeting that has
   * attendees always sends them a cancellation: Graph has no way to delete it silently, so
   * `notify: false` only chooses `DELETE` over `POST …/cancel` there (see the README's
   * capability table).
   */
  readonly notify: boolean;
  /** Only cancel if the event still has this etag; otherwise `ConflictError`. */
  readonly etag?: string | undefined;
}

/** Input of {@link CalendarProvider.sync}. */
export interface SyncRequest extends CallOptions {
  /** Calendar to sync. */
  readonly calendarId: string;
  /** Token from the previous sync; omitted for the first (full) sync. */
  readonly syncToken?: string | undefined;
}

/**
 * One occurrence reported by {@link CalendarProvider.sync}: a single event, or one instance
 * of a recurring series, never a series master.
 */
export interface SyncedEvent extends CalendarEvent {
  /**
   * The series this occurrence belongs to: the series (master) id for an instance of a
   * recurring event, the event's own id for a single event. An id in
   * {@link SyncResult.deleted} that equals a `seriesId` removes every occurrence of it.
   */
  readonly seriesId: string;
}

/**
 * What changed since the previous sync, in one shape on every provider: occurrences within
 * `window` (recurring series expanded, masters never reported), each with its `seriesId`.
 *
 * To keep a copy of a calendar: when `fullResync` is true, replace the copy with `changes`;
 * otherwise first remove every occurrence whose `id` or `seriesId` is in `deleted`, then
 * upsert `changes` by `id`. A series whose rule changed comes back as its id in `deleted` plus
 * all its current occurrences in `changes`; an event moved out of the window is in `deleted`.
 *
 * The window rolls with time: once the token's window lags the clock by the adapter's
 * re-baseline period, the next sync is a full resync over the window around now
 * (`fullResync: true`), so occurrences that entered the window since are reported and none
 * is lost or duplicated.
 */
export interface SyncResult {
  /** Created or changed occurrences within `window`, each once. */
  readonly changes: readonly SyncedEvent[];
  /** Ids of deleted or cancelled occurrences, or of series whose every occurrence is gone or replaced. */
  readonly deleted: readonly string[];
  /** The window `changes` covers. */
  readonly window: TimeRange;
  /** Token for the next sync. */
  readonly nextSyncToken: string;
  /** True when this is a full resync (an expired or unknown token, or a re-baselined window): replace your copy. */
  readonly fullResync: boolean;
}

/** Input of {@link CalendarProvider.watch}. */
export interface WatchRequest extends CallOptions {
  /** Calendar to watch. */
  readonly calendarId: string;
  /** HTTPS URL the provider will notify. */
  readonly address: string;
  /**
   * HTTPS URL for lifecycle notifications (Microsoft Graph's `lifecycleNotificationUrl`:
   * `reauthorizationRequired`, `subscriptionRemoved`, `missed`). Defaults to `address`; Graph
   * cannot add it to a subscription later. Providers without lifecycle notifications ignore it.
   */
  readonly lifecycleAddress?: string | undefined;
  /** Secret echoed in each notification (Google channel token, Graph `clientState`); verified by the receivers. */
  readonly token: string;
  /** Requested lifetime in seconds; providers may grant less. */
  readonly ttlSeconds?: number | undefined;
}

/** A push-notification channel (Google) or subscription (Microsoft Graph). */
export interface WatchChannel {
  /** Channel or subscription id. */
  readonly id: string;
  /** Provider resource id, needed to stop a Google channel. */
  readonly resourceId?: string | undefined;
  /** Calendar watched. */
  readonly calendarId: string;
  /** When the provider stops notifying unless renewed. */
  readonly expiresAt: Date;
  /** Notification address. */
  readonly address: string;
}

/**
 * What an adapter implements. Small and async; every method takes a signal. Optional
 * operations are only called when `capabilities` says so and the methods
 * {@link CALENDAR_CAPABILITY_METHODS} lists for it exist (the facade checks).
 */
export interface CalendarProvider extends ProviderContract {
  /** Provider name used in errors and audit events, e.g. `google`, `microsoft`, `ics`, `memory`. */
  readonly name: string;
  /** The contract version implemented: {@link CALENDAR_SPECIFICATION_VERSION}. */
  readonly specificationVersion: typeof CALENDAR_SPECIFICATION_VERSION;
  /** What this provider supports. */
  readonly capabilities: CalendarCapabilities;
  /** Busy time of up to `maxFreeBusyCalendars` calendars over up to `maxFreeBusyRangeDays`. */
  freeBusy(request: FreeBusyRequest): Promise<FreeBusyResult[]>;
  /** One page of events overlapping the range, recurring events expanded. */
  listEventsPage(request: ListEventsRequest): Promise<EventPage>;
  /** One event; `NotFoundError` when missing. */
  getEvent(request: GetEventRequest): Promise<CalendarEvent>;
  /** Creates an event (with its conference link when asked). */
  createEvent?(request: CreateEventRequest): Promise<CalendarEvent>;
  /** Patches an event; `ConflictError` on an etag mismatch. */
  updateEvent?(request: UpdateEventRequest): Promise<CalendarEvent>;
  /** Cancels (deletes) an event; idempotent. */
  cancelEvent?(request: CancelEventRequest): Promise<void>;
  /**
   * Incremental sync of the occurrences within a rolling window (see {@link SyncResult});
   * an expired token triggers a transparent full resync.
   */
  sync?(request: SyncRequest): Promise<SyncResult>;
  /** Starts push notifications. */
  watch?(request: WatchRequest): Promise<WatchChannel>;
  /** Stops push notifications; idempotent. */
  unwatch?(channel: WatchChannel, options?: CallOptions): Promise<void>;
}

/** The capabilities that are on/off flags (the others are limits and lists). */
type BooleanCapability = { [K in keyof CalendarCapabilities]: CalendarCapabilities[K] extends boolean ? K : never }[keyof CalendarCapabilities];

/**
 * Which provider methods each boolean capability needs. A capability is usable when its flag in
 * `capabilities` is true and every listed method is a function; the facade's `supports()`, its
 * refusals (`CapabilityError` before the provider is called) and the type narrowing all come
 * from this one table, and the conformance suite checks adapters against it. `recurrence` is
 * about what `listEvents` and `freeBusy` return, so it needs no method of its own. Conference
 * kinds are not flags: they are listed in `capabilities.conferencing` and need `write`.
 */
export const CALENDAR_CAPABILITY_METHODS = defineCapabilityMethods<CalendarProvider>()({
  /** `freeBusy`. */
  freeBusy: ['freeBusy'],
  /** `listEvents` (page by page) and `getEvent`. */
  events: ['listEventsPage', 'getEvent'],
  /** `createEvent`, `updateEvent` and `cancelEvent`. */
  write: ['createEvent', 'updateEvent', 'cancelEvent'],
  /** `sync` with a sync token. */
  incrementalSync: ['sync'],
  /** `watch` and `unwatch`. */
  push: ['watch', 'unwatch'],
  /** No method: series come back expanded from `listEvents` and `freeBusy`. */
  recurrence: [],
} as const satisfies { readonly [C in BooleanCapability]: readonly (keyof CalendarProvider & string)[] });

/** A boolean capability of {@link CalendarCapabilities}: a key of {@link CALENDAR_CAPABILITY_METHODS}. */
export type CalendarCapabilityFlag = keyof typeof CALENDAR_CAPABILITY_METHODS;

/** What `Calendar.supports` can ask about: a capability flag or a conference kind. */
export type CalendarCapability = CalendarCapabilityFlag | ConferenceKind;
