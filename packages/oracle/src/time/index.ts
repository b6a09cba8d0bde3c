export { instantToZonedTime, type LocalDateTime, type ZonedReading, zonedTimeToInstant } from './zoned';
