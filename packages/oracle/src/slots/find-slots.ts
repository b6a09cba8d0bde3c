import { type ParsedParticipant, parseRequest } from './request';
import { attendeeComfort, NEUTRAL_PREFERENCE, slotScore, timeOfDayPenalty } from './scoring';
import { clipSpans, intersectSpans, subtractSpans } from './spans';
import { TopSlots } from './top-k';
import type { Slot, SlotRequest } from './types';
import { expandSchedule } from './weekly-hours';
import { DAY_MS, mod } from '../time/civil';
import { buildZoneTimeline, type ZoneTimeline } from '../time/timeline';

const MINUTE_MS = 60_000;
// Zone tables reach past the range so that local dates overlapping its ends convert exactly.
const TIMELINE_MARGIN_MS = 3 * DAY_MS;

/**
 * Sweeps a normalised span list with monotonically increasing queries. `covers(s, e)` tells
 * whether `[s, e)` lies inside one span; queries must come with non-decreasing `e`.
 */
class SpanCursor {
  private i = 0;
  constructor(private readonly spans: readonly number[]) {}
  covers(s: number, e: number): boolean {
    const spans = this.spans;
    while (this.i < spans.length && (spans[this.i + 1] as number) < e) this.i += 2;
    return this.i < spans.length && (spans[this.i] as number) <= s;
  }
}

/** Walks a zone's offset table with non-decreasing instants. */
class OffsetCursor {
  private i = 0;
  constructor(private readonly timeline: ZoneTimeline) {}
  offsetAt(t: number): number {
    const ts = this.timeline.transitions;
    while (this.i < ts.length && (ts[this.i] as number) <= t) this.i++;
    return this.timeline.offsets[this.i] as number;
  }
}

interface Prepared {
  readonly participant: ParsedParticipant;
  readonly zoneIndex: number;
  readonly available: readonly number[];
  readonly preferred: readonly number[] | undefined;
}

/**
 * Finds meeting slots that every required participant can attend, best first.
 *
 * A start `s` (a multiple of `stepMinutes` since the Unix epoch) is valid when
 * `[s, s + duration)` lies inside `range`, `s ≥ now + minNoticeMinutes`, and for each required
 * participant the slot overlaps none of their busy intervals (each widened by `bufferMinutes`
 * on both sides) and lies within their working hours. Working hours are read in the
 * participant's zone via `Intl` (the runtime's tz database): a window on a local date runs
 * from the real instant of its start to the real instant of its end, a wall time resolving to
 * the first instant the local clock shows it or later — so an ambiguous fall-back time is its
 * first occurrence, a time inside a spring-forward gap is the instant of the jump, and a
 * 09:00–17:00 window on a DST day spans the real 09:00 to the real 17:00. Touching windows
 * (Mon 22:00–24:00, Tue 00:00–06:00) are one continuous stretch.
 *
 * Score: `optionalPresent + comfort / 2`, where `optionalPresent` counts optional participants
 * who are free and within their working hours, and `comfort` is the mean over all attendees of
 * `(preference + 1 − penalty) / 2`; `preference` is 1 if the slot lies within the attendee's
 * preferred hours, 0 if it does not, 0.5 if they set none; `penalty` is 0 when the slot's
 * midpoint falls within 08:00–18:00 in the attendee's zone, growing linearly to 1 at six hours
 * outside that band. The comfort term is below 1, so more optional attendees always rank
 * higher. Results are sorted by score descending, then start ascending.
 *
 * Cost: O(M log M + S + C·P) for M busy intervals and working-hour windows, S step starts, and
 * C candidate slots common to the required participants checked against P participants; only
 * the best `maxResults` are kept (bounded heap), so C is never sorted in full.
 *
 * @throws OracleRangeError / OracleTypeError naming the bad field, e.g. `participants[2].timeZone`;
 * also `range` when it holds more than 5 000 000 step starts or spans over 3 700 days,
 * `participants` beyond 1 000 entries or 10 000 000 (participant, step start) checks, and
 * `maxResults` above 100 000 or above 2 000 000 / participants.
 */
