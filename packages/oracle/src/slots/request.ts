import { OracleRangeError, OracleTypeError } from '../errors';
import { array, finiteNumber, instant, object, timeZone } from '../validate';
import { unionSpans } from './spans';
import { parseWeeklySchedule, type WeeklySchedule } from './weekly-hours';
import { DAY_MS } from '../time/civil';

const MINUTE_MS = 60_000;
/** More step-aligned starts than this in the range is refused rather than ground through. */
export const MAX_STEP_STARTS = 5_000_000;
/**
 * Most (participant, step start) checks per call: the sweep checks every participant at
 * every start, and 100 participants over a long range once took 12 s. About 2 s here.
 */
export const MAX_SLOT_CHECKS = 10_000_000;
/** Most participants per call. */
export const MAX_PARTICIPANTS = 1000;
/** Largest `maxResults`: 5 million once used 3.4 GB. */
export const MAX_RESULTS = 100_000;
/** Most `maxResults × participants`: every returned slot names each participant once. */
export const MAX_RESULT_ENTRIES = 2_000_000;
/** Ranges longer than this (about ten years) are refused: each zone is sampled once a day. */
export const MAX_RANGE_DAYS = 3700;
const DEFAULT_STEP_MINUTES = 15;
const MIN_INSTANT = -62_135_596_800_000; // 0001-01-01T00:00:00Z
const MAX_INSTANT = 253_402_300_800_000; // 10000-01-01T00:00:00Z
const DEFAULT_MAX_RESULTS = 50;


/** A validated participant with buffered, merged busy spans. */
export interface ParsedParticipant {
  readonly id: string;
  readonly optional: boolean;
  readonly timeZone: string;
  readonly busy: readonly number[];
  readonly workingHours: WeeklySchedule | undefined;
  readonly preferredHours: WeeklySchedule | undefined;
}

/** A validated request in epoch milliseconds. */
export interface ParsedRequest {
  readonly rangeStart: number;
  readonly rangeEnd: number;
  /** Lower bound on slot starts: `max(range.start, now + minNotice)`. */
  readonly earliestStart: number;
  readonly durationMs: number;
  readonly stepMs: number;
  readonly maxResults: number;
  readonly participants: readonly ParsedParticipant[];
}

function zoneName(field: string, value: unknown): string {
  return value === undefined ? 'UTC' : timeZone(field, value);
}

function minutesToMs(field: string, value: unknown, fallback: number, min: number, exclusiveMin: boolean): number {
  if (value === undefined) return fallback * MINUTE_MS;
  const minutes = finiteNumber(field, value, { min });
  if (exclusiveMin && minutes <= min) throw new OracleRangeError(field, `must be > ${min}, got ${minutes}`);
  const ms = Math.round(minutes * MINUTE_MS);
  if (Math.abs(ms - minutes * MINUTE_MS) > 1e-6) throw new OracleRangeError(field, 'must be a whole number of milliseconds');
  return ms;
}

function busyBounds(field: string, item: unknown): [number, number] {
  const b = object(field, item);
  const start = instant(`${field}.start`, b['start']);
  const end = instant(`${field}.end`, b['end']);
  if (end < start) throw new OracleRangeError(`${field}.end`, 'must not be before start');
  return [start, end];
}

/** Reusable sort buffers, so that each participant does not allocate two typed arrays. */
class Scratch {
  starts = new Float64Array(64);
  ends = new Float64Array(64);
  reserve(n: number): void {
    if (this.starts.length < n) {
      this.starts = new Float64Array(n);
      this.ends = new Float64Array(n);
    }
  }
}

function parseParticipant(field: string, value: unknown, bufferMs: number, scratch: Scratch): ParsedParticipant {
  const p = object(field, value);
  const id = p['id'];
  if (typeof id !== 'string' || id.length === 0) throw new OracleTypeError(`${field}.id`, 'expected a non-empty string');
  const optional = p['optional'];
  if (optional !== undefined && typeof optional !== 'boolean') {
    throw new OracleTypeError(`${field}.optional`, 'expected a boolean');
  }
  const zone = zoneName(`${field}.timeZone`, p['timeZone']);
  const busyList = array(`${field}.busy`, p['busy']);
  scratch.reserve(busyList.length);
  const { starts, ends } = scratch;
  let kept = 0;
  for (let j = 0; j < busyList.length; j++) {
    const item = busyList[j] as { start?: unknown; end?: unknown } | null;
    let start = Number.NaN;
    let end = Number.NaN;
    // Fast path for the common well-formed `Date` pair: field paths are only built for errors.
    if (typeof item === 'object' && item !== null && item.start instanceof Date && item.end instanceof Date) {
      start = item.start.getTime();
      end = item.end.getTime();
    }
    if (!(end >= start)) [start, end] = busyBounds(`${field}.busy[${j}]`, item);
    // An empty busy interval blocks nothing, even with a buffer: there is no meeting to pad.
    if (end > start) {
      starts[kept] = start - bufferMs;
      ends[kept] = end + bufferMs;
      kept++;
    }
  }
  return {
    id,
    optional: optional === true,
    timeZone: zone,
    busy: unionSpans(starts, ends, kept),
    workingHours: parseWeeklySchedule(`${field}.workingHours`, p['workingHours']),
    preferredHours: parseWeeklySchedule(`${field}.preferredHours`, p['preferredHours']),
  };
}

