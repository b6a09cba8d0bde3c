/**
 * Zone and date helpers shared by the bookings adapters: strict ISO parsing, zone-less local
 * times read in an explicit IANA zone with its DST rules, and all-day dates turned into
 * instants. Built on the runtime's `Intl` tz data; nothing reads the server's local zone.
 */
export { DAY_MS, daysInMonth, formatDate, formatLocalDateTime, isValidLocalDateTime } from './civil';
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
export { createZoneOffsetReader, isValidTimeZone, zoneOffsetMs } from './zone';
export type { ZoneOffsetReader } from './zone';
export { WINDOWS_ZONES, windowsZoneToIana } from './windows-zones';
