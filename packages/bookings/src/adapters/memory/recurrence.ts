import ICAL from 'ical.js';
import { fromWallMs, instantToLocal, type LocalDateTime, toWallMs, wallMsToInstantMs, type ZoneOffsetReader } from '@almanac/oracle/time';

/** Occurrences examined per expansion before giving up: guards against rules that never end. */
const MAX_OCCURRENCES = 100_000;

/** One occurrence of a series, before overrides and exclusions are applied. */
export interface Occurrence {
  /** Original start (its `RECURRENCE-ID`): an instant, or local midnight for all-day series. */
  readonly originalStartMs: number;
  /** Original start as wall milliseconds in the series zone (dates for all-day series). */
  readonly wallMs: number;
}

/** Parses an `RRULE` value; `undefined` when ical.js cannot read it. */
export function parseRule(rrule: string): ICAL.Recur | undefined {
  try {
    const recur = ICAL.Recur.fromString(rrule.replace(/^RRULE:/i, ''));
    return typeof recur.freq === 'string' && recur.freq.length > 0 ? recur : undefined;
  } catch {
    return undefined;
  }
}

function floating(local: LocalDateTime, isDate: boolean): ICAL.Time {
  return new ICAL.Time(
    {
      year: local.year,
      month: local.month,
      day: local.day,
      hour: isDate ? 0 : (local.hour ?? 0),
      minute: isDate ? 0 : (local.minute ?? 0),
      second: isDate ? 0 : (local.second ?? 0),
      isDate,
    },
    ICAL.Timezone.localTimezone,
  );
}

/**
 * Expands a rule in wall-clock time, as RFC 5545 requires ("every Tuesday at 10:00" stays at
 * 10:00 local across DST), then maps each wall time to an instant with the zone's rules.
 * Yields occurrences whose original start is before `untilWallMs` (wall milliseconds).
 */
export function* expandRule(options: {
  readonly rrule: string;
  /** Start of the first occurrence (an instant; for all-day series, local midnight in `zone`). */
  readonly startMs: number;
  readonly allDay: boolean;
  readonly zone: ZoneOffsetReader;
  readonly untilWallMs: number;
}): Generator<Occurrence> {
  const recur = parseRule(options.rrule);
  if (recur === undefined) return;
  const { zone, allDay } = options;
  const startLocal = instantToLocal(options.startMs, zone);
  // A UTC `UNTIL` compared with floating times would be off by the zone offset.
  if (recur.until !== null && recur.until !== undefined && recur.until.zone === ICAL.Timezone.utcTimezone) {
    const untilLocal = instantToLocal(recur.until.toUnixTime() * 1000, zone);
    recur.until = floating(untilLocal, recur.until.isDate);
  }
  const iterator = recur.iterator(floating(startLocal, allDay));
  for (let count = 0; count < MAX_OCCURRENCES; count++) {
    const next = iterator.next();
    if (next === null || next === undefined) return;
    const wallMs = toWallMs({
      year: next.year,
      month: next.month,
      day: next.day,
      hour: next.hour,
      minute: next.minute,
      second: next.second,
    });
    if (wallMs >= options.untilWallMs) return;
    yield { originalStartMs: wallMsToInstantMs(wallMs, zone), wallMs };
  }
}

/** Compact UTC stamp of an original start, used in instance ids (`20260303T100000Z`, or `20260303` all-day). */
export function instanceStamp(originalStartMs: number, allDay: boolean, zone: ZoneOffsetReader): string {
  const local = allDay ? instantToLocal(originalStartMs, zone) : fromWallMs(originalStartMs);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  const date = `${pad(local.year, 4)}${pad(local.month)}${pad(local.day)}`;
  return allDay ? date : `${date}T${pad(local.hour)}${pad(local.minute)}${pad(local.second)}Z`;
}