/** Validates a `findSlots` request, naming the first bad field. */
export function parseRequest(value: unknown): ParsedRequest {
  const req = object('request', value);
  const range = object('range', req['range']);
  const rangeStart = instant('range.start', range['start']);
  const rangeEnd = instant('range.end', range['end']);
  if (rangeEnd < rangeStart) throw new OracleRangeError('range.end', 'must not be before range.start');
  // Zone tables reach days past the range; keep them well inside what Date and Intl accept.
  if (rangeStart < MIN_INSTANT) throw new OracleRangeError('range.start', 'must not be before year 0001');
  if (rangeEnd > MAX_INSTANT) throw new OracleRangeError('range.end', 'must not be after year 9999');
  if (rangeEnd - rangeStart > MAX_RANGE_DAYS * DAY_MS) {
    throw new OracleRangeError('range', `spans more than ${MAX_RANGE_DAYS} days`);
  }
  if (req['durationMinutes'] === undefined) throw new OracleTypeError('durationMinutes', 'is required');
  const durationMs = minutesToMs('durationMinutes', req['durationMinutes'], 0, 0, true);
  const stepMs = minutesToMs('stepMinutes', req['stepMinutes'], DEFAULT_STEP_MINUTES, 0, true);
  const bufferMs = minutesToMs('bufferMinutes', req['bufferMinutes'], 0, 0, false);
  const noticeMs = minutesToMs('minNoticeMinutes', req['minNoticeMinutes'], 0, 0, false);
  const maxResults =
    req['maxResults'] === undefined
      ? DEFAULT_MAX_RESULTS
      : finiteNumber('maxResults', req['maxResults'], { integer: true, min: 1, max: MAX_RESULTS });

  let earliestStart = rangeStart;
  if (req['now'] !== undefined) {
    earliestStart = Math.max(rangeStart, instant('now', req['now']) + noticeMs);
  } else if (req['minNoticeMinutes'] !== undefined) {
    throw new OracleTypeError('now', 'is required with minNoticeMinutes (oracle reads no clock)');
  }

  const firstStart = Math.ceil(rangeStart / stepMs) * stepMs;
  const lastStart = Math.floor((rangeEnd - durationMs) / stepMs) * stepMs;
  const starts = Math.max(0, (lastStart - firstStart) / stepMs + 1);
  if (starts > MAX_STEP_STARTS) {
    throw new OracleRangeError('range', `holds more than ${MAX_STEP_STARTS} step-aligned starts; widen stepMinutes or shorten the range`);
  }

  const list = array('participants', req['participants']);
  if (list.length === 0) throw new OracleRangeError('participants', 'must not be empty');
  if (list.length > MAX_PARTICIPANTS) throw new OracleRangeError('participants', `has ${list.length} entries; at most ${MAX_PARTICIPANTS}`);
  // Checked before any participant is parsed: the sweep's cost is starts × participants.
  if (maxResults * list.length > MAX_RESULT_ENTRIES) {
    throw new OracleRangeError('maxResults', `× ${list.length} participants exceeds ${MAX_RESULT_ENTRIES} attendee entries; lower maxResults`);
  }
  if (starts * list.length > MAX_SLOT_CHECKS) {
    throw new OracleRangeError(
      'participants',
      `${list.length} participants × ${starts} step starts exceed ${MAX_SLOT_CHECKS} checks; shorten the range, widen stepMinutes or split the participants`,
    );
  }
  const seen = new Set<string>();
  const scratch = new Scratch();
  const participants = list.map((item, i) => {
    const parsed = parseParticipant(`participants[${i}]`, item, bufferMs, scratch);
    if (seen.has(parsed.id)) throw new OracleRangeError(`participants[${i}].id`, `duplicate id "${parsed.id}"`);
    seen.add(parsed.id);
    return parsed;
  });

  return { rangeStart, rangeEnd, earliestStart, durationMs, stepMs, maxResults, participants };
}
