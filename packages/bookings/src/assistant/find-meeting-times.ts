import { AbortedError, parse, ValidationError } from '@almanac/core';
import { findSlots, type SlotParticipant } from '@almanac/oracle/slots';
import { instantToZonedTime } from '@almanac/oracle/time';
import * as z from '@almanac/core/schema';
import { isValidTimeZone } from '@almanac/oracle/time';
import type { Calendar } from '../facade';
import type { BusyInterval, FreeBusyResult } from '../spec';
import { closestToWorkingHours, explainSlot } from './explain';
import type { ExplainedAttendee } from './explain';
import type { FindMeetingTimesRequest, MeetingAlternative, MeetingSlot, MeetingTimes, NoSlotReason } from './types';

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const HHMM = /^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/;
// Rooms filter the ranked candidates afterwards, so ask findSlots for enough of them.
const CANDIDATES_WITH_ROOMS = 5_000;
const FRAGMENT_MARGIN_MS = 60 * 60_000;

const instantSchema = z.union([z.date(), z.iso.datetime({ offset: true })]).transform((value) => new Date(value));
const hoursSchema = z.array(z.object({ day: z.number().int().min(0).max(6), start: z.string().regex(HHMM), end: z.string().regex(HHMM) }));
const calendarSchema = z.custom<Calendar>(
  (value) => typeof value === 'object' && value !== null && typeof (value as Calendar).freeBusy === 'function',
  'must be a Calendar (from createCalendar or a create…Calendar factory)',
);
const zoneSchema = z.string().refine(isValidTimeZone, 'unknown IANA time zone');

const requestSchema = z
  .object({
    attendees: z
      .array(
        z.object({
          email: z.email(),
          calendar: calendarSchema,
          calendarId: z.string().min(1).optional(),
          timeZone: zoneSchema,
          workingHours: hoursSchema.optional(),
          preferredHours: hoursSchema.optional(),
          optional: z.boolean().optional(),
        }),
      )
      .min(1),
    durationMinutes: z.number().int().positive().max(24 * 60),
    range: z.object({ start: instantSchema, end: instantSchema }),
    stepMinutes: z.number().int().positive().max(24 * 60).optional(),
    bufferMinutes: z.number().int().min(0).max(24 * 60).optional(),
    rooms: z
      .array(z.object({ id: z.string().min(1), capacity: z.number().int().positive(), calendar: calendarSchema, calendarId: z.string().min(1).optional() }))
      .optional(),
    maxResults: z.number().int().positive().max(1_000).optional(),
    now: instantSchema,
    minNoticeMinutes: z.number().int().min(0).optional(),
    signal: z.instanceof(AbortSignal).optional(),
  })
  .refine((request) => request.range.end > request.range.start, { path: ['range', 'end'], message: 'must be after range.start' });

type ParsedRequest = z.output<typeof requestSchema>;

/** One freeBusy call per calendar facade, with every calendar id it holds (the facade splits by provider limits). */
async function fetchBusy(
  key: CalendarKey,
  sources: ReadonlyArray<{ calendar: Calendar; calendarId: string }>,
  range: { start: Date; end: Date },
  signal: AbortSignal | undefined,
): Promise<Map<string, readonly BusyInterval[]>> {
  const groups = new Map<Calendar, Set<string>>();
  for (const { calendar, calendarId } of sources) {
    let ids = groups.get(calendar);
    if (!ids) {
      ids = new Set();
      groups.set(calendar, ids);
    }
    ids.add(calendarId);
  }
  const results = await Promise.all(
    [...groups].map(([calendar, ids]) =>
      calendar.freeBusy(signal ? { calendars: [...ids], range, signal } : { calendars: [...ids], range }).then((rows: FreeBusyResult[]) =>
        rows.map((row) => [calendar, row] as const),
      ),
    ),
  );
  const busy = new Map<string, readonly BusyInterval[]>();
  for (const [calendar, row] of results.flat()) {
    // Busy time the provider could not read (a group too big to expand) is never offered as
    // free: the whole range counts as busy for that calendar.
    const blocks = row.unavailable ? [{ start: range.start, end: range.end, source: `unavailable: ${row.unavailable.reason}` }] : row.busy;
    busy.set(key(calendar, row.calendarId), blocks);
  }
  return busy;
}

type CalendarKey = (calendar: Calendar, calendarId: string) => string;

