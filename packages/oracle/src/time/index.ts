/**
 * `@almanac/oracle/time`: time zones and calendar dates on the runtime's `Intl` tz data.
 * Wall-clock times are read in an explicit IANA zone with its DST rules (never in the host's
 * zone), ISO 8601 is parsed strictly, and all-day dates are turned into instants.
 *
 * @packageDocumentation
 */
export {
  DAY_MS,
  daysInMonth,
  formatDate,
  formatLocalDateTime,
  fromWallMs,
  isValidLocalDateTime,
  toWallMs,
} from './civil';
export type { LocalDateTime } from './civil';
export { addDays, allDayToRange, isIsoDate, startOfDayInZone } from './dates';
export { formatInZone, parseIsoInstant } from './iso';
export {
  dateInZone,
  instantToLocal,
  localToInstant,
  parseLocalDateTime,
  wallMsToInstantMs,
  zonedLocalToInstant,
} from './local';
export type { Disambiguation } from './local';
export { createZoneOffsetReader, isValidTimeZone, zoneOffsetMs } from './offset';
export type { ZoneOffsetReader } from './offset';
export { instantToZonedTime, zonedTimeToInstant } from './zoned';
export type { ZonedReading } from './zoned';
