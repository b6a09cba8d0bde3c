import type { Attendee, ConferenceKind, Reminder } from '../../spec';

/** Provider name of the memory adapter, on its events and errors. */
export const MEMORY_PROVIDER = 'memory';

/** Fields an instance override may change. */
export interface InstanceOverride {
  /** New start instant. */
  startMs: number;
  /** New end instant. */
  endMs: number;
  /** Changed fields, when the instance was patched rather than only moved. */
  fields?: { title?: string | undefined; description?: string | undefined; location?: string | undefined; attendees?: readonly Attendee[] | undefined; reminders?: readonly Reminder[] | undefined } | undefined;
}

/** A series' rule and its per-instance changes, keyed by original start. */
export interface StoredSeries {
  /** `RRULE` value. */
  rrule: string;
  /** Original starts of excluded (or cancelled) instances. */
  exdates: Set<number>;
  /** Moved or patched instances. */
  overrides: Map<number, InstanceOverride>;
}

/** An event as the memory provider keeps it. */
export interface StoredEvent {
  readonly id: string;
  readonly calendarId: string;
  title: string;
  description?: string | undefined;
  location?: string | undefined;
  organizer?: string | undefined;
  attendees: readonly Attendee[];
  reminders?: readonly Reminder[] | undefined;
  timeZone: string;
  allDay: boolean;
  /** Start instant (all-day: start of the first day in the calendar zone). */
  startMs: number;
  /** End instant (exclusive). */
  endMs: number;
  /** All-day dates, `YYYY-MM-DD`, the end exclusive. */
  startDate?: string | undefined;
  endDate?: string | undefined;
  status: 'confirmed' | 'tentative' | 'cancelled';
  transparency: 'opaque' | 'transparent';
  conference?: ConferenceKind | undefined;
  joinUrl?: string | undefined;
  version: number;
  updatedMs: number;
  /** Change-log position of the last change. */
  sequence: number;
  series?: StoredSeries | undefined;
}

/**
 * One calendar's events. Live single events stay sorted by `(startMs, id)` so a range query
 * is a binary search plus a walk, which keeps `freeBusy` fast over thousands of events.
 */
export interface CalendarStore {
  /** Live (not cancelled) single events, sorted. */
  readonly singles: StoredEvent[];
  /** Live series by id. */
  readonly series: Map<string, StoredEvent>;
  /** Longest single event seen: how far before a range an overlapping event can start. */
  maxDurationMs: number;
}

/** An empty calendar store. */
export function createCalendarStore(): CalendarStore {
  return { singles: [], series: new Map(), maxDurationMs: 0 };
}

function compare(a: StoredEvent, startMs: number, id: string): number {
  return a.startMs - startMs || (a.id < id ? -1 : a.id > id ? 1 : 0);
}

/** Index of the first single at or after `(startMs, id)`. */
export function lowerBound(singles: readonly StoredEvent[], startMs: number, id = ''): number {
  let lo = 0;
  let hi = singles.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compare(singles[mid] as StoredEvent, startMs, id) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Adds a live event to the index (a series goes to `series`). */
export function indexEvent(store: CalendarStore, event: StoredEvent): void {
  if (event.series !== undefined) {
    store.series.set(event.id, event);
    return;
  }
  store.singles.splice(lowerBound(store.singles, event.startMs, event.id), 0, event);
  store.maxDurationMs = Math.max(store.maxDurationMs, event.endMs - event.startMs);
}

/** Removes an event from the index; call before changing its `startMs`. */
export function unindexEvent(store: CalendarStore, event: StoredEvent): void {
  if (event.series !== undefined) {
    store.series.delete(event.id);
    return;
  }
  const at = lowerBound(store.singles, event.startMs, event.id);
  if (store.singles[at] === event) store.singles.splice(at, 1);
}

/** Live single events overlapping `[fromMs, toMs)`, in `(startMs, id)` order. */
export function singlesOverlapping(store: CalendarStore, fromMs: number, toMs: number): StoredEvent[] {
  const out: StoredEvent[] = [];
  const { singles } = store;
  for (let i = lowerBound(singles, fromMs - store.maxDurationMs); i < singles.length; i++) {
    const event = singles[i] as StoredEvent;
    if (event.startMs >= toMs) break;
    if (event.endMs > fromMs) out.push(event);
  }
  return out;
}
