// Recurring series of the memory provider: occurrences in a range, instance ids, and finding an
// instance by id, with exclusions and moved instances applied.
import { DAY_MS, addDays, allDayToRange, createZoneOffsetReader } from '@almanac/oracle/time';
import type { ZoneOffsetReader } from '@almanac/oracle/time';
import { expandRule, instanceStamp } from './recurrence';
import type { CalendarStore, InstanceOverride, StoredEvent, StoredSeries } from './store';

/** Wider than any UTC offset: instants before `t` have wall times before `t + MAX_OFFSET_MS`. */
const MAX_OFFSET_MS = 16 * 3_600_000;

/** One occurrence of a series inside a queried range. */
export interface Instance {
  readonly series: StoredEvent;
  readonly originalStartMs: number;
  readonly startMs: number;
  readonly endMs: number;
  readonly startDate?: string | undefined;
  readonly endDate?: string | undefined;
  readonly override?: InstanceOverride | undefined;
}

/** The calendar zone and a memo of the event zones seen, so no `Intl` formatter is built twice. */
export interface MemoryZones {
  /** Zone of every calendar: all-day events are busy for their local day in it. */
  readonly calendar: ZoneOffsetReader;
  /** The offset reader of an event zone. */
  of(zone: string): ZoneOffsetReader;
}

/** Creates the zone memo of one provider. */
export function createMemoryZones(calendarZone: string): MemoryZones {
  const calendar = createZoneOffsetReader(calendarZone);
  const zones = new Map<string, ZoneOffsetReader>([[calendar.zone, calendar]]);
  return {
    calendar,
    of(zone) {
      let reader = zones.get(zone);
      if (reader === undefined) {
        reader = createZoneOffsetReader(zone);
        zones.set(zone, reader);
      }
      return reader;
    },
  };
}

/** What the provider asks of its series. */
export interface SeriesExpander {
  /** Occurrences of every live series of a calendar overlapping `[fromMs, toMs)`. */
  instancesIn(calendar: CalendarStore, fromMs: number, toMs: number): Instance[];
  /** Resolves an instance id (`<series>_<stamp>`) to its live occurrence. */
  find(calendarId: string, eventId: string): Instance | undefined;
  /** The id of an instance: `<series id>_<original start stamp>`. */
  idOf(instance: Instance): string;
}

const ruleOf = (series: StoredEvent): StoredSeries => series.series as StoredSeries;

/** The series logic of one provider, over its events by id. */
export function createSeriesExpander(zones: MemoryZones, byId: ReadonlyMap<string, StoredEvent>): SeriesExpander {
  const calendarZone = zones.calendar;
  const zoneOfSeries = (series: StoredEvent) => (series.allDay ? calendarZone : zones.of(series.timeZone));

  /** An occurrence with its override applied (all-day occurrences span the calendar zone's days). */
  const instanceAt = (series: StoredEvent, originalStartMs: number, wallMs: number): Instance => {
    const override = ruleOf(series).overrides.get(originalStartMs);
    if (override !== undefined) return { series, originalStartMs, startMs: override.startMs, endMs: override.endMs, override };
    if (series.allDay && series.startDate !== undefined && series.endDate !== undefined) {
      const days = Math.round((Date.parse(series.endDate) - Date.parse(series.startDate)) / DAY_MS);
      const startDate = new Date(wallMs).toISOString().slice(0, 10);
      const endDate = addDays(startDate, days);
      const range = allDayToRange(startDate, endDate, calendarZone);
      return { series, originalStartMs, startMs: range.start.getTime(), endMs: range.end.getTime(), startDate, endDate };
    }
    return { series, originalStartMs, startMs: originalStartMs, endMs: originalStartMs + (series.endMs - series.startMs) };
  };

  const occurrencesUntil = (series: StoredEvent, untilMs: number) =>
    expandRule({
      rrule: ruleOf(series).rrule,
      startMs: series.startMs,
      allDay: series.allDay,
      zone: zoneOfSeries(series),
      untilWallMs: untilMs + MAX_OFFSET_MS,
    });

  /** Occurrences of a live series overlapping `[fromMs, toMs)`, exdates removed, overrides applied. */
  const instancesOf = (series: StoredEvent, fromMs: number, toMs: number): Instance[] => {
    const rule = series.series;
    if (rule === undefined) return [];
    const out: Instance[] = [];
    for (const occurrence of occurrencesUntil(series, toMs)) {
      if (rule.exdates.has(occurrence.originalStartMs)) continue;
      const instance = instanceAt(series, occurrence.originalStartMs, occurrence.wallMs);
      if (instance.startMs < toMs && instance.endMs > fromMs) out.push(instance);
    }
    // A moved instance can land in the range from an original after it.
    for (const [originalStartMs, override] of rule.overrides) {
      if (originalStartMs < toMs || rule.exdates.has(originalStartMs)) continue;
      if (out.some((instance) => instance.originalStartMs === originalStartMs)) continue;
      if (override.startMs < toMs && override.endMs > fromMs) {
        const real = [...occurrencesUntil(series, originalStartMs + 1)].some((o) => o.originalStartMs === originalStartMs);
        if (real) out.push({ series, originalStartMs, startMs: override.startMs, endMs: override.endMs, override });
      }
    }
    return out;
  };

  const idOf = (instance: Instance) =>
    `${instance.series.id}_${instanceStamp(instance.originalStartMs, instance.series.allDay, zoneOfSeries(instance.series))}`;

  const find = (calendarId: string, eventId: string): Instance | undefined => {
    const cut = eventId.lastIndexOf('_');
    if (cut <= 0) return undefined;
    const series = byId.get(eventId.slice(0, cut));
    if (series?.series === undefined || series.calendarId !== calendarId || series.status === 'cancelled') return undefined;
    const stamp = eventId.slice(cut + 1);
    const m = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})Z)?$/.exec(stamp);
    if (m === null) return undefined;
    const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const wall = Date.UTC(year, month - 1, day, Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0));
    // Timed stamps are UTC instants; all-day stamps are dates, so the instant is a day away at most.
    const untilMs = series.allDay ? wall + DAY_MS : wall + 1;
    for (const occurrence of occurrencesUntil(series, untilMs)) {
      if (series.series.exdates.has(occurrence.originalStartMs)) continue;
      const instance = instanceAt(series, occurrence.originalStartMs, occurrence.wallMs);
      if (idOf(instance) === eventId) return instance;
    }
    return undefined;
  };

  return {
    instancesIn: (calendar, fromMs, toMs) => [...calendar.series.values()].flatMap((series) => instancesOf(series, fromMs, toMs)),
    find,
    idOf,
  };
}
