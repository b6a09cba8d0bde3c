// Why a slot ranks where it does, and why no slot exists: the words behind the score.
import { instantToZonedTime } from '@almanac/oracle/time';
import type { BusyInterval } from '../spec';
import type { WeeklyHours } from './types';

const MINUTE_MS = 60_000;
/** A gap shorter than this between a slot and the attendee's next or previous meeting is a fragment. */
const FRAGMENT_MINUTES = 60;
/** The comfortable local band `findSlots` scores against. */
const COMFORT_START = 8 * 60;
const COMFORT_END = 18 * 60;

/** What explaining a slot needs to know about one attendee. */
export interface ExplainedAttendee {
  readonly email: string;
  readonly timeZone: string;
  readonly busy: readonly BusyInterval[];
  readonly workingHours?: readonly WeeklyHours[] | undefined;
  readonly preferredHours?: readonly WeeklyHours[] | undefined;
}

const minutesOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
const hhmm = (minutes: number): string => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/** The local weekday and minutes since local midnight of `[start, end)` in `zone`. */
function localSpan(start: Date, end: Date, zone: string): { day: number; from: number; to: number } {
  const a = instantToZonedTime(start, zone);
  const b = instantToZonedTime(end, zone);
  const from = a.hour * 60 + a.minute;
  // A slot ending at local midnight (or past it) ends at 24:00 of its start day.
  const to = b.day === a.day ? b.hour * 60 + b.minute : 24 * 60 + b.hour * 60 + b.minute;
  return { day: a.weekday, from, to };
}

/** Whether `[start, end)` lies within one window of `hours`, read in `zone`. */
export function withinHours(start: Date, end: Date, zone: string, hours: readonly WeeklyHours[]): boolean {
  const span = localSpan(start, end, zone);
  return hours.some((window) => window.day === span.day && minutesOf(window.start) <= span.from && span.to <= minutesOf(window.end));
}

/** Minutes of `[start, end)` outside `hours` in `zone` (0 when inside a window). */
export function minutesOutside(start: Date, end: Date, zone: string, hours: readonly WeeklyHours[]): number {
  const span = localSpan(start, end, zone);
  let best = span.to - span.from;
  for (const window of hours) {
    if (window.day !== span.day) continue;
    const inside = Math.max(0, Math.min(span.to, minutesOf(window.end)) - Math.max(span.from, minutesOf(window.start)));
    best = Math.min(best, span.to - span.from - inside);
  }
  return best;
}

function humanDelay(ms: number): string {
  const minutes = Math.round(ms / MINUTE_MS);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} h`;
  return `${Math.round(hours / 24)} days`;
}

/**
 * The reasons behind a slot's score, one short clause each: who attends outside their
 * preferred hours or outside 08:00–18:00 local (what the score penalises), which busy
 * schedules the slot fragments (leaving a gap under an hour beside another meeting), and how
 * far from now it starts.
 */
export function explainSlot(slot: { start: Date; end: Date }, attendees: readonly ExplainedAttendee[], now: Date): string[] {
  const reasons: string[] = [];
  const outsidePreferred = attendees.filter((a) => a.preferredHours !== undefined && !withinHours(slot.start, slot.end, a.timeZone, a.preferredHours));
  const inPreferred = attendees.filter((a) => a.preferredHours !== undefined && withinHours(slot.start, slot.end, a.timeZone, a.preferredHours));
  if (inPreferred.length > 0) reasons.push(`within preferred hours of ${inPreferred.map((a) => a.email).join(', ')}`);
  if (outsidePreferred.length > 0) reasons.push(`outside preferred hours of ${outsidePreferred.map((a) => a.email).join(', ')}`);
  const uncomfortable = attendees
    .map((a) => ({ a, span: localSpan(slot.start, slot.end, a.timeZone) }))
    .filter(({ span }) => span.from < COMFORT_START || span.to > COMFORT_END)
    .map(({ a, span }) => `${a.email} at ${hhmm(span.from)} local`);
  if (uncomfortable.length > 0) reasons.push(`outside 08:00–18:00 for ${uncomfortable.join(', ')}`);
  const fragmented: string[] = [];
  for (const attendee of attendees) {
    for (const block of attendee.busy) {
      const before = slot.start.getTime() - block.end.getTime();
      const after = block.start.getTime() - slot.end.getTime();
      const gap = before >= 0 ? before : after >= 0 ? after : -1;
      if (gap > 0 && gap < FRAGMENT_MINUTES * MINUTE_MS) {
        fragmented.push(`${attendee.email} (${Math.round(gap / MINUTE_MS)} min gap)`);
        break;
      }
    }
  }
  if (fragmented.length > 0) reasons.push(`fragments the day of ${fragmented.join(', ')}`);
  reasons.push(`starts in ${humanDelay(slot.start.getTime() - now.getTime())}`);
  return reasons;
}

/** The slot closest to everyone's working hours, when no slot lies inside all of them. */
export interface ClosestSlot {
  readonly start: Date;
  readonly end: Date;
  /** Per attendee outside their hours: what they would need, e.g. `bob@… until 19:30 (works 08:00–18:00)`. */
  readonly needed: readonly string[];
}

/**
 * Whether the working hours of `attendees` share `durationMinutes` anywhere in the range,
 * ignoring busy time; when they never do, the start that puts the fewest minutes outside
 * anyone's hours and what each attendee would have to accept for it. Candidate starts are
 * every `stepMinutes` over at most the first 14 days of the range.
 */
export function closestToWorkingHours(
  attendees: readonly ExplainedAttendee[],
  range: { start: Date; end: Date },
  durationMinutes: number,
  stepMinutes: number,
): { overlap: true } | { overlap: false; closest?: ClosestSlot | undefined } {
  const withHours = attendees.filter((a): a is ExplainedAttendee & { workingHours: readonly WeeklyHours[] } => a.workingHours !== undefined);
  if (withHours.length < 2) return { overlap: true };
  const step = Math.max(5, stepMinutes) * MINUTE_MS;
  const duration = durationMinutes * MINUTE_MS;
  const last = Math.min(range.end.getTime(), range.start.getTime() + 14 * 86_400_000) - duration;
  let best: { start: number; cost: number } | undefined;
  for (let start = Math.ceil(range.start.getTime() / step) * step; start <= last; start += step) {
    const s = new Date(start);
    const e = new Date(start + duration);
    let cost = 0;
    for (const attendee of withHours) cost += minutesOutside(s, e, attendee.timeZone, attendee.workingHours);
    if (cost === 0) return { overlap: true };
    if (best === undefined || cost < best.cost) best = { start, cost };
  }
  if (best === undefined) return { overlap: false };
  const start = new Date(best.start);
  const end = new Date(best.start + duration);
  const needed: string[] = [];
  for (const attendee of withHours) {
    if (minutesOutside(start, end, attendee.timeZone, attendee.workingHours) === 0) continue;
    const span = localSpan(start, end, attendee.timeZone);
    const hours = attendee.workingHours.filter((window) => window.day === span.day).map((window) => `${window.start}–${window.end}`);
    needed.push(`${attendee.email} ${hhmm(span.from)}–${hhmm(span.to % (24 * 60))} local (works ${hours.length > 0 ? hours.join(', ') : 'not at all that day'})`);
  }
  return { overlap: false, closest: { start, end, needed } };
}