export function findSlots(request: SlotRequest): Slot[] {
  const req = parseRequest(request);
  const { durationMs, stepMs } = req;
  const from = req.earliestStart;
  const to = req.rangeEnd;
  if (to - from < durationMs) return [];

  const zones: string[] = [];
  const timelines: ZoneTimeline[] = [];
  const prepared: Prepared[] = req.participants.map((participant) => {
    let zoneIndex = zones.indexOf(participant.timeZone);
    if (zoneIndex < 0) {
      zoneIndex = zones.length;
      zones.push(participant.timeZone);
      timelines.push(buildZoneTimeline(participant.timeZone, from - TIMELINE_MARGIN_MS, to + TIMELINE_MARGIN_MS));
    }
    const timeline = timelines[zoneIndex] as ZoneTimeline;
    const hours = participant.workingHours ? expandSchedule(participant.workingHours, timeline, from, to) : [from, to];
    const available = subtractSpans(hours, clipSpans(participant.busy, from, to));
    const preferred = participant.preferredHours
      ? expandSchedule(participant.preferredHours, timeline, from, to)
      : undefined;
    return { participant, zoneIndex, available, preferred };
  });

  let common: number[] = [from, to];
  for (const p of prepared) {
    if (!p.participant.optional) common = intersectSpans(common, p.available);
  }

  const top = new TopSlots(req.maxResults);
  const availability = prepared.map((p) => new SpanCursor(p.available));
  const preference = prepared.map((p) => (p.preferred ? new SpanCursor(p.preferred) : undefined));
  const offsets = timelines.map((t) => new OffsetCursor(t));
  const penalties = new Float64Array(zones.length);
  const halfDuration = durationMs / 2;

  for (let k = 0; k < common.length; k += 2) {
    const spanEnd = common[k + 1] as number;
    for (let s = Math.ceil((common[k] as number) / stepMs) * stepMs; s + durationMs <= spanEnd; s += stepMs) {
      const e = s + durationMs;
      const mid = s + halfDuration;
      for (let z = 0; z < zones.length; z++) {
        const local = mid + (offsets[z] as OffsetCursor).offsetAt(mid);
        penalties[z] = timeOfDayPenalty(mod(local, DAY_MS) / MINUTE_MS);
      }
      let optionalPresent = 0;
      let attendees = 0;
      let comfortSum = 0;
      for (let i = 0; i < prepared.length; i++) {
        const p = prepared[i] as Prepared;
        // Required participants are free by construction of `common`, but their cursor still
        // has to advance with the sweep.
        const free = (availability[i] as SpanCursor).covers(s, e);
        if (!free) continue;
        if (p.participant.optional) optionalPresent++;
        attendees++;
        const cursor = preference[i];
        const pref = cursor === undefined ? NEUTRAL_PREFERENCE : cursor.covers(s, e) ? 1 : 0;
        comfortSum += attendeeComfort(pref, penalties[p.zoneIndex] as number);
      }
      top.offer(s, slotScore(optionalPresent, comfortSum, attendees));
    }
  }

  const best = top.sorted();
  // Second, short sweep over the winners only, to name who attends.
  const byStart = best.map((b, i) => ({ start: b.start, i })).sort((a, b) => a.start - b.start);
  const cursors = prepared.map((p) => new SpanCursor(p.available));
  const names: Array<{ attendees: string[]; missing: string[] }> = new Array(best.length);
  for (const { start, i } of byStart) {
    const attendees: string[] = [];
    const missing: string[] = [];
    prepared.forEach((p, j) => {
      if ((cursors[j] as SpanCursor).covers(start, start + durationMs)) attendees.push(p.participant.id);
      else missing.push(p.participant.id);
    });
    names[i] = { attendees, missing };
  }
  return best.map((b, i) => ({
    start: new Date(b.start),
    end: new Date(b.start + durationMs),
    score: b.score,
    ...(names[i] as { attendees: string[]; missing: string[] }),
  }));
}
