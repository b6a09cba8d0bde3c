/** An instant given as a `Date` or an ISO-8601 string with an explicit `Z` or UTC offset. */
export type InstantInput = Date | string;

/** A half-open time interval `[start, end)`. */
export interface TimeRangeInput {
  /** Inclusive start. */
  start: InstantInput;
  /** Exclusive end; must not be before `start`. */
  end: InstantInput;
}

/**
 * One weekly window of local wall-clock time, e.g. `{ day: 1, start: '09:00', end: '17:00' }`.
 * Overnight availability is written as two windows that touch at midnight (Mon 22:00–24:00 and
 * Tue 00:00–06:00); touching windows are treated as one continuous stretch.
 */
export interface WeeklyWindow {
  /** Local day of week, 0 = Sunday … 6 = Saturday. */
  day: number;
  /** Local start, `HH:mm` from `00:00` to `23:59`. */
  start: string;
  /** Local end, `HH:mm` after `start`; `24:00` means the following local midnight. */
  end: string;
}

/** Someone whose calendar constrains (or, if optional, only scores) the slots. */
export interface SlotParticipant {
  /** Unique id, echoed in `Slot.attendees` / `Slot.missing`. */
  id: string;
  /** Busy intervals; they may overlap and be unsorted. Empty intervals block nothing. */
  busy: readonly TimeRangeInput[];
  /** IANA zone in which `workingHours` / `preferredHours` are read; default `UTC`. */
  timeZone?: string | undefined;
  /** Hard availability windows; omitted or empty means available around the clock. */
  workingHours?: readonly WeeklyWindow[] | undefined;
  /** Soft preference: only raises or lowers the score, never excludes a slot. */
  preferredHours?: readonly WeeklyWindow[] | undefined;
  /** Optional participants never invalidate a slot; they are listed in `missing` when unavailable. */
  optional?: boolean | undefined;
}

/** Input of {@link findSlots}. */
export interface SlotRequest {
  /** Slots must lie entirely inside this range. */
  range: TimeRangeInput;
  /** Meeting length in minutes (> 0, whole milliseconds). */
  durationMinutes: number;
  /** Grid of candidate starts: multiples of this many minutes since the Unix epoch (UTC). Default 15. */
  stepMinutes?: number | undefined;
  /** Every busy interval is widened by this many minutes on both sides. Default 0. */
  bufferMinutes?: number | undefined;
  /** No slot starts before `now + minNoticeMinutes`; requires `now`. Default 0. */
  minNoticeMinutes?: number | undefined;
  /** The caller's clock (oracle has no hidden clock). When given, no slot starts before it. */
  now?: Date | undefined;
  /** Upper bound on returned slots: an integer from 1 to 100 000, and at most 2 000 000 / participants. Default 50. */
  maxResults?: number | undefined;
  /** 1 to 1 000 participants with unique ids; participants × step starts in the range may not exceed 10 000 000. */
  participants: readonly SlotParticipant[];
}

/** A meeting slot that every required participant can attend. */
export interface Slot {
  /** Start instant (a multiple of the step since the epoch). */
  start: Date;
  /** `start + durationMinutes`. */
  end: Date;
  /** Higher is better; see `findSlots` for the formula. Always finite. */
  score: number;
  /** Ids of everyone who can attend (all required plus available optional), in input order. */
  attendees: string[];
  /** Ids of optional participants who are busy or outside their working hours, in input order. */
  missing: string[];
}

/** A half-open interval `[start, end)` in epoch milliseconds, used by the interval helpers. */
export interface NumericInterval {
  /** Inclusive start (epoch ms). */
  start: number;
  /** Exclusive end (epoch ms), not before `start`. */
  end: number;
}