/** Calendars are identified by facade and id: two providers may both have a "primary". */
function calendarKeys(): CalendarKey {
  const ids = new Map<Calendar, number>();
  return (calendar, calendarId) => {
    let id = ids.get(calendar);
    if (id === undefined) {
      id = ids.size;
      ids.set(calendar, id);
    }
    return `${id}\u0000${calendarId}`;
  };
}

function localLabel(at: Date, zone: string): string {
  const t = instantToZonedTime(at, zone);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${WEEKDAYS[t.weekday]} ${t.year}-${pad(t.month)}-${pad(t.day)} ${pad(t.hour)}:${pad(t.minute)} (${zone})`;
}

function overlaps(busy: readonly BusyInterval[], start: number, end: number): boolean {
  // Busy lists are sorted by start; a linear scan is fine for one room and one slot.
  for (const block of busy) {
    if (block.start.getTime() >= end) return false;
    if (block.end.getTime() > start) return true;
  }
  return false;
}

interface Search {
  key: CalendarKey;
  request: ParsedRequest;
  busy: Map<string, readonly BusyInterval[]>;
  attendees: ParsedRequest['attendees'];
  durationMinutes: number;
  range: { start: Date; end: Date };
}

function search({ key, request, busy, attendees, durationMinutes, range }: Search): MeetingSlot[] {
  const participants: SlotParticipant[] = attendees.map((attendee) => ({
    id: attendee.email,
    timeZone: attendee.timeZone,
    busy: busy.get(key(attendee.calendar, attendee.calendarId ?? attendee.email)) ?? [],
    ...(attendee.workingHours ? { workingHours: attendee.workingHours } : {}),
    ...(attendee.preferredHours ? { preferredHours: attendee.preferredHours } : {}),
    ...(attendee.optional ? { optional: true } : {}),
  }));
  const rooms = [...(request.rooms ?? [])].sort((a, b) => a.capacity - b.capacity || a.id.localeCompare(b.id));
  const maxResults = request.maxResults ?? 10;
  const slots = findSlots({
    range,
    durationMinutes,
    participants,
    now: request.now,
    maxResults: rooms.length > 0 ? CANDIDATES_WITH_ROOMS : maxResults,
    ...(request.stepMinutes !== undefined ? { stepMinutes: request.stepMinutes } : {}),
    ...(request.bufferMinutes !== undefined ? { bufferMinutes: request.bufferMinutes } : {}),
    ...(request.minNoticeMinutes !== undefined ? { minNoticeMinutes: request.minNoticeMinutes } : {}),
  });
  const zones = new Map(attendees.map((attendee) => [attendee.email, attendee.timeZone]));
  const out: MeetingSlot[] = [];
  for (const slot of slots) {
    let room: (typeof rooms)[number] | undefined;
    if (rooms.length > 0) {
      const seats = attendees.length;
      room = rooms.find(
        (candidate) =>
          candidate.capacity >= seats &&
          !overlaps(busy.get(key(candidate.calendar, candidate.calendarId ?? candidate.id)) ?? [], slot.start.getTime(), slot.end.getTime()),
      );
      if (!room) continue;
    }
    const localTimes = Object.fromEntries(attendees.map((attendee) => [attendee.email, localLabel(slot.start, zones.get(attendee.email) ?? 'UTC')]));
    const missing = slot.missing.length > 0 ? `; cannot come: ${slot.missing.join(', ')}` : '';
    const present = new Set(slot.attendees);
    const reasons = explainSlot(
      slot,
      explained(key, busy, attendees).filter((attendee) => present.has(attendee.email)),
      request.now,
    );
    out.push({
      ...slot,
      localTimes,
      ...(room ? { room: room.id } : {}),
      reasons,
      explanation: `${slot.attendees.length} of ${attendees.length} can attend${missing}${room ? `; room ${room.id}` : ''}; ${reasons.join('; ')}`,
    });
    if (out.length >= maxResults) break;
  }
  return out;
}

function explained(key: CalendarKey, busy: Map<string, readonly BusyInterval[]>, attendees: ParsedRequest['attendees']): ExplainedAttendee[] {
  return attendees.map((attendee) => ({
    email: attendee.email,
    timeZone: attendee.timeZone,
    busy: busy.get(key(attendee.calendar, attendee.calendarId ?? attendee.email)) ?? [],
    workingHours: attendee.workingHours,
    preferredHours: attendee.preferredHours,
  }));
}

/**
 * Finds the best meeting times across every attendee's calendar: busy time is fetched from
 * each provider concurrently (one call per calendar facade, which splits by the provider's
 * limits), merged by `@almanac/oracle`'s `findSlots` with each attendee's zone and hours,
 * and filtered by room availability. When nothing fits, proposes labelled alternatives: a
 * range twice as long, each required attendee made optional in turn (when others remain
 * required), and half the duration.
 */
export async function findMeetingTimes(input: FindMeetingTimesRequest): Promise<MeetingTimes> {
  const request = parse(requestSchema, input, { operation: 'findMeetingTimes', path: '' });
  const emails = new Set<string>();
  for (const [index, attendee] of request.attendees.entries()) {
    if (emails.has(attendee.email)) {
      throw new ValidationError(undefined, [{ path: `attendees.${index}.email`, message: `duplicate attendee ${attendee.email}` }]);
    }
    emails.add(attendee.email);
  }
  if (request.signal?.aborted) throw new AbortedError();
  const span = request.range.end.getTime() - request.range.start.getTime();
  // Busy time for the widest range any alternative may need, fetched once.
  const widest = { start: request.range.start, end: new Date(request.range.end.getTime() + span) };
  const sources = [
    ...request.attendees.map((attendee) => ({ calendar: attendee.calendar, calendarId: attendee.calendarId ?? attendee.email })),
    ...(request.rooms ?? []).map((room) => ({ calendar: room.calendar, calendarId: room.calendarId ?? room.id })),
  ];
  const key = calendarKeys();
  // An hour either side too, so a slot's explanation can tell whether it fragments someone's day.
  const fetched = { start: new Date(widest.start.getTime() - FRAGMENT_MARGIN_MS), end: new Date(widest.end.getTime() + FRAGMENT_MARGIN_MS) };
  const busy = await fetchBusy(key, sources, fetched, request.signal);
  const base = { key, request, busy, attendees: request.attendees, durationMinutes: request.durationMinutes, range: request.range };
  const slots = search(base);
  if (slots.length > 0) return { slots, alternatives: [] };
  const reason = noSlotReason(request, base);

  const alternatives: MeetingAlternative[] = [];
  const extended = search({ ...base, range: widest });
  if (extended.length > 0) {
    alternatives.push({ kind: 'extended_range', label: `Until ${widest.end.toISOString()} (range doubled)`, slots: extended });
  }
  const required = request.attendees.filter((candidate) => !candidate.optional);
  // Making the only required attendee optional would "find" meetings nobody must attend.
  for (const attendee of required.length > 1 ? required : []) {
    const relaxed = request.attendees.map((candidate) => (candidate === attendee ? { ...candidate, optional: true } : candidate));
    const found = search({ ...base, attendees: relaxed });
    if (found.length > 0) alternatives.push({ kind: 'without_attendee', label: `Without ${attendee.email}`, slots: found });
  }
  const shorter = Math.max(5, Math.floor(request.durationMinutes / 2));
  if (shorter < request.durationMinutes) {
    const found = search({ ...base, durationMinutes: shorter });
    if (found.length > 0) alternatives.push({ kind: 'shorter_duration', label: `${shorter} minutes instead of ${request.durationMinutes}`, slots: found });
  }
  return { slots: [], alternatives, reason };
}

/** Why nothing fits: working hours that never overlap, or busy time. */
function noSlotReason(request: ParsedRequest, base: Search): NoSlotReason {
  const required = base.attendees.filter((attendee) => !attendee.optional);
  const check = closestToWorkingHours(explained(base.key, base.busy, required), request.range, request.durationMinutes, request.stepMinutes ?? 15);
  if (!check.overlap) {
    const closest = check.closest;
    return {
      code: 'no_overlap',
      message:
        `the working hours of ${required.map((attendee) => attendee.email).join(', ')} never share ${request.durationMinutes} minutes in the range` +
        (closest ? `; closest: ${closest.start.toISOString()}, which needs ${closest.needed.join('; ')}` : ''),
      ...(closest ? { closest } : {}),
    };
  }
  return { code: 'busy', message: 'working hours overlap, but busy time, rooms or notice leave no free slot in the range' };
}
