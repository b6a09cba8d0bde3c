// A zone's UTC offsets tabulated over a window of time. Intl calls cost microseconds each, so
// code that converts many instants in one zone (slot finding, login hours) samples the zone
// once into a table of offset transitions and does all later conversions as plain arithmetic
// on that table.
import { DAY_MS } from './civil';
import { intlOffset } from './offset';

const SECOND_MS = 1000;
/** Spacing of Intl probes when tabulating a zone's transitions. */
export const SAMPLE_INTERVAL_MS = 3 * DAY_MS;
// Larger than any UTC offset in the tz database (LMT offsets reach about ±15:57).
const MAX_OFFSET_MS = 16 * 3_600_000;

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

/** Whether `zone` is one of the names of UTC itself, whose offset is always 0. */
export function isFixedUtc(zone: string): boolean {
  return UTC_NAMES.has(zone);
}

/**
 * Samples `zone` every {@link SAMPLE_INTERVAL_MS} over `[from, to]` and bisects every change
 * down to the second. Two transitions closer together than the sampling interval could cancel
 * out unseen; since 1970 the tz database has none closer than 7 days (Brazil, October 2000),
 * so a 3-day grid is exact for modern dates at a fraction of the Intl calls of a daily one.
 */
export function buildZoneTimeline(zone: string, from: number, to: number): ZoneTimeline {
  if (isFixedUtc(zone)) return UTC_TIMELINE;
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
