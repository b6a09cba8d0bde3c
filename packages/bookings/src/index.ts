/**
 * `@almanac/bookings`: one calendar interface over Google Calendar, Microsoft 365, ICS feeds
 * and memory, and a scheduling assistant that finds and books the best time.
 *
 * Adapters ship as subpath exports (`@almanac/bookings/memory`, `/ics`, `/google`,
 * `/microsoft`); this root entry loads no provider SDK.
 *
 * @packageDocumentation
 */

// The provider contract adapters implement.
export { CALENDAR_CAPABILITY_METHODS, CALENDAR_SPECIFICATION_VERSION } from './spec';
export type {
  AllDayDate,
  Attendee,
  BusyInterval,
  CalendarCapabilities,
  CalendarCapability,
  CalendarCapabilityFlag,
  CalendarEvent,
  CalendarProvider,
  CallOptions,
  CancelEventRequest,
  ConferenceKind,
  CreateEventRequest,
  EventPage,
  EventPatch,
  EventTime,
  FreeBusyRequest,
  FreeBusyResult,
  FreeBusyUnavailable,
  GetEventRequest,
  ListEventsRequest,
  Reminder,
  ResponseStatus,
  SyncRequest,
  SyncResult,
  SyncedEvent,
  TimeRange,
  UpdateEventRequest,
  WatchChannel,
  WatchRequest,
  ZonedTime,
} from './spec';

// How far `sync` looks and when it re-baselines (the `syncWindow` option of the adapters).
export type { SyncWindowSettings } from './sync/window';

// The facade users call, over any provider.
export { createCalendar, mergeBusy } from './facade/index';
export type {
  Calendar,
  CalendarAuditEvent,
  CalendarCapabilitySupport,
  CalendarOptions,
  CreateEventInput,
  EventListing,
  EventPatchInput,
  FreeBusyInput,
  InstantInput,
  ListEventsInput,
  RangeInput,
  UpdateEventInput,
} from './facade/index';

// The scheduling assistant.
export { book, findMeetingTimes, parseMeetingRequest } from './assistant/index';
export type {
  Booking,
  BookingRequest,
  Directory,
  FindMeetingTimesRequest,
  MeetingAlternative,
  MeetingAttendee,
  MeetingRequest,
  MeetingRequestAlternative,
  MeetingRoom,
  MeetingSlot,
  MeetingTimes,
  NoSlotReason,
  ParseMeetingRequestOptions,
  WeeklyHours,
} from './assistant/index';
