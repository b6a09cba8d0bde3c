import { parse, ValidationError } from '@almanac/core';
import { instantToZonedTime, zonedTimeToInstant } from '@almanac/oracle/time';
import type * as Chrono from 'chrono-node';
import * as z from '@almanac/core/schema';
import { isValidTimeZone } from '@almanac/oracle/time';

/** Names to email addresses: a map (matched case-insensitively) or a lookup function. */
export type Directory = Readonly<Record<string, string>> | ((name: string) => string | undefined);

/** Options of {@link parseMeetingRequest}. */
export interface ParseMeetingRequestOptions {
  /** The current time; relative phrases ("next Tuesday") are read from here. */
  readonly now: Date | string;
  /** The requester's IANA zone: dates and times in the text are read in it. */
  readonly timeZone: string;
  /** Resolves attendee names to emails; with one, an unknown name is an error. */
  readonly directory?: Directory | undefined;
  /** Duration used when the text names none; default 30 minutes. */
  readonly defaultDurationMinutes?: number | undefined;
}

/** What a meeting request asks for. */
export interface MeetingRequest {
  /** Meeting length in minutes. */
  readonly durationMinutes: number;
  /** True when the text named no duration and the default was used. */
  readonly durationDefaulted: boolean;
  /** Where to look for a slot (a whole local day, part of a day, a week, or an exact time). */
  readonly range: {
    /** Earliest start. */
    readonly start: Date;
    /** Latest end. */
    readonly end: Date;
  };
  /** Meeting title. */
  readonly title: string;
  /** Attendees: emails when a directory resolved them, else the names as written. */
  readonly attendees: readonly string[];
  /**
   * Other readings of an ambiguous phrase, most likely first; empty when the text was
   * unambiguous. `range` always follows the documented rule (see {@link parseMeetingRequest}).
   */
  readonly alternatives: readonly MeetingRequestAlternative[];
}

/** Another reading of an ambiguous phrase in a meeting request. */
export interface MeetingRequestAlternative {
  /** The phrase as written, e.g. `next Tuesday`. */
  readonly phrase: string;
  /** What this reading takes it to mean, e.g. `Tuesday of this week (2026-11-24)`. */
  readonly reading: string;
  /** The search range under this reading. */
  readonly range: {
    /** Earliest start. */
    readonly start: Date;
    /** Latest end. */
    readonly end: Date;
  };
}

const optionsSchema = z.object({
  now: z.union([z.date(), z.iso.datetime({ offset: true })]).transform((value) => new Date(value)),
  timeZone: z.string().refine(isValidTimeZone, 'unknown IANA time zone'),
  directory: z.union([z.record(z.string(), z.string()), z.function()]).optional(),
  defaultDurationMinutes: z.number().int().positive().max(8 * 60).optional(),
});

