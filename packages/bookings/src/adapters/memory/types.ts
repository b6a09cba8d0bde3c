import type { SyncWindowSettings } from '../../sync/window';
import type { CalendarOptions } from '../../facade/types';
import type { CalendarCapabilities, CalendarProvider, CreateEventRequest, WatchChannel } from '../../spec';

/** A moved instance of a seeded series. */
export interface MemorySeedOverride {
  /** Original start of the instance (its `RECURRENCE-ID`). */
  readonly recurrenceId: Date;
  /** New start. */
  readonly start: Date;
  /** New end (exclusive). */
  readonly end: Date;
}

/** Recurrence of a seeded series, expanded in the event's `timeZone`. */
export interface MemorySeedRecurrence {
  /** `RRULE` value, e.g. `FREQ=WEEKLY;BYDAY=TU;COUNT=6`. */
  readonly rrule: string;
  /** Original starts of excluded instances (`EXDATE`). */
  readonly exdates?: readonly Date[] | undefined;
  /** Moved instances. */
  readonly overrides?: readonly MemorySeedOverride[] | undefined;
}

/**
 * An event to preload: a create request plus what `createEvent` cannot express (an id, status,
 * transparency, a recurrence rule), so fixtures of any shape can be reproduced.
 */
export interface MemorySeedEvent extends Omit<CreateEventRequest, 'signal'> {
  /** Event id; generated when absent. */
  readonly id?: string | undefined;
  /** Status. Default `confirmed`. */
  readonly status?: 'confirmed' | 'tentative' | 'cancelled' | undefined;
  /** Transparency. Default `opaque`. */
  readonly transparency?: 'opaque' | 'transparent' | undefined;
  /** Makes the event a recurring series. */
  readonly recurrence?: MemorySeedRecurrence | undefined;
}

/** A push notification the memory provider "delivers" to a watch channel. */
export interface MemoryNotification {
  /** Channel notified. */
  readonly channel: WatchChannel;
  /** The secret the channel was created with, echoed as real providers do. */
  readonly token: string;
  /** Event that changed (the series id for a change to an instance). */
  readonly eventId: string;
  /** What happened. */
  readonly change: 'created' | 'updated' | 'cancelled';
  /** Position in the provider's change log. */
  readonly sequence: number;
}

/** Options of `createMemoryCalendar`. */
export interface MemoryCalendarOptions extends CalendarOptions {
  /** Calendars that exist; the first is the primary. Default `['primary']`. */
  calendars?: readonly string[] | undefined;
  /** Zone of every calendar: all-day events are busy for their local day in it. Default `UTC`. */
  timeZone?: string | undefined;
  /** Events present from the start. */
  seed?: readonly MemorySeedEvent[] | undefined;
  /** Organizer email stamped on created events. */
  organizer?: string | undefined;
  /** Overrides of the declared capabilities (to test how callers handle a narrower provider). */
  capabilities?: Partial<CalendarCapabilities> | undefined;
  /** Receives every notification sent to a live watch channel. */
  onNotification?: ((notification: MemoryNotification) => void) | undefined;
  /** The window `sync` reports occurrences in, and how often it re-baselines. Default 30 days back, 365 ahead, every 30 days. */
  syncWindow?: SyncWindowSettings | undefined;
}

/**
 * The memory provider: a complete read-write {@link CalendarProvider} plus hooks for tests.
 * Conference join URLs it creates are placeholders on the reserved `.invalid` domain
 * (`https://meet.example.invalid/<id>`), for local development only.
 */
export interface MemoryCalendarProvider extends CalendarProvider {
  /** Subscribes to notifications of live watch channels; returns the unsubscribe function. */
  subscribe(listener: (notification: MemoryNotification) => void): () => void;
  /** Channels currently registered (expired ones included until unwatched). */
  channels(): WatchChannel[];
  /** Invalidates every sync token issued so far, as a provider expiring them would. */
  expireSyncTokens(): void;
  /** Number of stored events, cancelled ones included (series count once). */
  size(): number;
}
