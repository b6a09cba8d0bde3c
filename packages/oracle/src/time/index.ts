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
  type LocalDateTime,
  toWallMs,
} from './civil';
export { addDays, allDayToRange, isIsoDate, startOfDayInZone } from './dates';
export { formatInZone, parseIsoInstant } from './iso';
export {
  type Disambiguation,
  dateInZone,
  instantToLocal,
  localToInstant,
  parseLocalDateTime,
  wallMsToInstantMs,
  zonedLocalToInstant,
} from './local';
export { createZoneOffsetReader, isValidTimeZone, type ZoneOffsetReader, zoneOffsetMs } from './offset';
export { instantToZonedTime, type ZonedReading, zonedTimeToInstant } from './zoned';
