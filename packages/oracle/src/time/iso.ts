import { formatLocalDateTimeUnchecked, fromWallMsUnchecked, isValidLocalDateTime, matchedLocalDateTime, toWallMsUnchecked } from './civil';
import { checkInstantMs, checkZoneArgument } from './guards';
import { createZoneOffsetReader, type ZoneOffsetReader } from './offset';

const ISO_INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|z|[+-](\d{2}):(\d{2}))$/;

/**
 * Parses an ISO 8601 date-time that states its offset (`Z` or `±HH:MM`) into an instant;
 * `undefined` for anything else. Stricter than `Date.parse`, which reads a zone-less string
 * in the host's local zone and rolls 30 February over into March.
 */
export function parseIsoInstant(text: string): Date | undefined {
  if (typeof text !== 'string') return undefined;
  const m = ISO_INSTANT.exec(text);
  if (m === null) return undefined;
  const local = matchedLocalDateTime(m);
  if (!isValidLocalDateTime(local)) return undefined;
  let offsetMs = 0;
  if (m[9] !== undefined) {
    const hours = Number(m[9]);
    const minutes = Number(m[10]);
    if (hours > 23 || minutes > 59) return undefined;
    offsetMs = (hours * 60 + minutes) * 60_000 * (m[8]?.startsWith('-') ? -1 : 1);
  }
  return new Date(toWallMsUnchecked(local) - offsetMs);
}

/** An instant as ISO 8601 with the offset it has in `zone`, e.g. `2026-03-08T04:00:00-04:00`. */
export function formatInZone(instant: Date | number, zone: string | ZoneOffsetReader): string {
  const ms = checkInstantMs('instant', instant);
  const zoneArgument = checkZoneArgument('zone', zone);
  const offsets = typeof zoneArgument === 'string' ? createZoneOffsetReader(zoneArgument) : zoneArgument;
  const offset = offsets.offsetAt(ms);
  const abs = Math.abs(offset) / 60_000;
  const sign = offset < 0 ? '-' : '+';
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${formatLocalDateTimeUnchecked(fromWallMsUnchecked(ms + offset))}${sign}${hh}:${mm}`;
}
