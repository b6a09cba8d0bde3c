// Time-zone arithmetic on top of `Intl.DateTimeFormat`, i.e. the IANA tz database that ships
// with the JavaScript runtime (ICU) and is updated with it. Oracle carries no tz data of its own
// and stays dependency-free. Intl calls cost microseconds each (and constructing a formatter tens
// of microseconds), so each zone is sampled once per request into a table of offset transitions
// and all later conversions are plain arithmetic on that table.

/** Milliseconds per day. */
export const DAY_MS = 86_400_000;
const SECOND_MS = 1000;
/** Spacing of Intl probes when tabulating a zone's transitions. */
export const SAMPLE_INTERVAL_MS = 3 * DAY_MS;
// Larger than any UTC offset in the tz database (LMT offsets reach about ±15:57).
const MAX_OFFSET_MS = 16 * 3_600_000;

const offsetFormatters = new Map<string, Intl.DateTimeFormat>();
const wallFormatters = new Map<string, Intl.DateTimeFormat>();
const LONG_OFFSET = /GMT(?:([+-])(\d{2}):(\d{2})(?::(\d{2}))?)?$/;

function cached(cache: Map<string, Intl.DateTimeFormat>, zone: string, options: Intl.DateTimeFormatOptions) {
  let f = cache.get(zone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', { ...options, timeZone: zone });
    cache.set(zone, f);
  }
  return f;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/**
 * UTC offset (local − UTC, ms) of `zone` at instant `t`, straight from Intl. The `longOffset`
 * name ("GMT+05:30") is about four times cheaper to get than the wall-clock parts; the parts
 * are the fallback for engines that print it differently.
 */
export function intlOffset(zone: string, t: number): number {
  const text = cached(offsetFormatters, zone, { timeZoneName: 'longOffset' }).format(t);
  const m = LONG_OFFSET.exec(text);
  if (m !== null) {
    if (m[1] === undefined) return 0;
    const magnitude = ((Number(m[2]) * 60 + Number(m[3])) * 60 + Number(m[4] ?? 0)) * SECOND_MS;
    return m[1] === '-' ? -magnitude : magnitude;
  }
  return wallOffset(zone, t);
}

function wallOffset(zone: string, t: number): number {
  const formatter = cached(wallFormatters, zone, {
    hourCycle: 'h23',
    era: 'short',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
  let year = 1970;
  let month = 1;
  let day = 1;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let bc = false;
  for (const part of formatter.formatToParts(t)) {
    switch (part.type) {
      case 'year':
        year = Number(part.value);
        break;
      case 'month':
        month = Number(part.value);
        break;
      case 'day':
        day = Number(part.value);
        break;
      case 'hour':
        hour = Number(part.value) % 24;
        break;
      case 'minute':
        minute = Number(part.value);
        break;
      case 'second':
        second = Number(part.value);
        break;
      case 'era':
        bc = part.value === 'BC' || part.value === 'B';
        break;
      default:
        break;
    }
  }
  if (bc) year = 1 - year;
  const wall = daysFromCivil(year, month, day) * DAY_MS + ((hour * 60 + minute) * 60 + second) * SECOND_MS;
  return wall - (t - mod(t, SECOND_MS));
}

/** Non-negative remainder. */
export function mod(a: number, m: number): number {
  const r = a % m;
  return r < 0 ? r + m : r;
}

/**
 * A zone's UTC offsets over a window of time: `offsets[i]` applies on
 * `[transitions[i - 1], transitions[i])`, the first and last segments extending without bound.
 */
export interface ZoneTimeline {
  /** Instants (epoch ms) at which a new offset takes effect, ascending. */
  readonly transitions: readonly number[];
  /** One more entry than `transitions`. */
  readonly offsets: readonly number[];
}

const UTC_TIMELINE: ZoneTimeline = { transitions: [], offsets: [0] };
const UTC_NAMES = new Set(['UTC', 'Etc/UTC', 'Etc/UCT', 'UCT', 'Etc/GMT', 'GMT', 'Etc/Zulu', 'Zulu']);

/**
 * Samples `zone` every {@link SAMPLE_INTERVAL_MS} over `[from, to]` and bisects every change
 * down to the second. Two transitions closer together than the sampling interval could cancel
 * out unseen; since 1970 the tz database has none closer than 7 days (Brazil, October 2000),
 * so a 3-day grid is exact for modern dates at a fraction of the Intl calls of a daily one.
 */
export function buildZoneTimeline(zone: string, from: number, to: number): ZoneTimeline {
  if (UTC_NAMES.has(zone)) return UTC_TIMELINE;
  const transitions: number[] = [];
  const offsets: number[] = [intlOffset(zone, from)];
  let prev = from;
  while (prev < to) {
    const next = Math.min(prev + SAMPLE_INTERVAL_MS, to);
    const nextOffset = intlOffset(zone, next);
    let cur = prev;
    let curOffset = offsets[offsets.length - 1] as number;
    while (nextOffset !== curOffset) {
      // Smallest whole second in (cur, next] whose offset differs from curOffset.
      let lo = Math.floor(cur / SECOND_MS);
      let hi = Math.floor(next / SECOND_MS);
      while (hi - lo > 1) {
        const mid = Math.floor((lo + hi) / 2);
        if (intlOffset(zone, mid * SECOND_MS) === curOffset) lo = mid;
        else hi = mid;
      }
      cur = hi * SECOND_MS;
      curOffset = intlOffset(zone, cur);
      transitions.push(cur);
      offsets.push(curOffset);
    }
    prev = next;
  }
  return { transitions, offsets };
}

/** Index of the segment containing instant `t` (the number of transitions at or before `t`). */
export function segmentAt(timeline: ZoneTimeline, t: number): number {
  const ts = timeline.transitions;
  let lo = 0;
  let hi = ts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((ts[mid] as number) <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** UTC offset (ms) at instant `t`. */
export function offsetAt(timeline: ZoneTimeline, t: number): number {
  return timeline.offsets[segmentAt(timeline, t)] as number;
}

/**
 * The instant of a local wall-clock time, given as "wall milliseconds" (the wall time read as
 * if it were UTC): the first instant at which the zone's clock shows that time or later.
 * So an ambiguous time (autumn fall-back) resolves to its earlier occurrence, and a time
 * skipped by a spring-forward gap resolves to the instant the clock jumps (02:30 in New York on
 * the March change becomes 03:00 EDT). The map is monotone, so windows never invert.
 */
export function wallToInstant(timeline: ZoneTimeline, wall: number): number {
  const ts = timeline.transitions;
  const os = timeline.offsets;
  // Before wall − MAX_OFFSET the clock cannot yet show `wall`.
  for (let i = segmentAt(timeline, wall - MAX_OFFSET_MS); i < os.length; i++) {
    const offset = os[i] as number;
    const segStart = i === 0 ? Number.NEGATIVE_INFINITY : (ts[i - 1] as number);
    if (segStart + offset >= wall) return segStart;
    const t = wall - offset;
    if (i === ts.length || t < (ts[i] as number)) return t;
  }
  /* c8 ignore next */
  return wall - (os[os.length - 1] as number);
}
