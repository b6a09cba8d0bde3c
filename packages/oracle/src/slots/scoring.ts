// Score of a slot; the formula is documented on `findSlots`.

const COMFORT_START_MINUTE = 8 * 60;
const COMFORT_END_MINUTE = 18 * 60;
// Six hours outside the band (before 02:00 or after 24:00) is as bad as it gets.
const PENALTY_SPAN_MINUTES = 6 * 60;
const MINUTES_PER_DAY = 1440;

/** Preference value of an attendee without `preferredHours`: neither a bonus nor a malus. */
export const NEUTRAL_PREFERENCE = 0.5;

/**
 * 0 inside local 08:00–18:00, rising linearly to 1 at six hours outside it (distance measured
 * around the clock, so 23:00 is five hours late, not nine early).
 */
export function timeOfDayPenalty(localMinute: number): number {
  let distance = 0;
  if (localMinute < COMFORT_START_MINUTE) {
    distance = Math.min(COMFORT_START_MINUTE - localMinute, localMinute + MINUTES_PER_DAY - COMFORT_END_MINUTE);
  } else if (localMinute > COMFORT_END_MINUTE) {
    distance = Math.min(localMinute - COMFORT_END_MINUTE, MINUTES_PER_DAY - localMinute + COMFORT_START_MINUTE);
  }
  return Math.min(distance / PENALTY_SPAN_MINUTES, 1);
}

/** One attendee's comfort in [0, 1]: the mean of preference (1 / 0.5 / 0) and `1 − timeOfDayPenalty`. */
export function attendeeComfort(preference: number, penalty: number): number {
  return (preference + 1 - penalty) / 2;
}

/**
 * `optionalPresent + comfort / 2`, comfort being the mean attendee comfort (0 with nobody
 * present). The comfort term stays below 1, so one more optional attendee always outranks any
 * difference in comfort.
 */
export function slotScore(optionalPresent: number, comfortSum: number, attendeeCount: number): number {
  return optionalPresent + (attendeeCount === 0 ? 0 : comfortSum / attendeeCount / 2);
}