const NUMBER_WORDS: Record<string, number> = {
  a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, ten: 10, fifteen: 15, twenty: 20,
  thirty: 30, 'forty-five': 45, 'forty five': 45, forty: 40, fifty: 50, sixty: 60, ninety: 90,
};
const NUMBER = `\\d+(?:\\.\\d+)?|${Object.keys(NUMBER_WORDS).sort((a, b) => b.length - a.length).join('|')}`;
const DURATION = new RegExp(
  `(?:\\bfor\\s+)?\\b(?:(half\\s+an?\\s+hour|half-hour|quarter\\s+of\\s+an\\s+hour)|(${NUMBER})\\s*-?\\s*(hours?|hrs?|h|minutes?|mins?|m)(?:\\s*(?:and\\s+)?(\\d+)\\s*(?:minutes?|mins?|m))?)(?:-?long)?\\b`,
  'i',
);
const WEEK = /\b(this|next)\s+week\b/i;
const PART_OF_DAY: ReadonlyArray<[RegExp, number, number]> = [
  [/\bmorning\b/i, 8, 12],
  [/\bafternoon\b/i, 12, 17],
  [/\bevening\b/i, 17, 21],
];
const STOP_WORDS = '(?:for|about|on|at|next|this|tomorrow|today|in|between|from|regarding|to\\s+discuss|re)';
const ATTENDEES = new RegExp(`\\bwith\\s+(.+?)(?=\\s+${STOP_WORDS}\\b|[.?!;]|$)`, 'i');
const QUOTED_TITLE = /"([^"]+)"|“([^”]+)”/;
const TITLE = new RegExp(
  `\\b(?:for|about|regarding|called|titled|re:)\\s+(?:an?\\s+|the\\s+|our\\s+)?(.+?)(?=\\s+with\\b|\\s+${STOP_WORDS}\\b|[.?!;]|$)`,
  'i',
);
const MAX_DURATION_MINUTES = 8 * 60;
/** Words that make a date phrase point backwards ("last Monday", "yesterday", "two days ago"). */
const PAST_MARKER = /\b(last|yesterday|ago|previous|past)\b/i;
const WEEKDAY_NAMES = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const NEXT_WEEKDAY = /\bnext\s+(sun|mon|tue|tues|wed|thu|thur|thurs|fri|sat)(?:day|sday|nesday|rsday|urday)?\b/i;

// chrono-node is the heaviest part of this package (hundreds of milliseconds to load), and only
// this function needs it: it is imported on the first call, never by importing the package.
let chronoModule: Promise<typeof Chrono> | undefined;
function loadChrono(): Promise<typeof Chrono> {
  if (chronoModule === undefined) {
    const pending = import('chrono-node');
    chronoModule = pending;
    pending.catch(() => {
      if (chronoModule === pending) chronoModule = undefined;
    });
  }
  return chronoModule;
}

function fail(path: string, message: string): never {
  throw new ValidationError(undefined, [{ path, message }], { operation: 'parseMeetingRequest' });
}

function durationOf(match: RegExpExecArray): number {
  const [, fixed, amount, unit, extraMinutes] = match;
  if (fixed) return /quarter/i.test(fixed) ? 15 : 30;
  const value = NUMBER_WORDS[(amount ?? '').toLowerCase()] ?? Number(amount);
  const minutes = /^h/i.test(unit ?? '') ? value * 60 : value;
  return Math.round(minutes + Number(extraMinutes ?? 0));
}

