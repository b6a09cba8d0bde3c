// Zone arithmetic on `Intl.DateTimeFormat`, i.e. the IANA tz database shipped with the runtime
// (ICU), so rules stay as current as Node itself and the package carries no tz data.

const LONG_OFFSET = /GMT(?:([+-])(\d{1,2})(?::?(\d{2}))?(?::?(\d{2}))?)?$/;

// Checking a zone builds an Intl.DateTimeFormat (~60 µs) and the same few zones are checked
// for every attendee of every call; accepted names are remembered, capped against abuse.
const knownZones = new Set<string>();
const KNOWN_ZONES_CAP = 2000;

/** Whether `zone` is an IANA time zone the runtime knows (`UTC` included). */
export function isValidTimeZone(zone: string): boolean {
  if (typeof zone !== 'string' || zone.length === 0) return false;
  if (knownZones.has(zone)) return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
  } catch {
    return false;
  }
  if (knownZones.size >= KNOWN_ZONES_CAP) knownZones.clear();
  knownZones.add(zone);
  return true;
}

/**
 * Reads zone offsets. A formatter costs tens of microseconds to build, so callers that convert
 * many instants in one zone keep one reader instead of calling {@link zoneOffsetMs} each time.
 */
export interface ZoneOffsetReader {
  /** The zone read. */
  readonly zone: string;
  /** UTC offset (local − UTC) in milliseconds at `instantMs`. */
  offsetAt(instantMs: number): number;
}

/** Creates a {@link ZoneOffsetReader} for `zone`; throws `RangeError` for an unknown zone. */
export function createZoneOffsetReader(zone: string): ZoneOffsetReader {
  const formatter = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' });
  return {
    zone,
    offsetAt(instantMs) {
      const match = LONG_OFFSET.exec(formatter.format(instantMs));
      if (match === null) throw new RangeError(`Cannot read the UTC offset of ${zone}`);
      if (match[1] === undefined) return 0;
      const ms = ((Number(match[2]) * 60 + Number(match[3] ?? 0)) * 60 + Number(match[4] ?? 0)) * 1000;
      return match[1] === '-' ? -ms : ms;
    },
  };
}

/** UTC offset (local − UTC) of `zone` at `instant`, in milliseconds. */
export function zoneOffsetMs(zone: string, instant: Date | number): number {
  return createZoneOffsetReader(zone).offsetAt(typeof instant === 'number' ? instant : instant.getTime());
}
