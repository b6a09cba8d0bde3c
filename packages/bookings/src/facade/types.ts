import type { Clock, Logger } from '@almanac/core';
import type { CapabilitySupport } from '@almanac/core/kit';
import type {
  CalendarCapabilities,
  CalendarCapability,
  CalendarEvent,
  CalendarProvider,
  CancelEventRequest,
  CreateEventRequest,
  EventPatch,
  FreeBusyResult,
  GetEventRequest,
  SyncRequest,
  SyncResult,
  UpdateEventRequest,
  WatchChannel,
  WatchRequest,
} from '../spec';

/** An instant as a `Date` or an ISO 8601 string that states its offset (`Z` or `±HH:MM`). */
export type InstantInput = Date | string;

/** A half-open range `[start, end)` as the facade accepts it. */
export interface RangeInput {
  /** Inclusive start. */
  readonly start: InstantInput;
  /** Exclusive end; must be after `start`. */
  readonly end: InstantInput;
}

/**
 * How a {@link Calendar} provides each capability (see {@link Calendar.describeCapabilities}):
 * every capability flag of the spec and every conference kind.
 */
export type CalendarCapabilitySupport = {
  readonly [C in CalendarCapability]: CapabilitySupport;
};

/** Input of {@link Calendar.freeBusy}; any number of calendars over any range (the facade splits it). */
export interface FreeBusyInput {
  /** Calendars to query; omitted means the provider's primary calendar. */
  readonly calendars?: readonly string[] | undefined;
  /** Range to query. */
  readonly range: RangeInput;
  /** Aborts the call. */
  readonly signal?: AbortSignal | undefined;
}

/** Input of {@link Calendar.listEvents}. */
export interface ListEventsInput {
  /** Calendar to list. */
  readonly calendarId: string;
  /** Events overlapping this range. */
  readonly range: RangeInput;
  /** Page size hint passed to the provider. */
  readonly pageSize?: number | undefined;
  /** Aborts the listing. */
  readonly signal?: AbortSignal | undefined;
}

/**
 * Input of {@link Calendar.createEvent}: the spec request with `start`/`end` also accepted as
 * ISO strings. With `allDay`, a `YYYY-MM-DD` string is accepted too (the date in `timeZone`).
 */
export type CreateEventInput = Omit<CreateEventRequest, 'start' | 'end'> & {
  /** Start instant, or date for `allDay`. */
  readonly start: InstantInput;
  /** End instant (exclusive), or exclusive end date for `allDay`. */
  readonly end: InstantInput;
};

/** An {@link EventPatch} whose `start`/`end` may also be ISO strings with an offset. */
export type EventPatchInput = Omit<EventPatch, 'start' | 'end'> & {
  /** New start instant. */
  readonly start?: InstantInput | undefined;
  /** New end instant. */
  readonly end?: InstantInput | undefined;
};

/** Input of {@link Calendar.updateEvent}: the spec request, with string instants accepted in the patch. */
export type UpdateEventInput = Omit<UpdateEventRequest, 'patch'> & {
  /** What to change (absent fields stay as they are). */
  readonly patch: EventPatchInput;
};

/** A listing of events: iterate lazily, or collect with `toArray`. Errors surface while iterating. */
export type EventListing = AsyncIterable<CalendarEvent> & {
  /** Collects events, fetching no further page once `limit` are collected. */
  toArray(options?: { limit?: number | undefined }): Promise<CalendarEvent[]>;
};

/** One audit record per provider operation (each page of a listing counts as one). */
export interface CalendarAuditEvent {
  /** Operation, e.g. `freeBusy`, `listEvents`, `createEvent`. */
  readonly action: string;
  /** Provider name. */
  readonly provider: string;
  /** How it ended. */
  readonly outcome: 'ok' | 'error';
  /** Duration on the injected clock. */
  readonly durationMs: number;
  /** Calendar concerned, when the operation names one. */
  readonly calendarId?: string | undefined;
  /** `AlmanacError` code of the failure. */
  readonly errorCode?: string | undefined;
}

/** Options of {@link createCalendar}. */
export interface CalendarOptions {
  /** Deadline of each operation in milliseconds (each page of a listing gets its own). Default 30 000. */
  timeoutMs?: number | undefined;
  /** Where the facade logs; silent by default. */
  logger?: Logger | undefined;
  /** Time source for deadlines and audit durations; the system clock by default. */
  clock?: Clock | undefined;
  /** Receives one audit record per operation. Exceptions it throws are logged and ignored. */
  onEvent?: ((event: CalendarAuditEvent) => void) | undefined;
  /** Most provider `freeBusy` calls in flight at once when a request is split. Default 4. */
  freeBusyConcurrency?: number | undefined;
}

/**
 * One calendar API over any {@link CalendarProvider}: validated input, capability checks,
 * deadlines, errors in core's hierarchy, audit events, and `freeBusy` of any size.
 */
export interface Calendar {
  /** The wrapped adapter, for provider-specific extras. */
  readonly provider: CalendarProvider;
  /** Provider name, e.g. `google`. */
  readonly name: string;
  /** What the provider supports. */
  readonly capabilities: CalendarCapabilities;
  /** Whether a capability (or conference kind) is available; calls outside it throw `CapabilityError`. */
  supports(capability: CalendarCapability): boolean;
  /**
   * How each capability is served: `'native'` (the provider does it), `'emulated'` (the facade
   * builds it from other calls) or `false` (unavailable). Calendar facades emulate nothing
   * today, so every entry is `'native'` or `false`, agreeing with {@link Calendar.supports}.
   */
  describeCapabilities(): CalendarCapabilitySupport;
  /** Busy time per calendar, in the order asked, blocks sorted and overlaps merged. */
  freeBusy(input: FreeBusyInput): Promise<FreeBusyResult[]>;
  /** Events overlapping a range, fetched page by page as iterated. */
  listEvents(input: ListEventsInput): EventListing;
  /** One event; `NotFoundError` when missing. */
  getEvent(input: GetEventRequest): Promise<CalendarEvent>;
  /** Creates an event. */
  createEvent(input: CreateEventInput): Promise<CalendarEvent>;
  /** Patches an event; `ConflictError` when `etag` is stale. */
  updateEvent(input: UpdateEventInput): Promise<CalendarEvent>;
  /** Cancels an event; cancelling twice is fine. */
  cancelEvent(input: CancelEventRequest): Promise<void>;
  /** Changes since a sync token (a full sync without one, or when it expired). */
  sync(input: SyncRequest): Promise<SyncResult>;
  /** Starts push notifications for a calendar. */
  watch(input: WatchRequest): Promise<WatchChannel>;
  /** Stops push notifications; stopping twice is fine. */
  unwatch(channel: WatchChannel, options?: { signal?: AbortSignal | undefined }): Promise<void>;
}