function addDays(date: { year: number; month: number; day: number }, days: number) {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

function resolveAttendee(name: string, directory: Directory | undefined, index: number): string {
  if (!directory) return name;
  const found =
    typeof directory === 'function'
      ? directory(name)
      : Object.entries(directory).find(([key]) => key.toLowerCase() === name.toLowerCase())?.[1];
  if (!found) fail(`attendees.${index}`, `"${name}" is not in the directory`);
  return found;
}

/**
 * Reads a meeting request written in English, e.g. "Find a 30-minute slot next Tuesday for
 * the Sales team kickoff with Sarah and John", into a duration, a search range in the
 * requester's zone, a title and attendees. Dates and times are recognised by chrono-node
 * (loaded on the first call, told the requester's UTC offset at `now`) and turned into
 * instants in the IANA zone, so a date across a DST change is still read correctly.
 *
 * It never guesses silently:
 * - A phrase that points to the past ("last Monday", "yesterday at 3pm", or "today at 9am"
 *   once 9am has passed) is a `ValidationError` on `text` naming the phrase and when it was;
 *   it is never moved into the future.
 * - "next <weekday>" is that weekday in the coming calendar week (weeks start on Monday): on
 *   Monday 23 November, "next Tuesday" is 1 December. When the same weekday is still ahead
 *   in the current week (Tuesday 24 November here), that reading is returned in
 *   `alternatives`.
 *
 * Also rejects text without a date or time, durations over 8 hours and (with a directory)
 * unknown names, each with a `ValidationError` naming the part that is wrong.
 */
export async function parseMeetingRequest(text: string, options: ParseMeetingRequestOptions): Promise<MeetingRequest> {
  if (typeof text !== 'string' || text.trim() === '') fail('text', 'must be a non-empty string');
  if (text.length > 2_000) fail('text', 'must be at most 2000 characters');
  const { now, timeZone, directory, defaultDurationMinutes } = parse(optionsSchema, options, { operation: 'parseMeetingRequest', path: 'options' });
  let rest = text.replace(/\s+/g, ' ').trim();

  const durationMatch = DURATION.exec(rest);
  const durationMinutes = durationMatch ? durationOf(durationMatch) : (defaultDurationMinutes ?? 30);
  if (durationMatch) rest = `${rest.slice(0, durationMatch.index)} ${rest.slice(durationMatch.index + durationMatch[0].length)}`;
  if (!(durationMinutes > 0) || durationMinutes > MAX_DURATION_MINUTES) fail('durationMinutes', `must be between 1 and ${MAX_DURATION_MINUTES} minutes`);

  const today = instantToZonedTime(now, timeZone);
  const at = (date: { year: number; month: number; day: number }, hour = 0, minute = 0) =>
    zonedTimeToInstant({ ...date, hour, minute }, timeZone);
  let range: { start: Date; end: Date };
  let phrase: string;
  const alternatives: MeetingRequestAlternative[] = [];
  const week = WEEK.exec(rest);
  if (week) {
    // Work weeks run Monday to Friday (end exclusive: Saturday 00:00, local). On a weekend,
    // "this week" means the coming one, as people use it.
    const weekend = today.weekday === 0 || today.weekday === 6;
    const monday = addDays(today, -((today.weekday + 6) % 7) + (weekend ? 7 : 0) + ((week[1] ?? '').toLowerCase() === 'next' ? 7 : 0));
    range = { start: at(monday), end: at(addDays(monday, 5)) };
    phrase = week[0];
    rest = rest.replace(week[0], ' ');
  } else {
    const chrono = await loadChrono();
    const results = chrono.parse(rest, { instant: now, timezone: today.offsetMinutes }, { forwardDate: true });
    const first = results[0];
    if (!first) fail('text', 'names no date or time (try "tomorrow", "next Tuesday at 10am" or "on March 3")');
    const second = results[1];
    const joined = second && /^\s*(and|to|-|until|till)\s*$/i.test(rest.slice(first.index + first.text.length, second.index));
    phrase = joined && second ? rest.slice(first.index, second.index + second.text.length) : first.text;
    if (PAST_MARKER.test(phrase)) {
      // chrono moves "last Monday" forward under forwardDate; read it as written to say when it was.
      const backwards = chrono.parse(phrase, { instant: now, timezone: today.offsetMinutes })[0];
      const when = backwards ? ` (${localDate(backwards.start.date(), timeZone)})` : '';
      fail('text', `"${phrase}" is in the past${when}; only future times can be scheduled`);
    }
    const day = (component: Chrono.ParsedComponents) => ({
      year: component.get('year') ?? today.year,
      month: component.get('month') ?? today.month,
      day: component.get('day') ?? today.day,
    });
    const endComponent = first.end ?? (joined ? second.start : undefined);
    const build = (shift: number): { start: Date; end: Date } => {
      const move = (date: { year: number; month: number; day: number }) => addDays(date, shift);
      if (first.start.isCertain('hour') && endComponent?.isCertain('hour')) {
        // "between 2 and 4pm": a window; its date comes from whichever side named one.
        const date = endComponent.isCertain('day') || endComponent.isCertain('weekday') ? day(endComponent) : day(first.start);
        const startDate = first.start.isCertain('day') || first.start.isCertain('weekday') ? day(first.start) : date;
        return {
          start: at(move(startDate), first.start.get('hour') ?? 0, first.start.get('minute') ?? 0),
          end: at(move(date), endComponent.get('hour') ?? 0, endComponent.get('minute') ?? 0),
        };
      }
      if (first.start.isCertain('hour')) {
        const start = at(move(day(first.start)), first.start.get('hour') ?? 0, first.start.get('minute') ?? 0);
        return { start, end: new Date(start.getTime() + durationMinutes * 60_000) };
      }
      const date = move(day(first.start));
      const part = PART_OF_DAY.find(([pattern]) => pattern.test(first.text));
      return part ? { start: at(date, part[1]), end: at(date, part[2]) } : { start: at(date), end: at(addDays(date, 1)) };
    };
    const next = NEXT_WEEKDAY.exec(phrase);
    if (next) {
      // The documented rule, whatever chrono's own reading: the weekday of the coming calendar week.
      const target = WEEKDAY_NAMES.findIndex((name) => name.startsWith((next[1] ?? '').toLowerCase().slice(0, 3)));
      const mondayNext = addDays(today, 7 - ((today.weekday + 6) % 7));
      const ruleDate = addDays(mondayNext, (target + 6) % 7);
      const chronoDate = day(first.start);
      const shift = Math.round((Date.UTC(ruleDate.year, ruleDate.month - 1, ruleDate.day) - Date.UTC(chronoDate.year, chronoDate.month - 1, chronoDate.day)) / 86_400_000);
      range = build(shift);
      const thisWeek = addDays(ruleDate, -7);
      const thisWeekStart = Date.UTC(thisWeek.year, thisWeek.month - 1, thisWeek.day);
      if (thisWeekStart > Date.UTC(today.year, today.month - 1, today.day)) {
        alternatives.push({ phrase: next[0], reading: `${WEEKDAY_NAMES[target]} of this week (${isoDate(thisWeek)})`, range: build(shift - 7) });
      }
    } else {
      range = build(0);
    }
    for (const result of joined ? [second, first] : [first]) {
      if (result) rest = `${rest.slice(0, result.index)} ${rest.slice(result.index + result.text.length)}`;
    }
    if (joined) rest = rest.replace(/\s(and|to|until|till|-)\s/i, ' ');
  }
  if (range.end <= range.start) fail('range', 'ends before it starts');
  if (range.end <= now) fail('text', `"${phrase}" is in the past (${localDate(range.start, timeZone)}); only future times can be scheduled`);
  if (range.start < now) range = { start: now, end: range.end };
  rest = rest.replace(/\s+/g, ' ').trim();

  const attendeeText = ATTENDEES.exec(rest);
  const names = attendeeText?.[1]
    ? attendeeText[1]
        .split(/\s*(?:,|\band\b|&)\s*/i)
        .map((name) => name.replace(/^the\s+/i, '').trim())
        .filter((name) => name.length > 0)
    : [];
  const attendees = names.map((name, index) => resolveAttendee(name, directory as Directory | undefined, index));
  const withoutAttendees = attendeeText ? rest.replace(attendeeText[0], ' ') : rest;
  const quoted = QUOTED_TITLE.exec(text);
  const rawTitle = (quoted ? (quoted[1] ?? quoted[2]) : TITLE.exec(withoutAttendees)?.[1])?.trim() ?? '';
  const title = rawTitle || (names.length > 0 ? `Meeting with ${names.join(', ')}` : 'Meeting');
  return { durationMinutes, durationDefaulted: !durationMatch, range, title, attendees, alternatives };
}

function isoDate(date: { year: number; month: number; day: number }): string {
  return `${date.year}-${String(date.month).padStart(2, '0')}-${String(date.day).padStart(2, '0')}`;
}

/** `2026-11-16 15:00 America/New_York`, for messages. */
function localDate(instant: Date, timeZone: string): string {
  const local = instantToZonedTime(instant, timeZone);
  return `${isoDate(local)} ${String(local.hour).padStart(2, '0')}:${String(local.minute).padStart(2, '0')} ${timeZone}`;
}
